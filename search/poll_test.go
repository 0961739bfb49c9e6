package search_test

import (
	"context"
	"slices"
	"testing"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
)

// Two replicas on one store: A writes through its followers, B learns of
// it only by polling. Every kind of write A makes — a new employer and
// need, a profile, an erasure, a withdrawn verification, a deletion — must
// reach B's memory and B's ranking at its next poll.
func TestPollingReplicaFollowsAnothersWrites(t *testing.T) {
	ctx := context.Background()
	r := twoReplicas(t)
	st, a, b, needs, profiles, employers := r.st, r.a, r.b, r.needs, r.profiles, r.employers

	poll := func(want int) {
		t.Helper()
		n, err := b.Register().Poll(ctx, st.Source())
		if err != nil {
			t.Fatalf("Poll = %v", err)
		}
		if n != want {
			t.Errorf("Poll applied %d documents, want %d", n, want)
		}
	}
	candidates := func(ix *search.Index, n register.Need) []string {
		t.Helper()
		ms, err := ix.MatchCandidates(ctx, n, 10, "en")
		if err != nil {
			t.Fatalf("MatchCandidates = %v", err)
		}
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.Profile.ID)
		}
		return ids
	}

	need := r.seed(t)
	if got := candidates(b, need); len(got) != 0 {
		t.Fatalf("B ranks %v before polling, want nothing: the test must see the poll work", got)
	}
	poll(4)
	if got, want := candidates(b, need), candidates(a, need); len(got) != 2 || !slices.Equal(got, want) {
		t.Errorf("B ranks %v after polling, want A's %v", got, want)
	}
	poll(0) // nothing new: nothing applied twice

	// An erasure on A leaves B's ranking at B's next poll.
	if _, err := profiles.EraseProfile(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	poll(1)
	if got := candidates(b, need); !slices.Equal(got, []string{"p2"}) {
		t.Errorf("B ranks %v after A erased p1, want [p2]", got)
	}

	// A withdrawn verification hides the employer's needs on B too.
	e, err := employers.Employer(ctx, employer.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.Verified = false
	if _, err := employers.UpdateEmployer(ctx, e); err != nil {
		t.Fatal(err)
	}
	poll(1)
	if _, _, es := b.Register().Contents(); len(es) != 1 || es[0].Verified {
		t.Errorf("B's employers after A withdrew the verification: %+v, want one, unverified", es)
	}

	// A deletion on A leaves B's memory.
	if _, err := needs.DeleteNeed(ctx, "n1"); err != nil {
		t.Fatal(err)
	}
	poll(1)
	if ns, _, _ := b.Register().Contents(); len(ns) != 0 {
		t.Errorf("B holds needs %+v after A deleted n1, want none", ns)
	}
	// B's watermarks reached A's: a restart of B would not index anything again.
	an, ap := a.Watermarks()
	bn, bp := b.Watermarks()
	if an != bn || ap != bp {
		t.Errorf("watermarks: A needs %d profiles %d, B needs %d profiles %d; want equal", an, ap, bn, bp)
	}
}

// A write that took its number but was never stored (a failed request)
// leaves a hole below later writes; B applies the later ones at once and
// does not apply them again while the hole stays open.
func TestPollingAppliesWritesAboveAHoleOnce(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	st := storetest.Open(t)
	a, b := openIndex(t, tx, &eval.Set{}), openIndex(t, tx, &eval.Set{})
	if _, err := st.Counters().Next(ctx, "profiles"); err != nil { // the lost write's number
		t.Fatal(err)
	}
	if _, err := a.Register().FollowProfiles(st.Profiles()).InsertProfile(ctx, seeker("p1", 0, haskovo, 30, nursingPrinciples)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0, 0} {
		n, err := b.Register().Poll(ctx, st.Source())
		if err != nil || n != want {
			t.Errorf("poll %d applied %d (%v), want %d", i, n, err, want)
		}
	}
	if _, ps, _ := b.Register().Contents(); len(ps) != 1 {
		t.Errorf("B holds %d profiles, want the one above the hole", len(ps))
	}
}

// replicas are two indexes on one store: A writes through its followers
// (needs, profiles, employers), B learns of the writes only by polling.
type replicas struct {
	st        *store.Store
	a, b      *search.Index
	needs     register.Needs
	profiles  profile.Profiles
	employers register.Employers
}

func twoReplicas(t *testing.T) replicas {
	t.Helper()
	tx := escoTaxonomy(t)
	st := storetest.Open(t)
	a, b := openIndex(t, tx, &eval.Set{}), openIndex(t, tx, &eval.Set{})
	return replicas{st: st, a: a, b: b, needs: a.Register().FollowNeeds(st.Needs()),
		profiles: a.Register().FollowProfiles(st.Profiles()), employers: a.Register().FollowEmployers(st.Employers())}
}

// seed writes through A a verified employer, its care need n1 and two
// job-seekers who fit it, p1 and p2, and returns the need.
func (r replicas) seed(t *testing.T) register.Need {
	t.Helper()
	ctx := context.Background()
	if err := r.employers.InsertEmployer(ctx, register.Employer{ID: employer.ID, EIK: "e1", Name: "Clinic", Verified: true, Version: 1}); err != nil {
		t.Fatal(err)
	}
	need, err := r.needs.InsertNeed(ctx, careNeed("n1", 0, haskovo, nursingPrinciples))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"p1", "p2"} {
		if _, err := r.profiles.InsertProfile(ctx, seeker(id, 0, haskovo, 30, nursingPrinciples)); err != nil {
			t.Fatal(err)
		}
	}
	return need
}
