package web_test

import (
	"fmt"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
)

// TestEventPagesAccessible: the events' pages, for a visitor and for a
// job-seeker registering (with an error, then with success), pass axe at
// a phone's and a desktop's width in both languages, do not scroll
// sideways, and show the keyboard's focus.
func TestEventPagesAccessible(t *testing.T) {
	s := newSite(t)
	n := s.need("Медицинска сестра", true)
	day := s.careerDay(n.ID, s.need("Санитар", true).ID)
	path := s.srv.URL + "/events/" + day.ID
	k := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				k++
				email := fmt.Sprintf("events%d@example.bg", k)
				me := s.seeker(email)
				s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
				p := newVisitor(t, browsertest.Options{Viewport: vp})
				scan := func(name string) { t.Helper(); scanPage(t, p, "events-"+name, lang, vp, 30) }
				p.Navigate(s.srv.URL + "/events?lang=" + lang)
				scan("list")
				p.Navigate(path)
				scan("event-visitor")

				p.Navigate(s.srv.URL + "/login")
				typeAt(t, p, "#email", email)
				typeAt(t, p, "#password", password)
				submitAt(t, p, `form[action="/login"] button[type=submit]`)
				p.Navigate(path)
				scan("event-form")
				setValue(t, p, "#wish1", n.EmployerID)
				setValue(t, p, "#wish2", n.EmployerID)
				submitAt(t, p, `form[action$="/registration"] button[type=submit]`)
				if !p.Has("#wish2-error") {
					t.Error("a wish named twice shows no error")
				}
				scan("event-errors")
				setValue(t, p, "#wish2", "")
				submitAt(t, p, `form[action$="/registration"] button[type=submit]`)
				if !p.Has(`img[src$="/ticket.png"]`) {
					t.Fatal("the registered person sees no ticket")
				}
				scan("event-ticket")
			})
		}
	}
}

// TestEventJoinAndDoorAccessible: the employer's join form (empty, with
// errors, and for an organisation the office has not verified) and the
// office's door with a walk-in's error pass axe at a phone's and a
// desktop's width in both languages, do not scroll sideways, and show the
// keyboard's focus.
func TestEventJoinAndDoorAccessible(t *testing.T) {
	s := newSite(t)
	s.need("Медицинска сестра", true)
	boss := ownerEmail()
	s.need("Санитар", false)
	waiting := ownerEmail()
	s.staff(auth.RoleOfficer, "a11y-door@labour.example.bg")
	day := s.careerDay()
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				emp := signInAs(t, s, vp, boss, lang)
				emp.Navigate(s.srv.URL + "/employer/events/" + day.ID)
				scanPage(t, emp, "events-join", lang, vp, 30)
				setValue(t, emp, "#tables", "0")
				submitAt(t, emp, `form[action$="/participation"] button[type=submit]`)
				if !emp.Has(`.error-summary a[href="#need-1"]`) || !emp.Has("#tables-error") {
					t.Error("a join with no need and no tables shows no errors on them")
				}
				scanPage(t, emp, "events-join-errors", lang, vp, 30)
				w := signInAs(t, s, vp, waiting, lang)
				w.Navigate(s.srv.URL + "/employer/events/" + day.ID)
				scanPage(t, w, "events-join-not-verified", lang, vp, 0)

				off := signInAs(t, s, vp, "a11y-door@labour.example.bg", lang)
				off.Navigate(s.srv.URL + "/office/events/" + day.ID)
				typeAt(t, off, "#person", "no-such-person")
				submitAt(t, off, `form[action$="/walkins"] button[type=submit]`)
				if !off.Has("#person-error") {
					t.Error("an unknown walk-in shows no error on the profile number")
				}
				scanPage(t, off, "events-door-walkin-error", lang, vp, 30)
			})
		}
	}
}
