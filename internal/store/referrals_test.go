package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// TestReferralRequestsKeyAndVersion: on the real embedded store, a second
// request for the same need and person is a conflict (the key decides),
// officers deciding one request at once win once (compare-and-set on the
// version), a stale or missing request is not written, and the start-up
// scan reads the decision back.
func TestReferralRequestsKeyAndVersion(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	rs := s.Referrals()
	r := match.Request{ID: match.RequestID("n", "p"), NeedID: "n", ProfileID: "p", CandidateID: "c-1", State: match.RequestPending, Version: 1}
	if err := rs.InsertRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := rs.InsertRequest(ctx, r); !failure.Is(err, failure.Conflict) {
		t.Fatalf("a second InsertRequest of the pair = %v, want a conflict", err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := r
			next.State, next.Reason, next.Version = match.RequestDeclined, string(rune('a'+i)), 2
			ok, err := rs.UpdateRequest(ctx, next, 1)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d of 8 racing decisions won, want exactly 1", won)
	}
	if ok, err := rs.UpdateRequest(ctx, match.Request{ID: r.ID, Version: 2}, 1); err != nil || ok {
		t.Errorf("UpdateRequest(stale) = %v, %v, want false", ok, err)
	}
	if ok, err := rs.UpdateRequest(ctx, match.Request{ID: "missing", Version: 2}, 1); err != nil || ok {
		t.Errorf("UpdateRequest(missing) = %v, %v, want false", ok, err)
	}
	var all []match.Request
	if err := rs.RequestsAfter(ctx, -1, func(x match.Request, _ int64) error { all = append(all, x); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].State != match.RequestDeclined || all[0].Version != 2 || all[0].CandidateID != "c-1" || all[0].Reason == "" {
		t.Errorf("RequestsAfter(-1) = %+v, want the one request, declined at version 2", all)
	}
}
