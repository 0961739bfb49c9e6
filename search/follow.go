package search

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// The wrappers below put the index in the write path: each store write is
// indexed before the request returns, so a response already reflects it
// (read-your-writes). The index is never required for a write to succeed:
// if indexing fails the write stands, the failure is logged and retried,
// and /readyz reports the lag until it is resolved.

// FollowNeeds wraps the needs store.
func (ix *Index) FollowNeeds(n register.Needs) register.Needs { return needsFollower{n, ix} }

// FollowEmployers wraps the employers store.
func (ix *Index) FollowEmployers(e register.Employers) register.Employers {
	return employersFollower{e, ix}
}

// FollowProfiles wraps the profiles store.
func (ix *Index) FollowProfiles(p profile.Profiles) profile.Profiles { return profilesFollower{p, ix} }

type needsFollower struct {
	register.Needs
	ix *Index
}

func (f needsFollower) InsertNeed(ctx context.Context, n register.Need) (register.Need, error) {
	out, err := f.Needs.InsertNeed(ctx, n)
	if err == nil {
		f.ix.noteFailure(f.ix.NeedChanged(out, false), "need", out.ID)
	}
	return out, err
}

func (f needsFollower) UpdateNeed(ctx context.Context, n register.Need) (register.Need, error) {
	out, err := f.Needs.UpdateNeed(ctx, n)
	if err == nil {
		f.ix.noteFailure(f.ix.NeedChanged(out, false), "need", out.ID)
	}
	return out, err
}

func (f needsFollower) DeleteNeed(ctx context.Context, id string) (register.Need, error) {
	tomb, err := f.Needs.DeleteNeed(ctx, id)
	if err == nil {
		f.ix.noteFailure(f.ix.NeedChanged(tomb, true), "need", id)
	}
	return tomb, err
}

type employersFollower struct {
	register.Employers
	ix *Index
}

func (f employersFollower) InsertEmployer(ctx context.Context, e register.Employer) error {
	err := f.Employers.InsertEmployer(ctx, e)
	if err == nil {
		f.ix.noteFailure(f.followEmployer(ctx, e.ID), "employer", e.ID)
	}
	return err
}

func (f employersFollower) UpdateEmployer(ctx context.Context, e register.Employer) error {
	err := f.Employers.UpdateEmployer(ctx, e)
	if err == nil {
		f.ix.noteFailure(f.followEmployer(ctx, e.ID), "employer", e.ID)
	}
	return err
}

// followEmployer applies the employer as the store holds it now, not the
// version this request wrote: employers carry no sequence, and two writes
// that race (an edit and an officer withdrawing verification) may reach
// here in either order. Reading and applying one at a time, each after its
// own write, the last to apply read after both writes, so the index ends
// with the store's state.
func (f employersFollower) followEmployer(ctx context.Context, id string) error {
	f.ix.employerMu.Lock()
	defer f.ix.employerMu.Unlock()
	// The write stands even if the client has gone: read it back anyway.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	cur, err := f.Employers.Employer(ctx, id)
	if err != nil {
		return fmt.Errorf("read employer back: %w", err)
	}
	return f.ix.EmployerChanged(cur)
}

type profilesFollower struct {
	profile.Profiles
	ix *Index
}

func (f profilesFollower) PutProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	out, err := f.Profiles.PutProfile(ctx, p)
	if err == nil {
		f.ix.noteFailure(f.ix.ProfileChanged(out, false), "profile", out.ID)
	}
	return out, err
}

func (f profilesFollower) EraseProfile(ctx context.Context, id string) (profile.Profile, error) {
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
