package web_test

import (
	"fmt"
	"testing"

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
				scan := func(name string) {
					t.Helper()
					if l := htmlLang(t, p); l != lang {
						t.Errorf("%s is in %q, want %q", name, l, lang)
					}
					p.Screenshot("events-" + name + "-" + vp.Name + "-" + lang)
					if wide := overflow(t, p); wide != "" {
						t.Errorf("%s (%s, %s px) scrolls sideways: %s", name, lang, vp.Name, wide)
					}
					if vs := p.Axe("best-practice"); len(vs) > 0 {
						t.Errorf("%s (%s, %s px), best practice: %s", name, lang, vp.Name, vs)
					}
					if bad := focusHidden(t, p, 30); bad != "" {
						t.Errorf("%s (%s, %s px): the focus is not visible on %s", name, lang, vp.Name, bad)
					}
					if vs := p.Axe(); len(vs) > 0 {
						t.Errorf("%s (%s, %s px): %s", name, lang, vp.Name, vs)
					}
				}
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
