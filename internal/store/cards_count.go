package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// countWriteTimeout bounds one group count: it counts for several
// requests, so it cannot take any one request's context.
const countWriteTimeout = 30 * time.Second

// countBatch group-commits the day counters as auditBatch does the audit:
// on the embedded store every write is a transaction with its own fsync
// under one lock, and an employer's reads were one such write each. The
// reads of one employer's day that arrive while its count is being
// written wait, and the next write counts them all with one atomic $inc
// (n by how many, needs.<id> by how many of each). The store's new
// values then tell each read its own count, as if the increments had
// been made one by one in arrival order: the k reads of a group that took
// the employer's count to N were reads N-k+1 … N, and likewise per need.
// Other replicas' increments are atomic against the whole group, so the
// counts stay exact across replicas: no two reads anywhere get one number.
//
// A write also reserves numbers ahead (employerBlock of the employer's
// count, needBlock of each need's whose reserve is spent), which this
// replica hands to its next reads without a store write: the day counter's
// write was a fifth of the candidates endpoint's CPU on the embedded store.
// One replica hands out its numbers in order, so its bound is exact; with
// several, a number one reserved and never used is never anyone's, so the
// bound is never exceeded, and a read may be refused up to the others'
// unspent reserves early.
type countBatch struct {
	x CardReads

	mu       sync.Mutex
	queue    map[string][]*pendingCount // counter document → reads waiting, in arrival order
	writing  map[string]bool            // counter document → a write under way
	reserved map[string]*reserve        // counter document → numbers this replica holds
}

// Numbers a write reserves ahead: a need is read at most 50 times a day
// and an employer's needs 200 (candidate.DefaultLimits), so another
// replica is refused at most this many reads early.
const (
	employerBlock = 16
	needBlock     = 8
)

// reserve is the numbers of one counter document a replica holds.
type reserve struct {
	employer keyBlock
	needs    map[string]*keyBlock
}

// take hands out the next employer and need numbers, if both are held.
func (r *reserve) take(needID string) (need, employer int64, ok bool) {
	nb := r.needs[needID]
	if nb == nil || nb.next > nb.end || r.employer.next > r.employer.end {
		return 0, 0, false
	}
	need, employer = nb.next, r.employer.next
	nb.next++
	r.employer.next++
	return need, employer, true
}

type pendingCount struct {
	needID string
	done   chan countResult
}

type countResult struct {
	need, employer int64
	err            error
}

func newCountBatch(x CardReads) *countBatch {
	return &countBatch{x: x, queue: map[string][]*pendingCount{}, writing: map[string]bool{}, reserved: map[string]*reserve{}}
}

// count adds one read of needID to document id and returns its counts.
func (b *countBatch) count(ctx context.Context, id, needID string) (needReads, employerReads int64, err error) {
	p := &pendingCount{needID: needID, done: make(chan countResult, 1)}
	b.mu.Lock()
	if r := b.reserved[id]; r != nil {
		if need, employer, ok := r.take(needID); ok {
			b.mu.Unlock()
			return need, employer, nil
		}
	}
	b.queue[id] = append(b.queue[id], p)
	lead := !b.writing[id]
	b.writing[id] = true
	b.mu.Unlock()
	if lead {
		b.writeQueue(id)
	}
	select {
	case r := <-p.done:
		return r.need, r.employer, r.err
	case <-ctx.Done():
		return 0, 0, ctx.Err() // the read may still be counted: refused reads count too
	}
}

// writeQueue counts what is queued for document id, once; if more arrived
// meanwhile, it hands the next write to a fresh goroutine, so the writing
// request returns after its own count.
func (b *countBatch) writeQueue(id string) {
	b.mu.Lock()
	batch := b.queue[id]
	delete(b.queue, id)
	b.mu.Unlock()
	b.write(id, batch)
	b.mu.Lock()
	more := len(b.queue[id]) > 0
	if !more {
		delete(b.writing, id)
	}
	b.mu.Unlock()
	if more {
		go b.writeQueue(id)
	}
}

// write counts a group with one $inc and tells each read its counts:
// the numbers this replica still holds first, then new ones.
func (b *countBatch) write(id string, batch []*pendingCount) {
	g := b.plan(id, batch)
	var doc struct {
		N     int64            `bson:"n"`
		Needs map[string]int64 `bson:"needs"`
	}
	var err error
	if inc := g.inc(); len(inc) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), countWriteTimeout)
		err = b.x.c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
			bson.D{{Key: "$inc", Value: inc}, {Key: "$set", Value: bson.D{{Key: "day", Value: id[:len(time.DateOnly)]}}}}, true, &doc)
		cancel()
		if err != nil {
			err = fmt.Errorf("count %d card reads in %s: %w", len(batch), id, err)
		} else {
			b.keepReserved(id, g, doc.N, doc.Needs)
		}
	}
	// New numbers go to the group's reads in arrival order: the first of
	// what the write added to each count; the rest is the reserve.
	employer := doc.N - g.extra - g.newEmployer
	next := map[string]int64{}
	for need, k := range g.newNeed {
		next[need] = doc.Needs[need] - g.extraNeed[need] - k
	}
	for i, p := range batch {
		c := g.counts[i]
		if c.employer == 0 {
			employer++
			c.employer = employer
		}
		if c.need == 0 {
			next[p.needID]++
			c.need = next[p.needID]
		}
		c.err = err
		p.done <- c
	}
}

// group is what one write does for a group of reads: the numbers taken
// from the reserve (counts, 0 where a new one is needed), how many new
// ones it counts, and how many it reserves ahead.
type group struct {
	counts      []countResult
	newEmployer int64
	newNeed     map[string]int64
	extra       int64
	extraNeed   map[string]int64
}

func (g group) inc() bson.D {
	var inc bson.D
	if k := g.newEmployer + g.extra; k > 0 {
		inc = append(inc, bson.E{Key: "n", Value: k})
	}
	for need, k := range g.newNeed {
		inc = append(inc, bson.E{Key: "needs." + need, Value: k + g.extraNeed[need]})
	}
	for need, k := range g.extraNeed {
		if g.newNeed[need] == 0 {
			inc = append(inc, bson.E{Key: "needs." + need, Value: k})
		}
	}
	return inc
}

// plan takes what the reserve of document id holds for the group's
// reads, and reserves a block ahead of each count whose reserve is then
// spent. Only one write of a document is under way at a time, so a
// reserve spent here is still spent when the write returns.
func (b *countBatch) plan(id string, batch []*pendingCount) group {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.reserved[id]
	if r == nil {
		r = &reserve{employer: keyBlock{next: 1}, needs: map[string]*keyBlock{}} // empty: next past end
		b.reserved[id] = r
	}
	g := group{counts: make([]countResult, len(batch)), newNeed: map[string]int64{}, extraNeed: map[string]int64{}}
	for i, p := range batch {
		if r.employer.next <= r.employer.end {
			g.counts[i].employer = r.employer.next
			r.employer.next++
		} else {
			g.newEmployer++
		}
		if nb := r.needs[p.needID]; nb != nil && nb.next <= nb.end {
			g.counts[i].need = nb.next
			nb.next++
		} else {
			g.newNeed[p.needID]++
		}
	}
	if r.employer.next > r.employer.end {
		g.extra = employerBlock
	}
	for _, p := range batch {
		if nb := r.needs[p.needID]; nb == nil || nb.next > nb.end {
			g.extraNeed[p.needID] = needBlock
		}
	}
	return g
}

// keepReserved keeps what a write reserved, and forgets the reserves of
// past days.
func (b *countBatch) keepReserved(id string, g group, employer int64, needs map[string]int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	day := id[:len(time.DateOnly)]
	for other := range b.reserved {
		if other[:len(time.DateOnly)] < day {
			delete(b.reserved, other)
		}
	}
	r := b.reserved[id]
	if g.extra > 0 {
		r.employer = keyBlock{next: employer - g.extra + 1, end: employer}
	}
	for need, k := range g.extraNeed {
		r.needs[need] = &keyBlock{next: needs[need] - k + 1, end: needs[need]}
	}
}
