package follow_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/follow"
)

// doc is a followed document: a key, a version, a group and a tombstone
// flag, as the services' documents have.
type doc struct {
	ID, Group string
	V         int64
	Tomb      bool
}

// log is a collection's writes, each with the next sequence: a reader over
// it gives every write past seq, as the store's *After methods do.
type log struct {
	mu     sync.Mutex
	writes []doc
}

func (l *log) write(d doc) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes = append(l.writes, d)
}

func (l *log) read(ctx context.Context, seq int64, fn func(doc, int64) error) error {
	l.mu.Lock()
	writes := slices.Clone(l.writes)
	l.mu.Unlock()
	for i, d := range writes {
		if s := int64(i + 1); s > seq {
			if err := fn(d, s); err != nil {
				return err
			}
		}
	}
	return nil
}

func newSet(l *log, gone func(doc) bool) *follow.Set[doc] {
	return follow.NewSet("docs", l.read, follow.Rules[doc]{
		ID:      func(d doc) string { return d.ID },
		Version: func(d doc) int64 { return d.V },
		Group:   func(d doc) string { return d.Group },
		Gone:    gone,
	})
}

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func ids(ds []doc) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	slices.Sort(out)
	return out
}

// Load holds every document at its newest version read; Poll then reads
// only what was written after, counts what changed the set, and never
// lets an older or equal version replace the one held.
func TestSetLoadsThenPollsOnlyNewerVersions(t *testing.T) {
	ctx := context.Background()
	l := &log{}
	l.write(doc{ID: "a", Group: "g1", V: 1})
	l.write(doc{ID: "b", Group: "g1", V: 1})
	l.write(doc{ID: "a", Group: "g1", V: 2})
	s := newSet(l, nil)
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Get("a"); a.V != 2 || s.Len() != 2 {
		t.Fatalf("after Load: a v%d, %d held; want v2, 2", a.V, s.Len())
	}
	poll := func(want int) {
		t.Helper()
		if n, err := s.Poll(ctx, t0); err != nil || n != want {
			t.Fatalf("Poll = %d, %v; want %d", n, err, want)
		}
	}
	poll(0) // nothing past the mark
	l.write(doc{ID: "c", Group: "g2", V: 1})
	l.write(doc{ID: "a", Group: "g1", V: 1}) // an old write reaching late
	l.write(doc{ID: "b", Group: "g1", V: 1}) // the same version again
	poll(1)
	if a, _ := s.Get("a"); a.V != 2 {
		t.Fatalf("a is v%d after an older write was polled, want v2", a.V)
	}
	if _, ok := s.Get("c"); !ok {
		t.Fatal("c, written after Load, not held after Poll")
	}
	poll(0)
}

// An own write kept after a poll brought a newer version of the same
// document leaves the newer one: Keep is newer-only for own writes too.
func TestSetKeepsTheNewerOfAnOwnWriteAndAPolledOne(t *testing.T) {
	ctx := context.Background()
	l := &log{}
	s := newSet(l, nil)
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if !s.Keep(doc{ID: "a", V: 1}) {
		t.Fatal("Keep of a new document said it changed nothing")
	}
	l.write(doc{ID: "a", V: 3}) // another replica's write, stored after ours
	if _, err := s.Poll(ctx, t0); err != nil {
		t.Fatal(err)
	}
	if s.Keep(doc{ID: "a", V: 2}) {
		t.Fatal("Keep of v2 over a polled v3 said it changed the set")
	}
	if a, _ := s.Get("a"); a.V != 3 {
		t.Fatalf("a is v%d, want the polled v3", a.V)
	}
}

// Groups follow their documents: a document that moves to another group
// leaves the first, a dropped or tombstoned one leaves its group, and an
// empty group is no longer listed.
func TestSetGroupsFollowMovesDropsAndTombstones(t *testing.T) {
	ctx := context.Background()
	l := &log{}
	forgotten := map[string]bool{}
	s := newSet(l, func(d doc) bool { return d.Tomb || forgotten[d.ID] })
	l.write(doc{ID: "a", Group: "g1", V: 1})
	l.write(doc{ID: "b", Group: "g1", V: 1})
	l.write(doc{ID: "x", Group: "g1", V: 1})
	l.write(doc{ID: "x", Group: "g1", Tomb: true}) // x was erased before start-up
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ids(s.InGroup("g1")); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("g1 after Load = %v, want a b (x is a tombstone)", got)
	}
	s.Keep(doc{ID: "a", Group: "g2", V: 2})
	if got, moved := ids(s.InGroup("g1")), ids(s.InGroup("g2")); !slices.Equal(got, []string{"b"}) || !slices.Equal(moved, []string{"a"}) {
		t.Fatalf("after a moved: g1 = %v, g2 = %v; want b, a", got, moved)
	}
	l.write(doc{ID: "b", Group: "g1", V: 99, Tomb: true})
	if n, err := s.Poll(ctx, t0); err != nil || n != 1 {
		t.Fatalf("Poll of b's tombstone = %d, %v; want 1", n, err)
	}
	if _, ok := s.Get("b"); ok || len(s.InGroup("g1")) != 0 || slices.Contains(s.Groups(), "g1") {
		t.Fatalf("b is held or g1 listed after b's tombstone: groups %v", s.Groups())
	}
	forgotten["a"] = true // the service forgets a: it never comes back
	s.Drop("a")
	l.write(doc{ID: "a", Group: "g2", V: 3})
	if n, err := s.Poll(ctx, t0); err != nil || n != 0 {
		t.Fatalf("Poll of a forgotten document = %d, %v; want 0", n, err)
	}
	if s.Keep(doc{ID: "a", Group: "g2", V: 4}) || s.Len() != 0 || len(s.Groups()) != 0 {
		t.Fatalf("a forgotten document entered: %d held, groups %v", s.Len(), s.Groups())
	}
}

// Readers see whole documents while Keep and Poll change the set from
// other goroutines (run with -race).
func TestSetReadsWhileWritesAndPollsRun(t *testing.T) {
	ctx := context.Background()
	l := &log{}
	s := newSet(l, nil)
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		for v := int64(1); v <= 200; v++ {
			s.Keep(doc{ID: "a", Group: "g", V: v})
		}
	}()
	go func() {
		defer wg.Done()
		for v := int64(1); v <= 200; v++ {
			l.write(doc{ID: "b", Group: "g", V: v})
			if _, err := s.Poll(ctx, t0); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range 200 {
			for _, d := range s.InGroup("g") {
				if d.ID == "" {
					t.Error("InGroup gave a document not held")
					return
				}
			}
			_ = s.Count(func(d doc) bool { return d.V > 100 })
			_ = s.Filter(func(d doc) bool { return d.Group == "g" })
		}
	}()
	wg.Wait()
	a, _ := s.Get("a")
	b, _ := s.Get("b")
	if a.V != 200 || b.V != 200 || len(s.Values()) != 2 {
		t.Fatalf("after the race: a v%d, b v%d, %d held; want v200, v200, 2", a.V, b.V, len(s.Values()))
	}
}
