package pathway_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

var (
	start    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	officer  = auth.Principal{UserID: "officer-1", Role: auth.RoleOfficer}
	employer = auth.Principal{UserID: "employer-1", Role: auth.RoleEmployer}
)

func seeker(id string) auth.Principal { return auth.Principal{UserID: id, Role: auth.RoleJobseeker} }

func ptr(s string) *string { return &s }

// clock is the injected clock: fixed until the test moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// catalog is a fake skill catalog with a handful of skill ids.
type catalog map[string]bool

func (c catalog) KnownSkill(id string) bool { return c[id] }

var skills = catalog{"s-care": true, "s-hygiene": true, "s-first-aid": true, "s-comm": true, "s-bg": true}

// certifier is the test's adapter for pathway.ProfileWriter: a plain
// read-modify-write (compare-and-set, no retry) on the real profile store with the rule of
// pathway.MergeCertified. The product's adapter is wired by the app.
type certifier struct{ profiles store.Profiles }

func (c certifier) Certify(ctx context.Context, profileID string, granted []profile.Skill) error {
	p, err := c.profiles.Profile(ctx, profileID)
	if err != nil {
		return err
	}
	p.Skills = pathway.MergeCertified(p.Skills, granted)
	_, err = c.profiles.UpdateProfile(ctx, p)
	return err
}

type env struct {
	st    *store.Store
	svc   *pathway.Service
	clock *clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.Open(t)
	c := &clock{t: start}
	return &env{st: st, clock: c, svc: newService(st, st.Participants(), c)}
}

func newService(st *store.Store, pa pathway.Participants, c *clock) *pathway.Service {
	return pathway.NewService(st.Pathways(), pa, st.Profiles(), certifier{st.Profiles()}, skills, c.Now)
}

func (e *env) profile(t *testing.T, id string, sk ...profile.Skill) {
	t.Helper()
	p := profile.Profile{ID: id, DisplayName: "Person " + id, BirthYear: 2001, Municipality: "Haskovo", Skills: sk,
		CreatedAt: start, UpdatedAt: start}
	if _, err := e.st.Profiles().InsertProfile(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

func (e *env) skillsOf(t *testing.T, id string) []profile.Skill {
	t.Helper()
	p, err := e.st.Profiles().Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := slices.Clone(p.Skills)
	slices.SortFunc(out, func(a, b profile.Skill) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func text(bg, en string) map[string]string { return map[string]string{"bg": bg, "en": en} }

// carePath is a three-stage pathway: orientation (with two entry
// requirements), training and a first job, the last two granting skills.
func carePath() pathway.Pathway {
	return pathway.Pathway{
		Name: text("Път към професиите в грижата", "Care Career Path"),
		Stages: []pathway.Stage{
			{Key: "orientation", Name: text("Ориентиране", "Orientation"), Requirements: []pathway.Requirement{
				{Key: "medical", Name: text("Медицинско свидетелство", "Medical certificate")},
				{Key: "criminal-record", Name: text("Свидетелство за съдимост", "Criminal-record certificate")},
			}},
			{Key: "training", Name: text("Обучение", "Training"), GrantsSkills: []pathway.SkillGrant{
				{ID: "s-care", Level: 2}, {ID: "s-hygiene", Level: 1}, {ID: "s-first-aid", Level: 1}, {ID: "s-comm", Level: 2},
			}},
			{Key: "first_job", Name: text("Първа работа", "First job"), GrantsSkills: []pathway.SkillGrant{{ID: "s-care", Level: 3}}},
		},
	}
}

func (e *env) create(t *testing.T) pathway.Pathway {
	t.Helper()
	p, err := e.svc.Create(context.Background(), officer, carePath())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// active returns a pathway with an accepted participant u1.
func (e *env) active(t *testing.T, sk ...profile.Skill) pathway.Pathway {
	t.Helper()
	pw := e.create(t)
	e.profile(t, "u1", sk...)
	if _, err := e.svc.Enrol(context.Background(), officer, pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	return pw
}

func wantKind(t *testing.T, call string, err error, kind failure.Kind, code string) {
	t.Helper()
	fe, ok := failure.As(err)
	if !ok || fe.Kind != kind || (code != "" && fe.Code != code) {
		t.Fatalf("%s = %v, want kind %d code %q", call, err, kind, code)
	}
}

func TestOfficerOnlyActions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.create(t)
	e.profile(t, "u1")
	if _, err := e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func(by auth.Principal) error{
		"Create": func(by auth.Principal) error { _, err := e.svc.Create(ctx, by, carePath()); return err },
		"Accept": func(by auth.Principal) error { _, err := e.svc.Accept(ctx, by, pw.ID, "u1"); return err },
		"Progress": func(by auth.Principal) error {
			_, err := e.svc.Progress(ctx, by, pw.ID, "u1", pathway.Move{Stage: "orientation", Status: pathway.StageStarted})
			return err
		},
		"SetCheck": func(by auth.Principal) error {
			_, err := e.svc.SetCheck(ctx, by, pw.ID, "u1", "medical", true, "2026-03-01")
			return err
		},
		"Cohort": func(by auth.Principal) error { _, err := e.svc.Cohort(ctx, by, pw.ID); return err },
	}
	for name, call := range calls {
		for _, by := range []auth.Principal{seeker("u1"), employer} {
			t.Run(name+"/"+string(by.Role), func(t *testing.T) {
				wantKind(t, fmt.Sprintf("%s(%s)", name, by.Role), call(by), failure.Forbidden, "forbidden")
			})
		}
	}
	_, err := e.svc.Enrol(ctx, employer, pw.ID, "u1")
	wantKind(t, "Enrol(employer)", err, failure.Forbidden, "forbidden")
}

func TestCreateValidation(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *pathway.Pathway)
		want   []failure.FieldError
	}{
		{"no English name", func(p *pathway.Pathway) { delete(p.Name, "en") },
			[]failure.FieldError{{Field: "name.en", Code: "required"}}},
		{"blank Bulgarian name", func(p *pathway.Pathway) { p.Name["bg"] = "  " },
			[]failure.FieldError{{Field: "name.bg", Code: "required"}}},
		{"no stages", func(p *pathway.Pathway) { p.Stages = nil },
			[]failure.FieldError{{Field: "stages", Code: "range", Param: "1..20"}}},
		{"21 stages", func(p *pathway.Pathway) {
			p.Stages = nil
			for i := range 21 {
				p.Stages = append(p.Stages, pathway.Stage{Key: fmt.Sprint("s", i), Name: text("Етап", "Stage")})
			}
		}, []failure.FieldError{{Field: "stages", Code: "range", Param: "1..20"}}},
		{"stage key not a slug", func(p *pathway.Pathway) { p.Stages[0].Key = "Orientation stage" },
			[]failure.FieldError{{Field: "stages[0].key", Code: "slug"}}},
		{"stage key with a dot", func(p *pathway.Pathway) { p.Stages[0].Key = "a.b" },
			[]failure.FieldError{{Field: "stages[0].key", Code: "slug"}}},
		{"duplicate stage key", func(p *pathway.Pathway) { p.Stages[2].Key = "training" },
			[]failure.FieldError{{Field: "stages[2].key", Code: "unique"}}},
		{"stage without English name", func(p *pathway.Pathway) { p.Stages[1].Name = map[string]string{"bg": "Обучение"} },
			[]failure.FieldError{{Field: "stages[1].name.en", Code: "required"}}},
		{"unknown skill", func(p *pathway.Pathway) { p.Stages[1].GrantsSkills[0].ID = "s-juggling" },
			[]failure.FieldError{{Field: "stages[1].grantsSkills[0].id", Code: "unknown_skill"}}},
		{"skill granted twice in a stage", func(p *pathway.Pathway) { p.Stages[1].GrantsSkills[3].ID = "s-care" },
			[]failure.FieldError{{Field: "stages[1].grantsSkills[3].id", Code: "unique"}}},
		{"level 0 and 5", func(p *pathway.Pathway) {
			p.Stages[1].GrantsSkills[1].Level = 0
			p.Stages[2].GrantsSkills[0].Level = 5
		}, []failure.FieldError{
			{Field: "stages[1].grantsSkills[1].level", Code: "range", Param: "1..4"},
			{Field: "stages[2].grantsSkills[0].level", Code: "range", Param: "1..4"},
		}},
		{"requirement key repeated in another stage", func(p *pathway.Pathway) {
			p.Stages[1].Requirements = []pathway.Requirement{{Key: "medical", Name: text("Медицинско", "Medical")}}
		}, []failure.FieldError{{Field: "stages[1].requirements[0].key", Code: "unique"}}},
		{"requirement without names", func(p *pathway.Pathway) { p.Stages[0].Requirements[1].Name = nil },
			[]failure.FieldError{
				{Field: "stages[0].requirements[1].name.bg", Code: "required"},
				{Field: "stages[0].requirements[1].name.en", Code: "required"},
			}},
	}
	e := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := carePath()
			tt.change(&p)
			_, err := e.svc.Create(context.Background(), officer, p)
			fe, ok := failure.As(err)
			if !ok || fe.Kind != failure.Invalid {
				t.Fatalf("Create = %v, want Invalid", err)
			}
			if !reflect.DeepEqual(fe.Fields, tt.want) {
				t.Fatalf("Create fields = %+v, want %+v", fe.Fields, tt.want)
			}
		})
	}
	if got, _ := e.svc.List(context.Background()); len(got) != 0 {
		t.Fatalf("List after invalid creates = %d pathways, want 0", len(got))
	}
}

func TestCreateListGet(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	in := carePath()
	pw, err := e.svc.Create(ctx, officer, in)
	if err != nil {
		t.Fatal(err)
	}
	if pw.ID == "" || pw.CreatedBy != officer.UserID || !pw.CreatedAt.Equal(start) {
		t.Fatalf("Create = id %q by %q at %v, want an id, by %q at %v", pw.ID, pw.CreatedBy, pw.CreatedAt, officer.UserID, start)
	}
	in.Name["en"] = "changed by the caller afterwards"
	list, err := e.svc.List(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %d pathways, %v; want 1", len(list), err)
	}
	if !reflect.DeepEqual(list[0], pw) {
		t.Fatalf("List()[0] = %+v, want %+v", list[0], pw)
	}
	stored, err := e.st.Pathways().Pathway(ctx, pw.ID)
	if err != nil || !reflect.DeepEqual(stored, pw) {
		t.Fatalf("stored pathway = %+v, %v; want %+v", stored, err, pw)
	}
	if _, err := e.svc.Get(ctx, "nope"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("Get(nope) = %v, want NotFound", err)
	}
}

func TestEnrol(t *testing.T) {
	tests := []struct {
		name         string
		by           auth.Principal
		wantStatus   string
		wantAccepted bool
	}{
		{"job-seeker enrols self, pending", seeker("u1"), pathway.StatusPending, false},
		{"officer enrols someone, active", officer, pathway.StatusActive, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			pw := e.create(t)
			e.profile(t, "u1")
			p, err := e.svc.Enrol(context.Background(), tt.by, pw.ID, "u1")
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != tt.wantStatus || p.AcceptedAt.IsZero() == tt.wantAccepted || p.Version != 1 || !p.EnrolledAt.Equal(start) {
				t.Fatalf("Enrol = status %s accepted %v v%d enrolled %v; want %s, %v, v1, %v",
					p.Status, p.AcceptedAt, p.Version, p.EnrolledAt, tt.wantStatus, tt.wantAccepted, start)
			}
			stored, err := e.st.Participants().Participant(context.Background(), pw.ID, "u1")
			if err != nil || !reflect.DeepEqual(stored, p) {
				t.Fatalf("stored participant = %+v, %v; want %+v", stored, err, p)
			}
		})
	}
}

func TestEnrolRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.create(t)
	e.profile(t, "u1")
	e.profile(t, "u2")

	_, err := e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u2")
	wantKind(t, "Enrol(u1 enrols u2)", err, failure.Forbidden, "forbidden")

	_, err = e.svc.Enrol(ctx, officer, pw.ID, "no-profile")
	wantKind(t, "Enrol(no profile)", err, failure.Conflict, "no_profile")

	_, err = e.svc.Enrol(ctx, officer, "no-such-pathway", "u1")
	wantKind(t, "Enrol(unknown pathway)", err, failure.NotFound, "")

	if _, err := e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u1")
	wantKind(t, "Enrol(self, again)", err, failure.Conflict, "already_enrolled")
	_, err = e.svc.Enrol(ctx, officer, pw.ID, "u1")
	wantKind(t, "Enrol(officer, already enrolled)", err, failure.Conflict, "already_enrolled")
}

func TestAccept(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.create(t)
	e.profile(t, "u1")
	if _, err := e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "orientation", Status: pathway.StageStarted})
	wantKind(t, "Progress(pending)", err, failure.Conflict, "not_active")

	e.clock.Set(start.Add(time.Hour))
	p, err := e.svc.Accept(ctx, officer, pw.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != pathway.StatusActive || !p.AcceptedAt.Equal(start.Add(time.Hour)) || p.Version != 2 {
		t.Fatalf("Accept = %s accepted %v v%d, want active at %v v2", p.Status, p.AcceptedAt, p.Version, start.Add(time.Hour))
	}
	_, err = e.svc.Accept(ctx, officer, pw.ID, "u1")
	wantKind(t, "Accept(active)", err, failure.Conflict, "not_pending")
	_, err = e.svc.Accept(ctx, officer, pw.ID, "nobody")
	wantKind(t, "Accept(nobody)", err, failure.NotFound, "")
}

func TestProgressStartSetsCurrentStageMentorAndNextStep(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.active(t)
	p, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "orientation", Status: pathway.StageStarted,
		Mentor: ptr("Мария Иванова"), NextStep: ptr("Среща в понеделник")})
	if err != nil {
		t.Fatal(err)
	}
	if p.Stage != "orientation" || p.Stages["orientation"].Status != pathway.StageStarted ||
		!p.Stages["orientation"].StartedAt.Equal(start) || p.Mentor != "Мария Иванова" || p.NextStep != "Среща в понеделник" {
		t.Fatalf("Progress(start orientation) = %+v", p)
	}
	e.clock.Set(start.Add(24 * time.Hour))
	p, err = e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "training", Status: pathway.StageStarted, NextStep: ptr("")})
	if err != nil {
		t.Fatal(err)
	}
	if p.Stage != "training" || p.Mentor != "Мария Иванова" || p.NextStep != "" || p.Version != 3 {
		t.Fatalf("Progress(start training) = stage %s mentor %q next %q v%d; want training, mentor kept, next cleared, v3",
			p.Stage, p.Mentor, p.NextStep, p.Version)
	}
}

func TestProgressValidation(t *testing.T) {
	e := newEnv(t)
	pw := e.active(t)
	_, err := e.svc.Progress(context.Background(), officer, pw.ID, "u1", pathway.Move{Stage: "nope", Status: "done"})
	fe, ok := failure.As(err)
	if !ok || fe.Kind != failure.Invalid {
		t.Fatalf("Progress(bad move) = %v, want Invalid", err)
	}
	want := []failure.FieldError{
		{Field: "stage", Code: "oneof", Param: "orientation, training, first_job"},
		{Field: "status", Code: "oneof", Param: "started, completed"},
	}
	if !reflect.DeepEqual(fe.Fields, want) {
		t.Fatalf("Progress(bad move) fields = %+v, want %+v", fe.Fields, want)
	}
}

func TestCompletingStageCertifiesSkills(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.active(t,
		profile.Skill{ID: "s-care", Level: 1, Evidence: profile.EvidenceDeclared},    // lower: raised to 2, certified
		profile.Skill{ID: "s-hygiene", Level: 3, Evidence: profile.EvidenceDeclared}, // higher: kept as it is
		profile.Skill{ID: "s-comm", Level: 4, Evidence: profile.EvidenceCertified},   // higher and certified: stays
		profile.Skill{ID: "s-bg", Level: 4, Evidence: profile.EvidenceDeclared},      // not granted: untouched
	)
	if _, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "training", Status: pathway.StageStarted}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(start.Add(30 * 24 * time.Hour))
	p, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "training", Status: pathway.StageCompleted})
	if err != nil {
		t.Fatal(err)
	}
	sp := p.Stages["training"]
	if sp.Status != pathway.StageCompleted || !sp.StartedAt.Equal(start) || !sp.CompletedAt.Equal(start.Add(30*24*time.Hour)) {
		t.Fatalf("training progress = %+v, want completed, started %v, completed %v", sp, start, start.Add(30*24*time.Hour))
	}
	if p.Status != pathway.StatusActive || p.Stage != "training" {
		t.Fatalf("after a middle stage: status %s stage %s, want active, training", p.Status, p.Stage)
	}
	want := []profile.Skill{
		{ID: "s-bg", Level: 4, Evidence: profile.EvidenceDeclared},
		{ID: "s-care", Level: 2, Evidence: profile.EvidenceCertified},
		{ID: "s-comm", Level: 4, Evidence: profile.EvidenceCertified},
		{ID: "s-first-aid", Level: 1, Evidence: profile.EvidenceCertified},
		{ID: "s-hygiene", Level: 3, Evidence: profile.EvidenceDeclared},
	}
	if got := e.skillsOf(t, "u1"); !reflect.DeepEqual(got, want) {
		t.Fatalf("skills after training = %+v, want %+v", got, want)
	}
	_, err = e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "training", Status: pathway.StageStarted})
	wantKind(t, "Progress(restart completed stage)", err, failure.Conflict, "stage_completed")
}

func TestCompletingLastStageCompletesParticipant(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.active(t, profile.Skill{ID: "s-care", Level: 2, Evidence: profile.EvidenceCertified})
	for _, st := range []string{"orientation", "training"} {
		if _, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: st, Status: pathway.StageCompleted}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "first_job", Status: pathway.StageCompleted})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != pathway.StatusCompleted {
		t.Fatalf("after the last stage: status %s, want completed", p.Status)
	}
	got := e.skillsOf(t, "u1")
	if i := slices.IndexFunc(got, func(s profile.Skill) bool { return s.ID == "s-care" }); i < 0 ||
		got[i] != (profile.Skill{ID: "s-care", Level: 3, Evidence: profile.EvidenceCertified}) {
		t.Fatalf("skills after first job = %+v, want s-care at level 3 certified", got)
	}
	_, err = e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "orientation", Status: pathway.StageStarted})
	wantKind(t, "Progress(completed participant)", err, failure.Conflict, "not_active")

	// Completing a completed stage again re-runs the certification (the
	// repair for a certification that failed after the move was stored).
	p, err = e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "first_job", Status: pathway.StageCompleted, NextStep: ptr("проследяване след 6 месеца")})
	if err != nil {
		t.Fatalf("Progress(complete last stage again) = %v, want nil", err)
	}
	if p.Status != pathway.StatusCompleted || p.NextStep != "проследяване след 6 месеца" {
		t.Fatalf("after completing again: status %s next %q", p.Status, p.NextStep)
	}
}

// gate is the real participant store with a barrier behind reads: each
// Participant call returns only when n calls have read, so racing moves all
// read the same version before any of them writes.
type gate struct {
	store.Participants
	arrived sync.WaitGroup
}

func (g *gate) Participant(ctx context.Context, pathwayID, profileID string) (pathway.Participant, error) {
	p, err := g.Participants.Participant(ctx, pathwayID, profileID)
	g.arrived.Done()
	g.arrived.Wait()
	return p, err
}

func TestRacingProgressHasOneWinner(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.active(t)
	g := &gate{Participants: e.st.Participants()}
	g.arrived.Add(2)
	racing := newService(e.st, g, e.clock)
	if err := racing.Load(ctx); err != nil {
		t.Fatal(err)
	}
	moves := []pathway.Move{
		{Stage: "training", Status: pathway.StageCompleted},
		{Stage: "orientation", Status: pathway.StageStarted},
	}
	errs := make([]error, len(moves))
	var wg sync.WaitGroup
	for i, m := range moves {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = racing.Progress(ctx, officer, pw.ID, "u1", m)
		}()
	}
	wg.Wait()
	var won []int
	for i, err := range errs {
		switch {
		case err == nil:
			won = append(won, i)
		case !failure.Is(err, failure.Conflict):
			t.Fatalf("racing Progress(%+v) = %v, want nil or Conflict", moves[i], err)
		}
	}
	if len(won) != 1 {
		t.Fatalf("racing Progress errors = %v, want exactly one winner", errs)
	}
	p, err := e.st.Participants().Participant(ctx, pw.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 2 {
		t.Fatalf("stored version after the race = %d, want 2", p.Version)
	}
	certified := len(e.skillsOf(t, "u1")) > 0
	if trainingWon := won[0] == 0; certified != trainingWon {
		t.Fatalf("skills certified = %v, but the training completion won = %v: a lost move must not certify", certified, trainingWon)
	}
}

// TestManyRacingProgress races free-running moves: every one either wins
// or is a Conflict, and the stored version counts the winners.
func TestManyRacingProgress(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.active(t)
	const n = 12
	var mu sync.Mutex
	wins := 0
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.Progress(ctx, officer, pw.ID, "u1",
				pathway.Move{Stage: "orientation", Status: pathway.StageStarted, Mentor: ptr(fmt.Sprint("mentor ", i))})
			if err != nil && !failure.Is(err, failure.Conflict) {
				t.Errorf("Progress = %v, want nil or Conflict", err)
				return
			}
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	p, err := e.st.Participants().Participant(ctx, pw.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if wins == 0 || p.Version != int64(1+wins) {
		t.Fatalf("%d racing moves: %d won, stored version %d; want version 1+wins", n, wins, p.Version)
	}
	board, _ := e.svc.Cohort(ctx, officer, pw.ID)
	if board[0].Version != p.Version || board[0].Mentor != p.Mentor {
		t.Fatalf("cohort board = v%d %q, store = v%d %q; want equal", board[0].Version, board[0].Mentor, p.Version, p.Mentor)
	}
}

func TestSetCheckKeepsOnlyOutcomeAndDate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.create(t)
	e.profile(t, "u1")
	if _, err := e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetCheck(ctx, officer, pw.ID, "u1", "medical", true, "2026-03-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetCheck(ctx, officer, pw.ID, "u1", "criminal-record", false, "2026-03-02"); err != nil {
		t.Fatal(err)
	}
	p, err := e.st.Participants().Participant(ctx, pw.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]pathway.Check{
		"medical":         {Checked: true, On: "2026-03-01", By: officer.UserID},
		"criminal-record": {Checked: false, On: "2026-03-02", By: officer.UserID},
	}
	if !reflect.DeepEqual(p.Checks, want) {
		t.Fatalf("stored checks = %+v, want %+v", p.Checks, want)
	}

	_, err = e.svc.SetCheck(ctx, officer, pw.ID, "u1", "medical", true, "01.03.2026")
	wantKind(t, "SetCheck(bad date)", err, failure.Invalid, "validation")
	_, err = e.svc.SetCheck(ctx, officer, pw.ID, "u1", "medical", true, "2026-03-03")
	wantKind(t, "SetCheck(future date)", err, failure.Invalid, "validation")
	_, err = e.svc.SetCheck(ctx, officer, pw.ID, "u1", "driving-licence", true, "2026-03-01")
	wantKind(t, "SetCheck(unknown requirement)", err, failure.NotFound, "")
}

func TestCohortOrder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.create(t)
	other := e.create(t)
	enrol := func(id string, at time.Time, on pathway.Pathway) {
		t.Helper()
		e.profile(t, id)
		e.clock.Set(at)
		if _, err := e.svc.Enrol(ctx, officer, on.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	enrol("u-c", start.Add(2*time.Hour), pw)
	enrol("u-b", start.Add(time.Hour), pw)
	enrol("u-a", start.Add(time.Hour), pw)
	enrol("u-z", start, other)
	if _, err := e.svc.Progress(ctx, officer, pw.ID, "u-b", pathway.Move{Stage: "orientation", Status: pathway.StageStarted,
		Mentor: ptr("Мария"), NextStep: ptr("документи")}); err != nil {
		t.Fatal(err)
	}
	board, err := e.svc.Cohort(ctx, officer, pw.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range board {
		got = append(got, p.ProfileID)
	}
	if want := []string{"u-a", "u-b", "u-c"}; !slices.Equal(got, want) {
		t.Fatalf("Cohort order = %v, want %v", got, want)
	}
	if b := board[1]; b.Stage != "orientation" || b.Status != pathway.StatusActive || b.Mentor != "Мария" || b.NextStep != "документи" {
		t.Fatalf("Cohort u-b = stage %q status %s mentor %q next %q", b.Stage, b.Status, b.Mentor, b.NextStep)
	}
	if _, err := e.svc.Cohort(ctx, officer, "nope"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("Cohort(nope) = %v, want NotFound", err)
	}
}

func TestLoadRebuildsMemory(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.active(t)
	e.profile(t, "u2")
	if _, err := e.svc.Enrol(ctx, seeker("u2"), pw.ID, "u2"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "orientation", Status: pathway.StageCompleted, Mentor: ptr("Мария")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetCheck(ctx, officer, pw.ID, "u2", "medical", true, "2026-03-01"); err != nil {
		t.Fatal(err)
	}

	fresh := newService(e.st, e.st.Participants(), e.clock)
	if list, _ := fresh.List(ctx); len(list) != 0 {
		t.Fatalf("List before Load = %d pathways, want 0", len(list))
	}
	if err := fresh.Load(ctx); err != nil {
		t.Fatal(err)
	}
	wantList, _ := e.svc.List(ctx)
	gotList, _ := fresh.List(ctx)
	if !reflect.DeepEqual(gotList, wantList) {
		t.Fatalf("List after Load = %+v, want %+v", gotList, wantList)
	}
	wantBoard, _ := e.svc.Cohort(ctx, officer, pw.ID)
	gotBoard, err := fresh.Cohort(ctx, officer, pw.ID)
	if err != nil || !reflect.DeepEqual(gotBoard, wantBoard) {
		t.Fatalf("Cohort after Load = %+v, %v; want %+v", gotBoard, err, wantBoard)
	}
	if got, want := fresh.Of("u2"), e.svc.Of("u2"); !reflect.DeepEqual(got, want) {
		t.Fatalf("Of(u2) after Load = %+v, want %+v", got, want)
	}
}

func TestOfAndForget(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first := e.active(t)
	e.clock.Set(start.Add(time.Hour))
	second := e.create(t)
	if _, err := e.svc.Enrol(ctx, seeker("u1"), second.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	of := e.svc.Of("u1")
	if len(of) != 2 || of[0].PathwayID != first.ID || of[1].PathwayID != second.ID {
		t.Fatalf("Of(u1) = %+v, want %s then %s", of, first.ID, second.ID)
	}
	if got := e.svc.Of("nobody"); len(got) != 0 {
		t.Fatalf("Of(nobody) = %+v, want none", got)
	}
	if err := e.svc.Forget(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	if got := e.svc.Of("u1"); len(got) != 0 {
		t.Fatalf("Of(u1) after Forget = %+v, want none", got)
	}
	for _, pw := range []pathway.Pathway{first, second} {
		if _, err := e.st.Participants().Participant(ctx, pw.ID, "u1"); !failure.Is(err, failure.NotFound) {
			t.Fatalf("stored participant after Forget = %v, want NotFound", err)
		}
	}
}

func TestWithdraw(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pw := e.create(t)
	e.profile(t, "u1")
	if _, err := e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Withdraw(ctx, seeker("u2"), pw.ID, "u1")
	wantKind(t, "Withdraw(someone else)", err, failure.Forbidden, "forbidden")
	p, err := e.svc.Withdraw(ctx, seeker("u1"), pw.ID, "u1")
	if err != nil || p.Status != pathway.StatusWithdrawn {
		t.Fatalf("Withdraw(self) = %s, %v; want withdrawn", p.Status, err)
	}
	_, err = e.svc.Withdraw(ctx, officer, pw.ID, "u1")
	wantKind(t, "Withdraw(again)", err, failure.Conflict, "not_active")
	_, err = e.svc.Enrol(ctx, seeker("u1"), pw.ID, "u1")
	wantKind(t, "Enrol(after withdrawal)", err, failure.Conflict, "already_enrolled")
}

func TestMergeCertified(t *testing.T) {
	decl := func(id string, l int) profile.Skill {
		return profile.Skill{ID: id, Level: l, Evidence: profile.EvidenceDeclared}
	}
	cert := func(id string, l int) profile.Skill {
		return profile.Skill{ID: id, Level: l, Evidence: profile.EvidenceCertified}
	}
	from := func(s profile.Skill, source string) profile.Skill { s.Source = source; return s }
	tests := []struct {
		name         string
		have, grants []profile.Skill
		want         []profile.Skill
	}{
		{"adds a missing skill", nil, []profile.Skill{cert("a", 2)}, []profile.Skill{cert("a", 2)}},
		{"raises a lower one", []profile.Skill{decl("a", 1)}, []profile.Skill{cert("a", 3)}, []profile.Skill{cert("a", 3)}},
		{"certifies an equal one", []profile.Skill{decl("a", 2)}, []profile.Skill{cert("a", 2)}, []profile.Skill{cert("a", 2)}},
		{"keeps a higher declared one", []profile.Skill{decl("a", 4)}, []profile.Skill{cert("a", 2)}, []profile.Skill{decl("a", 4)}},
		{"keeps a higher certified one", []profile.Skill{cert("a", 4)}, []profile.Skill{cert("a", 2)}, []profile.Skill{cert("a", 4)}},
		{"leaves others", []profile.Skill{decl("b", 1)}, []profile.Skill{cert("a", 1)}, []profile.Skill{decl("b", 1), cert("a", 1)}},
		// Where the person did it is their word: certifying keeps it.
		{"a raised one keeps its source", []profile.Skill{from(decl("a", 1), profile.SourceWork)}, []profile.Skill{cert("a", 3)}, []profile.Skill{from(cert("a", 3), profile.SourceWork)}},
		{"a higher one keeps its source", []profile.Skill{from(cert("a", 4), profile.SourceSchool)}, []profile.Skill{cert("a", 2)}, []profile.Skill{from(cert("a", 4), profile.SourceSchool)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.have)
			got := pathway.MergeCertified(tt.have, tt.grants)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("MergeCertified(%v, %v) = %v, want %v", tt.have, tt.grants, got, tt.want)
			}
			if !reflect.DeepEqual(tt.have, before) {
				t.Fatalf("MergeCertified changed its input: %v, want %v", tt.have, before)
			}
		})
	}
}

// TestCertifyFailureLeavesRepairPath: a certification that fails after
// the move was stored leaves the stage completed, and completing it again
// certifies.
func TestCertifyFailureLeavesRepairPath(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	c := &clock{t: start}
	w := &flaky{certifier: certifier{st.Profiles()}, fail: true}
	svc := pathway.NewService(st.Pathways(), st.Participants(), st.Profiles(), w, skills, c.Now)
	e := &env{st: st, svc: svc, clock: c}
	pw := e.active(t)
	move := pathway.Move{Stage: "training", Status: pathway.StageCompleted}
	if _, err := svc.Progress(ctx, officer, pw.ID, "u1", move); err == nil || failure.KindOf(err) != failure.Internal {
		t.Fatalf("Progress with failing certification = %v, want an internal error", err)
	}
	w.fail = false
	if _, err := svc.Progress(ctx, officer, pw.ID, "u1", move); err != nil {
		t.Fatalf("Progress(complete again) = %v, want nil", err)
	}
	if got := e.skillsOf(t, "u1"); len(got) != 4 {
		t.Fatalf("skills after the repair = %+v, want the 4 granted by training", got)
	}
}

// flaky is the test's adapter that fails while fail is set.
type flaky struct {
	certifier
	fail bool
}

func (f *flaky) Certify(ctx context.Context, id string, sk []profile.Skill) error {
	if f.fail {
		return errors.New("profile store unavailable")
	}
	return f.certifier.Certify(ctx, id, sk)
}
