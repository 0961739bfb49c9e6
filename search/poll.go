package search

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Changes is the store as a replica follows it: every document written
// after a sequence value, in any order. Several replicas on one MongoDB
// each index their own writes at once (the followers) and everyone else's
// by polling.
type Changes interface {
	EmployersAfter(ctx context.Context, seq int64, fn func(register.Employer) error) error
	NeedsAfter(ctx context.Context, seq int64, fn func(n register.Need, deleted bool) error) error
	ProfilesAfter(ctx context.Context, seq int64, fn func(p profile.Profile, erased bool) error) error
}

// Poll applies the writes of other replicas: every employer, need and
// profile the store holds past this index's watermarks. It reads from the
// watermark — the highest sequence below which nothing is missing — so a
// write that took its number before another but was stored after it is
// still seen; what the index already holds is only counted. It returns
// how many documents it applied.
func (ix *Index) Poll(ctx context.Context, src Changes) (int, error) {
	applied := 0
	count := func(ok bool, err error) error {
		if ok {
			applied++
		}
		return err
	}
	ix.mu.RLock()
	empDone, needDone, profDone := ix.empMark.done, ix.needMark.done, ix.profMark.done
	ix.mu.RUnlock()
	if err := src.EmployersAfter(ctx, empDone, func(e register.Employer) error { return count(ix.pollEmployer(e)) }); err != nil {
		return applied, fmt.Errorf("follow employers: %w", err)
	}
	if err := src.NeedsAfter(ctx, needDone, func(n register.Need, deleted bool) error { return count(ix.pollNeed(n, deleted)) }); err != nil {
		return applied, fmt.Errorf("follow needs: %w", err)
	}
	if err := src.ProfilesAfter(ctx, profDone, func(p profile.Profile, erased bool) error { return count(ix.pollProfile(p, erased)) }); err != nil {
		return applied, fmt.Errorf("follow profiles: %w", err)
	}
	return applied, nil
}

func (ix *Index) pollEmployer(e register.Employer) (bool, error) {
	ix.mu.RLock()
	held, known := ix.employers[e.ID]
	ix.mu.RUnlock()
	newer := !known || e.Seq > held.Seq
	var err error
	if newer {
		err = ix.EmployerChanged(e)
	}
	ix.mu.Lock()
	ix.empMark.advance(e.Seq, time.Now())
	ix.empMark.commit()
	ix.mu.Unlock()
	return newer, err
}

// pollNeed applies a need unless the index holds its version already; a
// held one only moves the watermark, once.
func (ix *Index) pollNeed(n register.Need, deleted bool) (bool, error) {
	ix.mu.Lock()
	held := ix.needSeq[n.ID]
	seen := ix.needMark.above[n.Seq]
	ix.mu.Unlock()
	switch {
	case n.Seq > held:
		return true, ix.NeedChanged(n, deleted)
	case seen:
		return false, nil
	default:
		ix.mu.Lock()
		defer ix.mu.Unlock()
		return false, ix.passLocked(ix.needs, ix.needMark, n.Seq)
	}
}

// pollProfile is pollNeed for profiles: an erasure on another replica
// leaves this one's search and matches here.
func (ix *Index) pollProfile(p profile.Profile, erased bool) (bool, error) {
	ix.mu.Lock()
	held := ix.profSeq[p.ID]
	seen := ix.profMark.above[p.Seq]
	ix.mu.Unlock()
	switch {
	case p.Seq > held:
		return true, ix.ProfileChanged(p, erased)
	case seen:
		return false, nil
	default:
		ix.mu.Lock()
		defer ix.mu.Unlock()
		ix.profMark.pass(p.Seq, time.Now())
		return false, nil
	}
}
