package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/search"
)

// TestPublicNeedsOnTheClocksDay: the public search of needs, on the real
// store and index with a fixed clock, shows the needs public on the
// clock's day (its last day to apply included, a day late not, nor a need
// of an unverified employer), checks its query in the domain's terms, and
// pages.
func TestPublicNeedsOnTheClocksDay(t *testing.T) {
	ctx := context.Background()
	tx := escoTaxonomy(t)
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range []register.Employer{{ID: "e1", Name: "Clinic", EIK: "121212121", Verified: true},
		{ID: "e2", Name: "Unverified", EIK: "131313131"}} {
		if err := st.Employers().InsertEmployer(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []struct{ id, employer, applyBy string }{
		{"open", "e1", "2026-06-30"}, {"last-day", "e1", "2026-06-01"}, {"late", "e1", "2026-05-31"}, {"unverified", "e2", "2026-06-30"},
	} {
		need := careNeed(n.id, 0, haskovo, nursingPrinciples)
		need.EmployerID, need.ApplyBy = n.employer, n.applyBy
		if _, err := st.Needs().InsertNeed(ctx, need); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := search.Open(t.TempDir(), tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.CatchUp(ctx, st.Source(), nil); err != nil {
		t.Fatal(err)
	}
	s := search.NewPublicNeeds(ix, func() time.Time { return time.Date(2026, 6, 1, 21, 0, 0, 0, time.UTC) })

	res, err := s.Search(ctx, search.NeedQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range res.Needs {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	if res.Total != 2 || !slices.Equal(ids, []string{"last-day", "open"}) {
		t.Fatalf("public needs = %v (total %d), want [last-day open]", ids, res.Total)
	}
	if res, err := s.Search(ctx, search.NeedQuery{Page: 2, PageSize: 1}); err != nil || res.Total != 2 || len(res.Needs) != 1 {
		t.Fatalf("page 2 of 1 = %d needs (total %d), %v; want 1 of 2", len(res.Needs), res.Total, err)
	}

	many := make([]string, search.MaxSkills+1)
	for i := range many {
		many[i] = fmt.Sprint("s", i)
	}
	for _, tt := range []struct {
		q            search.NeedQuery
		field, param string
	}{
		{search.NeedQuery{Kind: "gig"}, "kind", "job, internship, apprenticeship, care_pathway, forecast"},
		{search.NeedQuery{Skills: many}, "skill", "20"},
		{search.NeedQuery{PageSize: search.MaxPageSize + 1}, "pageSize", "1..100"},
		{search.NeedQuery{Page: -1}, "page", "1..1000"},
	} {
		_, err := s.Search(ctx, tt.q)
		e, ok := failure.As(err)
		if !ok || e.Kind != failure.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Param != tt.param {
			t.Errorf("Search(%+v) err = %v, want a field error on %s (%s)", tt.q, err, tt.field, tt.param)
		}
	}
}
