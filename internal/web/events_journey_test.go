package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/notify/smtpmail"
	"github.com/careget/skillsmatch/internal/notify/smtptest"
	"github.com/chromedp/chromedp"
)

// TestCareerDayJourney is issue 12's journey in Chromium, through the pages,
// in four browser contexts (one with scripts off) and each language of the
// job-seeker: an officer creates an event (first with a mistake); two
// verified employers join it from their own pages with the needs they bring
// and their tables; the office invites the people who fit; a job-seeker
// registers on the page with ranked wishes (another through the service); a
// person who came without registering is entered in person and checked in at
// the door; the office makes the schedule and checks the job-seeker in by
// opening the address their ticket's QR code holds; the first employer says
// "continue", and the match is in the employer's workspace and the office's
// matches, the job-seeker's badge and inbox tell of it, and a mail in their
// language with a link back arrives at a real SMTP server.
func TestCareerDayJourney(t *testing.T) {
	for _, lang := range []string{"bg", "en"} {
		t.Run(lang, func(t *testing.T) { careerDayJourney(t, lang) })
	}
}

// dayWords are what the journey reads on the pages, in each language.
var dayWords = map[string]struct{ joined, personSaved, arrived, referral, subject string }{
	"bg": {"Организацията ви участва", "Профилът на човека е записан", "Пристигна", "Бюрото по труда насочи", "Ново насочване"},
	"en": {"Your organisation takes part", "The person's profile is saved", "Arrived", "The labour office referred", "New referral"},
}

func careerDayJourney(t *testing.T, lang string) {
	s := newSite(t)
	ctx := context.Background()
	base := s.srv.URL
	words := dayWords[lang]
	s.svc.Notify.Configure(base, slog.New(slog.DiscardHandler))
	box, addr := smtptest.Serve(t, "127.0.0.1:0")
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}

	n1 := s.need("Медицинска сестра", true)
	owner1 := ownerEmail()
	n2 := s.need("Санитар", true)
	owner2 := ownerEmail()
	ana := s.seekerIn("ana-"+lang+"@example.bg", lang)
	boris := s.seekerIn("boris-"+lang+"@example.bg", "bg")
	for _, who := range []auth.Principal{ana, boris} {
		s.profileFor(who, "1998-04-02", n1.Skills[0].ID) // both needs ask for this skill
	}
	s.staff(auth.RoleOfficer, "day-officer@labour.example.bg")
	shot := func(p *browsertest.Page, name string) { p.Screenshot("day-" + name + "-" + lang) }

	// 1. The officer creates the event; without a name first.
	off := signInAs(t, s, browsertest.Desktop, "day-officer@labour.example.bg", lang)
	id := createEventInBrowser(t, s, off)
	shot(off, "1-office-created")

	// 2. Both employers join from their own pages: the first from the
	// public page, the second from its workspace's list of events.
	emp1 := signInAs(t, s, browsertest.Desktop, owner1, lang)
	emp1.Navigate(base + "/events/" + id)
	submitAt(t, emp1, `a[href$="#join"]`)
	joinInBrowser(t, emp1, n1.ID, words.joined)
	shot(emp1, "2-employer1-joined")
	emp2 := newVisitor(t, browsertest.Options{Viewport: browsertest.Mobile, NoJS: true}) // the join needs no script
	emp2.Navigate(base + "/login?lang=" + lang)
	typeAt(t, emp2, "#email", owner2)
	typeAt(t, emp2, "#password", password)
	submitAt(t, emp2, `form[action="/login"] button[type=submit]`)
	emp2.Navigate(base + "/employer/events")
	submitAt(t, emp2, `a[href="/employer/events/`+id+`"]`)
	joinInBrowser(t, emp2, n2.ID, words.joined)
	shot(emp2, "2-employer2-joined")
	if e, _ := s.svc.Events.Get(officer, id); len(e.Employers) != 2 {
		t.Fatalf("employers after joining = %+v, want both", e.Employers)
	}

	// 3. The office invites those who fit.
	off.Navigate(base + "/office/events/" + id)
	submitAt(t, off, `form[action$="/invitations"] button[type=submit]`)
	if e, _ := s.svc.Events.Get(officer, id); !e.Invited(ana.UserID) || !e.Invited(boris.UserID) {
		t.Fatalf("invitations = %+v, want both people who fit", e.Invitations)
	}
	shot(off, "3-office-invited")

	// 4. Ana registers on the page, the second employer first; Boris
	// through the service.
	js := signInAs(t, s, browsertest.Mobile, "ana-"+lang+"@example.bg", lang)
	js.Navigate(base + "/events/" + id)
	setValue(t, js, "#wish1", n2.EmployerID)
	setValue(t, js, "#wish2", n1.EmployerID)
	submitAt(t, js, `form[action$="/registration"] button[type=submit]`)
	ticket := strings.TrimSpace(js.Text("strong.ticket"))
	if ticket == "" {
		t.Fatal("no ticket after registering")
	}
	shot(js, "4-jobseeker-registered")
	if _, err := s.svc.Events.RegisterSelf(ctx, boris, id, []string{n1.EmployerID}); err != nil {
		t.Fatal(err)
	}

	// 5. The office makes the schedule; a person who did not register is
	// entered in person and checked in at the door.
	off.Navigate(base + "/office/events/" + id)
	submitAt(t, off, `form[action$="/schedule"] button[type=submit]`)
	shot(off, "5-office-scheduled")
	submitAt(t, off, `a[href="/office/people/new?event=`+id+`"]`)
	fillWalkIn(t, off, "Иван Колев")
	submitAt(t, off, `button[name=action][value=save]`)
	wantText(t, off, ".notice", words.personSaved)
	if v := eval[string](t, off, `document.querySelector("#person").value`); v == "" {
		t.Fatalf("back at the door (%s) the walk-in's number is not filled", off.URL())
	}
	submitAt(t, off, `form[action$="/walkins"] button[type=submit]`)
	wantText(t, off, ".notice", words.arrived)
	shot(off, "5-office-walkin")

	// 6. Ana's ticket: its QR code is the office's check-in address. The
	// image the page shows is byte for byte the QR code (rsc.io/qr, the
	// one encoder) of that address; the officer's phone opens it.
	js.Navigate(base + "/events/" + id)
	checkIn := base + "/office/events/" + id + "?ticket=" + ticket
	if got, want := ticketImage(t, js), ticketPNG(t, checkIn); !bytes.Equal(got, want) {
		t.Fatalf("the ticket's QR code (%d bytes) is not that of %s (%d bytes)", len(got), checkIn, len(want))
	}
	shot(js, "6-jobseeker-ticket")
	off.Navigate(checkIn)
	submitAt(t, off, `form[action$="/checkins"] button[type=submit]`)
	wantText(t, off, ".notice", ticket)
	shot(off, "6-office-checked-in")

	// 7. The first employer says "continue" to Ana.
	n := interviewOf(t, s, id, ana.UserID, n1.EmployerID)
	emp1.Navigate(base + "/employer/events/" + id)
	submitAt(t, emp1, fmt.Sprintf(`#interview-%d button[name=outcome][value=continue]`, n))
	shot(emp1, "7-employer-continue")
	m := referredOn(t, s, ana.UserID, id, n1.ID)

	// 8. The match is in the employer's workspace and the office's matches.
	emp1.Navigate(base + "/employer/needs/" + n1.ID + "/candidates")
	if !emp1.Has("#match-" + m.ID) {
		t.Errorf("the employer's workspace does not show the match %s", m.ID)
	}
	shot(emp1, "8-employer-workspace")
	off.Navigate(base + "/office/matches")
	if !off.Has(`a[href="/office/matches/` + m.ID + `"]`) {
		t.Errorf("the office's matches do not show the match %s", m.ID)
	}
	shot(off, "8-office-matches")

	// 9. Ana's badge and inbox, and her mail, in her language.
	js.Navigate(base + "/events/" + id)
	if !js.Has(".badge") {
		t.Error("the job-seeker has no unread badge")
	}
	sendMail(t, s, addr)
	got, ok := box.Find("ana-"+lang+"@example.bg", words.subject)
	link := base + "/me/notifications?lang=" + lang
	if !ok || !strings.Contains(got.Body, words.referral) || !strings.Contains(got.Body, link) {
		t.Fatalf("the referral's mail to Ana = %+v (found %v), want %q, %q and the link %s; all: %v", got, ok, words.subject, words.referral, link, box.All())
	}
	js.Navigate(link)
	wantText(t, js, "main", words.referral)
	shot(js, "9-jobseeker-inbox")
}

// seekerIn registers a job-seeker whose account speaks lang.
func (s *site) seekerIn(email, lang string) auth.Principal {
	s.t.Helper()
	u, err := s.svc.Auth.Register(context.Background(), auth.NewAccount{Email: email, Password: password, Name: "Ана", Locale: lang,
		Role: auth.RoleJobseeker})
	if err != nil {
		s.t.Fatal(err)
	}
	return auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker}
}

// createEventInBrowser fills the office's form for a day a week ahead,
// first without the Bulgarian name, and returns the new event's id.
func createEventInBrowser(t *testing.T, s *site, off *browsertest.Page) string {
	t.Helper()
	off.Navigate(s.srv.URL + "/office/events")
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
	setValue(t, off, "#name-bg", "Ден на кариерата Хасково")
	submitAt(t, off, `form[action="/office/events"] button[type=submit]`)
	id := strings.TrimPrefix(strings.SplitN(off.URL(), "?", 2)[0], s.srv.URL+"/office/events/")
	if id == "" || strings.Contains(id, "/") {
		t.Fatalf("after creating, the officer is at %s, want the event's page", off.URL())
	}
	return id
}

// joinInBrowser ticks the need on the employer's event page, sets one
// table and joins.
func joinInBrowser(t *testing.T, p *browsertest.Page, needID, joined string) {
	t.Helper()
	tick(t, p, `input[name=needIds][value="`+needID+`"]`, "")
	setValue(t, p, "#tables", "1")
	submitAt(t, p, `form[action$="/participation"] button[type=submit]`)
	wantText(t, p, ".notice", joined)
}

// ticketImage is the ticket's PNG as the job-seeker's browser loads it.
func ticketImage(t *testing.T, p *browsertest.Page) []byte {
	t.Helper()
	var b64 string
	act(t, p, "load the ticket's image", func(ctx context.Context) (err error) {
		b64, err = chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('img[src$="/ticket.png"]').src)
			.then(r => r.arrayBuffer()).then(b => btoa(String.fromCharCode(...new Uint8Array(b))))`, chromedp.EvalAwaitPromise))
		return err
	})
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return png
}

func ticketPNG(t *testing.T, content string) []byte {
	t.Helper()
	png, err := event.TicketPNG(content)
	if err != nil {
		t.Fatal(err)
	}
	return png
}

// interviewOf is the number of the person's interview at the employer.
func interviewOf(t *testing.T, s *site, id, profileID, employerID string) int {
	t.Helper()
	e, err := s.svc.Events.Get(auth.Principal{UserID: "officer", Role: auth.RoleOfficer}, id)
	if err != nil || e.Schedule == nil {
		t.Fatalf("event %s: %v, schedule %v", id, err, e.Schedule)
	}
	for _, iv := range e.Schedule.Interviews {
		if iv.ProfileID == profileID && iv.EmployerID == employerID {
			return iv.N
		}
	}
	t.Fatalf("no interview of %s at %s in %+v", profileID, employerID, e.Schedule.Interviews)
	return 0
}

// referredOn is the person's one referred match from the event on the need.
func referredOn(t *testing.T, s *site, profileID, eventID, needID string) match.Match {
	t.Helper()
	var out []match.Match
	for _, m := range s.svc.Matches.Of(profileID) {
		if m.EventID == eventID && m.State == match.Referred && m.NeedID == needID {
			out = append(out, m)
		}
	}
	if len(out) != 1 {
		t.Fatalf("matches after continue = %+v, want one referred on need %s", s.svc.Matches.Of(profileID), needID)
	}
	return out[0]
}

// sendMail runs the outbox's sender once against the SMTP server at addr,
// as the product's "mail" job does.
func sendMail(t *testing.T, s *site, addr string) {
	t.Helper()
	m, err := smtpmail.New("smtp://"+addr+"?tls=none", "noreply@skillsmatch.test")
	if err != nil {
		t.Fatal(err)
	}
	if err := notify.NewSender(s.svc.Notify, m, "skillsmatch.test").Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
