package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// BulkData is a whole data set to load at once: the demo data, or an
// import. Profiles' ids are their accounts' ids, so the users should be in
// the same set (or already stored).
type BulkData struct {
	Users     []auth.User
	Employers []register.Employer
	Needs     []register.Need
	Profiles  []profile.Profile
}

// Len is the number of documents in d.
func (d BulkData) Len() int { return len(d.Users) + len(d.Employers) + len(d.Needs) + len(d.Profiles) }

// bulkBatch is how many documents one insertMany carries. On the embedded
// store a thousand was the fastest of 500, 1,000, 2,000 and 5,000
// (BenchmarkBulkLoad: about 6,300, 6,900, 6,000 and 5,700 documents/s),
// and again of 300, 1,000 and 3,000 after the documents went in _id order.
// FerretDB splits each into transactions of 100 documents, handled one
// after another on the connection's goroutine; two connections inserting
// at once were not faster here (the second waits for SQLite's write lock
// in sleeps of 1, 2, 5, 10… ms).
const bulkBatch = 1000

// BulkLoad inserts d with insertMany, a thousand documents at a time:
// users, then employers, needs and profiles, each kind in _id order (see
// byID). Needs and profiles get their change sequence from one counter
// increment per batch (Counters.Reserve), so the search index's start-up
// catch-up indexes them like any other write; the Seq the caller set is
// ignored, and d is not modified. Documents go through the same
// conversions and the same collections as the one-by-one writes, so the
// key look-ups (by _id, UserByEmail) find them the same way.
//
// It makes sure the unique indexes exist first, so a taken e-mail or EIK —
// in the store already or twice in d — is failure.Conflict. BulkLoad is not
// atomic: when it fails, the batches before the failing one are stored, and
// so are the other documents of that batch. progress, if set, is told after
// each batch how many documents it wrote.
//
// On the embedded store every batch holds the write lock, so other writes
// wait at most one batch; it is for loading, not for request paths.
func (s *Store) BulkLoad(ctx context.Context, d BulkData, progress func(n int)) error {
	if err := s.EnsureIndexes(ctx); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	users := s.Users().c
	err := insertBatches(ctx, users, byID(d.Users, func(u auth.User) string { return u.ID }), nil,
		func(u auth.User, _ int64) any { return toUserDoc(u) }, progress)
	if err != nil {
		return err
	}
	employers := s.Employers()
	err = insertBatches(ctx, employers.c, byID(d.Employers, func(e register.Employer) string { return e.ID }), reserver(employers.seq, "employers"),
		func(e register.Employer, seq int64) any {
			e.Seq = seq
			return toEmployerDoc(e)
		}, progress)
	if err != nil {
		return err
	}
	needs := s.Needs()
	err = insertBatches(ctx, needs.c, byID(d.Needs, func(n register.Need) string { return n.ID }), reserver(needs.seq, "needs"),
		func(n register.Need, seq int64) any {
			n.Seq = seq
			return toNeedDoc(n)
		}, progress)
	if err != nil {
		return err
	}
	profiles := s.Profiles()
	return insertBatches(ctx, profiles.c, byID(d.Profiles, func(p profile.Profile) string { return p.ID }), reserver(profiles.seq, "profiles"),
		func(p profile.Profile, seq int64) any {
			p.Seq = seq
			return toProfileDoc(p)
		}, progress)
}

// byID returns a copy of items sorted by _id. Ids are random, so in the
// given order each of the embedded store's 100-document transactions adds
// keys all over the _id index, and every page it touches is written to the
// WAL (and copied to the statement journal first): at 10,000 profiles a
// transaction touched about as many index pages as it added documents, and
// the more documents, the more pages. In _id order a transaction appends to
// one or two. A real MongoDB's _id index likes the order too.
func byID[T any](items []T, id func(T) string) []T {
	return slices.SortedFunc(slices.Values(items), func(a, b T) int { return strings.Compare(id(a), id(b)) })
}

// reserver reserves a block of the named sequence for one batch.
func reserver(c Counters, name string) func(ctx context.Context, n int) (int64, error) {
	return func(ctx context.Context, n int) (int64, error) { return c.Reserve(ctx, name, int64(n)) }
}

// insertBatches converts and inserts items in batches of bulkBatch. With
// reserve, each batch takes a block of sequence values and item i of the
// batch gets first+i; without, toDoc is given 0.
//
// The next batch is reserved, converted and encoded while the store
// inserts the one before, so that the driver's encoding and the embedded
// server's work overlap: that took BenchmarkBulkLoad from about 3,700 to
// 6,500 documents/s on the two-core dev VM.
func insertBatches[T any](ctx context.Context, c Collection, items []T,
	reserve func(ctx context.Context, n int) (int64, error), toDoc func(T, int64) any, progress func(int)) error {
	if len(items) == 0 {
		return nil
	}
	var producer sync.WaitGroup
	defer producer.Wait() // after cancel: no reserve outlives the call
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type encoded struct {
		docs       []any
		start, end int // items[start:end]
		err        error
	}
	batches := make(chan encoded, 1)
	producer.Go(func() {
		defer close(batches)
		for start := 0; start < len(items); start += bulkBatch {
			b := encoded{start: start, end: min(start+bulkBatch, len(items))}
			b.docs, b.err = encodeBatch(ctx, items[b.start:b.end], reserve, toDoc)
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil {
				return
			}
		}
	})
	done := 0
	for b := range batches {
		if b.err != nil {
			return fmt.Errorf("bulk load %ss %d–%d: %w", c.what, b.start+1, b.end, b.err)
		}
		if err := c.InsertMany(ctx, b.docs); err != nil {
			return fmt.Errorf("bulk load %ss %d–%d: %w", c.what, b.start+1, b.end, err)
		}
		done = b.end
		if progress != nil {
			progress(b.end - b.start)
		}
	}
	if done < len(items) { // the producer stopped: the context ended
		return ctx.Err()
	}
	return nil
}

// encodeBatch reserves the batch's sequence values, if any, and encodes
// its documents.
func encodeBatch[T any](ctx context.Context, batch []T,
	reserve func(ctx context.Context, n int) (int64, error), toDoc func(T, int64) any) ([]any, error) {
	var first int64
	if reserve != nil {
		var err error
		if first, err = reserve(ctx, len(batch)); err != nil {
			return nil, err
		}
	}
	docs := make([]any, len(batch))
	for i, it := range batch {
		seq := int64(0)
		if reserve != nil {
			seq = first + int64(i)
		}
		raw, err := bson.Marshal(toDoc(it, seq))
		if err != nil {
			return nil, fmt.Errorf("encode: %w", err)
		}
		docs[i] = bson.Raw(raw)
	}
	return docs, nil
}
