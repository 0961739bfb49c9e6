package match_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// Two replicas' match services on one store: what A writes, B holds after
// its next poll — a new match and each move of it — and a poll with
// nothing new changes nothing.
func TestPollingReplicaFollowsAnothersMatches(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	a := match.NewService(st.Matches(), nil, st.Employers(), st.Profiles(), c.now)
	b := match.NewService(st.Matches(), nil, st.Employers(), st.Profiles(), c.now)
	for _, s := range []*match.Service{a, b} {
		if err := s.Load(ctx); err != nil {
			t.Fatal(err)
		}
	}
	poll := func(want int) {
		t.Helper()
		if n, err := b.Poll(ctx); err != nil || n != want {
			t.Fatalf("B.Poll = %d, %v; want %d", n, err, want)
		}
	}
	p := profile.Profile{ID: "p1", BirthDate: "1990-05"}
	if _, err := st.Profiles().InsertProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	need := register.Need{ID: "n1", EmployerID: "e1", Kind: register.KindJob, StartDate: "2027-01-15", Status: register.StatusOpen}
	m, err := a.Propose(ctx, officer, need, p, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.All()) != 0 {
		t.Fatal("B holds the match before polling: the test must see the poll work")
	}
	poll(1)
	if got := b.All(); len(got) != 1 || got[0].ID != m.ID || got[0].State != match.Proposed {
		t.Fatalf("B after polling: %+v, want the proposed match", got)
	}
	poll(0)
	moved, err := a.Transition(ctx, officer, m.ID, match.Referred, "", "")
	if err != nil {
		t.Fatal(err)
	}
	poll(1)
	if got := b.All(); len(got) != 1 || got[0].State != match.Referred || got[0].Version != moved.Version {
		t.Fatalf("B after A referred: %+v, want state referred at version %d", got, moved.Version)
	}
}
