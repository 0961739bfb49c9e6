package app_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// hotWorld is two replicas of the wired product on one store: A writes,
// B follows A's writes only by polling.
type hotWorld struct {
	a, b            *apptest.Env
	member, officer auth.Principal
	anyone          auth.Principal
	employer        register.Employer
	skill           string
	now             func() time.Time // both replicas' clock
}

func newHotWorld(t testing.TB) *hotWorld {
	t.Helper()
	if testing.Short() {
		t.Skip("loading the taxonomy takes seconds")
	}
	ctx := context.Background()
	st := storetest.Open(t)
	today := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return today }
	w := &hotWorld{a: apptest.Open(t, apptest.Options{Store: st, Now: now}), b: apptest.Open(t, apptest.Options{Store: st, Now: now}),
		member: auth.Principal{UserID: "u-member", Role: auth.RoleEmployer}, officer: auth.Principal{UserID: "u-officer", Role: auth.RoleOfficer},
		now: now}
	if err := st.Users().InsertUser(ctx, auth.User{ID: w.member.UserID, Email: "member@example.bg", Role: auth.RoleEmployer, Name: "M"}); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.employer, err = w.a.Services.Register.CreateEmployer(ctx, w.member, register.Employer{Name: "Clinic", EIK: hotEIK(), Municipality: "Хасково"}); err != nil {
		t.Fatal(err)
	}
	for _, h := range w.a.Taxonomy.SuggestSkills("care", "en", 1) {
		w.skill = h.ID
	}
	return w
}

func hotEIK() string {
	for n := 131313130; ; n++ {
		if e := strconv.Itoa(n); register.ValidEIK(e) {
			return e
		}
	}
}

func (w *hotWorld) createNeed(t testing.TB) register.Need {
	t.Helper()
	n, err := w.a.Services.Register.CreateNeed(context.Background(), w.member, register.Need{EmployerID: w.employer.ID,
		Kind: register.KindJob, Title: "Медицинска сестра", Sector: "healthcare",
		Skills:   []register.SkillRequirement{{ID: w.skill, Level: 2, Required: true}},
		Location: register.Location{Municipality: "Хасково", Lat: 41.934, Lon: 25.555}, WorkMode: "onsite", Positions: 1,
		Hours: "full_time", StartDate: "2027-01-15", ApplyBy: "2026-12-31", Status: register.StatusOpen})
	if err != nil {
		t.Fatalf("create need: %v", err)
	}
	return n
}

func (w *hotWorld) decide(t testing.TB, env *apptest.Env, verified bool) {
	t.Helper()
	d := register.Decision{Verified: verified}
	if !verified {
		d.Reason = "struck off the Commercial Register"
	}
	if _, err := env.Services.Register.Decide(context.Background(), w.officer, w.employer.ID, d); err != nil {
		t.Fatal(err)
	}
}

func (w *hotWorld) patch(t *testing.T, env *apptest.Env, id string, p register.NeedPatch) register.Need {
	t.Helper()
	n, err := env.Services.Register.UpdateNeed(context.Background(), w.member, id, p)
	if err != nil {
		t.Fatalf("update need: %v", err)
	}
	return n
}

// wantNeed reads need id on env as who and checks the title it sees, or,
// with title "", that it is not found.
func wantNeed(t *testing.T, what string, env *apptest.Env, who auth.Principal, id, title string) {
	t.Helper()
	n, err := env.Services.Register.Need(context.Background(), who, id)
	switch {
	case title == "" && !failure.Is(err, failure.NotFound):
		t.Errorf("%s: Need = %q, %v; want not found", what, n.Title, err)
	case title != "" && (err != nil || n.Title != title):
		t.Errorf("%s: Need = %q, %v; want title %q", what, n.Title, err, title)
	}
}

// The key read answers from the replica's memory, and on the replica that
// wrote, every write is seen by the very next read (read-your-writes):
// a draft or an unverified employer's need stays hidden from the public,
// a verification, an edit, a close and a deletion show at once.
func TestHotReadsSeeOwnWritesAtOnce(t *testing.T) {
	w := newHotWorld(t)
	ctx := context.Background()
	n := w.createNeed(t)
	if _, ok := w.a.Index.Need(n.ID); !ok {
		t.Fatal("the need is not in A's memory after its create: the read would not come from memory")
	}
	wantNeed(t, "member, just created", w.a, w.member, n.ID, "Медицинска сестра")
	wantNeed(t, "anyone, employer not verified", w.a, w.anyone, n.ID, "")
	w.decide(t, w.a, true)
	wantNeed(t, "anyone, just verified", w.a, w.anyone, n.ID, "Медицинска сестра")
	title := "Старша медицинска сестра"
	w.patch(t, w.a, n.ID, register.NeedPatch{Title: &title})
	wantNeed(t, "anyone, just retitled", w.a, w.anyone, n.ID, title)
	if _, err := w.a.Services.Register.ManagedNeed(ctx, w.anyone, n.ID); !failure.Is(err, failure.Forbidden) {
		t.Errorf("ManagedNeed by anyone = %v, want forbidden (a public need, not theirs)", err)
	}
	closed := register.StatusClosed
	w.patch(t, w.a, n.ID, register.NeedPatch{Status: &closed})
	wantNeed(t, "anyone, just closed", w.a, w.anyone, n.ID, "")
	wantNeed(t, "member, just closed", w.a, w.member, n.ID, title)
	if err := w.a.Services.Register.DeleteNeed(ctx, w.member, n.ID); err != nil {
		t.Fatal(err)
	}
	wantNeed(t, "member, just deleted", w.a, w.member, n.ID, "")
	wantNeed(t, "officer, just deleted", w.a, w.officer, n.ID, "")
}

// Another replica's reads are as fresh as its last poll: B answers a need
// it has not polled yet from the store (never a false 404), holds A's
// older version until it polls (the staleness SKILLSMATCH_FOLLOW_EVERY
// bounds), and applies A's edit, close and withdrawn verification at its
// next poll. A read-modify-write on B starts from the stored version, not
// from B's older memory.
func TestHotReadsOfAnotherReplicaAfterPoll(t *testing.T) {
	w := newHotWorld(t)
	ctx := context.Background()
	poll := func() {
		t.Helper()
		if _, err := w.b.Index.Register().Poll(ctx, w.b.Store.Source()); err != nil {
			t.Fatal(err)
		}
	}
	w.decide(t, w.a, true)
	n := w.createNeed(t)
	wantNeed(t, "B, not yet polled", w.b, w.anyone, n.ID, "Медицинска сестра")
	poll()
	if _, ok := w.b.Index.Need(n.ID); !ok {
		t.Fatal("the need is not in B's memory after its poll")
	}
	title := "Старша медицинска сестра"
	w.patch(t, w.a, n.ID, register.NeedPatch{Title: &title})
	wantNeed(t, "B before its poll (memory, one poll behind)", w.b, w.anyone, n.ID, "Медицинска сестра")
	positions := 3
	got := w.patch(t, w.b, n.ID, register.NeedPatch{Positions: &positions})
	if got.Title != title || got.Positions != 3 {
		t.Errorf("B's edit before its poll = %q, %d positions; want A's title kept (the edit reads the store) and 3", got.Title, got.Positions)
	}
	poll()
	wantNeed(t, "B after its poll", w.b, w.anyone, n.ID, title)
	closed := register.StatusClosed
	w.patch(t, w.a, n.ID, register.NeedPatch{Status: &closed})
	poll()
	wantNeed(t, "anyone on B after A closed it", w.b, w.anyone, n.ID, "")
	open := register.StatusOpen
	w.patch(t, w.a, n.ID, register.NeedPatch{Status: &open})
	poll()
	wantNeed(t, "anyone on B after A reopened it", w.b, w.anyone, n.ID, title)
	w.decide(t, w.a, false)
	poll()
	wantNeed(t, "anyone on B after A withdrew the verification", w.b, w.anyone, n.ID, "")
	wantNeed(t, "member on B after A withdrew the verification", w.b, w.member, n.ID, title)
}

// What the hot reads answer from memory is what the store holds, field
// for field, on the replica that wrote (its followers), on another one
// (its poll) and after a restart (the start-up catch-up): a need with
// every field set, its employer, and a job-seeker's own profile.
func TestFollowedCopiesAreTheStoredOnes(t *testing.T) {
	w := newHotWorld(t)
	ctx := context.Background()
	w.decide(t, w.a, true)
	lvl := 3
	n, err := w.a.Services.Register.CreateNeed(ctx, w.member, register.Need{EmployerID: w.employer.ID,
		Kind: register.KindJob, Title: "Медицинска сестра", Description: "Нощни смени в отделение.", Sector: "healthcare",
		Skills:    []register.SkillRequirement{{ID: w.skill, Level: 2, Required: true}},
		Languages: []register.Language{{Code: "bg", Level: "C1"}}, EducationLevel: &lvl,
		Location: register.Location{Municipality: "Хасково", Lat: 41.934, Lon: 25.555}, WorkMode: "onsite", Positions: 2,
		Hours: "full_time", StartDate: "2027-01-15", EndDate: "2027-12-31", ApplyBy: "2026-12-31", Status: register.StatusOpen,
		NightWork: true, Pay: &register.PayRange{Min: 1500, Max: 1900}})
	if err != nil {
		t.Fatalf("create need: %v", err)
	}
	seeker := auth.Principal{UserID: "u-seeker", Role: auth.RoleJobseeker}
	if _, err := w.a.Services.Profiles.Put(ctx, seeker, profile.Profile{DisplayName: "Мария Петрова", BirthYear: 1995,
		Phone: "+359888123456", Municipality: "Хасково", Lat: 41.93, Lon: 25.55, MaxTravelKm: 40, WorkModes: []string{"onsite"},
		Skills: []profile.Skill{{ID: w.skill, Level: 3}}, EducationLevel: 3, AvailableFrom: "2026-01-01", Hours: "any",
		Summary: "Искам да работя в грижата.", Consent: profile.Consent{Matching: true}}); err != nil {
		t.Fatalf("put profile: %v", err)
	}
	if _, err := w.b.Index.Register().Poll(ctx, w.b.Store.Source()); err != nil {
		t.Fatal(err)
	}
	restarted := apptest.Open(t, apptest.Options{Store: w.a.Store, Now: w.now})
	storedNeed, err := w.a.Store.Needs().Need(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	storedEmployer, err := w.a.Store.Employers().Employer(ctx, w.employer.ID)
	if err != nil {
		t.Fatal(err)
	}
	storedProfile, err := w.a.Store.Profiles().Profile(ctx, seeker.UserID)
	if err != nil {
		t.Fatal(err)
	}
	for name, env := range map[string]*apptest.Env{"the writer": w.a, "another replica": w.b, "after a restart": restarted} {
		got, err := env.Services.Register.Need(ctx, w.anyone, n.ID)
		if err != nil || !reflect.DeepEqual(got, storedNeed) {
			t.Errorf("%s: key read = %+v, %v\nwant the stored %+v", name, got, err, storedNeed)
		}
		if e, _ := env.Index.Register().Employer(w.employer.ID); !reflect.DeepEqual(e.Members, storedEmployer.Members) || e.Verified != storedEmployer.Verified {
			t.Errorf("%s: employer in memory = %+v, want the stored members and verification of %+v", name, e, storedEmployer)
		}
		p, err := env.Services.Profiles.Mine(ctx, seeker)
		if err != nil || !reflect.DeepEqual(p, storedProfile) {
			t.Errorf("%s: own profile = %+v, %v\nwant the stored %+v", name, p, err, storedProfile)
		}
	}
}
