package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/register"
)

// ownerEmail is the address of the owner of the employer the last s.need
// made.
func ownerEmail() string { return "owner" + strings.Repeat("x", nextEIK) + "@example.bg" }

// needWithOwner makes a need (see s.need) and signs its owner in.
func (s *site) needWithOwner(title string, verified bool) (register.Need, *browser) {
	s.t.Helper()
	n := s.need(title, verified)
	b := s.browser()
	b.signIn(ownerEmail())
	return n, b
}

// TestEventJoinPage: a verified employer joins an event from its page
// with the open needs it ticks and its tables; nothing ticked and no
// tables are shown on their inputs; an unverified employer is told why it
// cannot join and is refused if it posts anyway.
func TestEventJoinPage(t *testing.T) {
	s := newSite(t)
	n, boss := s.needWithOwner("Медицинска сестра", true)
	day := s.careerDay()
	path := "/employer/events/" + day.ID
	if p := s.browser().get(path); p.Status != http.StatusSeeOther {
		t.Errorf("a visitor's %s = %d, want 303 to sign in", path, p.Status)
	}
	p := boss.get(path)
	if p.Status != 200 || !strings.Contains(p.Body, `action="`+path+`/participation"`) || !strings.Contains(p.Body, `value="`+n.ID+`"`) {
		t.Fatalf("%s = %d, want the join form with the open need", path, p.Status)
	}
	if p := boss.get("/events/" + day.ID); !strings.Contains(p.Body, `href="`+path+`#join"`) {
		t.Error("the public page does not lead the employer to joining")
	}
	bad := boss.submit(path, path+"/participation", url.Values{"tables": {"0"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `href="#need-1"`) || !strings.Contains(bad.Body, `href="#tables"`) ||
		!strings.Contains(bad.Body, "от 1 до 20") {
		t.Fatalf("join with nothing = %d, want errors on the needs and the tables", bad.Status)
	}
	ok := boss.submit(path, path+"/participation", url.Values{"tables": {"2"}, "needIds": {n.ID}})
	if ok.Status != http.StatusSeeOther {
		t.Fatalf("join = %d %s, want 303", ok.Status, ok.Body)
	}
	e, err := s.svc.Events.Get(auth.Principal{UserID: "o", Role: auth.RoleOfficer}, day.ID)
	if err != nil || len(e.Employers) != 1 || e.Employers[0].EmployerID != n.EmployerID || e.Employers[0].Tables != 2 ||
		len(e.Employers[0].NeedIDs) != 1 || e.Employers[0].NeedIDs[0] != n.ID {
		t.Fatalf("event employers = %+v, %v; want the employer with its need and 2 tables", e.Employers, err)
	}
	if p := boss.get(path); !strings.Contains(p.Body, "Участвате с 2 маси") || !strings.Contains(p.Body, "checked") {
		t.Error("the page does not say the employer takes part with its tables and need")
	}

	_, waiting := s.needWithOwner("Санитар", false)
	p = waiting.get(path)
	if p.Status != 200 || strings.Contains(p.Body, "/participation") || !strings.Contains(p.Body, "проверява всяка организация") {
		t.Fatalf("an unverified employer's page = %d, want why it cannot join and no form", p.Status)
	}
	refused := waiting.submit(path, path+"/participation", url.Values{"tables": {"1"}, "needIds": {n.ID}})
	if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, "Само потвърдени") {
		t.Fatalf("an unverified employer's join = %d, want the refusal in words", refused.Status)
	}
}

// TestEventWalkInPage: once the schedule is made, the officer registers
// and checks in a person who came without registering, by their profile's
// number, and they get an interview in a free cell; an unknown number is
// shown on the input; entering a new person in person comes back to the
// door with the number filled.
func TestEventWalkInPage(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	n := s.need("Медицинска сестра", true)
	day := s.careerDay(n.ID)
	first, walkIn := s.seeker("first@example.bg"), s.seeker("walkin@example.bg")
	for _, who := range []auth.Principal{first.by, walkIn.by} {
		s.profileFor(who, "1998-04-02", n.Skills[0].ID)
	}
	if _, err := s.svc.Events.RegisterSelf(ctx, first.by, day.ID, nil); err != nil {
		t.Fatal(err)
	}
	off, _ := s.staff(auth.RoleOfficer, "door@labour.example.bg")
	path := "/office/events/" + day.ID
	if p := off.submit(path, path+"/schedule", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("make the schedule = %d", p.Status)
	}
	unknown := off.submit(path, path+"/walkins", url.Values{"person": {"no-such-person"}})
	if unknown.Status != http.StatusUnprocessableEntity || !strings.Contains(unknown.Body, `href="#person"`) || !strings.Contains(unknown.Body, "Няма профил") {
		t.Fatalf("an unknown walk-in = %d, want the error on the profile number", unknown.Status)
	}
	p := off.submit(path, path+"/walkins", url.Values{"person": {walkIn.by.UserID}})
	if p.Status != 200 || !strings.Contains(p.Body, "Пристигна") || !strings.Contains(p.Body, "Интервю в час") {
		t.Fatalf("walk-in = %d, want who arrived and their interview", p.Status)
	}
	e, _ := s.svc.Events.Get(auth.Principal{UserID: "o", Role: auth.RoleOfficer}, day.ID)
	var came, interview bool
	for _, r := range e.Registrations {
		came = came || (r.ProfileID == walkIn.by.UserID && r.CheckedInAt != nil)
	}
	for _, iv := range e.Schedule.Interviews {
		interview = interview || iv.ProfileID == walkIn.by.UserID
	}
	if !came || !interview {
		t.Fatalf("walk-in checked in %v, interviewed %v; want both", came, interview)
	}
	if p := off.get("/office/people/new?event=" + day.ID); !strings.Contains(p.Body, `name="event" value="`+day.ID+`"`) {
		t.Error("the in-person form does not carry the event back")
	}
	if p := off.get(path + "?walkin=P-1"); !strings.Contains(p.Body, `value="P-1"`) {
		t.Error("coming back from the in-person form does not fill the walk-in's number")
	}
}
