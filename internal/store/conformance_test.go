package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// The conformance suite: the guarantees the product relies on, checked on
// the real embedded store through the real driver (and on a real MongoDB
// when MONGODB_URI is set).

const workers, perWorker = 32, 25

func TestConcurrentCountersNeverRepeat(t *testing.T) {
	s := storetest.Open(t)
	got := concurrentCounter(t, s)
	if got.errors > 0 {
		t.Fatalf("%d of %d concurrent increments failed", got.errors, workers*perWorker)
	}
	if got.final != workers*perWorker || got.distinct != workers*perWorker {
		t.Fatalf("counter after %d concurrent increments: final %d, distinct values %d; want %d and %d",
			workers*perWorker, got.final, got.distinct, workers*perWorker, workers*perWorker)
	}
}

func TestCompareAndSetWinsEqualFinalValue(t *testing.T) {
	s := storetest.Open(t)
	wins, final := concurrentCAS(t, s)
	if int64(wins) != final {
		t.Fatalf("compare-and-set: %d successful updates but final version %d; want equal", wins, final)
	}
	if final == 0 {
		t.Fatal("compare-and-set: no update succeeded")
	}
}

func TestUniqueIndexRaceHasOneWinner(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	c := s.Collection("people", "person")
	if err := c.Unique(ctx, "email_unique", "email"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wins, conflicts int
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Insert(ctx, bson.D{{Key: "_id", Value: fmt.Sprint(i)}, {Key: "email", Value: "same@example.org"}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case failure.Is(err, failure.Conflict):
				conflicts++
			default:
				t.Errorf("Insert = %v, want nil or a conflict", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || conflicts != workers-1 {
		t.Fatalf("%d racing inserts of one e-mail: %d won, %d conflicts; want 1 and %d", workers, wins, conflicts, workers-1)
	}
}

func TestGetMissingIsNotFound(t *testing.T) {
	s := storetest.Open(t)
	var out bson.M
	err := s.Collection("things", "thing").Get(context.Background(), "nope", &out)
	if !failure.Is(err, failure.NotFound) {
		t.Fatalf("Get(missing) = %v, want NotFound", err)
	}
}

// TestUnserialisedStoreLosesUpdates documents why the write lock exists: the
// embedded FerretDB v1 loses concurrent updates without it. If a future
// FerretDB fixes this, the test fails and the lock can be reconsidered.
func TestUnserialisedStoreLosesUpdates(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second embedded server")
	}
	s, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), Database: "raw", Unserialised: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	got := concurrentCounter(t, s)
	wins, final := concurrentCAS(t, s)
	t.Logf("without serialisation: counter final %d of %d (distinct %d, %d failed); CAS wins %d, final %d",
		got.final, workers*perWorker, got.distinct, got.errors, wins, final)
	if got.final == workers*perWorker && got.errors == 0 && int64(wins) == final {
		t.Fatal("the unserialised embedded store kept every concurrent update; FerretDB may have fixed issue #3040")
	}
}

// counterResult is what concurrent increments left: the final value, how
// many distinct values were handed out, and how many increments failed
// (unserialised upserts of a new counter race into duplicate keys).
type counterResult struct{ final, distinct, errors int64 }

func concurrentCounter(t *testing.T, s *store.Store) counterResult {
	t.Helper()
	ctx := context.Background()
	counters := s.Counters()
	seen := make(map[int64]bool)
	var failed int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWorker {
				n, err := counters.Next(ctx, "c")
				mu.Lock()
				if err != nil {
					failed++
					mu.Unlock()
					continue
				}
				seen[n] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	final, err := counters.Current(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	return counterResult{final: final, distinct: int64(len(seen)), errors: failed}
}

func concurrentCAS(t *testing.T, s *store.Store) (wins int, final int64) {
	t.Helper()
	ctx := context.Background()
	c := s.Collection("cas", "doc")
	if err := c.Insert(ctx, bson.D{{Key: "_id", Value: "d"}, {Key: "v", Value: int64(0)}}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWorker {
				var doc struct {
					V int64 `bson:"v"`
				}
				if err := c.Get(ctx, "d", &doc); err != nil {
					t.Errorf("Get: %v", err)
					return
				}
				ok, err := c.Update(ctx, bson.D{{Key: "_id", Value: "d"}, {Key: "v", Value: doc.V}},
					bson.D{{Key: "$set", Value: bson.D{{Key: "v", Value: doc.V + 1}}}})
				if err != nil && !errors.Is(err, context.Canceled) {
					t.Errorf("Update: %v", err)
					return
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	var doc struct {
		V int64 `bson:"v"`
	}
	if err := c.Get(ctx, "d", &doc); err != nil {
		t.Fatal(err)
	}
	return wins, doc.V
}
