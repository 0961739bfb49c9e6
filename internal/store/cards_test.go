package store_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/store"
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

// TestCardReadOfNeedAndEmployerIsOneAtomicCount: racing reads of two needs
// of one employer count each need's reads and the employer's together,
// losing and repeating none, through two counters on one store (two
// replicas, each with its own group commit of the racing reads).
func TestCardReadOfNeedAndEmployerIsOneAtomicCount(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	replicas := []store.CardReads{st.CardReads(), st.CardReads()}
	c := replicas[0]
	const n = 40
	var mu sync.Mutex
	got := map[string][]int64{}
	var wg sync.WaitGroup
	for i := range n {
		need := []string{"n1", "n2"}[i%2]
		wg.Go(func() {
			needReads, employerReads, err := replicas[i%2].CountRead(ctx, "2026-12-06", "e1", need)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[need] = append(got[need], needReads)
			got["employer"] = append(got["employer"], employerReads)
			mu.Unlock()
		})
	}
	wg.Wait()
	// Each need was counted by one replica alone: 1..20. The employer's
	// count by both: 40 numbers, none twice, and none past what the two
	// could hold in reserve (16 each, cards_count.go's employerBlock).
	for name, want := range map[string]int{"n1": n / 2, "n2": n / 2} {
		vals := got[name]
		slices.Sort(vals)
		for i := range want {
			if len(vals) != want || vals[i] != int64(i+1) {
				t.Fatalf("racing counts of %s = %v, want 1..%d each once", name, vals, want)
			}
		}
	}
	employer := got["employer"]
	slices.Sort(employer)
	if len(slices.Compact(slices.Clone(employer))) != n || employer[0] < 1 || employer[n-1] > n+2*16 {
		t.Fatalf("racing counts of the employer = %v, want %d numbers, none twice, none above %d", employer, n, n+2*16)
	}
	// One replica alone hands its numbers out in order: its bound is exact.
	for i := range 30 {
		need := []string{"n1", "n2", "n1"}[i%3]
		needReads, employerReads, err := c.CountRead(ctx, "2026-12-07", "e1", need)
		wantNeed := int64(i/3*2 + 1 + min(i%3, 1))
		if need == "n2" {
			wantNeed = int64(i/3 + 1)
		}
		if err != nil || needReads != wantNeed || employerReads != int64(i+1) {
			t.Fatalf("next day's read %d of %s = %d, %d, %v; want %d, %d", i+1, need, needReads, employerReads, err, wantNeed, i+1)
		}
	}
	if _, _, err := c.CountRead(ctx, "2026-12-07", "e1", "n.1"); err == nil {
		t.Error("CountRead of a need id with a dot = nil error, want one (it would name a nested field)")
	}
}

// TestCardAuditGroupCommitKeepsEveryEntry: appends racing from many
// requests, of several employers, through two logs on one store (two
// replicas, or a restart, each with its own key blocks) are each stored
// once, under their employer, and read back oldest first.
func TestCardAuditGroupCommitKeepsEveryEntry(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	logs := []store.CardAudit{st.CardAudit(), st.CardAudit()}
	const n = 60
	base := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := candidate.Read{EmployerID: []string{"e1", "e2", "e3"}[i%3], ActorID: "a", ActorRole: auth.RoleOfficer,
				NeedID: "n", ProfileIDs: []string{"p"}, At: base.Add(time.Duration(i) * time.Second), RequestID: strconv.Itoa(i)}
			if err := logs[i%2].AppendRead(ctx, r); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, e := range []string{"e1", "e2", "e3"} {
		reads, err := logs[0].Reads(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if len(reads) != n/3 {
			t.Errorf("employer %s has %d entries, want %d", e, len(reads), n/3)
		}
		for i, r := range reads {
			if r.EmployerID != e || seen[r.RequestID] || (i > 0 && r.At.Before(reads[i-1].At)) {
				t.Errorf("entry %+v of %s: want its own employer, once, oldest first", r, e)
			}
			seen[r.RequestID] = true
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct entries stored, want %d", len(seen), n)
	}
}
