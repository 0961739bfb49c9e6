package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/schedule"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// TestEventsRoundTrip: an event with everything that happened at it comes
// back whole, and a write on a stale version is refused.
func TestEventsRoundTrip(t *testing.T) {
	ctx := context.Background()
	x := storetest.Open(t).Events()
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	e := event.Event{ID: "e1", Name: event.Text{BG: "Ден", EN: "Day"}, Date: "2027-03-02", Starts: "09:00", Ends: "12:00",
		Municipality: "Русе", Location: "Зала 1", Sectors: []string{"healthcare"}, Capacity: 10, InterviewMinutes: 15,
		Slots: 4, PerPersonLimit: 2, CreatedBy: "o1", CreatedAt: at, Version: 1}
	if err := x.InsertEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	next := e
	next.Employers = []event.Participant{{EmployerID: "emp", NeedIDs: []string{"n1"}, Tables: 2, JoinedBy: "u1", At: at}}
	next.Registrations = []event.Registration{{ProfileID: "p1", Wishes: []string{"emp"}, By: "p1", Ticket: "ABCDEFGHJK", At: at, CheckedInAt: &at}}
	next.Invitations = []event.Invitation{{ProfileID: "p1", By: "o1", At: at}}
	next.Schedule = &event.Schedule{At: at, Interviews: []event.Interview{{N: 1, Slot: 1, StartsAt: at, EmployerID: "emp", Table: 1, ProfileID: "p1", NeedID: "n1", Outcome: "no"}},
		Unscheduled: []event.Unscheduled{}, Stats: schedule.Stats{Interviews: 1, Covered: 1, People: 1, Fit: 900, SlotsUsed: 1}}
	next.Version = 2
	if ok, err := x.UpdateEvent(ctx, next, 1); err != nil || !ok {
		t.Fatalf("update = %v, %v", ok, err)
	}
	if ok, err := x.UpdateEvent(ctx, next, 1); err != nil || ok {
		t.Fatalf("update on a stale version = %v, %v, want refused", ok, err)
	}
	var got []event.Event
	if err := x.EventsAfter(ctx, -1, func(e event.Event, _ int64) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("events = %d, want 1", len(got))
	}
	got[0].CreatedAt = got[0].CreatedAt.UTC()
	if !reflect.DeepEqual(got[0], next) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got[0], next)
	}
}
