package mirror

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// loadedRegister returns a register under a temporary dir loaded from a
// real store holding one need and one profile, each with every optional
// part set, and the store.
func loadedRegister(t *testing.T) (*Register, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	level := 5
	if _, err := st.Needs().InsertNeed(ctx, register.Need{ID: "n1", EmployerID: "e1", Title: "Nurse", Status: register.StatusOpen,
		EducationLevel: &level, Pay: &register.PayRange{Min: 1, Max: 2}, Skills: []register.SkillRequirement{{ID: "care", Level: 2}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Profiles().InsertProfile(ctx, profile.Profile{ID: "p1", BirthYear: 2010,
		Guardian: &profile.Guardian{Name: "G", Relation: profile.GuardianParent}, Interests: profile.Interests{Kinds: []string{"job"}},
		Skills: []profile.Skill{{ID: "care", Level: 3}}, Consent: profile.Consent{Matching: true}}); err != nil {
		t.Fatal(err)
	}
	r, err := New(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	if err := r.Load(ctx, st.Source(), -1, nil); err != nil {
		t.Fatal(err)
	}
	r.StartSnapshots()
	return r, st
}

// A snapshot written by another version (another format, or domain types
// of another shape) is refused, and the shape follows the types.
func TestSnapshotOfAnotherLayoutIsRefused(t *testing.T) {
	r, _ := loadedRegister(t)
	path := filepath.Join(t.TempDir(), snapshotName)
	if err := r.writeSnapshot(path, "7/"+snapshotLayout, 3, 14, []string{"n1"}, []string{"p1"}); err != nil {
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

// The snapshot round-trips every field of needs and profiles, and the
// register's marks.
func TestSnapshotRoundTrip(t *testing.T) {
	r, _ := loadedRegister(t)
	if err := r.SaveSnapshot(); err != nil {
		t.Fatal(err)
	}
	needs, profiles := map[string]register.Need{}, map[string]profile.Profile{}
	nm, pm, err := loadSnapshot(filepath.Join(r.dir, snapshotName), snapshotSink{
		need: func(n register.Need) { needs[n.ID] = n }, profile: func(p profile.Profile) { profiles[p.ID] = p }})
	if err != nil {
		t.Fatal(err)
	}
	if wn, wp := r.Marks(); nm != wn || pm != wp || wn == 0 || wp == 0 {
		t.Errorf("marks = %d, %d, want the register's %d, %d", nm, pm, wn, wp)
	}
	if len(needs) != 1 || !reflect.DeepEqual(needs, r.held.Needs) || !reflect.DeepEqual(profiles, r.held.Profiles) {
		t.Errorf("round trip differs:\n%+v\n%+v\nheld\n%+v\n%+v", needs, profiles, r.held.Needs, r.held.Profiles)
	}
}

// An erasure is followed by a snapshot without the person, without
// waiting for the next periodic one or the shutdown.
func TestSnapshotRewrittenAfterErasure(t *testing.T) {
	keep := snapshotEraseDelay
	snapshotEraseDelay = 10 * time.Millisecond
	defer func() { snapshotEraseDelay = keep }()
	r, st := loadedRegister(t)
	holds := func(id string) bool {
		found := false
		_, _, err := loadSnapshot(filepath.Join(r.dir, snapshotName), snapshotSink{need: func(register.Need) {},
			profile: func(p profile.Profile) { found = found || p.ID == id }})
		return err == nil && found
	}
	deadline := time.Now().Add(30 * time.Second)
	for !holds("p1") && time.Now().Before(deadline) { // the first snapshot, after the load
		time.Sleep(10 * time.Millisecond)
	}
	if !holds("p1") {
		t.Fatal("no snapshot holding p1 after the load")
	}
	if _, err := r.FollowProfiles(st.Profiles()).EraseProfile(context.Background(), "p1"); err != nil {
		t.Fatal(err)
	}
	for holds("p1") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if holds("p1") {
		t.Error("the snapshot still holds an erased profile while the register runs")
	}
}
