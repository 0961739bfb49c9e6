package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/candidate"
)

// auditKeyBlock is how many key numbers of an employer's audit counter a
// batch reserves at once: most appends then take no counter write, and a
// restart leaves at most this many unused numbers per employer.
const auditKeyBlock = 32

// auditWriteTimeout bounds one group insert: it runs for several requests,
// so it cannot take any one request's context (a client that goes away
// must not fail the others' entries).
const auditWriteTimeout = 30 * time.Second

// auditBatch group-commits audit entries. Every store write on the
// embedded store is a transaction with its own fsync under one lock, so
// one write per request bounds the card endpoint's throughput; one
// insertMany per group of concurrent requests does not. The first request
// to find no insert running writes the queue; those that arrive meanwhile
// wait for the next insert, which the writer starts as soon as its own is
// done.
type auditBatch struct {
	a CardAudit

	mu      sync.Mutex
	queue   []*pendingRead
	writing bool
	blocks  map[string]*keyBlock // employer → its reserved key numbers (under mu)
}

type pendingRead struct {
	r    candidate.Read
	done chan error
}

// keyBlock is a run of reserved key numbers: next up to end, inclusive.
type keyBlock struct{ next, end int64 }

func (b *auditBatch) append(ctx context.Context, r candidate.Read) error {
	p := &pendingRead{r: r, done: make(chan error, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	lead := !b.writing
	b.writing = true
	b.mu.Unlock()
	if lead {
		b.writeQueue()
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		// The entry may still be stored; the cards are not shown either way.
		return ctx.Err()
	}
}

// writeQueue writes what is queued, once; if more arrived meanwhile, it
// hands the next insert to a fresh goroutine, so the writing request
// returns after its own entry.
func (b *auditBatch) writeQueue() {
	b.mu.Lock()
	batch := b.queue
	b.queue = nil
	b.mu.Unlock()
	err := b.write(batch)
	for _, p := range batch {
		p.done <- err
	}
	b.mu.Lock()
	more := len(b.queue) > 0
	b.writing = more
	b.mu.Unlock()
	if more {
		go b.writeQueue()
	}
}

// write stores a group of entries in one insertMany, after taking a key
// number for each.
func (b *auditBatch) write(batch []*pendingRead) error {
	ctx, cancel := context.WithTimeout(context.Background(), auditWriteTimeout)
	defer cancel()
	docs := make([]any, 0, len(batch))
	for _, p := range batch {
		n, err := b.key(ctx, p.r.EmployerID)
		if err != nil {
			return err
		}
		r := p.r
		docs = append(docs, cardReadDoc{ID: fmt.Sprintf("%s/%08d", r.EmployerID, n), EmployerID: r.EmployerID,
			ActorID: r.ActorID, ActorRole: string(r.ActorRole), NeedID: r.NeedID, ProfileIDs: r.ProfileIDs, At: r.At,
			RequestID: r.RequestID})
	}
	if err := b.a.c.InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("insert %d card audit entries: %w", len(docs), err)
	}
	return nil
}

// key hands out the employer's next key number, reserving a block from
// the store's counter when the one held is used up. Only the writer calls
// it, one at a time.
func (b *auditBatch) key(ctx context.Context, employerID string) (int64, error) {
	b.mu.Lock()
	blk := b.blocks[employerID]
	if blk != nil && blk.next <= blk.end {
		n := blk.next
		blk.next++
		b.mu.Unlock()
		return n, nil
	}
	b.mu.Unlock()
	first, err := b.a.seq.Reserve(ctx, "card_audit/"+employerID, auditKeyBlock)
	if err != nil {
		return 0, fmt.Errorf("card audit key of %s: %w", employerID, err)
	}
	b.mu.Lock()
	b.blocks[employerID] = &keyBlock{next: first + 1, end: first + auditKeyBlock - 1}
	b.mu.Unlock()
	return first, nil
}
