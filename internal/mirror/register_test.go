package mirror_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/mirror"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// journal is a subscriber that writes down what it is told, in order, as
// "kind id old→new" lines: the register's contract with the search index.
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) add(format string, args ...any) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, fmt.Sprintf(format, args...))
	return nil
}

func (j *journal) take() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := j.lines
	j.lines = nil
	return out
}

func version[T any](old *T, seq func(T) int64) int64 {
	if old == nil {
		return 0
	}
	return seq(*old)
}

func needSeq(n register.Need) int64         { return n.Seq }
func profileSeq(p profile.Profile) int64    { return p.Seq }
func employerSeq(e register.Employer) int64 { return e.Version }

func (j *journal) NeedChanged(old *register.Need, n register.Need, deleted bool) error {
	return j.add("need %s %d→%d deleted=%v", n.ID, version(old, needSeq), n.Seq, deleted)
}

func (j *journal) NeedPassed(seq int64) error { return j.add("need passed %d", seq) }

func (j *journal) ProfileChanged(old *profile.Profile, p profile.Profile, erased bool) error {
	return j.add("profile %s %d→%d erased=%v", p.ID, version(old, profileSeq), p.Seq, erased)
}

func (j *journal) EmployerChanged(old *register.Employer, e register.Employer) error {
	return j.add("employer %s v%d→v%d verified=%v", e.ID, version(old, employerSeq), e.Version, e.Verified)
}

// replica is one replica's register over a shared store, loaded, with a
// journal subscribed.
type replica struct {
	reg *mirror.Register
	j   *journal
}

func openReplica(t *testing.T, st *store.Store, dir string) replica {
	t.Helper()
	reg, err := mirror.New(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reg.Close() })
	j := &journal{}
	reg.Subscribe(j)
	if err := reg.Load(context.Background(), st.Source(), -1, nil); err != nil {
		t.Fatal(err)
	}
	return replica{reg, j}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func need(id string) register.Need {
	return register.Need{ID: id, EmployerID: "e1", Kind: register.KindJob, Title: "Nurse", Status: register.StatusOpen,
		Skills: []register.SkillRequirement{{ID: "care", Level: 2}}}
}

func seeker(id string) profile.Profile {
	return profile.Profile{ID: id, BirthYear: 1990, Skills: []profile.Skill{{ID: "care", Level: 3}},
		Consent: profile.Consent{Matching: true}}
}

// apply fails the test on the first error of writes applied in the
// order of the arguments (Go evaluates them left to right).
func apply(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func mustEqual(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// Writes of one document that reach the register out of order — the
// store's newer version first — leave the newer one held, and a deletion
// stays a deletion when an older edit arrives after it. Subscribers hear
// of each older write only as a passed sequence.
func TestRegisterKeepsOnlyNewerVersions(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	r := openReplica(t, st, "")
	v1, err := st.Needs().InsertNeed(ctx, need("n1"))
	if err != nil {
		t.Fatal(err)
	}
	edit := v1
	edit.Title = "Midwife"
	v2, err := st.Needs().UpdateNeed(ctx, edit)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, r.reg.ApplyNeed(v2, false), r.reg.ApplyNeed(v1, false))
	if n, ok := r.reg.Need("n1"); !ok || n.Title != "Midwife" {
		t.Errorf("need after the newer then the older version = %q (held %v), want Midwife", n.Title, ok)
	}
	tomb, err := st.Needs().DeleteNeed(ctx, "n1")
	if err != nil {
		t.Fatal(err)
	}
	apply(t, r.reg.ApplyNeed(tomb, true), r.reg.ApplyNeed(v2, false))
	if _, ok := r.reg.Need("n1"); ok {
		t.Error("a deleted need is held again after an older edit arrived")
	}
	mustEqual(t, "subscriber told", r.j.take(), []string{
		fmt.Sprintf("need n1 0→%d deleted=false", v2.Seq),
		fmt.Sprintf("need passed %d", v1.Seq),
		fmt.Sprintf("need n1 %d→%d deleted=true", v2.Seq, tomb.Seq),
		fmt.Sprintf("need passed %d", v2.Seq),
	})
	if needs, _ := r.reg.Marks(); needs != tomb.Seq {
		t.Errorf("needs' mark = %d, want %d: every sequence up to the deletion was seen", needs, tomb.Seq)
	}

	// Profiles: an erasure is not undone by an edit that lost the race.
	p1, err := st.Profiles().InsertProfile(ctx, seeker("p1"))
	if err != nil {
		t.Fatal(err)
	}
	erased, err := st.Profiles().EraseProfile(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	apply(t, r.reg.ApplyProfile(erased, true), r.reg.ApplyProfile(p1, false))
	if _, ok := r.reg.Profile("p1"); ok {
		t.Error("an erased person is held again after an older edit arrived")
	}
	mustEqual(t, "subscriber told of the profile", r.j.take(), []string{fmt.Sprintf("profile p1 0→%d erased=true", erased.Seq)})
}

// Writes through the followers reach the register — and its subscribers,
// in the order they were made, with the version each replaces — before
// the write returns.
func TestFollowersTellSubscribersInOrder(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	r := openReplica(t, st, "")
	employers, needs, profiles := r.reg.FollowEmployers(st.Employers()), r.reg.FollowNeeds(st.Needs()), r.reg.FollowProfiles(st.Profiles())
	if err := employers.InsertEmployer(ctx, register.Employer{ID: "e1", EIK: "e1", Name: "Clinic", Verified: true, Version: 1}); err != nil {
		t.Fatal(err)
	}
	n1, err := needs.InsertNeed(ctx, need("n1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.reg.Need("n1"); !ok {
		t.Fatal("a need inserted through the follower is not held when the insert returns")
	}
	p1, err := profiles.InsertProfile(ctx, seeker("p1"))
	if err != nil {
		t.Fatal(err)
	}
	p1.Consent.Matching = false
	p1b, err := profiles.UpdateProfile(ctx, p1)
	if err != nil {
		t.Fatal(err)
	}
	erased, err := profiles.EraseProfile(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := r.reg.Employer("e1")
	e.Verified = false
	e2, err := employers.UpdateEmployer(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	tomb, err := needs.DeleteNeed(ctx, "n1")
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "subscriber told", r.j.take(), []string{
		"employer e1 v0→v1 verified=true",
		fmt.Sprintf("need n1 0→%d deleted=false", n1.Seq),
		fmt.Sprintf("profile p1 0→%d erased=false", p1.Seq),
		fmt.Sprintf("profile p1 %d→%d erased=false", p1.Seq, p1b.Seq),
		fmt.Sprintf("profile p1 %d→%d erased=true", p1b.Seq, erased.Seq),
		fmt.Sprintf("employer e1 v1→v%d verified=false", e2.Version),
		fmt.Sprintf("need n1 %d→%d deleted=true", n1.Seq, tomb.Seq),
	})
	ns, ps, es := r.reg.Contents()
	if len(ns) != 0 || len(ps) != 0 || len(es) != 1 || es[0].Verified {
		t.Errorf("Contents = %d needs, %d profiles, employers %+v; want none, none, e1 unverified", len(ns), len(ps), es)
	}
}

// Two replicas on one store: B learns of A's writes only by polling, and
// applies each once, telling its own subscribers.
func TestPollAppliesAnotherReplicasWrites(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	a, b := openReplica(t, st, ""), openReplica(t, st, "")
	poll := func(want int) {
		t.Helper()
		n, err := b.reg.Poll(ctx, st.Source())
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("Poll applied %d documents, want %d", n, want)
		}
	}
	if err := a.reg.FollowEmployers(st.Employers()).InsertEmployer(ctx, register.Employer{ID: "e1", EIK: "e1", Name: "Clinic", Verified: true, Version: 1}); err != nil {
		t.Fatal(err)
	}
	n1, err := a.reg.FollowNeeds(st.Needs()).InsertNeed(ctx, need("n1"))
	if err != nil {
		t.Fatal(err)
	}
	p1, err := a.reg.FollowProfiles(st.Profiles()).InsertProfile(ctx, seeker("p1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.reg.Need("n1"); ok {
		t.Fatal("B holds A's need before polling: the test must see the poll work")
	}
	poll(3)
	if _, ok := b.reg.Need("n1"); !ok {
		t.Error("B does not hold A's need after polling")
	}
	if p, ok := b.reg.Profile("p1"); !ok || p.Seq != p1.Seq {
		t.Errorf("B holds p1 = %v (seq %d) after polling, want seq %d", ok, p.Seq, p1.Seq)
	}
	poll(0) // nothing new: nothing applied twice
	erased, err := a.reg.FollowProfiles(st.Profiles()).EraseProfile(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	poll(1)
	if _, ok := b.reg.Profile("p1"); ok {
		t.Error("an erasure on A is not applied on B at its next poll")
	}
	mustEqual(t, "B's subscriber told", b.j.take(), []string{
		"employer e1 v0→v1 verified=true",
		fmt.Sprintf("need n1 0→%d deleted=false", n1.Seq),
		fmt.Sprintf("profile p1 0→%d erased=false", p1.Seq),
		fmt.Sprintf("profile p1 %d→%d erased=true", p1.Seq, erased.Seq),
	})
	an, ap := a.reg.Marks()
	if bn, bp := b.reg.Marks(); an != bn || ap != bp {
		t.Errorf("B's marks %d, %d after polling, A's %d, %d", bn, bp, an, ap)
	}
}

// A restart loads the snapshot and reads from the store only what was
// written past its marks, and holds what it held before.
func TestLoadReadsOnlyPastTheSnapshot(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	dir := t.TempDir()
	first, err := mirror.New(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Load(ctx, st.Source(), -1, nil); err != nil {
		t.Fatal(err)
	}
	first.StartSnapshots()
	profiles := first.FollowProfiles(st.Profiles())
	for i := range 3 {
		if _, err := profiles.InsertProfile(ctx, seeker(fmt.Sprintf("p%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := first.FollowNeeds(st.Needs()).InsertNeed(ctx, need("n1")); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil { // writes the last snapshot
		t.Fatal(err)
	}
	needMark, profMark := first.Marks()
	if _, err := st.Profiles().InsertProfile(ctx, seeker("late")); err != nil { // past the snapshot
		t.Fatal(err)
	}
	again, err := mirror.New(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = again.Close() })
	if n, p := again.DurableMarks(); n != needMark || p != profMark || n == 0 {
		t.Errorf("durable marks before the load = %d, %d, want the snapshot's %d, %d (the retention command reads them)", n, p, needMark, profMark)
	}
	var loaded mirror.Loaded
	if err := again.Load(ctx, st.Source(), -1, func(l mirror.Loaded) error { loaded = l; return nil }); err != nil {
		t.Fatal(err)
	}
	if loaded.ProfilesLoaded != 1 {
		t.Errorf("the restart read %d profiles from the store, want 1 (the one past the snapshot)", loaded.ProfilesLoaded)
	}
	ns, ps, _ := again.Contents()
	if len(ns) != 1 || len(ps) != 4 {
		t.Errorf("after the restart %d needs and %d profiles are held, want 1 and 4", len(ns), len(ps))
	}
}

// failing is a subscriber whose need writes fail, as a full disk fails the
// search index's.
type failing struct{ journal }

func (*failing) NeedChanged(*register.Need, register.Need, bool) error {
	return errors.New("no space left on device")
}

// A subscriber's failed write does not fail the store write, which
// stands and is held; the register reports the lag until a restart.
func TestFailedSubscriberWriteIsReportedNotReturned(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	r := openReplica(t, st, "")
	if err := r.reg.Ready(); err != nil {
		t.Fatalf("Ready after the load = %v", err)
	}
	r.reg.Subscribe(&failing{})
	if _, err := r.reg.FollowNeeds(st.Needs()).InsertNeed(ctx, need("n1")); err != nil {
		t.Fatalf("InsertNeed = %v: a failed index write must not fail the stored write", err)
	}
	if _, ok := r.reg.Need("n1"); !ok {
		t.Error("the need is not held after its subscriber write failed")
	}
	if err := r.reg.Ready(); err == nil || !strings.Contains(err.Error(), "1 index writes failed") {
		t.Errorf("Ready after a failed subscriber write = %v, want the lag reported", err)
	}
	if len(r.j.take()) != 1 {
		t.Error("the other subscriber was not told because one failed")
	}
}
