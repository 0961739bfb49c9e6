package search_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// countingSource is the store's Source, counting what a catch-up reads:
// whole collections (Each*) and documents.
type countingSource struct {
	store.Source
	wholeReads, needs, profiles int
}

func (c *countingSource) EachNeed(ctx context.Context, fn func(register.Need, bool) error) error {
	c.wholeReads++
	return c.Source.EachNeed(ctx, func(n register.Need, d bool) error { c.needs++; return fn(n, d) })
}

func (c *countingSource) EachProfile(ctx context.Context, fn func(profile.Profile, bool) error) error {
	c.wholeReads++
	return c.Source.EachProfile(ctx, func(p profile.Profile, e bool) error { c.profiles++; return fn(p, e) })
}

func (c *countingSource) NeedsAfter(ctx context.Context, seq int64, fn func(register.Need, bool) error) error {
	return c.Source.NeedsAfter(ctx, seq, func(n register.Need, d bool) error { c.needs++; return fn(n, d) })
}

func (c *countingSource) ProfilesAfter(ctx context.Context, seq int64, fn func(profile.Profile, bool) error) error {
	return c.Source.ProfilesAfter(ctx, seq, func(p profile.Profile, e bool) error { c.profiles++; return fn(p, e) })
}

// restart opens the index in dir again and catches up with the store,
// counting what it reads.
func restart(t *testing.T, tx *taxonomy.Taxonomy, dir string, st *store.Store) (*search.Index, *countingSource) {
	t.Helper()
	ix, err := search.Open(dir, tx, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	src := &countingSource{Source: st.Source()}
	if err := ix.CatchUp(context.Background(), src, nil); err != nil {
		t.Fatalf("CatchUp: %v", err)
	}
	return ix, src
}

// snapshotFixture is an index in dir following a store that holds an
// employer, a need and profiles p1..p3, each written through the index.
func snapshotFixture(t *testing.T) (*taxonomy.Taxonomy, string, *store.Store, *search.Index) {
	t.Helper()
	tx := escoTaxonomy(t)
	ctx := context.Background()
	st := storetest.Open(t)
	dir := t.TempDir()
	ix, _ := restart(t, tx, dir, st)
	if err := ix.Register().FollowEmployers(st.Employers()).InsertEmployer(ctx, register.Employer{ID: employer.ID, EIK: "e1", Name: "Clinic", Verified: true, Version: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Register().FollowNeeds(st.Needs()).InsertNeed(ctx, careNeed("n1", 0, haskovo, nursingPrinciples)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"p1", "p2", "p3"} {
		if _, err := ix.Register().FollowProfiles(st.Profiles()).InsertProfile(ctx, seeker(id, 0, haskovo, 30, nursingPrinciples)); err != nil {
			t.Fatal(err)
		}
	}
	return tx, dir, st, ix
}

// held is what the index holds in memory, sorted, to compare two starts.
func held(ix *search.Index) ([]register.Need, []profile.Profile) {
	needs, profiles, _ := ix.Register().Contents()
	slices.SortFunc(needs, func(a, b register.Need) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(profiles, func(a, b profile.Profile) int { return strings.Compare(a.ID, b.ID) })
	return needs, profiles
}

func ranked(t *testing.T, ix *search.Index) []string {
	t.Helper()
	ms, err := ix.MatchCandidates(context.Background(), careNeed("n1", 1, haskovo, nursingPrinciples), 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	ids := candidateIDs(ms)
	slices.Sort(ids)
	return ids
}

// A restart after a clean close loads the snapshot and reads nothing of
// the register but what was written after it; it holds exactly what a
// start that reads everything holds.
func TestSnapshotRestartReadsOnlyPastIt(t *testing.T) {
	tx, dir, st, ix := snapshotFixture(t)
	wantNeeds, wantProfiles := held(ix)
	if err := ix.Close(); err != nil { // writes the snapshot
		t.Fatalf("Close: %v", err)
	}
	again, src := restart(t, tx, dir, st)
	if src.wholeReads != 0 || src.needs != 0 || src.profiles != 0 {
		t.Errorf("restart read %d whole collections, %d needs, %d profiles; want none", src.wholeReads, src.needs, src.profiles)
	}
	needs, profiles := held(again)
	if !reflect.DeepEqual(needs, wantNeeds) || !reflect.DeepEqual(profiles, wantProfiles) {
		t.Errorf("after restart the index holds\n%+v\n%+v\nwant\n%+v\n%+v", needs, profiles, wantNeeds, wantProfiles)
	}
	if got := ranked(t, again); !slices.Equal(got, []string{"p1", "p2", "p3"}) {
		t.Errorf("ranked after restart = %v", got)
	}
}

// A crash leaves the snapshot behind the store and the index: a profile
// indexed after the last snapshot, and one stored but never indexed (the
// process died between the store write and the index). The restart
// indexes both and reads only the documents past the snapshot.
func TestSnapshotRestartAfterCrashCatchesUp(t *testing.T) {
	tx, dir, st, ix := snapshotFixture(t)
	ctx := context.Background()
	if err := ix.Register().SaveSnapshot(); err != nil {
		t.Fatal(err)
	}
	old := keepSnapshot(t, dir)
	if _, err := ix.Register().FollowProfiles(st.Profiles()).InsertProfile(ctx, seeker("p4", 0, haskovo, 30, nursingPrinciples)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	old() // the snapshot on disk at the crash was the older one
	if _, err := st.Profiles().InsertProfile(ctx, seeker("p5", 0, haskovo, 30, nursingPrinciples)); err != nil {
		t.Fatal(err)
	}
	again, src := restart(t, tx, dir, st)
	if src.wholeReads != 0 || src.profiles != 2 {
		t.Errorf("restart read %d whole collections and %d profiles, want 0 and 2 (p4, p5)", src.wholeReads, src.profiles)
	}
	if got := ranked(t, again); !slices.Equal(got, []string{"p1", "p2", "p3", "p4", "p5"}) {
		t.Errorf("ranked after the crash = %v, want p1..p5", got)
	}
	if _, profiles := held(again); len(profiles) != 5 {
		t.Errorf("held %d profiles, want 5", len(profiles))
	}
}

// An erasure after the last snapshot is not undone by it: the restart
// replays the tombstone, and until a snapshot without the person is on
// disk, retention may not remove that tombstone.
func TestSnapshotDoesNotResurrectErased(t *testing.T) {
	tx, dir, st, ix := snapshotFixture(t)
	ctx := context.Background()
	if err := ix.Register().SaveSnapshot(); err != nil {
		t.Fatal(err)
	}
	old := keepSnapshot(t, dir)
	_, snapProfiles := ix.Watermarks()
	erased, err := ix.Register().FollowProfiles(st.Profiles()).EraseProfile(ctx, "p2")
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	old()

	reopened, err := search.Open(dir, tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, p := reopened.Watermarks(); p != snapProfiles {
		t.Errorf("profiles' mark after open = %d, want the snapshot's %d: no index stores one", p, snapProfiles)
	}
	if _, p := reopened.DurableWatermarks(); p != snapProfiles {
		t.Errorf("DurableWatermarks profiles = %d, want the old snapshot's %d (below the erasure, %d)", p, snapProfiles, erased.Seq)
	}
	if err := reopened.Close(); err != nil {
		t.Fatal(err)
	}
	again, _ := restart(t, tx, dir, st)
	if got := ranked(t, again); !slices.Equal(got, []string{"p1", "p3"}) {
		t.Errorf("ranked after restart = %v, want p1, p3 (p2 erased)", got)
	}
	if _, profiles := held(again); slices.ContainsFunc(profiles, func(p profile.Profile) bool { return p.ID == "p2" }) {
		t.Error("the erased profile is held again after a restart from an older snapshot")
	}
	if err := again.Register().SaveSnapshot(); err != nil {
		t.Fatal(err)
	}
	if n, p := again.DurableWatermarks(); p < erased.Seq {
		t.Errorf("DurableWatermarks after a new snapshot = %d, %d; want past the erasure %d", n, p, erased.Seq)
	}
}

// A damaged snapshot is ignored: the start reads the whole register and
// holds all of it.
func TestSnapshotDamagedFallsBackToWholeRead(t *testing.T) {
	for name, damage := range map[string]func([]byte) []byte{
		"flipped byte": func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b },
		"truncated":    func(b []byte) []byte { return b[:len(b)-10] },
		"empty":        func([]byte) []byte { return nil },
		"not ours":     func([]byte) []byte { return []byte("hello, world, this is not a snapshot of anything at all") },
	} {
		t.Run(name, func(t *testing.T) {
			tx, dir, st, ix := snapshotFixture(t)
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "startup.snapshot")
			interrupted := path + ".123.tmp" // a write a kill interrupted
			if err := os.WriteFile(interrupted, []byte("half a snapshot"), 0o600); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("no snapshot after Close: %v", err)
			}
			if err := os.WriteFile(path, damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			again, src := restart(t, tx, dir, st)
			if src.wholeReads != 2 {
				t.Errorf("restart read %d whole collections, want 2", src.wholeReads)
			}
			if _, err := os.Stat(interrupted); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("an interrupted snapshot write is still on disk after a start (%v)", err)
			}
			if got := ranked(t, again); !slices.Equal(got, []string{"p1", "p2", "p3"}) {
				t.Errorf("ranked = %v", got)
			}
		})
	}
}

// keepSnapshot copies the snapshot on disk aside; calling the result puts
// it back, as a crash would have left it.
func keepSnapshot(t *testing.T, dir string) func() {
	t.Helper()
	path := filepath.Join(dir, "startup.snapshot")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// A data dir of an older version, with a needs index of another layout, a
// profiles index (layouts before 9) and a snapshot that cannot be used,
// opens: the profiles index is deleted, the start reads the whole register,
// and the ranking finds every candidate.
func TestOpenUpgradesADataDirWithAProfilesIndex(t *testing.T) {
	tx, dir, st, ix := snapshotFixture(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	needs, err := bleve.Open(filepath.Join(dir, "needs.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(needs.SetInternal([]byte("skillsmatch:layout"), []byte("8")), needs.Close()); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "profiles.bleve")
	profiles, err := bleve.New(old, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(profiles.Index("p1", map[string]any{"skills": "x"}), profiles.Close()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "startup.snapshot"), []byte("a snapshot of version 8"), 0o600); err != nil {
		t.Fatal(err)
	}

	again, src := restart(t, tx, dir, st)
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("profiles.bleve after open: %v, want it deleted", err)
	}
	if src.wholeReads != 2 {
		t.Errorf("start read %d whole collections, want 2 (needs and profiles)", src.wholeReads)
	}
	if c := again.LastCatchUp(); c != (search.CatchUpCounts{NeedsIndexed: 1, ProfilesLoaded: 3}) {
		t.Errorf("LastCatchUp() = %+v, want the need indexed and 3 profiles loaded", c)
	}
	if got := ranked(t, again); !slices.Equal(got, []string{"p1", "p2", "p3"}) {
		t.Errorf("ranked after the upgrade = %v, want p1..p3", got)
	}
}
