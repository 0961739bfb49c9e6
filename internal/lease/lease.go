// Package lease makes background work that must run once run once, however
// many replicas of the product serve one store: each job is a lease — a
// document with its holder, an expiry and when the job last ran — taken
// and renewed only by compare-and-set on its version. The holder runs the
// job when its period has passed since the last run recorded in the lease,
// so a change of holder neither skips a period nor runs one twice; a
// holder that dies stops renewing, and another replica takes the lease
// over once it has expired.
//
// A job may still run twice if its holder dies after the work and before
// recording it; the jobs are written to be idempotent for that reason.
package lease

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
)

// Lease is one job's lease as stored.
type Lease struct {
	Name    string
	Holder  string
	Expires time.Time
	LastRun time.Time // zero before the first run
	Version int64
}

// Store keeps leases. Insert answers failure.Conflict when the lease
// exists; Replace is a compare-and-set on version and answers false when
// another replica changed the lease first.
type Store interface {
	Lease(ctx context.Context, name string) (Lease, error) // failure.NotFound when none
	InsertLease(ctx context.Context, l Lease) error
	ReplaceLease(ctx context.Context, l Lease, version int64) (bool, error)
}

// Job is one piece of background work under a lease.
type Job struct {
	Name   string        // the lease's name, the same on every replica
	Every  time.Duration // the period: the job runs once per Every
	TTL    time.Duration // how long a lease lasts without renewal: the hand-over time after a holder dies
	Run    func(ctx context.Context) error
	Holder string // this replica's name (unique per process)
	Store  Store
	Now    func() time.Time
	Logger *slog.Logger
}

// Tick is one look at the lease: take it if it is free or expired, renew
// it if held, and run the job if held and its period has passed. It says
// whether the job ran.
func (j Job) Tick(ctx context.Context) (ran bool, err error) {
	l, held, err := j.acquire(ctx)
	if err != nil || !held {
		return false, err
	}
	now := j.Now()
	if !l.LastRun.IsZero() && now.Sub(l.LastRun) < j.Every {
		return false, nil
	}
	if err := j.Run(ctx); err != nil {
		return true, fmt.Errorf("job %s: %w", j.Name, err)
	}
	l.LastRun, l.Expires = now, j.Now().Add(j.TTL)
	if ok, err := j.Store.ReplaceLease(ctx, next(l), l.Version); err != nil || !ok {
		// Another replica took the lease while the job ran (it ran longer
		// than TTL): the run is not recorded, and the next holder runs it
		// again — at least once, never skipped.
		return true, errors.Join(err, lostLease(j.Name))
	}
	return true, nil
}

// acquire takes or renews the lease and returns it as stored, with held
// false when another replica holds an unexpired lease.
func (j Job) acquire(ctx context.Context) (Lease, bool, error) {
	now := j.Now()
	l, err := j.Store.Lease(ctx, j.Name)
	switch {
	case failure.Is(err, failure.NotFound):
		fresh := Lease{Name: j.Name, Holder: j.Holder, Expires: now.Add(j.TTL), Version: 1}
		if err := j.Store.InsertLease(ctx, fresh); err != nil {
			if failure.Is(err, failure.Conflict) {
				return Lease{}, false, nil // another replica was first
			}
			return Lease{}, false, fmt.Errorf("take lease %s: %w", j.Name, err)
		}
		return fresh, true, nil
	case err != nil:
		return Lease{}, false, fmt.Errorf("read lease %s: %w", j.Name, err)
	}
	if l.Holder != j.Holder && now.Before(l.Expires) {
		return l, false, nil
	}
	was := l.Version
	l.Holder, l.Expires = j.Holder, now.Add(j.TTL)
	l = next(l)
	ok, err := j.Store.ReplaceLease(ctx, l, was)
	if err != nil {
		return Lease{}, false, fmt.Errorf("renew lease %s: %w", j.Name, err)
	}
	return l, ok, nil
}

func next(l Lease) Lease {
	l.Version++
	return l
}

func lostLease(name string) error {
	return failure.Stale("lease " + name)
}

// Loop ticks every TTL/3 until ctx ends, so a holder renews its lease
// well before it expires, and a lapsed lease is taken over within TTL/3
// of its expiry. Errors are logged; the loop goes on.
func (j Job) Loop(ctx context.Context) {
	t := time.NewTicker(max(j.TTL/3, time.Millisecond))
	defer t.Stop()
	for {
		if _, err := j.Tick(ctx); err != nil && ctx.Err() == nil && j.Logger != nil {
			j.Logger.ErrorContext(ctx, "background job failed", "job", j.Name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
