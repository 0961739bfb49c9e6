package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/careget/skillsmatch/internal/match"
)

// TestCareerDayJourney: in Chromium, an officer creates an event (first
// with a mistake), two employers are in, the office invites by fit, a
// job-seeker registers with ranked wishes and gets a ticket, the office
// makes the schedule and checks the ticket in, and an employer's continue
// becomes a referred match with the event as origin. Every page passes axe
// at a phone's and a desktop's width in both languages.
func TestCareerDayJourney(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	k := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				k++
				officerEmail := fmt.Sprintf("officer%d@labour.example.bg", k)
				if _, err := s.svc.Auth.CreateStaff(ctx, auth.NewAccount{Email: officerEmail, Password: password, Role: auth.RoleOfficer, Name: "Служител"}); err != nil {
					t.Fatal(err)
				}
				n1 := s.need("Медицинска сестра", true)
				ownerEmail := "owner" + strings.Repeat("x", nextEIK) + "@example.bg"
				n2 := s.need("Санитар", true)
				me := s.seeker(fmt.Sprintf("journey%d@example.bg", k))
				s.profileFor(me.by, "1998-04-02", n1.Skills[0].ID) // both needs ask for the same skill

				scan := func(p *browsertest.Page, name string) {
					t.Helper()
					if l := htmlLang(t, p); l != lang {
						t.Errorf("%s is in %q, want %q", name, l, lang)
					}
					p.Screenshot("journey-" + name + "-" + vp.Name + "-" + lang)
					if wide := overflow(t, p); wide != "" {
						t.Errorf("%s (%s, %s px) scrolls sideways: %s", name, lang, vp.Name, wide)
					}
					if vs := p.Axe("best-practice"); len(vs) > 0 {
						t.Errorf("%s (%s, %s px), best practice: %s", name, lang, vp.Name, vs)
					}
					if vs := p.Axe(); len(vs) > 0 {
						t.Errorf("%s (%s, %s px): %s", name, lang, vp.Name, vs)
					}
				}
				signIn := func(email string) *browsertest.Page {
					t.Helper()
					p := newVisitor(t, browsertest.Options{Viewport: vp})
					p.Navigate(s.srv.URL + "/login?lang=" + lang)
					typeAt(t, p, "#email", email)
					typeAt(t, p, "#password", password)
					submitAt(t, p, `form[action="/login"] button[type=submit]`)
					return p
				}

				// The officer creates the event; without a name first.
				off := signIn(officerEmail)
				off.Navigate(s.srv.URL + "/office/events")
				scan(off, "office-events")
				for id, v := range map[string]string{"name-en": "Haskovo Career Day", "date": s.clock.Now().AddDate(0, 0, 7).Format("2006-01-02"),
					"starts": "09:00", "ends": "12:00", "municipality": "Хасково", "location": "Дом на културата",
					"capacity": "50", "interviewMinutes": "15", "slots": "6"} {
					setValue(t, off, "#"+id, v)
				}
				// The browser would stop an empty required field; the server must too.
				eval[bool](t, off, `document.querySelector("#name-bg").removeAttribute("required"), true`)
				submitAt(t, off, `form[action="/office/events"] button[type=submit]`)
				if !off.Has("#name-bg-error") {
					t.Fatal("an event without a Bulgarian name shows no error")
				}
				scan(off, "office-events-errors")
				setValue(t, off, "#name-bg", "Ден на кариерата Хасково")
				submitAt(t, off, `form[action="/office/events"] button[type=submit]`)
				url := off.URL()
				id := url[strings.LastIndex(url, "/")+1:]
				if i := strings.IndexByte(id, '?'); i >= 0 {
					id = id[:i]
				}
				officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
				for _, n := range []string{n1.ID, n2.ID} {
					need, _ := s.svc.Register.Need(ctx, officer, n)
					if _, err := s.svc.Events.Join(ctx, officer, id, need.EmployerID, []string{n}, 1); err != nil {
						t.Fatalf("join %s: %v", id, err)
					}
				}
				off.Navigate(s.srv.URL + "/office/events/" + id)
				submitAt(t, off, `form[action$="/invitations"] button[type=submit]`)
				if e, _ := s.svc.Events.Get(officer, id); !e.Invited(me.by.UserID) {
					t.Fatal("the person who fits was not invited")
				}
				scan(off, "office-event-invited")

				// The job-seeker registers with the second employer first.
				js := signIn(fmt.Sprintf("journey%d@example.bg", k))
				js.Navigate(s.srv.URL + "/events/" + id)
				setValue(t, js, "#wish1", n2.EmployerID)
				setValue(t, js, "#wish2", n1.EmployerID)
				submitAt(t, js, `form[action$="/registration"] button[type=submit]`)
				ticket := strings.TrimSpace(js.Text("strong.ticket"))
				if ticket == "" {
					t.Fatal("no ticket after registering")
				}

				// The office makes the schedule and checks the ticket in.
				off.Navigate(s.srv.URL + "/office/events/" + id)
				submitAt(t, off, `form[action$="/schedule"] button[type=submit]`)
				typeAt(t, off, "#ticket", strings.ToLower(ticket))
				submitAt(t, off, `form[action$="/checkins"] button[type=submit]`)
				if !strings.Contains(off.Text(".notice"), ticket) {
					t.Fatalf("the check-in does not say who arrived: %q", off.Text(".notice"))
				}
				scan(off, "office-event-checked-in")
				js.Navigate(s.srv.URL + "/events/" + id)
				scan(js, "event-interviews")

				// The first employer (the person's second wish) says continue.
				emp := signIn(ownerEmail)
				emp.Navigate(s.srv.URL + "/employer/events")
				scan(emp, "employer-events")
				emp.Navigate(s.srv.URL + "/employer/events/" + id)
				scan(emp, "employer-event")
				submitAt(t, emp, `button[name=outcome][value=continue]`)
				scan(emp, "employer-event-recorded")
				var referred []match.Match
				for _, m := range s.svc.Matches.Of(me.by.UserID) {
					if m.EventID == id && m.State == match.Referred && m.NeedID == n1.ID {
						referred = append(referred, m)
					}
				}
				if len(referred) != 1 {
					t.Fatalf("matches after continue = %+v, want one referred on the first employer's need", s.svc.Matches.Of(me.by.UserID))
				}
			})
		}
	}
}
