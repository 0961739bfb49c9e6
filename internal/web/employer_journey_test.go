package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
)

// The employer's journey of issue 11 in a real Chromium, and the
// accessibility scan of every employer page. The office's verification is
// the register's use case called directly (s.verifyEmployer): another part
// of issue 11 builds the office's page for it.

// employerInBrowser signs an employer up through the pages, in lang, and
// registers the organisation; it returns the tab (on /employer, waiting)
// and the organisation's id.
func (s *site) employerInBrowser(t *testing.T, p *browsertest.Page, email, lang string, scan func(string)) string {
	t.Helper()
	p.Navigate(s.srv.URL + "/register/employer?lang=" + lang)
	scan("employer-signup")
	submitAt(t, p, `form[action="/register/employer"] button[type=submit]`)
	if !p.Has(".error-summary") {
		t.Error("an empty sign-up shows no errors")
	}
	scan("employer-signup-errors")
	typeAt(t, p, "#name", "Мария Петрова")
	typeAt(t, p, "#email", email)
	typeAt(t, p, "#password", password)
	submitAt(t, p, `form[action="/register/employer"] button[type=submit]`)
	scan("employer-organisation")

	typeAt(t, p, "#orgName", "МБАЛ Хасково")
	typeAt(t, p, "#eik", "123456788")
	// htmx checks the EIK as it is typed.
	waitText(t, p, "#eik-check", map[string]string{"bg": "контролна цифра", "en": "check digit"}[lang])
	setValue(t, p, "#sector", "healthcare")
	setValue(t, p, "#place", "haskovo")
	submitAt(t, p, `form[action="/employer/organisation"] button[type=submit]`)
	if !p.Has("#eik-error") {
		t.Error("a bad EIK is not refused on the form")
	}
	scan("employer-organisation-errors")
	nextEIK++
	setValue(t, p, "#eik", "")
	typeAt(t, p, "#eik", validEIK(t))
	submitAt(t, p, `form[action="/employer/organisation"] button[type=submit]`)
	u, err := s.store.Users().UserByEmail(context.Background(), email)
	if err != nil || len(u.EmployerIDs) != 1 {
		t.Fatalf("the organisation of %s was not registered: %v", email, err)
	}
	return u.EmployerIDs[0]
}

// chooseNurse finds the nurse's occupation on the need form's first step
// (htmx lists it as it is typed) and follows it to the form with its
// essential skills; shot pictures both. A full-page screenshot of the tall
// form leaves headless Chromium's clicks missing their target, so the form
// is loaded afresh after it.
func (s *site) chooseNurse(t *testing.T, p *browsertest.Page, shot func(string)) {
	t.Helper()
	typeAt(t, p, "#occq", "medicinska sestra")
	link := `#occ-results a[href="/employer/needs/new?occupation=` + nurseOcc + `"]`
	p.WaitVisible(link)
	shot("employer-need-occupation-results")
	submitAt(t, p, link)
	shot("employer-need-form")
	p.Navigate(s.srv.URL + "/employer/needs/new?occupation=" + nurseOcc)
}

// firstNeedID is the id of the first need of My needs.
func firstNeedID(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	id := eval[string](t, p, `(document.querySelector('li[id^="need-"]') || {id: ""}).id`)
	if id == "" {
		t.Fatalf("My needs lists no need at %s", p.URL())
	}
	return strings.TrimPrefix(id, "need-")
}

// TestEmployerJourney: an employer signs up, registers the organisation
// (the EIK checked as typed), waits; the office verifies it; the employer
// reloads, posts a need from an occupation keeping, dropping and
// preferring skills, sees it in My needs, closes, reopens and duplicates it.
func TestEmployerJourney(t *testing.T) {
	s := newSite(t)
	p := newVisitor(t, browsertest.Options{Viewport: browsertest.Desktop})
	shot := func(name string) { p.Screenshot("journey-" + name) }
	empID := s.employerInBrowser(t, p, "journey@example.bg", "bg", shot)
	wantText(t, p, "main", "Очаква проверка", "преди тя да види данни на млади хора")
	if p.Has("#my-needs") {
		t.Error("My needs is shown before the office verified the organisation")
	}

	// The office verifies it (through the register: the office's page is
	// another helper's part of issue 11).
	s.verifyEmployer(empID, true, "checked")
	p.Navigate(s.srv.URL + "/employer")
	wantText(t, p, "main", "Потвърдена", "Все още нямате потребности")
	p.FollowLink("Нова потребност")
	s.chooseNurse(t, p, shot)
	occ, _ := tax.Occupation(nurseOcc)
	if got := eval[int](t, p, `document.querySelectorAll('input[name=skill]').length`); got != len(occ.Essential) {
		t.Fatalf("the form offers %d skills, want the occupation's %d essential ones", got, len(occ.Essential))
	}
	setValue(t, p, "#use-0", "drop")
	setValue(t, p, "#use-1", "preferred")
	setValue(t, p, "#level-1", "3")
	setValue(t, p, "#startDate", "2030-02-01")
	setValue(t, p, "#sector", "healthcare")
	setValue(t, p, "#place", "harmanli")
	p.Fill("Брой хора", "3")
	submitAt(t, p, `button[name=action][value=open]`)
	wantText(t, p, "main", "Потребността е записана", "Отворена", "Харманли")
	shot("my-needs")
	id := firstNeedID(t, p)
	n, err := s.svc.Register.Need(context.Background(), auth.Principal{UserID: "officer", Role: auth.RoleOfficer}, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Skills) != len(occ.Essential)-1 || n.Skills[0].ID != occ.Essential[1] || n.Skills[0].Required || n.Skills[0].Level != 3 || n.Positions != 3 {
		t.Errorf("the posted need = %d skills (first %+v), %d positions; want the first essential skill dropped, the second preferred at level 3, 3 people",
			len(n.Skills), n.Skills[0], n.Positions)
	}

	for _, step := range []struct{ status, want string }{{"closed", "Затворена"}, {"open", "Отворена"}} {
		submitAt(t, p, fmt.Sprintf(`#need-%s form[action$="/status"] button`, id))
		wantText(t, p, "#need-"+id, step.want)
	}
	submitAt(t, p, fmt.Sprintf(`#need-%s form[action$="/duplicate"] button`, id))
	wantText(t, p, "main", "Това е копие, записано като чернова")
	shot("copy")
	p.Navigate(s.srv.URL + "/employer")
	if got := eval[int](t, p, `document.querySelectorAll('li[id^="need-"]').length`); got != 2 {
		t.Errorf("My needs lists %d needs after the copy, want 2", got)
	}
	wantText(t, p, "main", "Чернова", "Отворена")
}

// TestEmployerPagesAccessible scans every employer page with axe-core (WCAG
// 2.1 A and AA, and best practice: landmarks, headings in order) in both
// languages at 360 and 1280 px: the sign-up (and its errors), the
// organisation form (and its errors), the waiting and refused states, My
// needs, the occupation search (and htmx's results), the need form (and its
// errors) and a need's edit page. Nothing scrolls sideways at 360 px, the
// keyboard's focus shows (scanPage); a screenshot of each.
func TestEmployerPagesAccessible(t *testing.T) {
	s := newSite(t)
	n := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				n++
				p := newVisitor(t, browsertest.Options{Viewport: vp})
				scan := func(name string) { t.Helper(); scanPage(t, p, name, lang, p.Options().Viewport, 30) }
				empID := s.employerInBrowser(t, p, fmt.Sprintf("a11y-emp%d@example.bg", n), lang, scan)
				scan("employer-waiting")
				s.verifyEmployer(empID, false, "Липсва договор с НАП")
				p.Navigate(s.srv.URL + "/employer")
				scan("employer-refused")
				s.verifyEmployer(empID, true, "checked")
				p.Navigate(s.srv.URL + "/employer")
				scan("employer-no-needs")

				p.Navigate(s.srv.URL + "/employer/needs/new")
				scan("employer-need-occupation")
				s.chooseNurse(t, p, scan)
				setValue(t, p, "#title", "")
				submitAt(t, p, `button[name=action][value=draft]`)
				if !p.Has(".error-summary") {
					t.Error("a need without a title or a start shows no errors")
				}
				scan("employer-need-form-errors")
				p.Navigate(s.srv.URL + "/employer/needs/new?occupation=" + nurseOcc)
				setValue(t, p, "#title", "Медицинска сестра")
				setValue(t, p, "#startDate", "2030-02-01")
				setValue(t, p, "#sector", "healthcare")
				setValue(t, p, "#place", "haskovo")
				submitAt(t, p, `button[name=action][value=draft]`)
				scan("employer-my-needs")
				p.Navigate(s.srv.URL + "/employer/needs/" + firstNeedID(t, p) + "/edit")
				scan("employer-need-edit")
			})
		}
	}
}
