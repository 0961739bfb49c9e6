package search_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/search/eval"
)

// followTrials is how often each race of the follower test runs; every
// trial must hold.
const followTrials = 30

// TestFollowersApplyOneDocumentsWritesInOrder races edits of one document
// against its erasure, deletion or un-verification through the followers
// on the real store: the index's memory must end as the store did, never
// with an edit that won in the store before the final write applied after
// it.
func TestFollowersApplyOneDocumentsWritesInOrder(t *testing.T) {
	tx := escoTaxonomy(t)
	ix := openIndex(t, tx, &eval.Set{})
	st := storetest.Open(t)
	ctx := context.Background()
	profiles, needs, employers := ix.FollowProfiles(st.Profiles()), ix.FollowNeeds(st.Needs()), ix.FollowEmployers(st.Employers())
	const editors = 6
	// race runs editors edits, each retried on a lost compare-and-set until
	// it wins or the document is gone, against final.
	race := func(edit func() error, final func()) {
		var wg sync.WaitGroup
		for range editors {
			wg.Go(func() {
				for {
					err := edit()
					if err == nil || failure.Is(err, failure.NotFound) {
						return
					}
					if !failure.IsStale(err) {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Go(final)
		wg.Wait()
	}
	held := 0
	for i := range followTrials {
		pid, nid, eid := fmt.Sprint("p", i), fmt.Sprint("n", i), fmt.Sprint("e", i)
		if _, err := profiles.InsertProfile(ctx, seeker(pid, 0, haskovo, 30, nursingPrinciples)); err != nil {
			t.Fatal(err)
		}
		if _, err := needs.InsertNeed(ctx, careNeed(nid, 0, haskovo, nursingPrinciples)); err != nil {
			t.Fatal(err)
		}
		if err := employers.InsertEmployer(ctx, register.Employer{ID: eid, EIK: eid, Verified: true, Version: 1}); err != nil {
			t.Fatal(err)
		}
		race(func() error {
			p, err := profiles.Profile(ctx, pid)
			if err != nil {
				return err
			}
			p.MaxTravelKm++
			_, err = profiles.UpdateProfile(ctx, p)
			return err
		}, func() {
			if _, err := profiles.EraseProfile(ctx, pid); err != nil {
				t.Error(err)
			}
		})
		race(func() error {
			n, err := needs.Need(ctx, nid)
			if err != nil {
				return err
			}
			n.Positions++
			_, err = needs.UpdateNeed(ctx, n)
			return err
		}, func() {
			if _, err := needs.DeleteNeed(ctx, nid); err != nil {
				t.Error(err)
			}
		})
		race(func() error {
			e, err := employers.Employer(ctx, eid)
			if err != nil {
				return err
			}
			e.Name += "x"
			_, err = employers.UpdateEmployer(ctx, e)
			return err
		}, func() {
			for {
				e, err := employers.Employer(ctx, eid)
				if err != nil {
					t.Error(err)
					return
				}
				e.Verified = false
				if _, err = employers.UpdateEmployer(ctx, e); !failure.IsStale(err) {
					return
				}
			}
		})
		ns, ps, es := ix.Contents()
		ok := true
		for _, p := range ps {
			if p.ID == pid {
				t.Errorf("trial %d: the erased profile %s is in the index's memory", i, pid)
				ok = false
			}
		}
		for _, n := range ns {
			if n.ID == nid {
				t.Errorf("trial %d: the deleted need %s is in the index's memory", i, nid)
				ok = false
			}
		}
		for _, e := range es {
			if e.ID == eid && e.Verified {
				t.Errorf("trial %d: the un-verified employer %s is verified in the index's memory", i, eid)
				ok = false
			}
		}
		if ok {
			held++
		}
	}
	t.Logf("%d of %d held", held, followTrials)
}
