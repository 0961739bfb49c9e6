package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
)

var (
	txOnce sync.Once
	tx     *taxonomy.Taxonomy
	txErr  error
)

// demoData generates a realistic data set (the taxonomy is loaded once per
// test binary).
func demoData(tb testing.TB, profiles, needs int) store.BulkData {
	tb.Helper()
	txOnce.Do(func() { tx, txErr = taxonomy.Load() })
	if txErr != nil {
		tb.Fatalf("taxonomy.Load() = %v", txErr)
	}
	d := demo.Generate(tx, demo.Config{Profiles: profiles, Needs: needs, Seed: 1})
	return store.BulkData{Users: d.Users, Employers: d.Employers, Needs: d.Needs, Profiles: d.Profiles}
}

func TestBulkLoadStoresEverythingByKey(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	// Needs in two batches: two blocks of sequence values. Every document
	// is read back by its keys, as the product reads it.
	d := demoData(t, 150, 1050)
	progressed := 0
	if err := s.BulkLoad(ctx, d, func(n int) { progressed += n }); err != nil {
		t.Fatalf("BulkLoad = %v", err)
	}
	if progressed != d.Len() {
		t.Errorf("progress told of %d documents, want %d", progressed, d.Len())
	}
	if d.Needs[0].Seq != 0 || d.Profiles[0].Seq != 0 {
		t.Errorf("BulkLoad changed its input: need seq %d, profile seq %d", d.Needs[0].Seq, d.Profiles[0].Seq)
	}

	for _, want := range d.Users {
		got, err := s.Users().User(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(utcUser(got), want) {
			t.Fatalf("User(%s) = %+v, %v; want %+v", want.ID, got, err, want)
		}
		if got, err := s.Users().UserByEmail(ctx, want.Email); err != nil || got.ID != want.ID {
			t.Fatalf("UserByEmail(%s) = %s, %v; want %s", want.Email, got.ID, err, want.ID)
		}
	}
	for _, want := range d.Employers {
		got, err := s.Employers().Employer(ctx, want.ID)
		if err != nil || got.Seq < 1 {
			t.Fatalf("Employer(%s) = seq %d, %v; want a positive seq", want.ID, got.Seq, err)
		}
		want.Seq = got.Seq
		if !reflect.DeepEqual(utcEmployer(got), want) {
			t.Fatalf("Employer(%s) = %+v; want %+v", want.ID, got, want)
		}
	}
	for _, want := range d.Needs {
		got, err := s.Needs().Need(ctx, want.ID)
		if err != nil || got.Seq < 1 {
			t.Fatalf("Need(%s) = seq %d, %v; want a positive seq", want.ID, got.Seq, err)
		}
		want.Seq = got.Seq
		if got = utcNeed(got); !reflect.DeepEqual(got, want) {
			t.Fatalf("Need(%s) = %+v, want %+v", want.ID, got, want)
		}
	}
	for _, want := range d.Profiles {
		got, err := s.Profiles().Profile(ctx, want.ID)
		if err != nil || got.Seq < 1 {
			t.Fatalf("Profile(%s) = seq %d, %v; want a positive seq", want.ID, got.Seq, err)
		}
		want.Seq = got.Seq
		if got = utcProfile(got); !reflect.DeepEqual(got, want) {
			t.Fatalf("Profile(%s) = %+v, want %+v", want.ID, got, want)
		}
	}

	// What the search index's start-up catch-up sees: every document, each
	// with its own sequence value, 1..n in a fresh database.
	needSeqs := map[int64]bool{}
	err := s.Source().EachNeed(ctx, func(n register.Need, deleted bool) error {
		needSeqs[n.Seq] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkSeqs(t, s, "needs", needSeqs, len(d.Needs))
	profSeqs := map[int64]bool{}
	err = s.Source().EachProfile(ctx, func(p profile.Profile, erased bool) error {
		profSeqs[p.Seq] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkSeqs(t, s, "profiles", profSeqs, len(d.Profiles))
	employers := 0
	if err := s.Source().EachEmployer(ctx, func(register.Employer) error { employers++; return nil }); err != nil {
		t.Fatal(err)
	}
	if employers != len(d.Employers) {
		t.Errorf("EachEmployer saw %d employers, want %d", employers, len(d.Employers))
	}
}

// checkSeqs checks that n documents carry the distinct values 1..n and that
// the counter stands at n.
func checkSeqs(t *testing.T, s *store.Store, name string, seqs map[int64]bool, n int) {
	t.Helper()
	if len(seqs) != n {
		t.Errorf("%s: %d distinct sequence values, want %d (one per document)", name, len(seqs), n)
	}
	for seq := range seqs {
		if seq < 1 || seq > int64(n) {
			t.Errorf("%s: sequence value %d, want 1..%d", name, seq, n)
			break
		}
	}
	if got, err := s.Counters().Current(context.Background(), name); err != nil || got != int64(n) {
		t.Errorf("Counters().Current(%s) = %d, %v; want %d", name, got, err, n)
	}
}

// The store keeps times to the millisecond in UTC; the generator makes
// whole seconds in UTC, so only the location can differ.
func utcUser(u auth.User) auth.User { u.CreatedAt = u.CreatedAt.UTC(); return u }

func utcEmployer(e register.Employer) register.Employer {
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	if e.Verification != nil {
		v := *e.Verification
		v.At = v.At.UTC()
		e.Verification = &v
	}
	return e
}

func utcNeed(n register.Need) register.Need {
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	return n
}

func utcProfile(p profile.Profile) profile.Profile {
	p.CreatedAt, p.UpdatedAt, p.Consent.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC(), p.Consent.UpdatedAt.UTC()
	return p
}

func TestBulkLoadContinuesTheSequences(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	d := demoData(t, 5, 5)
	first, err := s.Needs().InsertNeed(ctx, d.Needs[0])
	if err != nil {
		t.Fatal(err)
	}
	d.Needs = d.Needs[1:]
	if err := s.BulkLoad(ctx, d, nil); err != nil {
		t.Fatalf("BulkLoad = %v", err)
	}
	seqs := map[int64]bool{first.Seq: true}
	for _, n := range d.Needs {
		got, err := s.Needs().Need(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		seqs[got.Seq] = true
	}
	after, err := s.Needs().InsertNeed(ctx, register.Need{ID: "after", EmployerID: d.Employers[0].ID, Title: "After"})
	if err != nil {
		t.Fatal(err)
	}
	if len(seqs) != 5 || seqs[after.Seq] || after.Seq != 6 {
		t.Fatalf("sequences of one insert, a bulk load of 4 and another insert: %v then %d; want 1..5 then 6", seqs, after.Seq)
	}
}

func TestBulkLoadRefusesTakenKeys(t *testing.T) {
	ctx := context.Background()
	d := demoData(t, 3, 45)
	tests := []struct {
		name   string
		first  store.BulkData
		second store.BulkData
	}{
		{"e-mail in the store", store.BulkData{Users: d.Users[:1]},
			store.BulkData{Users: []auth.User{withID(d.Users[0], "other")}}},
		{"e-mail twice in one load", store.BulkData{},
			store.BulkData{Users: []auth.User{d.Users[1], withID(d.Users[1], "other")}}},
		{"EIK in the store", store.BulkData{Employers: d.Employers[:1]},
			store.BulkData{Employers: []register.Employer{withEIK(d.Employers[1], d.Employers[0].EIK)}}},
		{"EIK twice in one load", store.BulkData{},
			store.BulkData{Employers: []register.Employer{d.Employers[1], withEIK(d.Employers[2], d.Employers[1].EIK)}}},
		{"profile id in the store", store.BulkData{Profiles: d.Profiles[:1]},
			store.BulkData{Profiles: d.Profiles[:1]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			if err := s.BulkLoad(ctx, tt.first, nil); err != nil {
				t.Fatalf("first BulkLoad = %v", err)
			}
			if err := s.BulkLoad(ctx, tt.second, nil); !failure.Is(err, failure.Conflict) {
				t.Fatalf("second BulkLoad = %v, want a conflict", err)
			}
		})
	}
}

func TestBulkLoadStopsWhenCancelled(t *testing.T) {
	s := storetest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := demoData(t, 5, 1050)
	loaded := 0
	err := s.BulkLoad(ctx, d, func(n int) {
		if loaded += n; loaded >= len(d.Users)+len(d.Employers)+1000 {
			cancel() // after the first batch of needs
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("BulkLoad cancelled after the first batch of needs = %v, want context.Canceled", err)
	}
	// BulkLoad inserts in _id order.
	ids := slices.Sorted(func(yield func(string) bool) {
		for _, n := range d.Needs {
			if !yield(n.ID) {
				return
			}
		}
	})
	last := ids[len(ids)-1]
	if _, err := s.Needs().Need(context.Background(), last); !failure.Is(err, failure.NotFound) {
		t.Errorf("Need(%s) of the second batch = %v, want NotFound", last, err)
	}
	if _, err := s.Needs().Need(context.Background(), ids[999]); err != nil {
		t.Errorf("Need(%s) of the first batch = %v, want it stored", ids[999], err)
	}
}

func withID(u auth.User, id string) auth.User { u.ID = id; return u }

func withEIK(e register.Employer, eik string) register.Employer { e.EIK = eik; return e }

func TestCountersReserve(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	c := s.Counters()
	steps := []struct {
		reserve int64 // 0: Next
		want    int64
	}{{5, 1}, {0, 6}, {3, 7}, {1, 10}, {0, 11}}
	for _, st := range steps {
		var got int64
		var err error
		if st.reserve == 0 {
			got, err = c.Next(ctx, "x")
		} else {
			got, err = c.Reserve(ctx, "x", st.reserve)
		}
		if err != nil || got != st.want {
			t.Fatalf("Reserve/Next(%d) = %d, %v; want %d", st.reserve, got, err, st.want)
		}
	}
	if _, err := c.Reserve(ctx, "x", 0); err == nil {
		t.Error("Reserve(0) = nil error, want an error")
	}
}

func TestConcurrentReservesNeverOverlap(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	const goroutines, each, block = 16, 10, 3
	var mu sync.Mutex
	taken := map[int64]bool{}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				first, err := s.Counters().Reserve(ctx, "c", block)
				if err != nil {
					t.Errorf("Reserve = %v", err)
					return
				}
				mu.Lock()
				for v := first; v < first+block; v++ {
					if taken[v] {
						t.Errorf("value %d handed out twice", v)
					}
					taken[v] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if got, _ := s.Counters().Current(ctx, "c"); got != goroutines*each*block || len(taken) != goroutines*each*block {
		t.Fatalf("after %d concurrent reserves of %d: counter %d, %d values; want %d", goroutines*each, block, got, len(taken), goroutines*each*block)
	}
}

// BenchmarkBulkLoad loads what `skillsmatch demo --profiles 10000 --needs
// 3000` loads (23,400 documents) into a fresh database per iteration, on an
// embedded server of its own opened as the command opens it: with a text
// logger (on io.Discard). The tests' shared server logs nothing at all, and
// once hid that FerretDB's debug logging cost the real command an eighth
// of its time.
func BenchmarkBulkLoad(b *testing.B) {
	d := demoData(b, 10_000, 3_000)
	ctx := context.Background()
	server, err := store.Open(ctx, store.Options{DataDir: b.TempDir(), Database: "unused",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer server.Close(ctx)
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		s := server.WithDatabase(fmt.Sprint("load", i))
		start := time.Now()
		if err := s.BulkLoad(ctx, d, nil); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		if err := s.DropDatabase(ctx); err != nil { // do not let the iterations' data pile up
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(d.Len()*b.N)/elapsed.Seconds(), "docs/s")
}
