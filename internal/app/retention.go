package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/config"
	"github.com/careget/skillsmatch/internal/lease"
	"github.com/careget/skillsmatch/internal/retention"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/search"
)

// retentionJob is the job over the running product's store and index.
func (e *env) retentionJob(log *slog.Logger) *retention.Job {
	return retention.New(e.store.Retention(), e.index.DurableWatermarks, retentionConfig(e.cfg), Clock, log.With("component", "retention"))
}

// retentionConfig is the job's periods from the settings.
func retentionConfig(c config.Config) retention.Config {
	return retention.Config{TombstoneAge: c.TombstoneRetention, InboxReadAge: c.InboxReadRetention,
		InboxUnreadAge: c.InboxUnreadRetention, SentAge: c.OutboxSentRetention, FailedAge: c.OutboxFailedRetention}
}

// startRetention runs the retention job in the background once every
// cfg.RetentionEvery (if set) across all replicas of one store: under the
// "retention" lease, which one replica holds at a time. stop ends it and
// waits, before the store closes. The first look waits a little, so
// start-up is not slowed by it.
func (e *env) startRetention(ctx context.Context, log *slog.Logger) (stop func()) {
	if e.cfg.RetentionEvery <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	job := e.leased("retention", e.cfg.RetentionEvery, e.retentionJob(log).RunLogged, log)
	wg.Go(func() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(time.Minute, e.cfg.RetentionEvery)):
		}
		job.Loop(ctx)
	})
	return func() { cancel(); wg.Wait() }
}

// leaseTTL is how long a replica's lease on a background job lasts
// without renewal: a job whose holder died is taken over within
// leaseTTL + leaseTTL/3.
const leaseTTL = 30 * time.Second

// leased is a background job that runs once per period over all replicas.
func (e *env) leased(name string, every time.Duration, run func(context.Context) error, log *slog.Logger) lease.Job {
	return lease.Job{Name: name, Every: every, TTL: leaseTTL, Run: run, Holder: e.replica, Store: e.store.Leases(),
		Now: Clock, Logger: log.With("component", name)}
}

// retentionOnce runs `skillsmatch retention`: one run of the job, its
// result printed as JSON. Stop the server first: the index's watermarks
// are read from its files.
func retentionOnce(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	st, err := store.Open(ctx, store.Options{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database, Logger: log})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	tx, err := loadTaxonomy(ctx, st)
	if err != nil {
		return err
	}
	// Only the watermarks are read: what the index has applied. An index
	// behind the store only keeps more tombstones.
	ix, err := search.Open(filepath.Join(cfg.DataDir, "index"), tx, log)
	if err != nil {
		return err
	}
	defer ix.Close()
	job := retention.New(st.Retention(), ix.DurableWatermarks, retentionConfig(cfg), Clock, log)
	res, err := job.Run(ctx)
	out, _ := json.Marshal(res)
	fmt.Fprintf(stdout, "removed %s\n", out)
	return err
}
