package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
)

// The labour office's journey of issue 11 in a real Chromium: two browser
// contexts, the employer's and the officer's, and the accessibility scan
// of every office page in both languages at 360 and 1280 px.

// signInAs opens a new visitor's tab and signs in through the page.
func signInAs(t *testing.T, s *site, vp browsertest.Viewport, email, lang string) *browsertest.Page {
	t.Helper()
	p := newVisitor(t, browsertest.Options{Viewport: vp})
	p.Navigate(s.srv.URL + "/login?lang=" + lang)
	typeAt(t, p, "#email", email)
	typeAt(t, p, "#password", password)
	submitAt(t, p, `form[action="/login"] button[type=submit]`)
	return p
}

// fillWalkIn fills the office's profile form for a walk-in adult: the
// steps a person would fill, the consent ticked as they agreed in person.
func fillWalkIn(t *testing.T, p *browsertest.Page, name string) {
	t.Helper()
	setValue(t, p, "#displayName", name)
	setValue(t, p, "#birthDate", "1968-09")
	setValue(t, p, "#educationLevel", "3")
	setValue(t, p, "#place", "dimitrovgrad")
	setValue(t, p, "#availableFrom", "2027-03-01")
	tick(t, p, "#consent", "")
}

// TestOfficeJourney: an employer registered an organisation; the officer
// (another browser context) sees it waiting on Today, opens it and
// verifies it; the employer's page then says verified; the officer
// withdraws the verification, first without a reason (the form asks for
// one), then with one, which the employer reads. The officer then enters a
// profile for a walk-in person, the consent recorded in person.
func TestOfficeJourney(t *testing.T) {
	s := newSite(t)
	_, owner := s.staff(auth.RoleEmployer, "boss@example.bg")
	org := s.organisation(owner, "Дом за стари хора Щастие")
	s.staff(auth.RoleOfficer, "officer@example.bg")
	vp := browsertest.Desktop

	boss := signInAs(t, s, vp, "boss@example.bg", "en")
	boss.Navigate(s.srv.URL + "/employer/verification")
	wantText(t, boss, "main", "has not verified this organisation yet")

	officer := signInAs(t, s, vp, "officer@example.bg", "en")
	officer.Navigate(s.srv.URL + "/office")
	wantText(t, officer, "#queue-verification", "1")
	wantText(t, officer, "main", org.Name)
	officer.FollowLink(org.Name)
	wantText(t, officer, "h1", org.Name)
	typeAt(t, officer, "#note", "Checked in the Commercial Register")
	submitAt(t, officer, `form[action$="/verification"] button[type=submit]`)
	wantText(t, officer, ".notice", "The organisation is verified.")
	officer.Screenshot("office-verified")

	boss.Navigate(s.srv.URL + "/employer/verification")
	wantText(t, boss, ".verification-state", "Verified")

	submitAt(t, officer, `form[action$="/verification"] button[type=submit]`)
	if !officer.Has(".error-summary a[href='#reason']") {
		t.Fatal("withdrawing without a reason shows no error linked to the reason")
	}
	reason := "The company was struck off the Commercial Register."
	typeAt(t, officer, "#reason", reason)
	submitAt(t, officer, `form[action$="/verification"] button[type=submit]`)
	wantText(t, officer, ".notice", "The employer sees your reason.")

	boss.Navigate(s.srv.URL + "/employer/verification")
	wantText(t, boss, ".verification-state", "Not verified")
	wantText(t, boss, ".verification-reason", reason)
	boss.Screenshot("employer-withdrawn")

	officer.Navigate(s.srv.URL + "/office")
	officer.FollowLink("Enter a profile for a person who does not use the web")
	fillWalkIn(t, officer, "Иван Колев")
	submitAt(t, officer, `button[name=action][value=save]`)
	wantText(t, officer, ".notice", "The profile is saved.")
	if !strings.Contains(officer.URL(), "/office/people/") || strings.Contains(officer.URL(), "/new") {
		t.Errorf("after saving the officer is at %s, want the person's profile", officer.URL())
	}
	officer.Screenshot("office-person-saved")
}

// TestOfficePagesAccessible scans every office page, and the employer's
// verification page, with axe-core in both languages at 360 and 1280 px,
// as TestJobseekerPagesAccessible does the job-seeker's (scanPage): Today,
// the employer list and a search, an employer waiting (the verify form),
// a verified one with the withdrawal's error, the walk-in form empty and
// with errors, a saved profile, its erasure's confirmation, and the
// employer's view of a withdrawal with its reason.
func TestOfficePagesAccessible(t *testing.T) {
	s := newSite(t)
	n := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				n++
				bossEmail, officerEmail := fmt.Sprintf("boss%d@example.bg", n), fmt.Sprintf("officer%d@example.bg", n)
				_, owner := s.staff(auth.RoleEmployer, bossEmail)
				waiting := s.organisation(owner, fmt.Sprintf("Дом Щастие %d", n))
				s.staff(auth.RoleOfficer, officerEmail)
				p := signInAs(t, s, vp, officerEmail, lang)
				scan := func(name string) { t.Helper(); scanPage(t, p, name, lang, vp, 30) }

				p.Navigate(s.srv.URL + "/office")
				scan("office-today")
				p.Navigate(s.srv.URL + "/office/employers")
				scan("office-employers")
				p.Navigate(s.srv.URL + "/office/employers?q=shtastie&verified=false")
				scan("office-employers-search")
				p.Navigate(s.srv.URL + "/office/employers/" + waiting.ID)
				scan("office-employer-waiting")
				submitAt(t, p, `form[action$="/verification"] button[type=submit]`)
				submitAt(t, p, `form[action$="/verification"] button[type=submit]`)
				if !p.Has(".error-summary") {
					t.Error("withdrawing without a reason shows no errors")
				}
				scan("office-employer-withdraw-errors")
				typeAt(t, p, "#reason", "Заличена от Търговския регистър.")
				submitAt(t, p, `form[action$="/verification"] button[type=submit]`)

				p.Navigate(s.srv.URL + "/office/people/new")
				scan("office-person-new")
				submitAt(t, p, `button[name=action][value=save]`)
				if !p.Has(".error-summary") {
					t.Error("the empty walk-in form shows no errors")
				}
				scan("office-person-errors")
				fillWalkIn(t, p, "Иван Колев")
				submitAt(t, p, `button[name=action][value=save]`)
				scan("office-person")
				p.Navigate(strings.Split(p.URL(), "?")[0] + "/erase")
				scan("office-person-erase")

				boss := signInAs(t, s, vp, bossEmail, lang)
				boss.Navigate(s.srv.URL + "/employer/verification")
				scanPage(t, boss, "employer-verification", lang, vp, 30)
			})
		}
	}
}
