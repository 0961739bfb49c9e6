package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
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

// TestEmailRaceHasOneWinnerWhomLookupFinds races sign-ups of one e-mail
// through the product's path; the address must then lead to the winner.
func TestEmailRaceHasOneWinnerWhomLookupFinds(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var winners []string
	conflicts := 0
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			id := fmt.Sprint("racer", i)
			err := s.Users().InsertUser(ctx, auth.User{ID: id, Email: "same@example.org", Role: auth.RoleJobseeker})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				winners = append(winners, id)
			case failure.Is(err, failure.Conflict):
				conflicts++
			default:
				t.Errorf("InsertUser = %v, want nil or a conflict", err)
			}
		})
	}
	wg.Wait()
	if len(winners) != 1 || conflicts != workers-1 {
		t.Fatalf("%d racing sign-ups of one e-mail: winners %v, %d conflicts; want 1 and %d", workers, winners, conflicts, workers-1)
	}
	if got, err := s.Users().UserByEmail(ctx, "same@example.org"); err != nil || got.ID != winners[0] {
		t.Fatalf("UserByEmail after the race = %s, %v; want the winner %s", got.ID, err, winners[0])
	}
}

// TestCompareAndSetMatchesLikeMongoDB checks which compare-and-set filters
// match a stored document. The embedded store judges the fields beside _id
// in Go (Collection.byKey); the answers must be MongoDB's.
func TestCompareAndSetMatchesLikeMongoDB(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	stored := bson.D{{Key: "_id", Value: "d"}, {Key: "v", Value: int64(3)}, {Key: "n", Value: int32(3)},
		{Key: "f", Value: 3.0}, {Key: "s", Value: "x"}, {Key: "nul", Value: nil}, {Key: "arr", Value: bson.A{int32(1), int32(2)}},
		{Key: "t", Value: at}, {Key: "b", Value: true}, {Key: "sub", Value: bson.D{{Key: "k", Value: "v"}}}}
	tests := []struct {
		name   string
		filter bson.D
		want   bool
	}{
		{"int64 equal", bson.D{{Key: "v", Value: int64(3)}}, true},
		{"int64 differs", bson.D{{Key: "v", Value: int64(4)}}, false},
		{"int32 against int64", bson.D{{Key: "v", Value: int32(3)}}, true},
		{"int64 against int32", bson.D{{Key: "n", Value: int64(3)}}, true},
		{"int against double", bson.D{{Key: "f", Value: int64(3)}}, true},
		{"double differs", bson.D{{Key: "f", Value: 3.5}}, false},
		{"string equal", bson.D{{Key: "s", Value: "x"}}, true},
		{"string differs", bson.D{{Key: "s", Value: "X"}}, false},
		{"string against number", bson.D{{Key: "v", Value: "3"}}, false},
		{"null against missing", bson.D{{Key: "missing", Value: nil}}, true},
		{"null against null", bson.D{{Key: "nul", Value: nil}}, true},
		{"null against a value", bson.D{{Key: "s", Value: nil}}, false},
		{"value against missing", bson.D{{Key: "missing", Value: "x"}}, false},
		{"time equal", bson.D{{Key: "t", Value: at}}, true},
		{"time differs", bson.D{{Key: "t", Value: at.Add(time.Millisecond)}}, false},
		{"bool differs", bson.D{{Key: "b", Value: false}}, false},
		{"array element", bson.D{{Key: "arr", Value: int32(2)}}, true},
		{"not an array element", bson.D{{Key: "arr", Value: int32(5)}}, false},
		{"sub-document field", bson.D{{Key: "sub.k", Value: "v"}}, true},
		{"two fields, one differs", bson.D{{Key: "v", Value: int64(3)}, {Key: "s", Value: "y"}}, false},
		{"two fields", bson.D{{Key: "v", Value: int64(3)}, {Key: "s", Value: "x"}}, true},
	}
	c := s.Collection("cas_semantics", "doc")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.Put(ctx, "d", stored); err != nil {
				t.Fatal(err)
			}
			filter := append(bson.D{{Key: "_id", Value: "d"}}, tt.filter...)
			ok, err := c.Update(ctx, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "mark", Value: i}}}})
			if err != nil || ok != tt.want {
				t.Fatalf("Update(%v) = %v, %v; want %v", filter, ok, err, tt.want)
			}
			var doc bson.M
			if err := c.Get(ctx, "d", &doc); err != nil {
				t.Fatal(err)
			}
			if _, marked := doc["mark"]; marked != tt.want {
				t.Fatalf("after Update(%v) = %v the document is %v", filter, ok, doc)
			}
			if err := c.Put(ctx, "d", stored); err != nil {
				t.Fatal(err)
			}
			ok, err = c.ReplaceIf(ctx, filter, append(bson.D{{Key: "_id", Value: "d"}}, bson.E{Key: "mark", Value: i}))
			if err != nil || ok != tt.want {
				t.Fatalf("ReplaceIf(%v) = %v, %v; want %v", filter, ok, err, tt.want)
			}
		})
	}
	missing := bson.D{{Key: "_id", Value: "nope"}, {Key: "v", Value: int64(3)}}
	if ok, err := c.Update(ctx, missing, bson.D{{Key: "$set", Value: bson.D{{Key: "mark", Value: 1}}}}); err != nil || ok {
		t.Errorf("Update(%v) of a missing document = %v, %v; want false", missing, ok, err)
	}
}
