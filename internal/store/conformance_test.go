package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/round"
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

// The version conformance suite: for every collection, concurrent
// read-modify-writes through the product's store methods lose no update,
// a write on a stale version loses, and no write brings back a tombstone
// or creates a missing document. racers workers each make rmwPerRacer
// changes, retrying on a fresh read when their compare-and-set loses.
const racers, rmwPerRacer = 12, 3

// raceRMW runs racers × rmwPerRacer changes, each retried until rmw
// reports success (true); an error fails the test.
func raceRMW(t *testing.T, rmw func(racer, n int) (bool, error)) {
	t.Helper()
	var wg sync.WaitGroup
	for r := range racers {
		wg.Go(func() {
			for n := range rmwPerRacer {
				for {
					ok, err := rmw(r, n)
					if err != nil {
						t.Errorf("racer %d change %d: %v", r, n, err)
						return
					}
					if ok {
						break
					}
				}
			}
		})
	}
	wg.Wait()
}

// staleOK turns a store's failure.Stale into "try again".
func staleOK(err error) (bool, error) {
	if failure.IsStale(err) {
		return false, nil
	}
	return err == nil, err
}

func TestVersionsEmployers(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	es := s.Employers()
	if err := es.InsertEmployer(ctx, register.Employer{ID: "e", EIK: "1", Version: 1}); err != nil {
		t.Fatal(err)
	}
	raceRMW(t, func(r, n int) (bool, error) {
		e, err := es.Employer(ctx, "e")
		if err != nil {
			return false, err
		}
		e.Members = append(e.Members, fmt.Sprintf("%d/%d", r, n))
		_, err = es.UpdateEmployer(ctx, e)
		return staleOK(err)
	})
	e, err := es.Employer(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Members) != racers*rmwPerRacer || e.Version != 1+racers*rmwPerRacer {
		t.Fatalf("after %d racing changes: %d members, version %d; want %d and %d", racers*rmwPerRacer,
			len(e.Members), e.Version, racers*rmwPerRacer, 1+racers*rmwPerRacer)
	}
	stale := e
	e.Verified = true
	if _, err := es.UpdateEmployer(ctx, e); err != nil {
		t.Fatal(err)
	}
	stale.Name = "stale edit"
	if _, err := es.UpdateEmployer(ctx, stale); !failure.IsStale(err) {
		t.Fatalf("UpdateEmployer(stale version) = %v, want failure.Stale", err)
	}
	if got, _ := es.Employer(ctx, "e"); !got.Verified || got.Name == "stale edit" {
		t.Fatalf("after a stale write the employer is %+v; want the verification kept and the stale edit lost", got)
	}
	if _, err := es.UpdateEmployer(ctx, register.Employer{ID: "missing"}); !failure.Is(err, failure.NotFound) {
		t.Fatalf("UpdateEmployer(missing) = %v, want NotFound", err)
	}
	if _, err := es.Employer(ctx, "missing"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("an update of a missing employer created it: %v", err)
	}
}

func TestVersionsNeeds(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	ns := s.Needs()
	first, err := ns.InsertNeed(ctx, register.Need{ID: "n", EmployerID: "e", Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	raceRMW(t, func(r, n int) (bool, error) {
		x, err := ns.Need(ctx, "n")
		if err != nil {
			return false, err
		}
		x.Positions++
		_, err = ns.UpdateNeed(ctx, x)
		return staleOK(err)
	})
	x, err := ns.Need(ctx, "n")
	if err != nil {
		t.Fatal(err)
	}
	if x.Positions != racers*rmwPerRacer || x.Version != 1+racers*rmwPerRacer || x.Seq <= first.Seq {
		t.Fatalf("after %d racing increments: positions %d, version %d, seq %d; want %d, %d and a later seq",
			racers*rmwPerRacer, x.Positions, x.Version, x.Seq, racers*rmwPerRacer, 1+racers*rmwPerRacer)
	}
	stale := x
	stale.Title = "stale"
	if _, err := ns.UpdateNeed(ctx, first); !failure.IsStale(err) {
		t.Fatalf("UpdateNeed(stale version) = %v, want failure.Stale", err)
	}
	if _, err := ns.DeleteNeed(ctx, "n"); err != nil {
		t.Fatal(err)
	}
	// The tombstone is final: an edit that read the need before, another
	// deletion, and a second insert of the id all fail, and it stays.
	if _, err := ns.UpdateNeed(ctx, stale); !failure.Is(err, failure.NotFound) {
		t.Fatalf("UpdateNeed of a deleted need = %v, want NotFound", err)
	}
	if _, err := ns.DeleteNeed(ctx, "n"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("DeleteNeed of a deleted need = %v, want NotFound", err)
	}
	if _, err := ns.InsertNeed(ctx, register.Need{ID: "n", EmployerID: "e", Title: "again"}); !failure.Is(err, failure.Conflict) {
		t.Fatalf("InsertNeed over a tombstone = %v, want Conflict", err)
	}
	var doc bson.M
	if err := s.Collection("needs", "need").Get(ctx, "n", &doc); err != nil || doc["deleted"] != true || doc["title"] != nil {
		t.Fatalf("the need after writes on its tombstone = %v, %v; want the tombstone", doc, err)
	}
	if _, err := ns.UpdateNeed(ctx, register.Need{ID: "missing", Title: "x"}); !failure.Is(err, failure.NotFound) {
		t.Fatalf("UpdateNeed(missing) = %v, want NotFound", err)
	}
	if err := s.Collection("needs", "need").Get(ctx, "missing", &doc); !failure.Is(err, failure.NotFound) {
		t.Fatalf("an update of a missing need created it: %v", err)
	}
}

// TestVersionsNeedDeleteWinsOverEdits races deletions against edits: the
// need ends deleted whatever the order.
func TestVersionsNeedDeleteWinsOverEdits(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	ns := s.Needs()
	for i := range 10 {
		id := fmt.Sprint("n", i)
		if _, err := ns.InsertNeed(ctx, register.Need{ID: id, EmployerID: "e", Title: "t"}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for {
					x, err := ns.Need(ctx, id)
					if failure.Is(err, failure.NotFound) {
						return
					} else if err != nil {
						t.Error(err)
						return
					}
					x.Title = fmt.Sprint("edit ", w)
					if _, err := ns.UpdateNeed(ctx, x); err == nil || failure.Is(err, failure.NotFound) {
						return
					} else if !failure.IsStale(err) {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Go(func() {
			if _, err := ns.DeleteNeed(ctx, id); err != nil {
				t.Errorf("DeleteNeed = %v", err)
			}
		})
		wg.Wait()
		if _, err := ns.Need(ctx, id); !failure.Is(err, failure.NotFound) {
			t.Fatalf("trial %d: the deleted need came back after racing edits: %v", i, err)
		}
	}
}

func TestVersionsProfiles(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	ps := s.Profiles()
	first, err := ps.InsertProfile(ctx, profile.Profile{ID: "p", DisplayName: "Zlatka"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ps.InsertProfile(ctx, profile.Profile{ID: "p"}); !failure.IsStale(err) {
		t.Fatalf("InsertProfile of an existing profile = %v, want failure.Stale", err)
	}
	raceRMW(t, func(r, n int) (bool, error) {
		p, err := ps.Profile(ctx, "p")
		if err != nil {
			return false, err
		}
		p.MaxTravelKm++
		_, err = ps.UpdateProfile(ctx, p)
		return staleOK(err)
	})
	p, err := ps.Profile(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if p.MaxTravelKm != racers*rmwPerRacer || p.Version != 1+racers*rmwPerRacer {
		t.Fatalf("after %d racing increments: %d km, version %d; want %d and %d", racers*rmwPerRacer,
			p.MaxTravelKm, p.Version, racers*rmwPerRacer, 1+racers*rmwPerRacer)
	}
	if _, err := ps.UpdateProfile(ctx, first); !failure.IsStale(err) {
		t.Fatalf("UpdateProfile(stale version) = %v, want failure.Stale", err)
	}
	tomb, err := ps.EraseProfile(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	// The tombstone is final and erasure idempotent.
	if _, err := ps.UpdateProfile(ctx, p); !failure.Is(err, failure.NotFound) {
		t.Fatalf("UpdateProfile of an erased profile = %v, want NotFound", err)
	}
	if _, err := ps.InsertProfile(ctx, p); !failure.Is(err, failure.NotFound) {
		t.Fatalf("InsertProfile over an erased profile = %v, want NotFound", err)
	}
	if again, err := ps.EraseProfile(ctx, "p"); err != nil || again.Seq != tomb.Seq {
		t.Fatalf("EraseProfile again = %+v, %v; want the same tombstone (seq %d)", again, err, tomb.Seq)
	}
	var doc bson.M
	if err := s.Collection("profiles", "profile").Get(ctx, "p", &doc); err != nil || doc["erased"] != true || doc["displayName"] != nil {
		t.Fatalf("the profile after writes on its tombstone = %v, %v; want the tombstone", doc, err)
	}
	// Erasing a profile never created leaves a tombstone that a creation
	// cannot pass.
	if _, err := ps.EraseProfile(ctx, "never"); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.InsertProfile(ctx, profile.Profile{ID: "never", DisplayName: "x"}); !failure.Is(err, failure.NotFound) {
		t.Fatalf("InsertProfile after erasing a missing profile = %v, want NotFound", err)
	}
	if _, err := ps.UpdateProfile(ctx, profile.Profile{ID: "missing"}); !failure.Is(err, failure.NotFound) {
		t.Fatalf("UpdateProfile(missing) = %v, want NotFound", err)
	}
	if err := s.Collection("profiles", "profile").Get(ctx, "missing", &doc); !failure.Is(err, failure.NotFound) {
		t.Fatalf("an update of a missing profile created it: %v", err)
	}
}

// TestVersionsProfileErasureWinsOverEdits races erasures against edits:
// the profile ends erased whatever the order.
func TestVersionsProfileErasureWinsOverEdits(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	ps := s.Profiles()
	for i := range 10 {
		id := fmt.Sprint("p", i)
		if _, err := ps.InsertProfile(ctx, profile.Profile{ID: id, DisplayName: "Zlatka"}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					p, err := ps.Profile(ctx, id)
					if failure.Is(err, failure.NotFound) {
						return
					} else if err != nil {
						t.Error(err)
						return
					}
					p.Summary = "edited"
					if _, err := ps.UpdateProfile(ctx, p); err == nil || failure.Is(err, failure.NotFound) {
						return
					} else if !failure.IsStale(err) {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Go(func() {
			if _, err := ps.EraseProfile(ctx, id); err != nil {
				t.Errorf("EraseProfile = %v", err)
			}
		})
		wg.Wait()
		var doc bson.M
		if err := s.Collection("profiles", "profile").Get(ctx, id, &doc); err != nil || doc["erased"] != true || doc["displayName"] != nil {
			t.Fatalf("trial %d: the profile after racing edits and erasure = %v, %v; want the tombstone", i, doc, err)
		}
	}
}

func TestVersionsMatches(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	ms := s.Matches()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ms.InsertMatch(ctx, match.Match{ID: "m", NeedID: "n", ProfileID: "p", Version: 1}); err != nil {
		t.Fatal(err)
	}
	raceRMW(t, func(r, n int) (bool, error) {
		m, err := ms.Match(ctx, "m")
		if err != nil {
			return false, err
		}
		next := m
		next.History = append(slices.Clip(m.History), match.Event{Note: fmt.Sprintf("%d/%d", r, n)})
		next.Version++
		return ms.UpdateMatch(ctx, next, m.Version)
	})
	m, err := ms.Match(ctx, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.History) != racers*rmwPerRacer || m.Version != 1+racers*rmwPerRacer {
		t.Fatalf("after %d racing moves: %d events, version %d", racers*rmwPerRacer, len(m.History), m.Version)
	}
	if ok, err := ms.UpdateMatch(ctx, match.Match{ID: "m", Version: 2}, 1); err != nil || ok {
		t.Fatalf("UpdateMatch(stale version) = %v, %v; want false", ok, err)
	}
	if ok, err := ms.UpdateMatch(ctx, match.Match{ID: "missing", Version: 2}, 1); err != nil || ok {
		t.Fatalf("UpdateMatch(missing) = %v, %v; want false", ok, err)
	}
	if _, err := ms.Match(ctx, "missing"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("an update of a missing match created it: %v", err)
	}
}

func TestVersionsRounds(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	rs := s.Rounds()
	if err := rs.InsertRound(ctx, round.Round{ID: "r", Version: 1, Preferences: map[string][]string{}}); err != nil {
		t.Fatal(err)
	}
	read := func() round.Round {
		var out round.Round
		err := rs.RoundsAfter(ctx, -1, func(r round.Round, _ int64) error { out = r; return nil })
		if err != nil {
			t.Error(err)
		}
		return out
	}
	raceRMW(t, func(r, n int) (bool, error) {
		cur := read()
		next := cur
		next.Preferences = maps.Clone(cur.Preferences)
		next.Preferences[fmt.Sprintf("%d-%d", r, n)] = []string{"n"}
		next.Version++
		return rs.UpdateRound(ctx, next, cur.Version)
	})
	got := read()
	if len(got.Preferences) != racers*rmwPerRacer || got.Version != 1+racers*rmwPerRacer {
		t.Fatalf("after %d racing changes: %d preferences, version %d", racers*rmwPerRacer, len(got.Preferences), got.Version)
	}
	if ok, err := rs.UpdateRound(ctx, round.Round{ID: "r", Version: 2}, 1); err != nil || ok {
		t.Fatalf("UpdateRound(stale version) = %v, %v; want false", ok, err)
	}
	if ok, err := rs.UpdateRound(ctx, round.Round{ID: "missing", Version: 2}, 1); err != nil || ok {
		t.Fatalf("UpdateRound(missing) = %v, %v; want false", ok, err)
	}
}

// A person's preference in a round is compare-and-set on its version from
// the first write (version 0: none stored), so racing rankings of one
// person lose none and a stale one stores nothing.
func TestVersionsRoundPreferences(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	rs := s.Rounds()
	read := func() round.Preference {
		var out round.Preference
		err := rs.PreferencesAfter(ctx, -1, func(p round.Preference, _ int64) error { out = p; return nil })
		if err != nil {
			t.Error(err)
		}
		return out
	}
	raceRMW(t, func(r, n int) (bool, error) {
		cur := read()
		next := round.Preference{RoundID: "r", ProfileID: "p", Version: cur.Version + 1,
			NeedIDs: append(slices.Clone(cur.NeedIDs), fmt.Sprintf("%d-%d", r, n))}
		return rs.PutPreference(ctx, next, cur.Version)
	})
	got := read()
	if len(got.NeedIDs) != racers*rmwPerRacer || got.Version != racers*rmwPerRacer {
		t.Fatalf("after %d racing changes: %d needs, version %d", racers*rmwPerRacer, len(got.NeedIDs), got.Version)
	}
	if ok, err := rs.PutPreference(ctx, round.Preference{RoundID: "r", ProfileID: "p", Version: 1}, 0); err != nil || ok {
		t.Fatalf("PutPreference(a first one again) = %v, %v; want false", ok, err)
	}
	if ok, err := rs.PutPreference(ctx, round.Preference{RoundID: "r", ProfileID: "p", Version: 2}, 1); err != nil || ok {
		t.Fatalf("PutPreference(stale version) = %v, %v; want false", ok, err)
	}
}

func TestVersionsParticipants(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	ps := s.Participants()
	if err := ps.InsertParticipant(ctx, pathway.Participant{PathwayID: "w", ProfileID: "p", Version: 1}); err != nil {
		t.Fatal(err)
	}
	raceRMW(t, func(r, n int) (bool, error) {
		cur, err := ps.Participant(ctx, "w", "p")
		if err != nil {
			return false, err
		}
		next := cur
		next.Checks = maps.Clone(cur.Checks)
		next.Checks[fmt.Sprintf("c%d-%d", r, n)] = pathway.Check{Checked: true}
		next.Version++
		return ps.UpdateParticipant(ctx, next, cur.Version)
	})
	got, err := ps.Participant(ctx, "w", "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Checks) != racers*rmwPerRacer || got.Version != 1+racers*rmwPerRacer {
		t.Fatalf("after %d racing changes: %d checks, version %d", racers*rmwPerRacer, len(got.Checks), got.Version)
	}
	if ok, err := ps.UpdateParticipant(ctx, pathway.Participant{PathwayID: "w", ProfileID: "p", Version: 2}, 1); err != nil || ok {
		t.Fatalf("UpdateParticipant(stale version) = %v, %v; want false", ok, err)
	}
	// A forgotten participant is not written back by a move that read it.
	if err := ps.DeleteParticipant(ctx, "w", "p"); err != nil {
		t.Fatal(err)
	}
	next := got
	next.Version++
	if ok, err := ps.UpdateParticipant(ctx, next, got.Version); err != nil || ok {
		t.Fatalf("UpdateParticipant after deletion = %v, %v; want false", ok, err)
	}
	if _, err := ps.Participant(ctx, "w", "p"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("a move brought a deleted participant back: %v", err)
	}
}

// TestVersionsUsersAndPathways: accounts change only by atomic field
// updates (membership) and deletion; pathways never change.
func TestVersionsUsersAndPathways(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	us := s.Users()
	if err := us.InsertUser(ctx, auth.User{ID: "u", Email: "u@example.org", Role: auth.RoleEmployer}); err != nil {
		t.Fatal(err)
	}
	raceRMW(t, func(r, n int) (bool, error) {
		return true, us.AddEmployer(ctx, "u", fmt.Sprintf("e%d-%d", r, n))
	})
	u, err := us.User(ctx, "u")
	if err != nil {
		t.Fatal(err)
	}
	if len(u.EmployerIDs) != racers*rmwPerRacer {
		t.Fatalf("after %d racing memberships: %d", racers*rmwPerRacer, len(u.EmployerIDs))
	}
	if err := us.DeleteUser(ctx, "u"); err != nil {
		t.Fatal(err)
	}
	if err := us.AddEmployer(ctx, "u", "e"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("AddEmployer of a deleted account = %v, want NotFound", err)
	}
	if _, err := us.User(ctx, "u"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("a membership brought a deleted account back: %v", err)
	}
	if err := us.DeleteUser(ctx, "u"); err != nil {
		t.Fatalf("DeleteUser twice = %v, want nil", err)
	}
	pw := s.Pathways()
	if err := pw.InsertPathway(ctx, pathway.Pathway{ID: "w"}); err != nil {
		t.Fatal(err)
	}
	if err := pw.InsertPathway(ctx, pathway.Pathway{ID: "w"}); !failure.Is(err, failure.Conflict) {
		t.Fatalf("InsertPathway twice = %v, want Conflict", err)
	}
}

// TestVersionsAudit: racing appends to one person's audit log keep every
// entry.
func TestVersionsAudit(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	a := s.Audit()
	raceRMW(t, func(r, n int) (bool, error) {
		return true, a.Append(ctx, profile.View{SubjectID: "p", ActorID: fmt.Sprintf("%d-%d", r, n)})
	})
	views, err := a.Views(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != racers*rmwPerRacer {
		t.Fatalf("after %d racing appends: %d entries", racers*rmwPerRacer, len(views))
	}
}
