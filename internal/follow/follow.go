// Package follow is how a replica keeps in step with the writes other
// replicas make to a shared store: each followed collection's writes take
// the next value of its change sequence, and a replica polls for what was
// written past its Mark, applying only versions newer than the one it
// holds. A Mark is the highest sequence below which nothing is missing: a
// write that took its number before another but was stored after it is
// still read at the next poll; a number that never comes (a failed write)
// is waited out for HoleTimeout. A Set holds such a collection in memory:
// the one way the services keep theirs.
package follow

import (
	"context"
	"sync"
	"time"
)

// HoleTimeout bounds the wait for a sequence number a write took but has
// not stored: store writes time out after 30 s, so an older hole is a
// write that failed after taking its number.
const HoleTimeout = time.Minute

// Mark tracks which sequence numbers of one collection a replica has read.
type Mark struct {
	mu        sync.Mutex
	done      int64
	above     map[int64]bool
	holeSince time.Time
}

// Done is the sequence up to which every write has been read: poll for
// writes after it.
func (m *Mark) Done() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.done
}

// Start sets the mark after a full read at start-up.
func (m *Mark) Start(done int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done, m.above, m.holeSince = max(m.done, done), nil, time.Time{}
}

// Seen records that the write with sequence seq has been read.
func (m *Mark) Seen(seq int64, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if seq <= m.done {
		return
	}
	if m.above == nil {
		m.above = map[int64]bool{}
	}
	m.above[seq] = true
	m.advance(now)
}

func (m *Mark) advance(now time.Time) {
	for m.above[m.done+1] {
		delete(m.above, m.done+1)
		m.done++
	}
	if len(m.above) == 0 {
		m.holeSince = time.Time{}
		return
	}
	if m.holeSince.IsZero() {
		m.holeSince = now
		return
	}
	if now.Sub(m.holeSince) > HoleTimeout {
		lowest := int64(-1)
		for s := range m.above {
			if lowest < 0 || s < lowest {
				lowest = s
			}
		}
		m.done, m.holeSince = lowest-1, time.Time{}
		m.advance(now)
	}
}

// Reader reads a followed collection: every document written after
// sequence seq (-1: every document), each with the sequence of its last
// write.
type Reader[T any] func(ctx context.Context, seq int64, fn func(doc T, seq int64) error) error

// Load reads every document at start-up, hands each to keep and starts
// the mark past the last.
func Load[T any](ctx context.Context, m *Mark, read Reader[T], keep func(T)) error {
	var last int64
	err := read(ctx, -1, func(doc T, seq int64) error {
		keep(doc)
		last = max(last, seq)
		return nil
	})
	m.Start(last)
	return err
}

// Poll reads what was written past the mark, hands each document to apply
// (which keeps it if it is newer than the one held, and says so) and
// moves the mark; it returns how many were applied.
func Poll[T any](ctx context.Context, m *Mark, now time.Time, read Reader[T], apply func(T) bool) (int, error) {
	applied := 0
	err := read(ctx, m.Done(), func(doc T, seq int64) error {
		if apply(doc) {
			applied++
		}
		m.Seen(seq, now)
		return nil
	})
	return applied, err
}
