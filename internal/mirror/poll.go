package mirror

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Changes is the store as a replica follows it: every document written
// after a sequence value, in any order. Several replicas on one MongoDB
// each apply their own writes at once (the followers) and everyone else's
// by polling.
type Changes interface {
	EmployersAfter(ctx context.Context, seq int64, fn func(register.Employer) error) error
	NeedsAfter(ctx context.Context, seq int64, fn func(n register.Need, deleted bool) error) error
	ProfilesAfter(ctx context.Context, seq int64, fn func(p profile.Profile, erased bool) error) error
}

// Poll applies the writes of other replicas: every employer, need and
// profile the store holds past the register's marks. It reads from the
// mark — the highest sequence below which nothing is missing — so a
// write that took its number before another but was stored after it is
// still seen; what the register already holds is only counted. It
// returns how many documents it applied.
func (r *Register) Poll(ctx context.Context, src Changes) (int, error) {
	applied := 0
	count := func(ok bool, err error) error {
		if ok {
			applied++
		}
		return err
	}
	r.mu.RLock()
	empDone, needDone, profDone := r.empMark.Done(), r.needMark.Done(), r.profMark.Done()
	r.mu.RUnlock()
	if err := src.EmployersAfter(ctx, empDone, func(e register.Employer) error { return count(r.pollEmployer(e)) }); err != nil {
		return applied, fmt.Errorf("follow employers: %w", err)
	}
	if err := src.NeedsAfter(ctx, needDone, func(n register.Need, deleted bool) error { return count(r.pollNeed(n, deleted)) }); err != nil {
		return applied, fmt.Errorf("follow needs: %w", err)
	}
	if err := src.ProfilesAfter(ctx, profDone, func(p profile.Profile, erased bool) error { return count(r.pollProfile(p, erased)) }); err != nil {
		return applied, fmt.Errorf("follow profiles: %w", err)
	}
	return applied, nil
}

func (r *Register) pollEmployer(e register.Employer) (bool, error) {
	r.mu.RLock()
	held, known := r.held.Employers[e.ID]
	r.mu.RUnlock()
	newer := !known || e.Seq > held.Seq
	var err error
	if newer {
		err = r.ApplyEmployer(e)
	}
	r.mu.Lock()
	r.empMark.Pass(e.Seq, time.Now())
	r.mu.Unlock()
	return newer, err
}

// pollNeed applies a need unless the register holds its version already;
// a held one only passes the marks, once.
func (r *Register) pollNeed(n register.Need, deleted bool) (bool, error) {
	r.mu.Lock()
	held := r.needSeq[n.ID]
	seen := r.needMark.Seen(n.Seq)
	r.mu.Unlock()
	switch {
	case n.Seq > held:
		return true, r.ApplyNeed(n, deleted)
	case seen:
		return false, nil
	default:
		r.mu.Lock()
		defer r.mu.Unlock()
		r.needMark.Pass(n.Seq, time.Now())
		return false, r.tellLocked(func(s Subscriber) error { return s.NeedPassed(n.Seq) })
	}
}

// pollProfile is pollNeed for profiles: an erasure on another replica
// leaves this one's search and matches here.
func (r *Register) pollProfile(p profile.Profile, erased bool) (bool, error) {
	r.mu.Lock()
	held := r.profSeq[p.ID]
	seen := r.profMark.Seen(p.Seq)
	r.mu.Unlock()
	switch {
	case p.Seq > held:
		return true, r.ApplyProfile(p, erased)
	case seen:
		return false, nil
	default:
		r.mu.Lock()
		defer r.mu.Unlock()
		r.profMark.Pass(p.Seq, time.Now())
		return false, nil
	}
}
