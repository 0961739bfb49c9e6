package search_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/search/eval"
)

// The real stores, with a pause after an edit is stored and before the
// follower indexes it: it widens the window in which a final write (an
// erasure, a deletion, an un-verification) can be stored after the edit
// and indexed before it, so that the test fails without the followers'
// per-document order.
// Each stored edit also tells the final write, which waits for the first,
// that it may go.
type (
	slowProfiles struct {
		profile.Profiles
		stored chan struct{}
	}
	slowNeeds struct {
		register.Needs
		stored chan struct{}
	}
	slowEmployers struct {
		register.Employers
		stored chan struct{}
	}
)

const editPause = 20 * time.Millisecond

// paused tells that an edit is stored, then pauses.
func paused(stored chan struct{}, err error) {
	if err == nil {
		select {
		case stored <- struct{}{}:
		default:
		}
	}
	time.Sleep(editPause)
}

func (s slowProfiles) UpdateProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	out, err := s.Profiles.UpdateProfile(ctx, p)
	paused(s.stored, err)
	return out, err
}

func (s slowNeeds) UpdateNeed(ctx context.Context, n register.Need) (register.Need, error) {
	out, err := s.Needs.UpdateNeed(ctx, n)
	paused(s.stored, err)
	return out, err
}

func (s slowEmployers) UpdateEmployer(ctx context.Context, e register.Employer) (register.Employer, error) {
	out, err := s.Employers.UpdateEmployer(ctx, e)
	if e.Verified { // the edits; the un-verification goes straight on
		paused(s.stored, err)
	}
	return out, err
}

// followTrials is how often each race of the follower test runs; every
// trial must hold.
const followTrials = 20

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
	stored := make(chan struct{}, 1)
	profiles := ix.Register().FollowProfiles(slowProfiles{st.Profiles(), stored})
	needs := ix.Register().FollowNeeds(slowNeeds{st.Needs(), stored})
	employers := ix.Register().FollowEmployers(slowEmployers{st.Employers(), stored})
	const editors = 2
	// race runs editors edits, each retried on a lost compare-and-set until
	// it wins or the document is gone, against final, which starts once
	// the first edit is stored.
	race := func(edit func() error, final func()) {
		select {
		case <-stored: // a signal left by the previous race
		default:
		}
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
		wg.Go(func() {
			<-stored
			final()
		})
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
		ns, ps, es := ix.Register().Contents()
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
