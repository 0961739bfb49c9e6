package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/store/storetest"
)

// TestCardReadCountsAreAtomicAndDaily: racing increments of a day's
// counters lose none and repeat none; another day counts afresh; past
// days can be forgotten without touching today's.
func TestCardReadCountsAreAtomicAndDaily(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	c := st.CardReads()
	const n = 40
	var mu sync.Mutex
	var needs, employers []int64
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.CountReads(ctx, "2026-12-06", "need/n1", "employer/e1")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			needs, employers = append(needs, got[0]), append(employers, got[1])
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(needs)
	slices.Sort(employers)
	for i := range n {
		if needs[i] != int64(i+1) || employers[i] != int64(i+1) {
			t.Fatalf("racing counts: need %v, employer %v; want 1..%d each once", needs, employers, n)
		}
	}
	if got, err := c.CountReads(ctx, "2026-12-07", "need/n1"); err != nil || got[0] != 1 {
		t.Fatalf("next day's first count = %v, %v; want 1", got, err)
	}
	if removed, err := c.ForgetBefore(ctx, "2026-12-07"); err != nil || removed != 2 {
		t.Fatalf("ForgetBefore = %d, %v; want the 2 counters of 2026-12-06", removed, err)
	}
	if got, err := c.CountReads(ctx, "2026-12-07", "need/n1"); err != nil || got[0] != 2 {
		t.Errorf("today's count after forgetting yesterday = %v, %v; want 2", got, err)
	}
}
