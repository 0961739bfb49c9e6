package match_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// TestListPageChecksAndPages, on the real store with a fixed clock: the
// list's filter is checked by the domain (the API's 400s come from
// Filter.Problems, in query order), pages are newest first with the total
// of every page, and Today is the clock's day, not the machine's.
func TestListPageChecksAndPages(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC)}
	s := match.NewService(st.Matches(), nil, st.Employers(), st.Profiles(), c.now)

	fields := match.Filter{State: "lost", AgeGroup: "40+"}.Problems()
	if len(fields) != 2 || fields[0].Field != "state" || fields[0].Code != "oneof" ||
		fields[1].Field != "ageGroup" || fields[1].Param != "15-17, 18-24, 25-29, 30+" {
		t.Fatalf("problems = %+v; want state then ageGroup", fields)
	}
	if fields := (match.Filter{State: string(match.Referred), AgeGroup: "18-24"}).Problems(); len(fields) != 0 {
		t.Fatalf("a valid filter has problems: %+v", fields)
	}
	if _, err := s.ListPage(ctx, officer, match.Filter{AgeGroup: "old"}, 1, 10); !failure.Is(err, failure.Invalid) {
		t.Fatalf("ListPage with a bad filter: %v, want Invalid", err)
	}

	need := register.Need{ID: "n1", EmployerID: "e1", Kind: register.KindJob, StartDate: "2027-01-15", Status: register.StatusOpen}
	var ids []string
	for i := range 3 {
		p := profile.Profile{ID: fmt.Sprintf("p%d", i), BirthDate: "1990-05"}
		if _, err := st.Profiles().InsertProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		m, err := s.Propose(ctx, officer, need, p, "r1")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
		c.set(c.now().Add(time.Minute))
	}
	for _, tt := range []struct {
		page, size int
		want       []string
	}{
		{1, 2, []string{ids[2], ids[1]}},
		{2, 2, []string{ids[0]}},
		{3, 2, nil},
	} {
		got, err := s.ListPage(ctx, officer, match.Filter{NeedID: "n1"}, tt.page, tt.size)
		if err != nil {
			t.Fatal(err)
		}
		var gotIDs []string
		for _, m := range got.Items {
			gotIDs = append(gotIDs, m.ID)
		}
		if got.Total != 3 || fmt.Sprint(gotIDs) != fmt.Sprint(tt.want) {
			t.Errorf("page %d of %d: %v (total %d), want %v (total 3)", tt.page, tt.size, gotIDs, got.Total, tt.want)
		}
	}
	if got := s.Today(); got != "2026-12-07" {
		t.Errorf("Today = %s, want the clock's 2026-12-07", got)
	}
}
