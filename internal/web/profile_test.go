package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
)

const nurseOcc = "8d3e8aaa-791b-4c75-a465-f3f827028f50" // медицинска сестра с общ профил

// principalOf is the job-seeker signed up with email, for reading back
// through the domain.
func (s *site) principalOf(email string) auth.Principal {
	s.t.Helper()
	u, err := s.store.Users().UserByEmail(context.Background(), email)
	if err != nil {
		s.t.Fatal(err)
	}
	return auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker}
}

// birthMonth is the YYYY-MM of someone years (and six months) old today.
func (s *site) birthMonth(years int) string {
	return s.clock.Now().UTC().AddDate(-years, -6, 0).Format("2006-01")
}

// fullForm is a complete profile as the form sends it.
func (s *site) fullForm(skills ...string) url.Values {
	f := url.Values{"action": {"save"}, "displayName": {"Ана Петрова"}, "birthDate": {s.birthMonth(22)},
		"phone": {"0888 123 456"}, "place": {"dimitrovgrad"}, "maxTravelKm": {"30"}, "workModes": {"onsite", "hybrid"},
		"educationLevel": {"3"}, "availableFrom": {"2027-03-01"}, "availableTo": {"2027-12-31"}, "hours": {"part_time"},
		"summary": {"Обичам да помагам."}, "lang-bg": {"C2"}, "lang-en": {"B1"}, "kinds": {"job", "care_pathway"},
		"sectors": {"healthcare", "care"}, "consent": {"yes"}}
	for i, id := range skills {
		f.Add("skill", id)
		f.Set("level-"+id, fmt.Sprint(i%4+1))
	}
	return f
}

func TestProfileFormsRefuseWithoutCSRF(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("csrf@example.bg")
	for _, action := range []string{"save", "occupation", "findskill"} {
		f := s.fullForm(skillIDs(t, 1)...)
		f.Set("action", action)
		f.Set("occq", "учител")
		f.Set("skillq", "учител")
		if p := b.post("/me/profile", f); p.Status != http.StatusForbidden {
			t.Errorf("%s without CSRF = %d, want 403", action, p.Status)
		}
		f.Set("csrf", "wrong")
		if p := b.post("/me/profile", f); p.Status != http.StatusForbidden {
			t.Errorf("%s with a wrong CSRF = %d, want 403", action, p.Status)
		}
	}
	if _, err := s.svc.Profiles.Mine(context.Background(), s.principalOf("csrf@example.bg")); !failure.Is(err, failure.NotFound) {
		t.Fatalf("a profile was saved without a CSRF token: %v", err)
	}
}

func TestProfileValidationErrorsLinkedInEitherLanguage(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("errors@example.bg")
	ctx := context.Background()
	for _, tc := range []struct{ lang, required, month string }{
		{"bg", "Попълнете полето „Вашето име“", "Въведете година и месец"},
		{"en", "Fill in the field “Your name”", "Enter the year and month"},
	} {
		b.get("/me/profile?lang=" + tc.lang)
		f := s.fullForm(skillIDs(t, 2)...)
		f.Set("displayName", "")
		f.Set("birthDate", "май 2008")
		f.Del("place")
		f.Del("workModes")
		f.Set("summary", "Пиша тук")
		p := b.submit("/me/profile", "/me/profile", f)
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: invalid profile = %d, want 422", tc.lang, p.Status)
		}
		for _, want := range []string{`class="error-summary"`, `href="#displayName"`, `href="#birthDate"`, `href="#place"`,
			`href="#workModes-onsite"`, `id="workModes-onsite" name="workModes" value="onsite" aria-invalid="true" aria-describedby="workModes-error"`, tc.required, tc.month, `aria-describedby="displayName-error"`,
			`value="май 2008"`, "Пиша тук", `<html lang="` + tc.lang + `"`} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("%s: the page lacks %q", tc.lang, want)
			}
		}
		// The typed skills stay ticked.
		for _, id := range f["skill"] {
			if !strings.Contains(p.Body, `value="`+id+`" checked`) {
				t.Errorf("%s: skill %s is no longer ticked", tc.lang, id)
			}
		}
	}
	// The domain's rules too: an unknown skill and an age under 13,
	// linked to their inputs, in the page's language.
	f := s.fullForm("no-such-skill")
	f.Set("birthDate", s.birthMonth(10))
	p := b.submit("/me/profile", "/me/profile", f)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown skill and age 10 = %d, want 422", p.Status)
	}
	for _, want := range []string{`href="#s0"`, `id="s0" name="skill" value="no-such-skill" checked aria-invalid="true" aria-describedby="s0-error"`, "We do not know this skill", `href="#birthDate"`, "The age must be 13..100"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("domain errors: the page lacks %q", want)
		}
	}
	if _, err := s.svc.Profiles.Mine(ctx, s.principalOf("errors@example.bg")); !failure.Is(err, failure.NotFound) {
		t.Fatalf("an invalid profile was saved: %v", err)
	}
}

func TestProfileStartsFromAnOccupation(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("occ@example.bg")
	f := url.Values{"action": {"occupation"}, "occq": {"medicinska sestra"}, "displayName": {"Ана"}}
	p := b.submit("/me/profile", "/me/profile", f)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `name="occ" value="`+nurseOcc+`"`) {
		t.Fatalf("occupation search = %d; the nurse is not offered:\n%s", p.Status, p.Body)
	}
	if !strings.Contains(p.Body, `value="Ана"`) {
		t.Error("the search lost the name typed in another step")
	}
	p = b.submit("/me/profile", "/me/profile", url.Values{"occ": {nurseOcc}, "displayName": {"Ана"}})
	o, _ := tax.Occupation(nurseOcc)
	for _, id := range o.Essential {
		if !strings.Contains(p.Body, `name="skill" value="`+id+`" checked`) {
			t.Errorf("essential skill %s is not ticked", id)
		}
	}
	for _, id := range o.Optional {
		if !strings.Contains(p.Body, `name="skill" value="`+id+`">`) {
			t.Errorf("optional skill %s is not offered unticked", id)
		}
	}
	if !strings.Contains(p.Body, "медицинска сестра с общ профил") {
		t.Error("the chosen occupation is not named")
	}
}

func TestProfileAutocompleteFindsPhoneTyping(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("suggest@example.bg")
	for _, tc := range []struct{ q, want string }{
		{"medicinska", "медицински изделия"},            // a skill, typed in Latin letters
		{"medicinska", `value="` + nurseOcc + `"`},      // and the occupation that holds such skills
		{"u4itel", "учител"},                            // phone style: 4 for ч
		{"медицинск", "професионални сестрински грижи"}, // Cyrillic, a word begun
	} {
		p := b.get("/me/profile/suggest?skillq="+url.QueryEscape(tc.q), "HX-Request", "true")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, tc.want) {
			t.Errorf("suggest %q = %d, lacks %q", tc.q, p.Status, tc.want)
		}
		if strings.Contains(p.Body, "<html") {
			t.Errorf("suggest %q answered a whole page, not the fragment", tc.q)
		}
	}
	// Without JavaScript the button posts the same search.
	p := b.submit("/me/profile", "/me/profile", url.Values{"action": {"findskill"}, "skillq": {"u4itel"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "учител") || !strings.Contains(p.Body, "<html") {
		t.Errorf("find skill without JS = %d, lacks the teacher", p.Status)
	}
	if p := s.browser().get("/me/profile/suggest?skillq=u4itel"); p.Status != http.StatusSeeOther {
		t.Errorf("suggest without a session = %d, want 303 to sign in", p.Status)
	}
}

func TestProfileSavedAsEntered(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("save@example.bg")
	ids := skillIDs(t, 3)
	form := s.fullForm(ids...)
	// Where each skill was done: at work, a value the select never
	// offers (it reads as not said), at school.
	form.Set("source-"+ids[0], profile.SourceWork)
	form.Set("source-"+ids[1], "moon")
	form.Set("source-"+ids[2], profile.SourceSchool)
	p := b.submit("/me/profile", "/me/profile", form)
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/me/profile?done=saved" {
		t.Fatalf("save = %d %s %s", p.Status, p.Header.Get("Location"), p.Body)
	}
	got, err := s.svc.Profiles.Mine(context.Background(), s.principalOf("save@example.bg"))
	if err != nil {
		t.Fatal(err)
	}
	want := profile.Profile{DisplayName: "Ана Петрова", BirthDate: s.birthMonth(22), Phone: "0888 123 456",
		Municipality: "Димитровград", Lat: 42.050, Lon: 25.594, MaxTravelKm: 30, WorkModes: []string{"onsite", "hybrid"},
		EducationLevel: 3, AvailableFrom: "2027-03-01", AvailableTo: "2027-12-31", Hours: "part_time", Summary: "Обичам да помагам.",
		Languages: []profile.Language{{Code: "bg", Level: "C2"}, {Code: "en", Level: "B1"}},
		Interests: profile.Interests{Kinds: []string{"job", "care_pathway"}, Sectors: []string{"healthcare", "care"}},
		Skills: []profile.Skill{{ID: ids[0], Level: 1, Evidence: profile.EvidenceDeclared, Source: profile.SourceWork},
			{ID: ids[1], Level: 2, Evidence: profile.EvidenceDeclared}, {ID: ids[2], Level: 3, Evidence: profile.EvidenceDeclared, Source: profile.SourceSchool}}}
	gotCmp := got
	gotCmp.ID, gotCmp.BirthYear, gotCmp.Consent, gotCmp.CreatedAt, gotCmp.UpdatedAt, gotCmp.Seq, gotCmp.Version = "", 0, profile.Consent{}, want.CreatedAt, want.UpdatedAt, 0, 0
	if !reflect.DeepEqual(gotCmp, want) {
		t.Errorf("saved profile\n got %+v\nwant %+v", gotCmp, want)
	}
	if !got.Consent.Matching {
		t.Error("the consent was not saved")
	}
	// The form shows the saved profile again, and saving it unchanged
	// keeps it as it was.
	p = b.get("/me/profile?done=saved")
	if !strings.Contains(p.Body, "Профилът ви е запазен") || !strings.Contains(p.Body, `value="Ана Петрова"`) {
		t.Errorf("the saved page lacks the notice or the values")
	}
	if !strings.Contains(p.Body, `value="dimitrovgrad" selected`) || !strings.Contains(p.Body, `value="`+ids[2]+`" checked`) {
		t.Error("the form does not show the saved place and skills")
	}
	shown := formValues(p.Body)
	for i, want := range []string{profile.SourceWork, "", profile.SourceSchool} {
		if got := shown["source-"+ids[i]]; len(got) != 1 || got[0] != want {
			t.Errorf("skill %d is shown done at %q, want %q", i, got, want)
		}
	}
	for _, want := range []string{`for="s0-src" class="level">Къде сте го правили: `, ">на работа</option>", ">в обучение</option>", ">в училище</option>", ">не казвам</option>"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the form does not ask where the skills were done: lacks %s", want)
		}
	}
	if en := b.get("/me/profile?lang=en"); !strings.Contains(en.Body, `for="s0-src" class="level">Where did you do this: `) || !strings.Contains(en.Body, ">in training</option>") {
		t.Error("the English form does not ask where the skills were done")
	}
	b.get("/me/profile?lang=bg")
	again := url.Values{"action": {"save"}}
	for k, v := range formValues(p.Body) {
		again[k] = v
	}
	if r := b.submit("/me/profile", "/me/profile", again); r.Status != http.StatusSeeOther {
		t.Fatalf("saving the shown form again = %d: %s", r.Status, r.Body)
	}
	if again, err := s.svc.Profiles.Mine(context.Background(), s.principalOf("save@example.bg")); err != nil || !reflect.DeepEqual(again.Skills, want.Skills) {
		t.Errorf("saved unchanged, the skills became %+v (%v), want %+v", again.Skills, err, want.Skills)
	}
	got2, _ := s.svc.Profiles.Mine(context.Background(), s.principalOf("save@example.bg"))
	got2.UpdatedAt, got2.Seq, got2.Version = got.UpdatedAt, got.Seq, got.Version
	if !reflect.DeepEqual(got2, got) {
		t.Errorf("saving the form unchanged changed the profile\n got %+v\nwant %+v", got2, got)
	}
}

func TestProfileUnder14IsHeldAndSaysSo(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("young@example.bg")
	f := s.fullForm(skillIDs(t, 1)...)
	f.Set("birthDate", s.birthMonth(13))
	f.Set("lang", "en")
	b.get("/me?lang=en")
	if p := b.submit("/me/profile", "/me/profile", f); p.Status != http.StatusSeeOther {
		t.Fatalf("save at 13 = %d: %s", p.Status, p.Body)
	}
	got, err := s.svc.Profiles.Mine(context.Background(), s.principalOf("young@example.bg"))
	if err != nil || !got.Held() {
		t.Fatalf("the profile of a 13-year-old is not held: %v %+v", err, got)
	}
	held := "a parent or guardian must give consent at the labour office"
	if p := b.get("/me/profile?done=saved"); !strings.Contains(p.Body, held) {
		t.Error("the profile page does not say the profile is held")
	}
	if p := b.get("/me"); !strings.Contains(p.Body, held) {
		t.Error("the home page does not say the profile is held")
	}
	b.get("/me?lang=bg")
	if p := b.get("/me"); !strings.Contains(p.Body, "родител или настойник трябва да даде съгласие") {
		t.Error("the home page does not say the profile is held, in Bulgarian")
	}
}

func TestConsentTextIsSimplerForUnder18(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("consent@example.bg")
	b.get("/me?lang=en")
	show := func(years int) string {
		f := url.Values{"action": {"findskill"}, "skillq": {"грижа"}, "birthDate": {s.birthMonth(years)}}
		return b.submit("/me/profile", "/me/profile", f).Body
	}
	young, adult := show(16), show(25)
	if !strings.Contains(young, "You are under 18") || strings.Contains(young, "consent-adult") {
		t.Error("a 16-year-old does not get the simpler consent text")
	}
	if !strings.Contains(adult, "Employers see a card without your name or phone") || strings.Contains(adult, "consent-young") {
		t.Error("an adult does not get the full consent text")
	}
	// Saved, the form shows the text of the saved birth date.
	f := s.fullForm(skillIDs(t, 1)...)
	f.Set("birthDate", s.birthMonth(16))
	b.submit("/me/profile", "/me/profile", f)
	if p := b.get("/me/profile"); !strings.Contains(p.Body, "You are under 18") {
		t.Error("the saved 16-year-old's form lacks the simpler consent text")
	}
}

func TestHomeSaysWhatIsMissingAndWhatNext(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("home@example.bg")
	p := b.get("/me?lang=en")
	if !strings.Contains(p.Body, "You have no profile yet") || !strings.Contains(p.Body, `href="/me/profile"`) {
		t.Error("/me without a profile does not offer to start one")
	}
	f := s.fullForm(skillIDs(t, 2)...)
	for _, k := range []string{"lang-bg", "lang-en", "consent"} {
		f.Del(k)
	}
	if r := b.submit("/me/profile", "/me/profile", f); r.Status != http.StatusSeeOther {
		t.Fatalf("save = %d", r.Status)
	}
	p = b.get("/me")
	for _, want := range []string{"2 things are missing", `href="/me/profile#step-languages"`, `href="/me/profile#step-consent"`,
		"0 opportunities fit you now", `href="/me/matches"`, `href="/me/applications"`, "You have not applied anywhere yet"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("/me lacks %q", want)
		}
	}
	if strings.Contains(p.Body, "#step-skills") {
		t.Error("/me says skills are missing though two are saved")
	}
	// An application shows with its state.
	n := s.need("Медицинска сестра", true)
	if _, err := s.svc.Matches.Apply(context.Background(), s.principalOf("home@example.bg"), n.ID, ""); err != nil {
		t.Fatal(err)
	}
	if p := b.get("/me"); !strings.Contains(p.Body, "You have 1 application") || !strings.Contains(p.Body, "You applied") {
		t.Error("/me does not list the application and its state")
	}
}

var (
	inputTag  = regexp.MustCompile(`<input [^>]*>`)
	selectTag = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	selected  = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	textarea  = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	attr      = func(tag, name string) (string, bool) {
		m := regexp.MustCompile(` ` + name + `(?:="([^"]*)")?[ >]`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
)

// formValues is what a browser would send of the page's form as shown:
// inputs with their values (checkboxes only when ticked), the selected
// options and the text areas; not the CSRF token or buttons.
func formValues(body string) url.Values {
	out := url.Values{}
	for _, tag := range inputTag.FindAllString(body, -1) {
		name, _ := attr(tag, "name")
		typ, _ := attr(tag, "type")
		val, _ := attr(tag, "value")
		if name == "" || name == "csrf" || typ == "submit" {
			continue
		}
		if _, on := attr(tag, "checked"); (typ == "checkbox" || typ == "radio") && !on {
			continue
		}
		out.Add(name, val)
	}
	for _, m := range selectTag.FindAllStringSubmatch(body, -1) {
		if s := selected.FindStringSubmatch(m[2]); s != nil {
			out.Add(m[1], html.UnescapeString(s[1]))
		}
	}
	for _, m := range textarea.FindAllStringSubmatch(body, -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	return out
}

// TestProfileEnterSearchesAndNeverSaves: Enter in any field presses the
// form's first button, which runs the searches typed and saves nothing,
// and the autocomplete's list has ids of its own beside the ticked skills.
func TestProfileEnterSearchesAndNeverSaves(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("enter@example.bg")
	if p := b.get("/me/profile"); !regexp.MustCompile(`<form method="post" action="/me/profile" novalidate>\s*<input type="hidden" name="csrf" value="[^"]+">\s*(\{\{[^}]*\}\}\s*)?<button type="submit" name="action" value="enter"`).MatchString(p.Body) {
		t.Error("the form's first button is not the one that only searches")
	}
	f := s.fullForm(skillIDs(t, 1)...)
	f.Set("action", "enter")
	f.Set("occq", "u4itel")
	p := b.submit("/me/profile", "/me/profile", f)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "учител") {
		t.Errorf("Enter with an occupation typed = %d, does not search", p.Status)
	}
	if _, err := s.svc.Profiles.Mine(context.Background(), s.principalOf("enter@example.bg")); !failure.Is(err, failure.NotFound) {
		t.Fatalf("Enter saved the profile: %v", err)
	}
	id := skillIDs(t, 1)[0]
	p = b.get("/me/profile/suggest?skillq=медицинск", "HX-Request", "true")
	if !strings.Contains(p.Body, `id="sug0" name="skill" value="`+id+`"`) || regexp.MustCompile(`id="s\d`).MatchString(p.Body) {
		t.Errorf("the autocomplete's inputs reuse the form's ids:\n%s", p.Body)
	}
}

// TestProfilePageWeight: the heaviest step, an occupation's whole skill
// list (the general nurse: 98 skills), stays under 100 KB of HTML.
func TestProfilePageWeight(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("weight@example.bg")
	p := b.submit("/me/profile", "/me/profile", url.Values{"occ": {nurseOcc}})
	o, _ := tax.Occupation(nurseOcc)
	if n := strings.Count(p.Body, `name="skill"`); n != len(o.Essential)+len(o.Optional) {
		t.Fatalf("%d skills shown, want %d", n, len(o.Essential)+len(o.Optional))
	}
	t.Logf("profile page with %d skills: %d bytes of HTML", len(o.Essential)+len(o.Optional), len(p.Body))
	if len(p.Body) >= 100<<10 {
		t.Errorf("the profile page weighs %d bytes, want under 100 KB", len(p.Body))
	}
}

// TestProfileOnlyForJobseekers: an employer signed in on the pages is
// told plainly that their account keeps no profile; nothing is saved.
func TestProfileOnlyForJobseekers(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if _, err := s.svc.Auth.Register(ctx, auth.NewAccount{Email: "boss@example.bg", Password: password, Name: "Boss",
		Role: auth.RoleEmployer}); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.signIn("boss@example.bg")
	b.get("/me?lang=en")
	if p := b.get("/me/profile"); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "account keeps a profile") {
		t.Errorf("GET /me/profile as an employer = %d", p.Status)
	}
	p := b.submit("/me/profile", "/me/profile", s.fullForm(skillIDs(t, 1)...))
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "account keeps a profile") {
		t.Errorf("saving a profile as an employer = %d", p.Status)
	}
	// An employer's home is the employer's workspace.
	if p := b.get("/me"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/employer" {
		t.Errorf("/me as an employer = %d to %q, want 303 to /employer", p.Status, p.Header.Get("Location"))
	}
}

// TestOccupationAutocomplete: the occupation box's autocomplete answers
// occupations only, each a button that posts the form with its choice.
func TestOccupationAutocomplete(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("occauto@example.bg")
	p := b.get("/me/profile/suggest?occq=medicinska+sestra", "HX-Request", "true")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `<button type="submit" name="occ" value="`+nurseOcc+`"`) {
		t.Errorf("occupation autocomplete = %d, lacks the nurse:\n%s", p.Status, p.Body)
	}
	if strings.Contains(p.Body, `name="skill"`) {
		t.Error("the occupation autocomplete offers skills")
	}
	if page := b.get("/me/profile"); !strings.Contains(page.Body, `hx-target="#occ-suggestions"`) || !strings.Contains(page.Body, `id="occ-suggestions"`) {
		t.Error("the occupation box is not wired to its autocomplete")
	}
}
