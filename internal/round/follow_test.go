package round_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/round"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// A replica's round service learns of the rounds another replica stores,
// and of each newer version, at its next poll; an older version never
// replaces a newer one.
func TestPollingReplicaFollowsAnothersRounds(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	now := func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
	b := round.NewService(st.Rounds(), nil, nil, nil, now)
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
	r := round.Round{ID: "r1", Name: "Internships", Status: "open", Version: 1, Preferences: map[string][]string{}, NeedRankings: map[string][]string{}}
	if err := st.Rounds().InsertRound(ctx, r); err != nil { // another replica creates it
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, officer, "r1"); err == nil {
		t.Fatal("B holds the round before polling: the test must see the poll work")
	}
	poll(1)
	if got, err := b.Get(ctx, officer, "r1"); err != nil || got.Name != "Internships" {
		t.Fatalf("B.Get after polling = %+v, %v", got, err)
	}
	next := r
	next.Name, next.Version = "Internships 2027", 2
	if ok, err := st.Rounds().UpdateRound(ctx, next, 1); err != nil || !ok {
		t.Fatalf("UpdateRound = %v, %v", ok, err)
	}
	poll(1)
	poll(0)
	if got, _ := b.Get(ctx, officer, "r1"); got.Name != "Internships 2027" || got.Version != 2 {
		t.Fatalf("B holds %q v%d, want the renamed round at version 2", got.Name, got.Version)
	}
}
