package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/chromedp/cdproto/cdp"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The job-seeker's whole journey of issue 10 in a real Chromium, and the
// accessibility scan of the job-seeker's pages. The helpers below reach
// the tab through p.Context() where browsertest has none: a field or a
// button that is one of several with the same label (one apply form per
// match), a month or date input (typed keys land in its segments in the
// browser's locale order, which a person sees as a picker), a download.

// act runs f on the tab, bounded, failing the test with what was done.
func act(t *testing.T, p *browsertest.Page, what string, f func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.Context(), browsertest.ActionTimeout)
	defer cancel()
	if err := f(ctx); err != nil {
		t.Fatalf("%s (at %s): %v", what, p.URL(), err)
	}
}

// newVisitor opens a tab as a new visitor: the harness gives each page a
// browser context of its own, so no cookie of another test comes along.
func newVisitor(t *testing.T, opts browsertest.Options) *browsertest.Page {
	t.Helper()
	return browsertest.NewPage(t, opts)
}

// submitAt presses the button matched by css and waits for the page that
// answers.
func submitAt(t *testing.T, p *browsertest.Page, css string) {
	t.Helper()
	act(t, p, "press "+css, func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(css))))
		return err
	})
}

// typeAt types text into the field matched by css, as keys.
func typeAt(t *testing.T, p *browsertest.Page, css, text string) {
	t.Helper()
	act(t, p, "type into "+css, func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(css), text)) })
}

// setValue sets a month or date input as its picker would.
func setValue(t *testing.T, p *browsertest.Page, css, value string) {
	t.Helper()
	args, _ := json.Marshal([]string{css, value})
	act(t, p, "set "+css, func(ctx context.Context) error {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`((a) => { const e = document.querySelector(a[0]); if (!e) return false; e.value = a[1]; return true; })(`+string(args)+`)`))
		if err == nil && !ok {
			err = fmt.Errorf("no element %s", css)
		}
		return err
	})
}

// checked reports whether the checkbox matched by css is ticked. Through
// DevTools, so with the page's scripts off too.
func checked(t *testing.T, p *browsertest.Page, css string) bool {
	t.Helper()
	var on bool
	act(t, p, "read "+css, func(ctx context.Context) (err error) {
		on, err = chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS(css), "checked"))
		return err
	})
	return on
}

// tick makes sure the box is ticked, clicking the box labelled label (or,
// with no label, the box itself) only if it is not: the form ticks some by
// default, as a person sees.
func tick(t *testing.T, p *browsertest.Page, css, label string) {
	t.Helper()
	if !checked(t, p, css) {
		if label == "" {
			act(t, p, "tick "+css, func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css))) })
		} else {
			p.Check(label)
		}
	}
	if !checked(t, p, css) {
		t.Errorf("%q is not ticked", label)
	}
}

// htmlLang is the lang attribute of the page.
func htmlLang(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	var lang chromedp.AttributeResult
	act(t, p, "read html@lang", func(ctx context.Context) (err error) {
		lang, err = chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
		return err
	})
	return lang.Value
}

// wantText fails unless the visible text of css contains each of wants.
func wantText(t *testing.T, p *browsertest.Page, css string, wants ...string) {
	t.Helper()
	got := p.Text(css)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			if len(got) > 400 {
				got = got[:400] + "…"
			}
			t.Errorf("%s at %s reads %q, want it to contain %q", css, p.URL(), got, w)
		}
	}
}

// needWith makes an open job of a new, verified employer in Haskovo that
// asks for skills, through the domain services as an employer and an
// officer would.
func (s *site) needWith(title string, skills []register.SkillRequirement) register.Need {
	s.t.Helper()
	ctx := context.Background()
	nextEIK++
	owner, err := s.svc.Auth.Register(ctx, auth.NewAccount{Email: fmt.Sprintf("employer%d@example.bg", nextEIK),
		Password: password, Name: "Owner", Role: auth.RoleEmployer})
	if err != nil {
		s.t.Fatal(err)
	}
	by := auth.Principal{UserID: owner.ID, Role: auth.RoleEmployer}
	e, err := s.svc.Register.CreateEmployer(ctx, by, register.Employer{Name: "МБАЛ Хасково", EIK: validEIK(s.t),
		Sector: "healthcare", Municipality: "Хасково", Location: register.GeoPoint{Lat: 41.934, Lon: 25.555}})
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.Register.Verify(ctx, auth.Principal{UserID: "officer", Role: auth.RoleOfficer}, e.ID, true, "checked"); err != nil {
		s.t.Fatal(err)
	}
	n, err := s.svc.Register.CreateNeed(ctx, by, register.Need{EmployerID: e.ID, Kind: "job", Title: title,
		Description: "Грижа за пациенти в отделение.", Sector: "healthcare", WorkMode: "onsite", Positions: 2,
		Hours: "full_time", StartDate: "2030-01-15", ApplyBy: "2030-01-01", Status: register.StatusOpen, Skills: skills,
		Location: register.Location{Municipality: "Хасково", Lat: 41.934, Lon: 25.555}})
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// journeyNeeds seeds what a nurse from Haskovo is matched to: a job asking
// for exactly two skills the nurse occupation ticks (a match), and one
// asking for one of them and a skill outside the occupation (a near
// miss). It returns the two needs and the two skills.
func (s *site) journeyNeeds() (match, near register.Need, skills []string) {
	s.t.Helper()
	occ, ok := tax.Occupation(nurseOcc)
	if !ok || len(occ.Essential) < 2 {
		s.t.Fatalf("the nurse occupation %s has fewer than two essential skills", nurseOcc)
	}
	skills = occ.Essential[:2]
	var other string
	for _, h := range tax.SuggestSkills("грижа", "bg", 50) {
		if !slices.Contains(occ.Essential, h.ID) && !slices.Contains(occ.Optional, h.ID) {
			other = h.ID
			break
		}
	}
	if other == "" {
		s.t.Fatal("no skill outside the nurse occupation found")
	}
	match = s.needWith("Медицинска сестра, вътрешно отделение", []register.SkillRequirement{
		{ID: skills[0], Level: 1, Required: true}, {ID: skills[1], Level: 1, Required: true}})
	near = s.needWith("Медицинска сестра, детско отделение", []register.SkillRequirement{
		{ID: skills[0], Level: 1, Required: true}, {ID: other, Level: 1, Required: true}})
	return match, near, skills
}

// download clicks the link that reads text, lets Chromium save the file
// into a temporary folder and returns its bytes.
func download(t *testing.T, p *browsertest.Page, text string) []byte {
	t.Helper()
	dir := t.TempDir()
	var done cdpbrowser.EventDownloadProgress
	on := true
	act(t, p, "download with "+text, func(ctx context.Context) (err error) {
		// Each page is a browser context of its own (browsertest): the
		// behaviour is set for that context.
		var bctx cdp.BrowserContextID
		if c := chromedp.FromContext(ctx); c != nil {
			bctx = c.BrowserContextID
		}
		if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, BrowserContextID: bctx, DownloadPath: dir, EventsEnabled: &on}); err != nil {
			return err
		}
		done, err = chromedp.Run(ctx, chromedp.WaitEvent(cdpbrowser.DownloadProgress,
			func(e cdpbrowser.EventDownloadProgress) bool {
				return e.State == cdpbrowser.DownloadProgressStateCompleted
			},
			chromedp.Click(`//a[normalize-space(.)="`+text+`"]`)))
		return err
	})
	b, err := os.ReadFile(filepath.Join(dir, done.GUID))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fetchWithCookies fetches path with the tab's cookies, as the browser
// would send them: the export must answer only to this session.
func fetchWithCookies(t *testing.T, p *browsertest.Page, base, path string) (int, []byte) {
	t.Helper()
	var cookies network.GetCookiesResult
	act(t, p, "read cookies", func(ctx context.Context) (err error) {
		cookies, err = chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base}})
		return err
	})
	req, _ := http.NewRequest("GET", base+path, nil)
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// TestJourneyJobseeker is issue 10's journey with the page's scripts on:
// the autocomplete offers the occupation typed in Latin letters.
func TestJourneyJobseeker(t *testing.T) { journey(t, false) }

// TestJourneyJobseekerNoJS is the same journey with JavaScript off: every
// step is a form post and a full page.
func TestJourneyJobseekerNoJS(t *testing.T) { journey(t, true) }

func journey(t *testing.T, noJS bool) {
	start := time.Now()
	s := newSite(t)
	matchNeed, nearNeed, skills := s.journeyNeeds()
	base := s.srv.URL
	p := newVisitor(t, browsertest.Options{Viewport: browsertest.Mobile, NoJS: noJS})
	email := "maria@example.bg"
	if noJS {
		email = "maria.nojs@example.bg"
	}
	step := func(name string) {
		t.Logf("%s: %s", name, time.Since(start).Round(time.Millisecond))
		p.Screenshot(name)
	}

	// 1. Register, in Bulgarian (the default).
	p.Navigate(base + "/register")
	if l := htmlLang(t, p); l != "bg" {
		t.Fatalf("/register is in %q, want bg", l)
	}
	p.Fill("Име", "Мария Иванова")
	p.Fill("Имейл", email)
	p.Fill("Парола", password)
	step("01-register-bg")
	p.Submit("Регистрирай ме")
	if !strings.HasSuffix(p.URL(), "/me") {
		t.Fatalf("after registering the page is %s, want /me", p.URL())
	}
	wantText(t, p, "h1", "Моята страница")
	step("02-me-bg")

	// 2. The profile, starting from an occupation typed in Latin letters.
	p.FollowLink("Започнете профила си")
	p.Fill("Професия", "medicinska sestra")
	nurse := `button[name="occ"][value="` + nurseOcc + `"]`
	if noJS {
		p.Submit("Намерете професията")
	} else {
		// The autocomplete offers the occupation while typing.
		p.WaitVisible("#occ-suggestions " + nurse)
	}
	step("03-profile-occupations-bg")
	submitAt(t, p, nurse)
	for _, id := range skills {
		if !checked(t, p, `input[name="skill"][value="`+id+`"]`) {
			t.Errorf("the occupation's essential skill %s is not ticked", id)
		}
	}
	step("04-profile-skills-bg")
	// A skill typed in Latin letters: the autocomplete offers it while
	// typing, or the search button does without scripts; tick one.
	p.Fill("Добавете умение", "medicinska")
	offered := `input[name="skill"]:not(:checked)`
	if noJS {
		// By its value: the form's hidden default button (what Enter
		// presses) reads the same.
		submitAt(t, p, `button[name=action][value=findskill]`)
	} else {
		offered = "#suggestions " + offered
		p.WaitVisible(offered)
	}
	var extra string
	act(t, p, "read the first skill offered", func(ctx context.Context) (err error) {
		extra, err = chromedp.Run(ctx, chromedp.Value(chromedp.CSS(offered)))
		return err
	})
	tick(t, p, `input[name="skill"][value="`+extra+`"]`, "")
	for _, id := range skills {
		if !checked(t, p, `input[name="skill"][value="`+id+`"]`) {
			t.Errorf("after the skill search, %s is no longer ticked", id)
		}
	}
	step("04b-profile-skill-search-bg")
	p.Fill("Вашето име", "Мария Иванова")
	setValue(t, p, "#birthDate", s.birthMonth(22))
	p.Fill("Най-високото завършено образование", "Средно (12 клас)")
	p.Fill("Община, в която живеете", "Хасково")
	p.Fill("Колко далеч можете да пътувате до работа (км)?", "30")
	tick(t, p, "#workModes-onsite", "На работното място")
	setValue(t, p, "#availableFrom", "2029-09-01")
	p.Fill("Работно време", "Пълен работен ден")
	tick(t, p, "#kinds-job", "Работа")
	p.Check("Съгласен/съгласна съм да бъда предлаган/а на работодатели, както е описано по-горе")
	step("05-profile-filled-bg")
	p.Submit("Запази профила")
	wantText(t, p, "main", "Профилът ви е запазен.")
	step("06-profile-saved-bg")
	saved, err := s.svc.Profiles.Mine(context.Background(), s.principalOf(email))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range append([]string{extra}, skills...) {
		if !slices.ContainsFunc(saved.Skills, func(k profile.Skill) bool { return k.ID == id }) {
			t.Errorf("the saved profile lacks the ticked skill %s", id)
		}
	}

	// 3. Matches, with the reason in words, and the near miss.
	p.Navigate(base + "/me")
	p.FollowLink("Вижте подходящите за вас")
	wantText(t, p, "h1", "Подходящи за вас")
	wantText(t, p, "#matches-title + ol.matches", matchNeed.Title, "Имате 2 от 2 умения")
	wantText(t, p, "#near-title", "Почти подходящи")
	wantText(t, p, "section[aria-labelledby=near-title]", nearNeed.Title, "Липсват:")
	step("07-matches-bg")

	// 4. Apply with a short note.
	item := "#need-" + matchNeed.ID
	typeAt(t, p, item+" textarea[name=note]", "Работила съм на стаж в МБАЛ Хасково.")
	submitAt(t, p, item+" button[type=submit]")
	wantText(t, p, "h1", "Вашите кандидатури")
	wantText(t, p, "main", "Кандидатурата ви е изпратена.", matchNeed.Title, "Работила съм на стаж")
	step("08-applications-bg")

	// 5. English, by the visible switch; remembered on the next pages.
	p.FollowLink("English")
	if l := htmlLang(t, p); l != "en" {
		t.Fatalf("after the switch the page is in %q, want en", l)
	}
	wantText(t, p, "h1", "Your applications")
	step("09-applications-en")
	p.FollowLink("My page")
	wantText(t, p, "h1", "My page")
	step("10-me-en")
	p.Navigate(base + "/me/matches")
	wantText(t, p, "h1", "Your matches")
	wantText(t, p, "#matches-title + ol.matches", matchNeed.Title, "You have 2 of the 2 skills")
	step("11-matches-en")

	// 6. The export, downloaded as Chromium saves it.
	p.Navigate(base + "/me")
	p.FollowLink("Download your data or delete your profile")
	wantText(t, p, "h1", "Your data")
	step("12-data-en")
	got := download(t, p, "Download your data (JSON)")
	var export map[string]any
	if err := json.Unmarshal(got, &export); err != nil {
		t.Fatalf("the export is not JSON: %v\n%.300s", err, got)
	}
	for _, want := range []string{"Мария Иванова", email, matchNeed.ID} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the export lacks %q:\n%.600s", want, got)
		}
	}
	if code, body := fetchWithCookies(t, p, base, "/me/data/export.json"); code != http.StatusOK || !strings.Contains(string(body), "Мария Иванова") {
		t.Errorf("GET /me/data/export.json with the tab's cookies = %d %.200s", code, body)
	}

	// 7. Erase, with the confirmation; signed out at the end.
	p.FollowLink("Delete my profile and account")
	step("13-erase-en")
	p.Submit("Delete everything")
	if !p.Has("#confirm-error") {
		t.Error("erasing without the tick did not ask for it")
	}
	step("14-erase-unticked-en")
	p.Check("Yes, delete my profile and account")
	p.Submit("Delete everything")
	wantText(t, p, "h1", "Your profile has been deleted")
	step("15-erased-en")
	if p.Has(`form[action="/logout"]`) || !p.Has(`a[href="/login"]`) {
		t.Error("after erasing, the page still shows a signed-in person")
	}
	p.Navigate(base + "/me")
	if u, _ := url.Parse(p.URL()); u.Path != "/login" {
		t.Errorf("after erasing, /me opens %s, want the sign-in page", p.URL())
	}
	step("16-signed-out-en")
	if _, err := s.store.Users().UserByEmail(context.Background(), email); !failure.Is(err, failure.NotFound) {
		t.Errorf("the account is still held: %v", err)
	}
	if code, _ := fetchWithCookies(t, p, base, "/me/data/export.json"); code == http.StatusOK {
		t.Error("the export still answers after erasing")
	}
	t.Logf("journey (no js: %v) took %s", noJS, time.Since(start).Round(time.Millisecond))
}
