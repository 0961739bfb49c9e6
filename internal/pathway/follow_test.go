package pathway_test

import (
	"context"
	"testing"
)

// Two replicas' pathway services on one store: the pathway A creates, the
// people A enrols, and A's forgetting one of them (an erasure) all reach
// B's cohort board at B's next poll.
func TestPollingReplicaFollowsAnothersPathways(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	b := newService(e.st, e.st.Participants(), e.clock)
	if err := b.Load(ctx); err != nil {
		t.Fatal(err)
	}
	poll := func(want int) {
		t.Helper()
		if n, err := b.Poll(ctx); err != nil || n != want {
			t.Fatalf("B.Poll = %d, %v; want %d", n, err, want)
		}
	}
	var pathwayID string
	cohort := func() []string {
		t.Helper()
		ps, err := b.Cohort(ctx, officer, pathwayID)
		if err != nil {
			t.Fatalf("B.Cohort = %v", err)
		}
		var ids []string
		for _, p := range ps {
			ids = append(ids, p.ProfileID+":"+p.Status)
		}
		return ids
	}
	pw := e.active(t) // A creates the pathway and enrols u1
	pathwayID = pw.ID
	if _, err := b.Get(ctx, pw.ID); err == nil {
		t.Fatal("B knows the pathway before polling: the test must see the poll work")
	}
	poll(2)
	if got := cohort(); len(got) != 1 || got[0] != "u1:"+mustStatus(t, e, pw.ID) {
		t.Fatalf("B's cohort after polling = %v", got)
	}
	e.profile(t, "u2")
	if _, err := e.svc.Enrol(ctx, officer, pw.ID, "u2"); err != nil {
		t.Fatal(err)
	}
	poll(1)
	if got := cohort(); len(got) != 2 {
		t.Fatalf("B's cohort after A enrolled u2 = %v, want two", got)
	}
	if err := e.svc.Forget(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	poll(1)
	if got := cohort(); len(got) != 1 || got[0][:3] != "u2:" {
		t.Fatalf("B's cohort after A forgot u1 = %v, want u2 alone", got)
	}
	poll(0)
}

// mustStatus is u1's status on the pathway as A holds it.
func mustStatus(t *testing.T, e *env, pathwayID string) string {
	t.Helper()
	ps, err := e.svc.Cohort(context.Background(), officer, pathwayID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("A's cohort = %+v, %v", ps, err)
	}
	return ps[0].Status
}
