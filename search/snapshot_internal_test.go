package search

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// A snapshot written by another version (another index layout, or domain
// types of another shape) is refused, and the shape follows the types.
func TestSnapshotOfAnotherLayoutIsRefused(t *testing.T) {
	ix := openLayoutIndex(t, t.TempDir())
	defer closeIndex(t, ix)
	if err := ix.CatchUp(t.Context(), layoutStore(), nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), snapshotName)
	if err := ix.writeSnapshot(path, "7/"+snapshotLayout, 3, 14, []string{"n1"}, []string{"p1"}); err != nil {
		t.Fatal(err)
	}
	_, _, err := loadSnapshot(path, snapshotSink{need: func(register.Need) {}, profile: func(profile.Profile) {}})
	if !errors.Is(err, errSnapshotLayout) {
		t.Errorf("loading a snapshot of another layout = %v, want errSnapshotLayout", err)
	}
	type grown struct {
		profile.Profile
		Extra string
	}
	if typeShape(reflect.TypeFor[grown]()) == typeShape(reflect.TypeFor[profile.Profile]()) {
		t.Error("typeShape does not see an added field")
	}
}

// The snapshot round-trips every field of needs and profiles.
func TestSnapshotRoundTrip(t *testing.T) {
	ix := openLayoutIndex(t, t.TempDir())
	defer closeIndex(t, ix)
	src := layoutStore()
	level := 5
	src.needs[0].EducationLevel, src.needs[0].Pay = &level, &register.PayRange{Min: 1, Max: 2}
	src.profiles[0].Guardian = &profile.Guardian{Name: "G", Relation: profile.GuardianParent}
	src.profiles[0].Interests = profile.Interests{Kinds: []string{"job"}}
	if err := ix.CatchUp(t.Context(), src, nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.SaveSnapshot(); err != nil {
		t.Fatal(err)
	}
	needs, profiles := map[string]register.Need{}, map[string]profile.Profile{}
	nm, pm, err := loadSnapshot(filepath.Join(ix.dir, snapshotName), snapshotSink{
		need: func(n register.Need) { needs[n.ID] = n }, profile: func(p profile.Profile) { profiles[p.ID] = p }})
	if err != nil {
		t.Fatal(err)
	}
	if nm != storeNeedMark || pm != storeProfileMark {
		t.Errorf("marks = %d, %d, want %d, %d", nm, pm, storeNeedMark, storeProfileMark)
	}
	if !reflect.DeepEqual(needs, ix.needSet) || !reflect.DeepEqual(profiles, ix.profSet) {
		t.Errorf("round trip differs:\n%+v\n%+v\nheld\n%+v\n%+v", needs, profiles, ix.needSet, ix.profSet)
	}
}

// An erasure is followed by a snapshot without the person, without
// waiting for the next periodic one or the shutdown.
func TestSnapshotRewrittenAfterErasure(t *testing.T) {
	keep := snapshotEraseDelay
	snapshotEraseDelay = 10 * time.Millisecond
	defer func() { snapshotEraseDelay = keep }()
	ix := openLayoutIndex(t, t.TempDir())
	defer closeIndex(t, ix)
	src := layoutStore()
	if err := ix.CatchUp(t.Context(), src, nil); err != nil {
		t.Fatal(err)
	}
	holds := func(id string) bool {
		found := false
		_, _, err := loadSnapshot(filepath.Join(ix.dir, snapshotName), snapshotSink{need: func(register.Need) {},
			profile: func(p profile.Profile) { found = found || p.ID == id }})
		return err == nil && found
	}
	deadline := time.Now().Add(30 * time.Second)
	for !holds("p1") && time.Now().Before(deadline) { // the first snapshot, after the catch-up
		time.Sleep(10 * time.Millisecond)
	}
	if !holds("p1") {
		t.Fatal("no snapshot holding p1 after the catch-up")
	}
	if err := ix.ProfileChanged(profile.Profile{ID: "p1", Seq: storeProfileMark + 1}, true); err != nil {
		t.Fatal(err)
	}
	for holds("p1") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if holds("p1") {
		t.Error("the snapshot still holds an erased profile while the index runs")
	}
}
