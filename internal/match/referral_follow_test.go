package match_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// A replica's referral requests follow what another replica stores: a new
// request and its decision, each at the next poll.
func TestPollingReplicaFollowsAnothersReferralRequests(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	b := match.NewReferrals(st.Referrals(), nil, nil, c.now)
	if err := b.Load(ctx); err != nil {
		t.Fatal(err)
	}
	poll := func(want int) {
		t.Helper()
		if n, err := b.Poll(ctx); err != nil || n != want {
			t.Fatalf("Poll = %d, %v; want %d", n, err, want)
		}
	}
	r := match.Request{ID: match.RequestID("n1", "p1"), NeedID: "n1", EmployerID: "e1", ProfileID: "p1",
		State: match.RequestPending, CreatedAt: c.now(), UpdatedAt: c.now(), Version: 1}
	if err := st.Referrals().InsertRequest(ctx, r); err != nil { // another replica's employer asks
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, officer, r.ID); err == nil {
		t.Fatal("B holds the request before polling: the test must see the poll work")
	}
	poll(1)
	decided := r
	decided.State, decided.Reason, decided.Version = match.RequestDeclined, "moved away", 2
	if ok, err := st.Referrals().UpdateRequest(ctx, decided, 1); err != nil || !ok {
		t.Fatalf("UpdateRequest = %v, %v", ok, err)
	}
	poll(1)
	poll(0)
	if got, err := b.Get(ctx, officer, r.ID); err != nil || got.State != match.RequestDeclined {
		t.Fatalf("B.Get = %+v, %v; want the declined request", got, err)
	}
}
