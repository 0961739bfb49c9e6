package search_test

import (
	"context"
	"slices"
	"testing"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
)

// Two writes to one document that race reach the index in either order;
// the index must end with the newer one, in Bleve and in memory, and a
// tombstone must not be undone by an older edit arriving after it.

func TestOlderProfileWriteArrivingLateIsIgnored(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	need := careNeed("n1", 1, haskovo, nursingPrinciples)
	other := seeker("other", 1, haskovo, 30, nursingPrinciples)
	ix := openIndex(t, tx, &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need},
		Candidates: []profile.Profile{other, seeker("p", 3, haskovo, 30, disabilityTypes)}})

	// Seq 5 (holds the need's skill) is applied before seq 4 (does not).
	if err := ix.Register().ApplyProfile(seeker("p", 5, haskovo, 30, nursingPrinciples), false); err != nil {
		t.Fatal(err)
	}
	if err := ix.Register().ApplyProfile(seeker("p", 4, haskovo, 30, disabilityTypes), false); err != nil {
		t.Fatal(err)
	}
	if p, ok := ix.Profile("p"); !ok || p.Seq != 5 {
		t.Errorf("in-memory profile after seq 5 then 4: seq %d (present %v), want 5", p.Seq, ok)
	}
	got, err := ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatal(err)
	}
	if ids := candidateIDs(got); !slices.Contains(ids, "p") {
		t.Errorf("candidates after seq 5 then 4 = %v: Bleve holds the older version of p", ids)
	}
	if _, profiles := ix.Watermarks(); profiles != 5 {
		t.Errorf("profiles watermark = %d, want 5: the superseded change is done too", profiles)
	}

	// Erased at seq 7; an edit of seq 6 arriving afterwards must not bring
	// the person back.
	if err := ix.Register().ApplyProfile(profile.Profile{ID: "p", Seq: 7}, true); err != nil {
		t.Fatal(err)
	}
	if err := ix.Register().ApplyProfile(seeker("p", 6, haskovo, 30, nursingPrinciples), false); err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.Profile("p"); ok {
		t.Error("an erased profile is back in memory after an older edit arrived")
	}
	got, err = ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatal(err)
	}
	if ids := candidateIDs(got); !slices.Equal(ids, []string{"other"}) {
		t.Errorf("candidates after erasure then an older edit = %v, want [other]", ids)
	}
	if _, profiles := ix.Watermarks(); profiles != 7 {
		t.Errorf("profiles watermark = %d, want 7", profiles)
	}
}

func TestOlderNeedWriteArrivingLateIsIgnored(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	ix := openIndex(t, tx, &eval.Set{Employers: []register.Employer{employer},
		Needs: []register.Need{careNeed("n1", 1, haskovo, nursingPrinciples)}})

	newer := careNeed("n1", 3, haskovo, nursingPrinciples)
	newer.Title = "Midwife"
	older := careNeed("n1", 2, haskovo, nursingPrinciples)
	older.Title = "Porter"
	for _, n := range []register.Need{newer, older} {
		if err := ix.Register().ApplyNeed(n, false); err != nil {
			t.Fatal(err)
		}
	}
	if n, ok := ix.Need("n1"); !ok || n.Title != "Midwife" {
		t.Errorf("in-memory need after seq 3 then 2 = %q (present %v), want Midwife", n.Title, ok)
	}
	for word, want := range map[string]int{"midwife": 1, "porter": 0} {
		res, err := ix.SearchNeeds(ctx, search.NeedQuery{Text: word, Today: matchDay, Page: 1, PageSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("searching %q after seq 3 then 2 finds %d needs, want %d", word, res.Total, want)
		}
	}

	// Deleted at seq 5; an edit of seq 4 arriving afterwards stays deleted.
	if err := ix.Register().ApplyNeed(register.Need{ID: "n1", Seq: 5}, true); err != nil {
		t.Fatal(err)
	}
	if err := ix.Register().ApplyNeed(careNeed("n1", 4, haskovo, nursingPrinciples), false); err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.Need("n1"); ok {
		t.Error("a deleted need is back in memory after an older edit arrived")
	}
	res, err := ix.SearchNeeds(ctx, search.NeedQuery{Today: matchDay, Page: 1, PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("a deleted need is searchable (%d hits) after an older edit arrived", res.Total)
	}
}
