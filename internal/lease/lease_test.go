package lease_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/lease"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// clock is the replicas' shared clock, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const (
	every = 10 * time.Minute
	ttl   = 30 * time.Second
	step  = ttl / 3 // how often Loop ticks
)

// replicas are n jobs of one name on one real store, as n processes run
// it; runs records every run's time.
func replicas(t *testing.T, n int, c *clock) ([]lease.Job, *runs) {
	st := storetest.Open(t).Leases()
	r := &runs{}
	jobs := make([]lease.Job, n)
	for i := range jobs {
		holder := fmt.Sprintf("replica-%d", i)
		jobs[i] = lease.Job{Name: "retention", Every: every, TTL: ttl, Holder: holder, Store: st, Now: c.Now,
			Run: func(context.Context) error { r.add(holder, c.Now()); return nil }}
	}
	return jobs, r
}

type runs struct {
	mu     sync.Mutex
	at     []time.Time
	by     []string
	active atomic.Int32
}

func (r *runs) add(holder string, at time.Time) {
	if r.active.Add(1) > 1 {
		panic("two replicas ran the job at once")
	}
	defer r.active.Add(-1)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at, r.by = append(r.at, at), append(r.by, holder)
}

// tickAll ticks the live replicas at once, as their loops would.
func tickAll(t *testing.T, jobs []lease.Job, live []bool) {
	var wg sync.WaitGroup
	for i, j := range jobs {
		if live[i] {
			wg.Go(func() {
				if _, err := j.Tick(t.Context()); err != nil {
					t.Errorf("%s: Tick = %v", j.Holder, err)
				}
			})
		}
	}
	wg.Wait()
}

func TestThreeReplicasRunTheJobOncePerPeriod(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	jobs, r := replicas(t, 3, c)
	live := []bool{true, true, true}
	const periods = 6
	for range periods * int(every/step) {
		tickAll(t, jobs, live)
		c.Add(step)
	}
	if len(r.at) != periods {
		t.Fatalf("the job ran %d times in %d periods over 3 replicas, want %d: %v", len(r.at), periods, periods, r.at)
	}
	for i := 1; i < len(r.at); i++ {
		if gap := r.at[i].Sub(r.at[i-1]); gap < every || gap > every+step {
			t.Errorf("run %d came %s after the one before, want one period (%s, ticks every %s)", i, gap, every, step)
		}
	}
}

func TestAKilledHoldersJobIsTakenOver(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	jobs, r := replicas(t, 3, c)
	live := []bool{true, true, true}
	tickAll(t, jobs, live)
	if len(r.by) != 1 {
		t.Fatalf("first tick ran the job %d times, want once", len(r.by))
	}
	// All replicas go on ticking until the next run is one tick away; the
	// holder renews its lease at each tick. Then it dies: it stops renewing.
	for range int(every/step) - 1 {
		c.Add(step)
		tickAll(t, jobs, live)
	}
	holder := r.by[0]
	for i := range jobs {
		if jobs[i].Holder == holder {
			live[i] = false
		}
	}
	c.Add(step) // the run is due now
	var took time.Duration
	for at := time.Duration(0); at <= 2*ttl; at += step {
		tickAll(t, jobs, live)
		if len(r.by) > 1 {
			took = at
			break
		}
		c.Add(step)
	}
	if len(r.by) != 2 || r.by[1] == holder {
		t.Fatalf("runs after the holder died: %v, want one more by another replica", r.by)
	}
	// The run was due at once; the others waited for the dead holder's
	// lease, renewed one tick before, to expire.
	if took > ttl+step {
		t.Errorf("taken over %s after the run was due, want within ttl+ttl/3 = %s", took, ttl+step)
	}
	t.Logf("hand-over: the job ran %s after it was due (ttl %s, tick %s)", took, ttl, step)
}
