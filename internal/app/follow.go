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
// own writes reach its index at once through the followers, everyone
// else's at the next poll. The embedded store belongs to this process
// alone, so there is nothing to follow. stop ends it and waits.
//
// The index and every service that holds a collection in memory follow:
// matches, rounds, pathways and their participants.
func (e *env) startFollowing(ctx context.Context, log *slog.Logger) (stop func()) {
	if e.store.Embedded() || e.index == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(e.cfg.FollowEvery)
		defer t.Stop()
		src := e.store.Source()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			_, ierr := e.index.Poll(ctx, src)
			_, merr := e.services.Matches.Poll(ctx)
			_, rerr := e.services.Rounds.Poll(ctx)
			_, perr := e.services.Pathways.Poll(ctx)
			if err := errors.Join(ierr, merr, rerr, perr); err != nil && ctx.Err() == nil {
				log.ErrorContext(ctx, "following the store failed", "err", err)
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}
