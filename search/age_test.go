package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
)

// TestHeldProfilesAreNeverCandidates: a profile held for a guardian's
// consent is in no candidate set of the index (neither direction, nor a
// round's scores), even where the young-worker rules would let its owner
// work; once the consent is recorded (a new version of the profile), the
// rules alone decide, with the permit flag.
func TestHeldProfilesAreNeverCandidates(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	need := careNeed("light", 1, haskovo, nursingPrinciples)
	need.Hours, need.LightWork = "part_time", true // starts 2026-09-01
	kid := seeker("kid", 1, haskovo, 30, nursingPrinciples)
	kid.BirthYear, kid.BirthDate = 2011, "2011-03" // 15 on the start date: light work is allowed
	kid.NeedsGuardian = true                       // but they were 13 when they wrote the profile
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need},
		Candidates: []profile.Profile{kid, seeker("adult", 2, haskovo, 30, nursingPrinciples)}}
	ix := openIndex(t, tx, set)

	check := func(wantKid bool) {
		t.Helper()
		got, err := ix.MatchCandidates(ctx, need, 10, "en")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"adult"}
		if wantKid {
			want = []string{"adult", "kid"}
		}
		ids := candidateIDs(got)
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Fatalf("MatchCandidates = %v, want %v", ids, want)
		}
		for _, m := range got {
			if m.PermitRequired != (m.Profile.ID == "kid") {
				t.Errorf("%s: permitRequired %v", m.Profile.ID, m.PermitRequired)
			}
		}
		p, _ := ix.Profile("kid")
		needs, err := ix.MatchNeeds(ctx, p, "", 10, "en", matchDay)
		if err != nil {
			t.Fatal(err)
		}
		if ids := needIDs(needs); (len(ids) == 1) != wantKid {
			t.Errorf("MatchNeeds(kid) = %v, want the need: %v", ids, wantKid)
		}
		scores, err := ix.ScoreCandidates(need, []string{"kid", "adult"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := scores["kid"]; ok != wantKid {
			t.Errorf("ScoreCandidates has the kid: %v, want %v", ok, wantKid)
		}
	}
	check(false)
	kid.Guardian = &profile.Guardian{Name: "Parent", Relation: profile.GuardianParent, GivenOn: "2026-05-01",
		RecordedBy: "officer", RecordedAt: time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC)}
	kid.Seq = 3
	if err := ix.Register().ApplyProfile(kid, false); err != nil {
		t.Fatal(err)
	}
	check(true)
}

// TestMinorsRetrieveTheWorkTheyMayDo: a minor whose skill is wanted by
// more needs than a retrieval returns, all of them work they may not do,
// still finds the work they may do behind them: a 15-year-old the
// part-time light work behind a wall of day work not flagged light, a
// 17-year-old the day work behind a wall of night work.
func TestMinorsRetrieveTheWorkTheyMayDo(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name, born string
		wall       func(*register.Need)
		want       []string
	}{
		{"15 on the start date (1 September 2026)", "2011-05", func(n *register.Need) { n.Hours = "part_time" }, []string{"z-light"}},
		{"17 on the start date", "2009-05", func(n *register.Need) { n.NightWork = true }, []string{"z-day", "z-light"}},
	} {
		set := &eval.Set{Employers: []register.Employer{employer}}
		for i := range search.RetrieveDepth + 10 {
			n := careNeed(fmt.Sprintf("a-wall-%04d", i), int64(i+1), haskovo, nursingPrinciples) // sorts first on equal scores
			tt.wall(&n)
			set.Needs = append(set.Needs, n)
		}
		light := careNeed("z-light", int64(len(set.Needs)+1), haskovo, nursingPrinciples)
		light.Hours, light.LightWork = "part_time", true
		day := careNeed("z-day", int64(len(set.Needs)+2), haskovo, nursingPrinciples)
		set.Needs = append(set.Needs, light, day)
		ix := openIndex(t, tx, set)

		p := seeker("young", 1, haskovo, 30, nursingPrinciples)
		p.BirthYear, p.BirthDate = 0, tt.born
		got, err := ix.MatchNeeds(ctx, p, "", 10, "en", matchDay)
		if err != nil {
			t.Fatal(err)
		}
		ids := needIDs(got)
		slices.Sort(ids)
		if !slices.Equal(ids, tt.want) {
			t.Errorf("%s: MatchNeeds = %v, want %v", tt.name, ids, tt.want)
		}
	}
}
