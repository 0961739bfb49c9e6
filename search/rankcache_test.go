package search_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"

	"github.com/careget/skillsmatch/search/eval"
)

// B keeps a need's ranking in its cache; what A writes reaches B only by
// polling, and must leave B's cached ranking at that poll: an erasure, a
// withdrawn consent, a new candidate.
func TestCachedRankingFollowsPolledWrites(t *testing.T) {
	ctx := context.Background()
	r := twoReplicas(t)
	st, b, profiles := r.st, r.b, r.profiles
	need := r.seed(t)
	ranked := func(step string, want ...string) {
		t.Helper()
		if _, err := b.Register().Poll(ctx, st.Source()); err != nil {
			t.Fatalf("Poll = %v", err)
		}
		for range 2 { // the second is the cached one
			ms, err := b.CachedMatchCandidates(ctx, need, 10, "en")
			if err != nil {
				t.Fatalf("CachedMatchCandidates = %v", err)
			}
			if got := candidateIDs(ms); !slices.Equal(got, want) {
				t.Fatalf("%s: B ranks %v, want %v", step, got, want)
			}
		}
	}
	ranked("to begin with", "p1", "p2")

	if _, err := profiles.EraseProfile(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	ranked("after A erased p1", "p2")

	if _, err := profiles.InsertProfile(ctx, seeker("p3", 0, haskovo, 30, nursingPrinciples)); err != nil {
		t.Fatal(err)
	}
	ranked("after A stored another candidate", "p2", "p3")

	p2, err := profiles.Profile(ctx, "p2")
	if err != nil {
		t.Fatal(err)
	}
	p2.Consent = profile.Consent{}
	if _, err := profiles.UpdateProfile(ctx, p2); err != nil {
		t.Fatal(err)
	}
	ranked("after p2 withdrew consent on A", "p3")
}

// Rankings asked while profiles are written and erased: once the writes
// are done, the cached ranking is the one ranked afresh — no entry made
// from a state half-way through a write outlives it.
func TestCachedRankingUnderRacingWrites(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	n := careNeed("n1", 1, haskovo, nursingPrinciples)
	ix := openIndex(t, tx, &eval.Set{Needs: []register.Need{n}})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := ix.CachedMatchCandidates(ctx, n, 5, "en"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	seq := int64(10)
	for i := range 60 {
		seq++
		p := seeker(fmt.Sprintf("p%d", i%12), seq, haskovo, 30, nursingPrinciples)
		p.Skills[0].Level = 1 + i%4
		if err := ix.Register().ApplyProfile(p, i%5 == 4); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	// One more write with the last ranking cached: a0 sorts first among equals.
	if _, err := ix.CachedMatchCandidates(ctx, n, 5, "en"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Register().ApplyProfile(seeker("a0", seq+1, haskovo, 30, nursingPrinciples), false); err != nil {
		t.Fatal(err)
	}
	fresh, err := ix.MatchCandidates(ctx, n, 5, "en")
	if err != nil {
		t.Fatal(err)
	}
	cached, err := ix.CachedMatchCandidates(ctx, n, 5, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := candidateIDs(cached), candidateIDs(fresh); !slices.Equal(got, want) || want[0] != "a0" {
		t.Errorf("cached ranking after the writes = %v, ranked afresh = %v", got, want)
	}
}

// A cached ranking is the caller's: changing what it returned does not
// change what the next caller gets.
func TestCachedRankingIsACopy(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	n := careNeed("n1", 1, haskovo, nursingPrinciples)
	ix := openIndex(t, tx, &eval.Set{Needs: []register.Need{n}, Candidates: []profile.Profile{seeker("p1", 2, haskovo, 30, nursingPrinciples)}})
	first, err := ix.CachedMatchCandidates(ctx, n, 10, "en")
	if err != nil || len(first) != 1 || len(first[0].Explanation.Parts) == 0 {
		t.Fatalf("CachedMatchCandidates = %+v, %v; want p1 with an explanation", first, err)
	}
	want := first[0].Explanation.Parts[0]
	for range 2 {
		got, err := ix.CachedMatchCandidates(ctx, n, 10, "en")
		if err != nil || len(got) != 1 {
			t.Fatalf("CachedMatchCandidates = %+v, %v", got, err)
		}
		if got[0].Explanation.Parts[0] != want {
			t.Fatalf("cached explanation changed by a caller: %+v, want %+v", got[0].Explanation.Parts[0], want)
		}
		got[0].Explanation.Parts[0].Name = "changed"
	}
}

// BenchmarkCachedMatchCandidates asks for the candidates of the city's
// needs over and over, as employers refreshing their needs do: after the
// first round (not timed) every ranking is a cached one.
func BenchmarkCachedMatchCandidates(b *testing.B) {
	ix, set := cityIndex(b)
	ctx := context.Background()
	needs := set.Needs[:min(len(set.Needs), 500)]
	for i := range needs {
		if needs[i].Seq == 0 {
			needs[i].Seq = int64(i + 1) // a stored version to key it by
		}
	}
	for _, n := range needs { // the first round, ranked
		if _, err := ix.CachedMatchCandidates(ctx, n, 20, "bg"); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	cpu := cpuTime(b)
	for b.Loop() {
		if _, err := ix.CachedMatchCandidates(ctx, needs[i%len(needs)], 20, "bg"); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu)
}
