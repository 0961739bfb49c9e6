package search_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
)

// The public search keeps its answers until the needs index next changes
// (searchcache.go). Two replicas on one store: A writes through its
// followers, B learns of the writes only by polling. Each search is asked
// twice before every write, so that its answer is kept on both; after the
// write (and B's poll) both must answer as the index now says: a withdrawn
// need, a retitled one, an unverified employer's needs, a deleted one, and
// a need past its apply-by date are gone at once.
func TestKeptSearchesFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	r := twoReplicas(t)
	st, a, b, needs, employers := r.st, r.a, r.b, r.needs, r.employers
	const today = "2026-09-01"
	find := func(ix *search.Index, q search.NeedQuery) search.NeedResults {
		t.Helper()
		q.Page, q.PageSize = 1, 20
		if q.Today == "" {
			q.Today = today
		}
		var res search.NeedResults
		for range 2 { // the second answer is the kept one
			var err error
			if res, err = ix.SearchNeeds(ctx, q); err != nil {
				t.Fatalf("SearchNeeds(%+v) = %v", q, err)
			}
		}
		return res
	}
	ids := func(res search.NeedResults) []string {
		var out []string
		for _, n := range res.Needs {
			out = append(out, n.ID)
		}
		slices.Sort(out)
		return out
	}
	expect := func(what string, q search.NeedQuery, want ...string) {
		t.Helper()
		for name, ix := range map[string]*search.Index{"A": a, "B": b} {
			res := find(ix, q)
			if got := ids(res); !slices.Equal(got, want) || res.Total != len(want) || res.Facets["kind"]["job"] != len(want) {
				t.Errorf("%s: %s: search %+v = %v, total %d, kind facet %v; want %v", what, name, q, got, res.Total, res.Facets["kind"], want)
			}
		}
	}
	poll := func() {
		t.Helper()
		if _, err := b.Register().Poll(ctx, st.Source()); err != nil {
			t.Fatalf("Poll = %v", err)
		}
	}
	update := func(id string, change func(*register.Need)) {
		t.Helper()
		n, err := needs.Need(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		change(&n)
		if _, err := needs.UpdateNeed(ctx, n); err != nil {
			t.Fatalf("UpdateNeed(%s) = %v", id, err)
		}
		poll()
	}

	if err := employers.InsertEmployer(ctx, register.Employer{ID: employer.ID, EIK: "e1", Name: "Clinic", Verified: true, Version: 1}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"n1", "n2", "n3"} {
		n := careNeed(id, 0, haskovo, nursingPrinciples)
		n.ApplyBy = "2026-12-31"
		if _, err := needs.InsertNeed(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	poll()
	all, nurse := search.NeedQuery{}, search.NeedQuery{Text: "nurse"}
	expect("at first", all, "n1", "n2", "n3")
	expect("at first", nurse, "n1", "n2", "n3")

	update("n1", func(n *register.Need) { n.Status = register.StatusClosed })
	expect("n1 withdrawn", all, "n2", "n3")
	expect("n1 withdrawn", nurse, "n2", "n3")

	update("n2", func(n *register.Need) { n.Title = "Midwife" })
	expect("n2 retitled", nurse, "n3")
	expect("n2 retitled", search.NeedQuery{Text: "midwife"}, "n2")

	if _, err := needs.DeleteNeed(ctx, "n3"); err != nil {
		t.Fatal(err)
	}
	poll()
	expect("n3 deleted", all, "n2")

	expect("the day after n2's apply-by date", search.NeedQuery{Today: "2027-01-01"})

	e, err := employers.Employer(ctx, employer.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.Verified = false
	if _, err := employers.UpdateEmployer(ctx, e); err != nil {
		t.Fatal(err)
	}
	poll()
	expect("employer unverified", all)
}

// An answer's stamp stays while nothing changes and changes with every
// write to the needs index and with the day: the API keeps an answer's
// JSON under its stamp.
func TestSearchStampsChangeWithWritesAndDays(t *testing.T) {
	ctx := context.Background()
	ix := openIndex(t, escoTaxonomy(t), &eval.Set{})
	if err := ix.Register().ApplyEmployer(employer); err != nil {
		t.Fatal(err)
	}
	stamp := func(today string) search.Stamp {
		t.Helper()
		res, err := ix.SearchNeeds(ctx, search.NeedQuery{Page: 1, PageSize: 20, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Stamp.Valid() {
			t.Fatalf("SearchNeeds stamped its answer %+v, want a valid stamp", res.Stamp)
		}
		return res.Stamp
	}
	first := stamp("2026-09-01")
	if again := stamp("2026-09-01"); again != first {
		t.Errorf("stamp changed without a write: %+v then %+v", first, again)
	}
	if next := stamp("2026-09-02"); next == first {
		t.Error("stamp of the next day = the day before's")
	}
	if err := ix.Register().ApplyNeed(careNeed("n1", 1, haskovo, nursingPrinciples), false); err != nil {
		t.Fatal(err)
	}
	if after := stamp("2026-09-01"); after == first {
		t.Error("stamp after a need was written = the stamp before")
	}
}

// Searches racing writes keep nothing stale: once the writes are done, the
// kept answer of every query is the index's own (SearchNeedsCold), however
// the searches and writes interleaved. Run it with -race too.
func TestKeptSearchesAfterRacingWrites(t *testing.T) {
	ctx := context.Background()
	ix := openIndex(t, escoTaxonomy(t), &eval.Set{})
	if err := ix.Register().ApplyEmployer(employer); err != nil {
		t.Fatal(err)
	}
	queries := []search.NeedQuery{{}, {Text: "nurse"}, {Kind: register.KindJob}, {Text: "care", Page: 2, PageSize: 3}}
	for i := range queries {
		queries[i].Page, queries[i].PageSize, queries[i].Today = max(queries[i].Page, 1), max(queries[i].PageSize, 20), "2026-09-01"
	}
	const needs = 40
	stop := make(chan struct{})
	var searchers sync.WaitGroup
	for range 4 {
		searchers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := ix.SearchNeeds(ctx, queries[i%len(queries)]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := range needs {
		n := careNeed(fmt.Sprintf("n%02d", i), int64(2*i+1), haskovo, nursingPrinciples)
		if err := ix.Register().ApplyNeed(n, false); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 { // withdrawn again
			n.Status, n.Seq = register.StatusClosed, int64(2*i+2)
			if err := ix.Register().ApplyNeed(n, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	searchers.Wait()
	for _, q := range queries {
		kept, err := ix.SearchNeeds(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		cold, err := ix.SearchNeedsCold(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(kept.Needs, cold.Needs, func(a, b register.Need) bool { return a.ID == b.ID }) ||
			kept.Total != cold.Total || !maps.EqualFunc(kept.Facets, cold.Facets, maps.Equal) {
			t.Errorf("after the writes, kept answer to %+v = %d needs, total %d, facets %v; the index says %d, %d, %v",
				q, len(kept.Needs), kept.Total, kept.Facets, len(cold.Needs), cold.Total, cold.Facets)
		}
	}
	if res, _ := ix.SearchNeedsCold(ctx, queries[0]); res.Total != needs-(needs+2)/3 {
		t.Errorf("the index finds %d public needs, want %d: the test must see the writes", res.Total, needs-(needs+2)/3)
	}
}
