package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/failure"
)

// careerDay makes an event a week ahead with the employers of needs
// joined (officers may bring any verified employer).
func (s *site) careerDay(employers ...string) event.Event {
	s.t.Helper()
	ctx := context.Background()
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	e, err := s.svc.Events.Create(ctx, officer, event.Event{
		Name:        event.Text{BG: "Ден на кариерата Хасково", EN: "Haskovo Career Day"},
		Description: event.Text{BG: "Срещи с болници и домове за грижа.", EN: "Meet hospitals and care homes."},
		Date:        s.clock.Now().AddDate(0, 0, 7).Format(time.DateOnly), Starts: "09:00", Ends: "13:00",
		Municipality: "Хасково", Location: "Дом на културата", Sectors: []string{"healthcare"},
		Capacity: 100, InterviewMinutes: 15, Slots: 8})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, needID := range employers {
		n, err := s.svc.Register.Need(ctx, officer, needID)
		if err != nil {
			s.t.Fatal(err)
		}
		if _, err := s.svc.Events.Join(ctx, officer, e.ID, n.EmployerID, []string{n.ID}, 1); err != nil {
			s.t.Fatal(err)
		}
	}
	return e
}

// jsonLD decodes the page's JSON-LD script.
func jsonLD(t *testing.T, body string) map[string]any {
	t.Helper()
	_, rest, ok := strings.Cut(body, `<script type="application/ld+json">`)
	script, _, ok2 := strings.Cut(rest, "</script>")
	if !ok || !ok2 {
		t.Fatal("the page has no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(script), &ld); err != nil {
		t.Fatalf("JSON-LD %s: %v", script, err)
	}
	return ld
}

func TestEventPages(t *testing.T) {
	s := newSite(t)
	n := s.need("Медицинска сестра", true)
	day := s.careerDay(n.ID)
	b := s.browser()
	if p := b.get("/events"); p.Status != 200 || !strings.Contains(p.Body, `href="/events/`+day.ID+`"`) || !strings.Contains(p.Body, "Ден на кариерата Хасково") {
		t.Fatalf("/events = %d, want the event linked in Bulgarian", p.Status)
	}
	if p := b.get("/events?lang=en"); !strings.Contains(p.Body, "Haskovo Career Day") {
		t.Error("/events in English lacks the English name")
	}
	p := b.get("/events/" + day.ID + "?lang=bg")
	if p.Status != 200 || !strings.Contains(p.Body, "МБАЛ Хасково") || !strings.Contains(p.Body, `/login?next=/events/`+day.ID) {
		t.Fatalf("/events/{id} = %d, want the employer and a sign-in link", p.Status)
	}
	ld := jsonLD(t, p.Body)
	loc, _ := ld["location"].(map[string]any)
	addr, _ := loc["address"].(map[string]any)
	if ld["@type"] != "Event" || ld["name"] != "Ден на кариерата Хасково" || addr["addressLocality"] != "Хасково" ||
		!strings.HasPrefix(ld["startDate"].(string), day.Date+"T09:00:00+0") {
		t.Errorf("JSON-LD = %v, want an Event at 09:00 Sofia time in Haskovo", ld)
	}
	if p := b.get("/events/no-such-event"); p.Status != 404 {
		t.Errorf("/events/no-such-event = %d, want 404", p.Status)
	}
	if p := b.get("/events/" + day.ID + "/ticket.png"); p.Status != http.StatusSeeOther {
		t.Errorf("a visitor's ticket = %d, want 303 to sign in", p.Status)
	}
	// An officer is led to the event's management, an employer to its tables.
	if _, err := s.svc.Auth.CreateStaff(context.Background(), auth.NewAccount{Email: "desk@labour.example.bg", Password: password,
		Role: auth.RoleOfficer, Name: "Служител"}); err != nil {
		t.Fatal(err)
	}
	off := s.browser()
	off.signIn("desk@labour.example.bg")
	if p := off.get("/events/" + day.ID); !strings.Contains(p.Body, `href="/office/events/`+day.ID+`"`) {
		t.Error("the officer's event page has no link to its management")
	}
	if p := off.get("/office/events/" + day.ID + "?ticket=TK-42"); p.Status != 200 || !strings.Contains(p.Body, `action="/office/events/`+day.ID+`/checkins"`) ||
		!strings.Contains(p.Body, `value="TK-42"`) {
		t.Errorf("/office/events/{id}?ticket= (a ticket's QR code) = %d, want the check-in form filled with the ticket", p.Status)
	}
	if p := b.get("/office/events"); p.Status != http.StatusSeeOther {
		t.Errorf("a visitor's /office/events = %d, want 303 to sign in", p.Status)
	}
}

// TestEventRegistration: a job-seeker ranks the employers, a wish named
// twice is shown on its select, and once registered the page shows the
// ticket and its QR code.
func TestEventRegistration(t *testing.T) {
	s := newSite(t)
	n := s.need("Медицинска сестра", true)
	day := s.careerDay(n.ID)
	me := s.seeker("day@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
	path := "/events/" + day.ID
	if p := me.b.get(path); !strings.Contains(p.Body, `action="`+path+`/registration"`) {
		t.Fatal("the job-seeker gets no registration form")
	}
	twice := me.b.submit(path, path+"/registration", url.Values{"wish1": {n.EmployerID}, "wish2": {n.EmployerID}})
	if twice.Status != http.StatusUnprocessableEntity || !strings.Contains(twice.Body, `href="#wish2"`) || !strings.Contains(twice.Body, "избран два пъти") {
		t.Fatalf("a wish named twice = %d, want the error on wish2", twice.Status)
	}
	if p := me.b.submit(path, path+"/registration", url.Values{"wish1": {n.EmployerID}}); p.Status != http.StatusSeeOther {
		t.Fatalf("register = %d, want 303", p.Status)
	}
	r, err := s.svc.Events.Ticket(me.by, day.ID)
	if err != nil || len(r.Wishes) != 1 || r.Wishes[0] != n.EmployerID {
		t.Fatalf("registration = %+v, %v, want the one wish", r, err)
	}
	if p := me.b.get(path); !strings.Contains(p.Body, r.Ticket) || !strings.Contains(p.Body, path+"/ticket.png") {
		t.Fatal("the registered job-seeker's page lacks the ticket")
	}
	if p := me.b.get(path + "/ticket.png"); p.Status != 200 || p.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(p.Body, "\x89PNG") {
		t.Fatalf("ticket.png = %d %s", p.Status, p.Header.Get("Content-Type"))
	}
}

// TestEventUndoOnlyTheSameDay: an officer's undo of a continue works on
// the day it was recorded and is refused the day after, on the injected
// clock.
func TestEventUndoOnlyTheSameDay(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	n := s.need("Медицинска сестра", true)
	day := s.careerDay(n.ID)
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	for i := range 2 {
		me := s.seeker(fmt.Sprintf("undo%d@example.bg", i))
		s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
		if _, err := s.svc.Events.RegisterSelf(ctx, me.by, day.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	e, err := s.svc.Events.MakeSchedule(ctx, officer, day.ID)
	if err != nil || len(e.Schedule.Interviews) != 2 {
		t.Fatalf("schedule = %+v, %v, want both people's interviews", e.Schedule, err)
	}
	if _, err := s.svc.Events.Outcome(ctx, officer, day.ID, 1, event.OutcomeContinue); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Events.Outcome(ctx, officer, day.ID, 2, event.OutcomeContinue); err != nil {
		t.Fatal(err)
	}
	if iv, err := s.svc.Events.Outcome(ctx, officer, day.ID, 1, event.OutcomeUndo); err != nil || iv.Outcome != "" {
		t.Fatalf("undo the same day = %+v, %v, want the outcome gone", iv, err)
	}
	s.clock.Add(24 * time.Hour)
	_, err = s.svc.Events.Outcome(ctx, officer, day.ID, 2, event.OutcomeUndo)
	if fe, ok := failure.As(err); !ok || fe.Code != "undo_too_late" {
		t.Fatalf("undo the next day = %v, want undo_too_late", err)
	}
}
