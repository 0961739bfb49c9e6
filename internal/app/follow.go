package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// startFollowing polls the store for the other replicas' writes every
// cfg.FollowEvery when the store is shared (MONGODB_URI): this replica's
// own writes reach its memory at once, everyone else's at the next poll.
// The embedded store belongs to this process alone, so there is nothing to
// follow. stop ends it and waits.
func (e *env) startFollowing(ctx context.Context, log *slog.Logger) (stop func()) {
	if e.store.Embedded() || e.index == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	pollers := e.followers()
	wg.Go(func() {
		t := time.NewTicker(e.cfg.FollowEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var errs []error
			for _, poll := range pollers {
				_, err := poll(ctx)
				errs = append(errs, err)
			}
			if err := errors.Join(errs...); err != nil && ctx.Err() == nil {
				log.ErrorContext(ctx, "following the store failed", "err", err)
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}

// followers are everything that holds a collection in memory: the
// register (employers, needs, profiles, and through it the index) and each
// service's own. State a feature
// keeps in memory joins this list, or another replica never sees it.
func (e *env) followers() []func(context.Context) (int, error) {
	src, s := e.store.Source(), e.services
	return []func(context.Context) (int, error){
		func(ctx context.Context) (int, error) { return e.index.Register().Poll(ctx, src) },
		s.Matches.Poll, s.Referrals.Poll, s.Rounds.Poll, s.Pathways.Poll, s.Events.Poll,
	}
}
