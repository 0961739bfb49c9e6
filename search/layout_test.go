package search

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// noTaxonomy knows no skill: the layout tests need none.
type noTaxonomy struct{}

func (noTaxonomy) GroupOf(string) string        { return "" }
func (noTaxonomy) Ancestors(string) []string    { return nil }
func (noTaxonomy) Broader(string) []string      { return nil }
func (noTaxonomy) Label(id, lang string) string { return id }

// store is a Source held in memory: a store's every document, tombstones
// included.
type store struct {
	employers []register.Employer
	needs     []register.Need
	deleted   map[string]bool // need id → deleted
	profiles  []profile.Profile
}

func (s *store) EachEmployer(_ context.Context, fn func(register.Employer) error) error {
	for _, e := range s.employers {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s *store) EachNeed(_ context.Context, fn func(register.Need, bool) error) error {
	for _, n := range s.needs {
		if err := fn(n, s.deleted[n.ID]); err != nil {
			return err
		}
	}
	return nil
}

func (s *store) EachProfile(_ context.Context, fn func(profile.Profile, bool) error) error {
	for _, p := range s.profiles {
		if err := fn(p, false); err != nil {
			return err
		}
	}
	return nil
}

// layoutStore holds three needs (the last one deleted) and four profiles.
func layoutStore() *store {
	s := &store{employers: []register.Employer{{ID: "e1", Verified: true}}, deleted: map[string]bool{"n3": true}}
	for i := 1; i <= 3; i++ {
		s.needs = append(s.needs, register.Need{ID: fmt.Sprintf("n%d", i), EmployerID: "e1", Kind: register.KindJob,
			Title: "Nurse", Location: register.Location{Lat: 41.93, Lon: 25.55}, StartDate: "2026-09-01",
			Status: register.StatusOpen, Skills: []register.SkillRequirement{{ID: "care", Level: 2}}, Seq: int64(i)})
	}
	for i := 1; i <= 4; i++ {
		s.profiles = append(s.profiles, profile.Profile{ID: fmt.Sprintf("p%d", i), BirthYear: 1990, Lat: 41.93, Lon: 25.55,
			MaxTravelKm: 30, Skills: []profile.Skill{{ID: "care", Level: 3}}, Consent: profile.Consent{Matching: true}, Seq: int64(10 + i)})
	}
	return s
}

// Watermarks and document counts of layoutStore, fully indexed.
const (
	storeNeedMark, storeProfileMark = 3, 14
	storeNeedDocs, storeProfileDocs = 2, 4
)

func openLayoutIndex(t *testing.T, dir string) *Index {
	t.Helper()
	ix, err := Open(dir, noTaxonomy{}, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return ix
}

func closeIndex(t *testing.T, ix *Index) {
	t.Helper()
	if err := ix.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// catchUp catches ix up with s and returns how many documents it indexed.
func catchUp(t *testing.T, ix *Index, s *store) int {
	t.Helper()
	n := 0
	if err := ix.CatchUp(context.Background(), s, func(k int) { n += k }); err != nil {
		t.Fatalf("CatchUp: %v", err)
	}
	return n
}

// indexedStore returns a directory holding layoutStore fully indexed.
func indexedStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ix := openLayoutIndex(t, dir)
	catchUp(t, ix, layoutStore())
	if n, p := ix.Watermarks(); n != storeNeedMark || p != storeProfileMark {
		t.Fatalf("Watermarks() after the first catch-up = %d, %d, want %d, %d", n, p, storeNeedMark, storeProfileMark)
	}
	closeIndex(t, ix)
	return dir
}

// setLayout rewrites the layout recorded in one index under dir, as Bleve
// itself would find it; version nil removes it, as in an index from before
// layouts were recorded.
func setLayout(t *testing.T, dir, name string, version []byte) {
	t.Helper()
	idx, err := bleve.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("bleve.Open(%s): %v", name, err)
	}
	if version == nil {
		err = idx.DeleteInternal(layoutKey)
	} else {
		err = idx.SetInternal(layoutKey, version)
	}
	if err != nil {
		t.Fatalf("set the layout of %s: %v", name, err)
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("close %s: %v", name, err)
	}
}

func docCount(t *testing.T, idx bleve.Index) uint64 {
	t.Helper()
	n, err := idx.DocCount()
	if err != nil {
		t.Fatalf("DocCount: %v", err)
	}
	return n
}

// TestOpenRebuildsAnIndexOfAnotherLayout: a needs index whose recorded
// layout is not the current one is emptied on open and its watermark
// starts at zero, so the catch-up indexes every need again. Profiles are
// held in memory only: their mark after open is the start-up snapshot's,
// and the catch-up reads them all from a store that cannot read past a
// sequence.
func TestOpenRebuildsAnIndexOfAnotherLayout(t *testing.T) {
	for _, tt := range []struct {
		name    string
		version []byte
	}{
		{"an older layout", []byte("1")},
		{"a newer layout", []byte(layoutVersion + "0")},
		{"no layout recorded", nil},
		{"an empty layout", []byte{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := indexedStore(t)
			setLayout(t, dir, "needs.bleve", tt.version)
			ix := openLayoutIndex(t, dir)
			defer closeIndex(t, ix)

			if n, p := ix.Watermarks(); n != 0 || p != storeProfileMark {
				t.Errorf("Watermarks() after open = %d, %d, want 0, %d", n, p, storeProfileMark)
			}
			if n := docCount(t, ix.needs); n != 0 {
				t.Errorf("needs after open = %d, want 0", n)
			}
			s := layoutStore()
			if n := catchUp(t, ix, s); n != len(s.needs)+len(s.profiles) {
				t.Errorf("CatchUp made %d documents searchable, want %d (every need indexed, every profile loaded)", n, len(s.needs)+len(s.profiles))
			}
			if c := ix.LastCatchUp(); c != (CatchUpCounts{NeedsIndexed: len(s.needs), ProfilesLoaded: len(s.profiles)}) {
				t.Errorf("LastCatchUp() = %+v, want every need indexed and every profile loaded", c)
			}
			if n, p := ix.Watermarks(); n != storeNeedMark || p != storeProfileMark {
				t.Errorf("Watermarks() after CatchUp = %d, %d, want %d, %d", n, p, storeNeedMark, storeProfileMark)
			}
			if n := docCount(t, ix.needs); n != storeNeedDocs {
				t.Errorf("needs after CatchUp = %d, want %d", n, storeNeedDocs)
			}
			if v, err := ix.needs.GetInternal(layoutKey); err != nil || string(v) != layoutVersion {
				t.Errorf("layout after the rebuild = %q, %v, want %q", v, err, layoutVersion)
			}
		})
	}
}

// TestOpenKeepsAnIndexOfTheCurrentLayout: reopening a needs index of the
// current layout keeps every document and its watermark, the profiles'
// mark is the snapshot's, and the catch-up indexes no need.
func TestOpenKeepsAnIndexOfTheCurrentLayout(t *testing.T) {
	dir := indexedStore(t)
	ix := openLayoutIndex(t, dir)
	defer closeIndex(t, ix)
	if n, p := ix.Watermarks(); n != storeNeedMark || p != storeProfileMark {
		t.Errorf("Watermarks() after reopening = %d, %d, want %d, %d", n, p, storeNeedMark, storeProfileMark)
	}
	if n := docCount(t, ix.needs); n != storeNeedDocs {
		t.Errorf("needs after reopening = %d, want %d", n, storeNeedDocs)
	}
	catchUp(t, ix, layoutStore())
	if c := ix.LastCatchUp(); c.NeedsIndexed != 0 {
		t.Errorf("CatchUp after reopening indexed %d needs, want 0", c.NeedsIndexed)
	}
}
