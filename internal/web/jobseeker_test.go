package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// seeker is a job-seeker's account made through auth, signed in on b.
type seeker struct {
	b  *browser
	by auth.Principal
}

func (s *site) seeker(email string) seeker {
	s.t.Helper()
	u, err := s.svc.Auth.Register(context.Background(), auth.NewAccount{Email: email, Password: password, Name: "Ана",
		Role: auth.RoleJobseeker})
	if err != nil {
		s.t.Fatal(err)
	}
	b := s.browser()
	b.signIn(email)
	return seeker{b: b, by: auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker}}
}

// profileFor writes the job-seeker's profile: born on birthDate, living in
// Haskovo, holding skills (at level 3), free from 2029 full time.
func (s *site) profileFor(by auth.Principal, birthDate string, skills ...string) {
	s.t.Helper()
	p := profile.Profile{ID: by.UserID, DisplayName: "Ана", BirthDate: birthDate, Municipality: "Хасково",
		Lat: 41.94, Lon: 25.56, MaxTravelKm: 30, WorkModes: []string{"onsite"}, Hours: "full_time",
		AvailableFrom: "2029-01-01", Languages: []profile.Language{{Code: "bg", Level: "C2"}},
		Consent: profile.Consent{Matching: true}}
	for _, id := range skills {
		p.Skills = append(p.Skills, profile.Skill{ID: id, Level: 3, Evidence: profile.EvidenceDeclared})
	}
	if _, err := s.svc.Profiles.Put(context.Background(), by, p); err != nil {
		s.t.Fatal(err)
	}
}

// TestMatchesExplainInWords: the need the person holds one of two skills
// of is explained ("1 of the 2 skills", the missing one named in the
// page's language) in Bulgarian and in English, with its apply form.
func TestMatchesExplainInWords(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
	missing, _ := tax.Skill(n.Skills[1].ID)

	bg := me.b.get("/me/matches?lang=bg")
	if bg.Status != http.StatusOK {
		t.Fatalf("GET /me/matches = %d", bg.Status)
	}
	for _, want := range []string{"Санитар", "Имате 1 от 2 умения, които работодателят търси.", "Липсват:",
		html.EscapeString(missing.Labels["bg"]), `name="need" value="` + n.ID + `"`, "Говорите нужните езици."} {
		if !strings.Contains(bg.Body, want) {
			t.Errorf("the Bulgarian page lacks %q:\n%s", want, bg.Body)
		}
	}
	en := me.b.get("/me/matches?lang=en")
	for _, want := range []string{"You have 1 of the 2 skills the employer needs.", "Missing:",
		html.EscapeString(missing.Labels["en"]), "You speak the languages needed."} {
		if !strings.Contains(en.Body, want) {
			t.Errorf("the English page lacks %q:\n%s", want, en.Body)
		}
	}
}

// TestMatchesNextSkill: a person who lacks the required skill of two care
// needs sees them as near misses and that skill as the one to learn next,
// opening both, with the Care Career Path.
func TestMatchesNextSkill(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	s.need("Болногледач", true)
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[1].ID)
	next, _ := tax.Skill(n.Skills[0].ID)
	p := me.b.get("/me/matches?lang=en")
	for _, want := range []string{"Almost a match", "Learn this next", html.EscapeString(next.Labels["en"]) + ": it opens 2 more opportunities",
		`<a href="/pathways">The Care Career Path can teach it.</a>`} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("/me/matches lacks %q:\n%s", want, p.Body)
		}
	}
}

// TestMatchesWithoutProfileOrHeld: no profile yet is a call to make one;
// a profile of a 13-year-old, held for a guardian's consent, is
// explained.
func TestMatchesWithoutProfileOrHeld(t *testing.T) {
	s := newSite(t)
	s.need("Санитар", true)
	me := s.seeker("ana@example.bg")
	p := me.b.get("/me/matches?lang=en")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `href="/me/profile"`) || !strings.Contains(p.Body, "You have no profile yet.") {
		t.Errorf("no profile: GET /me/matches = %d, want the call to /me/profile:\n%s", p.Status, p.Body)
	}
	young := s.clock.Now().AddDate(-13, -1, 0).Format("2006-01-02")
	s.profileFor(me.by, young, skillIDs(t, 1)...)
	p = me.b.get("/me/matches?lang=en")
	if !strings.Contains(p.Body, "Your profile is waiting for a parent&#39;s consent") || strings.Contains(p.Body, `name="need"`) {
		t.Errorf("held profile: GET /me/matches lacks the explanation or offers to apply:\n%s", p.Body)
	}
}

// TestApplyFromMatches: without the CSRF token the application is
// refused (403) and nothing is recorded; with it, the application and its
// note show on /me/applications; a second one is the duplicate message.
func TestApplyFromMatches(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)

	if p := me.b.post("/me/applications", url.Values{"need": {n.ID}, "note": {"Мога от понеделник"}}); p.Status != http.StatusForbidden {
		t.Errorf("apply without CSRF = %d, want 403", p.Status)
	}
	if got := s.svc.Matches.ForPerson(me.by); len(got) != 0 {
		t.Fatalf("after a refused form, matches = %+v, want none", got)
	}
	long := me.b.submit("/me/matches", "/me/applications", url.Values{"need": {n.ID}, "note": {strings.Repeat("я", 501)}})
	if long.Status != http.StatusUnprocessableEntity || !strings.Contains(long.Body, `href="#note-`+n.ID+`"`) ||
		!strings.Contains(long.Body, "Скъсете бележката до 500 знака") {
		t.Errorf("apply with a 501-character note = %d, want 422 linked to the note:\n%s", long.Status, long.Body)
	}
	if got := s.svc.Matches.ForPerson(me.by); len(got) != 0 {
		t.Fatalf("after a too long note, matches = %+v, want none", got)
	}
	p := me.b.submit("/me/matches", "/me/applications", url.Values{"need": {n.ID}, "note": {"Мога от понеделник"}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/me/applications?done=applied") {
		t.Fatalf("apply = %d %s, want 303 to /me/applications", p.Status, p.Header.Get("Location"))
	}
	apps := me.b.get(p.Header.Get("Location"))
	for _, want := range []string{"Санитар", "Кандидатурата ви е изпратена.", "Кандидатствахте", "Бюрото по труда преглежда", "Мога от понеделник"} {
		if !strings.Contains(apps.Body, want) {
			t.Errorf("/me/applications lacks %q:\n%s", want, apps.Body)
		}
	}
	again := me.b.submit("/me/applications", "/me/applications", url.Values{"need": {n.ID}})
	if again.Status != http.StatusUnprocessableEntity || !strings.Contains(again.Body, "Вече кандидатствахте за тази възможност.") {
		t.Errorf("second application = %d, want 422 with the duplicate message:\n%s", again.Status, again.Body)
	}
	if got := s.svc.Matches.ForPerson(me.by); len(got) != 1 {
		t.Errorf("matches = %d, want 1", len(got))
	}
}

// TestApplyMinorRefused: a 14-year-old (17 on the start date) applying
// to hazardous work gets the young-worker rule in words, in English too.
func TestApplyMinorRefused(t *testing.T) {
	s := newSite(t)
	n := s.need("Работа с химикали", true)
	yes := true
	if _, err := s.svc.Register.UpdateNeed(context.Background(), auth.Principal{UserID: n.CreatedBy, Role: auth.RoleEmployer}, n.ID,
		register.NeedPatch{Hazardous: &yes}); err != nil {
		t.Fatal(err)
	}
	me := s.seeker("young@example.bg")
	s.profileFor(me.by, s.clock.Now().AddDate(-14, -6, 0).Format("2006-01-02"), n.Skills[0].ID)
	me.b.get("/me/matches?lang=en")
	p := me.b.submit("/me/matches", "/me/applications", url.Values{"need": {n.ID}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "The rules for young workers do not allow this work at your age") {
		t.Errorf("minor's application = %d, want 422 with the young-worker rule:\n%s", p.Status, p.Body)
	}
	if got := s.svc.Matches.ForPerson(me.by); len(got) != 0 {
		t.Errorf("matches = %+v, want none", got)
	}
}

// TestApplicationsHideInternalNotes: the officer's internal note and id
// never reach the person; a note shared with them does, with who moved
// the match as a role.
func TestApplicationsHideInternalNotes(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
	ctx := context.Background()
	m, err := s.svc.Matches.Apply(ctx, me.by, n.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	officer := auth.Principal{UserID: "officer-4711", Role: auth.RoleOfficer}
	if _, err := s.svc.Matches.Move(ctx, officer, m.ID, match.Step{To: match.Referred, Note: "вътрешно: трудна кандидатка"}); err != nil {
		t.Fatal(err)
	}
	employer := auth.Principal{UserID: n.CreatedBy, Role: auth.RoleEmployer}
	if _, err := s.svc.Matches.Move(ctx, employer, m.ID, match.Step{To: match.Interview, Note: "Елате в понеделник в 9", Visibility: match.NoteShared}); err != nil {
		t.Fatal(err)
	}
	p := me.b.get("/me/applications?lang=bg")
	for _, bad := range []string{"officer-4711", "вътрешно", n.CreatedBy} {
		if strings.Contains(p.Body, bad) {
			t.Errorf("/me/applications shows %q:\n%s", bad, p.Body)
		}
	}
	for _, want := range []string{"Елате в понеделник в 9", "от бюрото по труда", "от работодателя", "Поканени на интервю", "Работодателят иска да се срещне с вас."} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("/me/applications lacks %q:\n%s", want, p.Body)
		}
	}
}

// TestExportDownload: the export is a JSON attachment with the person's
// account, profile and applications, and no officer's id.
func TestExportDownload(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
	ctx := context.Background()
	m, err := s.svc.Matches.Apply(ctx, me.by, n.ID, "бележка")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Matches.Move(ctx, auth.Principal{UserID: "officer-4711", Role: auth.RoleOfficer}, m.ID, match.Step{To: match.Referred}); err != nil {
		t.Fatal(err)
	}
	if p := me.b.get("/me/data?lang=en"); p.Status != http.StatusOK || !strings.Contains(p.Body, `href="/me/data/export.json"`) ||
		!strings.Contains(p.Body, "ana@example.bg") || !strings.Contains(p.Body, "1 skill and your other details") {
		t.Errorf("GET /me/data = %d, want the summary and the download link:\n%s", p.Status, p.Body)
	}
	p := me.b.get("/me/data/export.json")
	if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "application/json") ||
		!strings.Contains(p.Header.Get("Content-Disposition"), `attachment; filename="skillsmatch-export.json"`) {
		t.Fatalf("export = %d %q %q", p.Status, p.Header.Get("Content-Type"), p.Header.Get("Content-Disposition"))
	}
	if strings.Contains(p.Body, "officer-4711") {
		t.Errorf("the export names the officer:\n%s", p.Body)
	}
	var doc struct {
		Account struct{ ID, Email string }
		Profile struct{ Skills []struct{ ID string } }
		Matches []struct {
			NeedID  string
			History []struct{ Note string }
		}
	}
	if err := json.Unmarshal([]byte(p.Body), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, p.Body)
	}
	if doc.Account.ID != me.by.UserID || doc.Account.Email != "ana@example.bg" || len(doc.Profile.Skills) != 1 ||
		len(doc.Matches) != 1 || doc.Matches[0].NeedID != n.ID || doc.Matches[0].History[0].Note != "бележка" {
		t.Errorf("export = %+v, want the account, one skill and the application with its note", doc)
	}
}

// TestEraseFromData: the confirmation page says what goes and what stays;
// without the token nothing is erased; without the tick the form asks for
// it; confirmed, the profile and account are gone, the session ends, the
// confirmation is in both languages, and /me asks to sign in.
func TestEraseFromData(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
	ctx := context.Background()

	c := me.b.get("/me/data/erase?lang=en")
	for _, want := range []string{"What will be deleted", "Your profile: skills", "What stays", "random number", `name="confirm"`} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("the confirmation page lacks %q:\n%s", want, c.Body)
		}
	}
	if p := me.b.post("/me/data/erase", url.Values{"confirm": {"yes"}}); p.Status != http.StatusForbidden {
		t.Errorf("erase without CSRF = %d, want 403", p.Status)
	}
	if p := me.b.submit("/me/data/erase", "/me/data/erase", url.Values{}); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Body, "Tick the box") {
		t.Errorf("erase without the tick = %d, want 422 asking for it:\n%s", p.Status, p.Body)
	}
	if _, err := s.store.Profiles().Profile(ctx, me.by.UserID); err != nil {
		t.Fatalf("profile before the confirmed erasure: %v", err)
	}
	p := me.b.submit("/me/data/erase", "/me/data/erase", url.Values{"confirm": {"yes"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Your profile has been deleted") || !strings.Contains(p.Body, "Профилът ви е изтрит") {
		t.Errorf("erase = %d, want the confirmation in both languages:\n%s", p.Status, p.Body)
	}
	if _, err := s.store.Profiles().Profile(ctx, me.by.UserID); !failure.Is(err, failure.NotFound) {
		t.Errorf("profile after erasure: err = %v, want NotFound", err)
	}
	if _, err := s.svc.Auth.User(ctx, me.by.UserID); !failure.Is(err, failure.NotFound) {
		t.Errorf("account after erasure: err = %v, want NotFound", err)
	}
	if me.b.signedIn() {
		t.Error("the session outlived the erasure")
	}
	if p := me.b.get("/me/matches"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Errorf("GET /me/matches after erasure = %d %s, want 303 to /login", p.Status, p.Header.Get("Location"))
	}
}

// TestMatchesPaging: ten matches a page, with links between the pages.
func TestMatchesPaging(t *testing.T) {
	s := newSite(t)
	var n register.Need
	for i := range 11 {
		n = s.need("Санитар "+strings.Repeat("I", i+1), true)
	}
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID, n.Skills[1].ID)
	one := me.b.get("/me/matches?lang=en")
	if got := strings.Count(one.Body, `<li class="match"`); got != 10 || !strings.Contains(one.Body, `href="/me/matches?page=2" rel="next"`) ||
		!strings.Contains(one.Body, "11 opportunities fit you.") {
		t.Errorf("page 1 has %d matches, want 10, the count and a link to page 2:\n%s", got, one.Body)
	}
	two := me.b.get("/me/matches?page=2")
	if got := strings.Count(two.Body, `<li class="match"`); got != 1 || !strings.Contains(two.Body, `href="/me/matches?page=1" rel="prev"`) ||
		strings.Contains(two.Body, `rel="next"`) {
		t.Errorf("page 2 has %d matches, want 1 and a link back only:\n%s", got, two.Body)
	}
}
