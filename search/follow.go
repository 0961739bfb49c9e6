package search

import (
	"context"
	"log/slog"
	"sync"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// The wrappers below put the index in the write path: each store write is
// indexed before the request returns, so a response already reflects it
// (read-your-writes). The index is never required for a write to succeed:
// if indexing fails the write stands, the failure is logged and retried,
// and /readyz reports the lag until it is resolved.

// FollowNeeds wraps the needs store.
func (ix *Index) FollowNeeds(n register.Needs) register.Needs {
	return needsFollower{n, ix, newOrder()}
}

// FollowEmployers wraps the employers store.
func (ix *Index) FollowEmployers(e register.Employers) register.Employers {
	return employersFollower{e, ix, newOrder()}
}

// FollowProfiles wraps the profiles store.
func (ix *Index) FollowProfiles(p profile.Profiles) profile.Profiles {
	return profilesFollower{p, ix, newOrder()}
}

// order serialises, per document, a store write with the index write
// that follows it. Writes of one document are ordered in the store by
// its version, but two requests could otherwise reach the index in the
// other order: an edit that won just before an erasure (or a deletion, or
// a withdrawn verification) indexed after it would put the person, the
// need or the verification back in the index's memory.
type order struct {
	mu    sync.Mutex
	locks map[string]*orderLock
}

type orderLock struct {
	mu    sync.Mutex
	users int
}

func newOrder() *order { return &order{locks: map[string]*orderLock{}} }

// lock takes the document's lock and returns its release.
func (o *order) lock(id string) func() {
	o.mu.Lock()
	l := o.locks[id]
	if l == nil {
		l = &orderLock{}
		o.locks[id] = l
	}
	l.users++
	o.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		o.mu.Lock()
		if l.users--; l.users == 0 {
			delete(o.locks, id)
		}
		o.mu.Unlock()
	}
}

type needsFollower struct {
	register.Needs
	ix    *Index
	order *order
}

func (f needsFollower) InsertNeed(ctx context.Context, n register.Need) (register.Need, error) {
	out, err := f.Needs.InsertNeed(ctx, n)
	if err == nil {
		f.ix.noteFailure(f.ix.NeedChanged(out, false), "need", out.ID)
	}
	return out, err
}

func (f needsFollower) UpdateNeed(ctx context.Context, n register.Need) (register.Need, error) {
	defer f.order.lock(n.ID)()
	out, err := f.Needs.UpdateNeed(ctx, n)
	if err == nil {
		f.ix.noteFailure(f.ix.NeedChanged(out, false), "need", out.ID)
	}
	return out, err
}

func (f needsFollower) DeleteNeed(ctx context.Context, id string) (register.Need, error) {
	defer f.order.lock(id)()
	tomb, err := f.Needs.DeleteNeed(ctx, id)
	if err == nil {
		f.ix.noteFailure(f.ix.NeedChanged(tomb, true), "need", id)
	}
	return tomb, err
}

type employersFollower struct {
	register.Employers
	ix    *Index
	order *order
}

func (f employersFollower) InsertEmployer(ctx context.Context, e register.Employer) error {
	defer f.order.lock(e.ID)()
	err := f.Employers.InsertEmployer(ctx, e)
	if err == nil {
		f.ix.noteFailure(f.ix.EmployerChanged(e), "employer", e.ID)
	}
	return err
}

func (f employersFollower) UpdateEmployer(ctx context.Context, e register.Employer) (register.Employer, error) {
	defer f.order.lock(e.ID)()
	out, err := f.Employers.UpdateEmployer(ctx, e)
	if err == nil {
		f.ix.noteFailure(f.ix.EmployerChanged(out), "employer", out.ID)
	}
	return out, err
}

type profilesFollower struct {
	profile.Profiles
	ix    *Index
	order *order
}

func (f profilesFollower) InsertProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	defer f.order.lock(p.ID)()
	out, err := f.Profiles.InsertProfile(ctx, p)
	if err == nil {
		f.ix.noteFailure(f.ix.ProfileChanged(out, false), "profile", out.ID)
	}
	return out, err
}

func (f profilesFollower) UpdateProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	defer f.order.lock(p.ID)()
	out, err := f.Profiles.UpdateProfile(ctx, p)
	if err == nil {
		f.ix.noteFailure(f.ix.ProfileChanged(out, false), "profile", out.ID)
	}
	return out, err
}

func (f profilesFollower) EraseProfile(ctx context.Context, id string) (profile.Profile, error) {
	defer f.order.lock(id)()
	tomb, err := f.Profiles.EraseProfile(ctx, id)
	if err == nil {
		f.ix.noteFailure(f.ix.ProfileChanged(tomb, true), "profile", id)
	}
	return tomb, err
}

// noteFailure logs an indexing failure and marks the index as lagging;
// the next start-up's catch-up repairs it (the watermark did not move).
func (ix *Index) noteFailure(err error, kind, id string) {
	if err == nil {
		return
	}
	ix.log.Error("index write failed; the store has it, the index will catch up at restart",
		slog.String("kind", kind), slog.String("id", id), slog.Any("err", err))
	ix.mu.Lock()
	ix.lagging++
	ix.mu.Unlock()
}
