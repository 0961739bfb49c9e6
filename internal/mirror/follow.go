package mirror

import (
	"context"
	"sync"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// The wrappers below put the register (and through it the search index) in
// the write path: each store write is applied before the request returns,
// so a response already reflects it (read-your-writes). The index is never
// required for a write to succeed: if indexing fails the write stands, the
// failure is logged, and /readyz reports the lag until a restart's load
// repairs it.

// FollowNeeds wraps the needs store.
func (r *Register) FollowNeeds(n register.Needs) register.Needs {
	return needsFollower{n, r, newOrder()}
}

// FollowEmployers wraps the employers store.
func (r *Register) FollowEmployers(e register.Employers) register.Employers {
	return employersFollower{e, r, newOrder()}
}

// FollowProfiles wraps the profiles store.
func (r *Register) FollowProfiles(p profile.Profiles) profile.Profiles {
	return profilesFollower{p, r, newOrder()}
}

// order serialises, per document, a store write with the register write
// that follows it. Writes of one document are ordered in the store by
// its version, but two requests could otherwise reach the register in the
// other order: an edit that won just before an erasure (or a deletion, or
// a withdrawn verification) applied after it would put the person, the
// need or the verification back in the register.
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
	r     *Register
	order *order
}

func (f needsFollower) InsertNeed(ctx context.Context, n register.Need) (register.Need, error) {
	out, err := f.Needs.InsertNeed(ctx, n)
	if err == nil {
		f.r.noteFailure(f.r.ApplyNeed(out, false), "need", out.ID)
	}
	return out, err
}

func (f needsFollower) UpdateNeed(ctx context.Context, n register.Need) (register.Need, error) {
	defer f.order.lock(n.ID)()
	out, err := f.Needs.UpdateNeed(ctx, n)
	if err == nil {
		f.r.noteFailure(f.r.ApplyNeed(out, false), "need", out.ID)
	}
	return out, err
}

func (f needsFollower) DeleteNeed(ctx context.Context, id string) (register.Need, error) {
	defer f.order.lock(id)()
	tomb, err := f.Needs.DeleteNeed(ctx, id)
	if err == nil {
		f.r.noteFailure(f.r.ApplyNeed(tomb, true), "need", id)
	}
	return tomb, err
}

type employersFollower struct {
	register.Employers
	r     *Register
	order *order
}

func (f employersFollower) InsertEmployer(ctx context.Context, e register.Employer) error {
	defer f.order.lock(e.ID)()
	err := f.Employers.InsertEmployer(ctx, e)
	if err == nil {
		f.r.noteFailure(f.r.ApplyEmployer(e), "employer", e.ID)
	}
	return err
}

func (f employersFollower) UpdateEmployer(ctx context.Context, e register.Employer) (register.Employer, error) {
	defer f.order.lock(e.ID)()
	out, err := f.Employers.UpdateEmployer(ctx, e)
	if err == nil {
		f.r.noteFailure(f.r.ApplyEmployer(out), "employer", out.ID)
	}
	return out, err
}

type profilesFollower struct {
	profile.Profiles
	r     *Register
	order *order
}

func (f profilesFollower) InsertProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	defer f.order.lock(p.ID)()
	out, err := f.Profiles.InsertProfile(ctx, p)
	if err == nil {
		f.r.noteFailure(f.r.ApplyProfile(out, false), "profile", out.ID)
	}
	return out, err
}

func (f profilesFollower) UpdateProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	defer f.order.lock(p.ID)()
	out, err := f.Profiles.UpdateProfile(ctx, p)
	if err == nil {
		f.r.noteFailure(f.r.ApplyProfile(out, false), "profile", out.ID)
	}
	return out, err
}

func (f profilesFollower) EraseProfile(ctx context.Context, id string) (profile.Profile, error) {
	defer f.order.lock(id)()
	tomb, err := f.Profiles.EraseProfile(ctx, id)
	if err == nil {
		f.r.noteFailure(f.r.ApplyProfile(tomb, true), "profile", id)
	}
	return tomb, err
}
