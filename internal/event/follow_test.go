package event_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// A replica's Career & Skills Days follow what another replica stores: a
// new event and each newer version, at the next poll.
func TestPollingReplicaFollowsAnothersEvents(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	now := func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
	b := event.NewService(st.Events(), nil, nil, nil, now)
	if err := b.Load(ctx); err != nil {
		t.Fatal(err)
	}
	officer := auth.Principal{UserID: "o", Role: auth.RoleOfficer}
	poll := func(want int) {
		t.Helper()
		if n, err := b.Poll(ctx); err != nil || n != want {
			t.Fatalf("Poll = %d, %v; want %d", n, err, want)
		}
	}
	e := event.Event{ID: "ev1", Name: event.Text{BG: "Ден на кариерата", EN: "Career Day"}, Date: "2027-03-10",
		Starts: "10:00", Ends: "14:00", Municipality: "Хасково", Capacity: 100, InterviewMinutes: 10, Slots: 12,
		PerPersonLimit: 3, Version: 1}
	if err := st.Events().InsertEvent(ctx, e); err != nil { // another replica's officer creates it
		t.Fatal(err)
	}
	if _, err := b.Get(officer, "ev1"); err == nil {
		t.Fatal("B holds the event before polling: the test must see the poll work")
	}
	poll(1)
	moved := e
	moved.Location, moved.Version = "Младежки дом", 2
	if ok, err := st.Events().UpdateEvent(ctx, moved, 1); err != nil || !ok {
		t.Fatalf("UpdateEvent = %v, %v", ok, err)
	}
	poll(1)
	poll(0)
	if got, err := b.Get(officer, "ev1"); err != nil || got.Location != "Младежки дом" {
		t.Fatalf("B.Get = %+v, %v; want the moved event", got, err)
	}
}
