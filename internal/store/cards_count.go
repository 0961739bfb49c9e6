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
type countBatch struct {
	x CardReads

	mu      sync.Mutex
	queue   map[string][]*pendingCount // counter document → reads waiting, in arrival order
	writing map[string]bool            // counter document → a write under way
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
	return &countBatch{x: x, queue: map[string][]*pendingCount{}, writing: map[string]bool{}}
}

// count adds one read of needID to document id and returns its counts.
func (b *countBatch) count(ctx context.Context, id, needID string) (needReads, employerReads int64, err error) {
	p := &pendingCount{needID: needID, done: make(chan countResult, 1)}
	b.mu.Lock()
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

// write counts a group with one $inc and tells each read its counts.
func (b *countBatch) write(id string, batch []*pendingCount) {
	ctx, cancel := context.WithTimeout(context.Background(), countWriteTimeout)
	defer cancel()
	perNeed := map[string]int64{}
	for _, p := range batch {
		perNeed[p.needID]++
	}
	inc := bson.D{{Key: "n", Value: int64(len(batch))}}
	for need, k := range perNeed {
		inc = append(inc, bson.E{Key: "needs." + need, Value: k})
	}
	var doc struct {
		N     int64            `bson:"n"`
		Needs map[string]int64 `bson:"needs"`
	}
	err := b.x.c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$inc", Value: inc}, {Key: "$set", Value: bson.D{{Key: "day", Value: id[:len(time.DateOnly)]}}}}, true, &doc)
	if err != nil {
		err = fmt.Errorf("count %d card reads in %s: %w", len(batch), id, err)
	}
	// The group's reads are the last len(batch) of the employer's count and
	// the last perNeed[x] of each need's, in arrival order.
	employer := doc.N - int64(len(batch))
	seen := map[string]int64{}
	for _, p := range batch {
		employer++
		seen[p.needID]++
		p.done <- countResult{need: doc.Needs[p.needID] - perNeed[p.needID] + seen[p.needID], employer: employer, err: err}
	}
}
