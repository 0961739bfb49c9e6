package personaldata_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/personaldata"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// clock is the injected clock: fixed until the test moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type noSkills struct{}

func (noSkills) KnownSkill(string) bool { return false }

var (
	officer = auth.Principal{UserID: "u-officer", Role: auth.RoleOfficer}
	seeker  = auth.Principal{UserID: "u1", Role: auth.RoleJobseeker}
)

// TestExportGathersEveryDomain: the export, on the real store with a
// fixed clock and the real profile, match and pathway services, is one
// value holding the account without its password hash, the profile, the
// reads of it, the person's own matches as they may see them (with the
// employer's access period, without the officer's id or internal note),
// their pathway records, and the day that decides what is overdue; other
// people's records are not in it, and only a job-seeker has one.
func TestExportGathersEveryDomain(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC)}
	matches := match.NewService(st.Matches(), nil, st.Employers(), st.Profiles(), c.Now)
	pathways := pathway.NewService(st.Pathways(), st.Participants(), st.Profiles(), nil, noSkills{}, c.Now)
	profiles := profile.NewService(st.Profiles(), st.Audit(), st.Users(), noSkills{}, profile.Erasure{}, matches, c.Now)
	svc := personaldata.NewService(profiles, matches, pathways)

	if err := st.Users().InsertUser(ctx, auth.User{ID: "u1", Email: "z@x.bg", Role: auth.RoleJobseeker, Name: "Zlatka",
		PasswordHash: "argon2id$secret", CreatedAt: c.Now()}); err != nil {
		t.Fatal(err)
	}
	need := register.Need{ID: "n1", EmployerID: "e1", Kind: register.KindJob, StartDate: "2027-01-15", Status: register.StatusOpen}
	var mine match.Match
	for _, id := range []string{"u1", "u2"} {
		p := profile.Profile{ID: id, DisplayName: "Person " + id, BirthDate: "1990-05", Municipality: "Haskovo"}
		if _, err := st.Profiles().InsertProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		m, err := matches.Propose(ctx, officer, need, p, "r1")
		if err != nil {
			t.Fatal(err)
		}
		if id == "u1" {
			mine = m
		}
	}
	if _, err := matches.Move(ctx, officer, mine.ID, match.Step{To: match.Referred, Note: "call her", Visibility: match.NoteInternal}); err != nil {
		t.Fatal(err)
	}
	if _, err := profiles.ReadFull(ctx, officer, "u1", profile.Asked{Purpose: profile.PurposeSupport}); err != nil {
		t.Fatal(err)
	}
	pw, err := pathways.Create(ctx, officer, pathway.Pathway{Name: map[string]string{"bg": "Път", "en": "Path"},
		Stages: []pathway.Stage{{Key: "orientation", Name: map[string]string{"bg": "Ориентиране", "en": "Orientation"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pathways.Enrol(ctx, seeker, pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}

	e, err := svc.Export(ctx, seeker)
	if err != nil {
		t.Fatal(err)
	}
	if e.Account.ID != "u1" || e.Account.PasswordHash != "" || e.Account.Name != "Zlatka" {
		t.Errorf("account = %+v; want u1 without its password hash", e.Account)
	}
	if e.Profile == nil || e.Profile.ID != "u1" {
		t.Errorf("profile = %+v; want u1's", e.Profile)
	}
	if len(e.Views) != 1 || e.Views[0].Purpose != profile.PurposeSupport || e.Views[0].Organisation != profile.LabourOffice {
		t.Errorf("views = %+v; want the officer's one read", e.Views)
	}
	if !e.GeneratedAt.Equal(c.Now()) || e.Today != "2026-12-07" {
		t.Errorf("generated %v, today %q; want the clock's %v and 2026-12-07", e.GeneratedAt, e.Today, c.Now())
	}
	if len(e.Matches) != 1 || e.Matches[0].ID != mine.ID {
		t.Fatalf("matches = %+v; want only u1's %s", e.Matches, mine.ID)
	}
	a, ok := e.Matches[0].Access()
	if !ok || !a.From.Equal(c.Now()) || a.Until != nil {
		t.Errorf("employer access = %+v, %v; want from the referral at %v, open-ended", a, ok, c.Now())
	}
	for _, ev := range e.Matches[0].History {
		if ev.By == officer.UserID || strings.Contains(ev.Note, "call her") {
			t.Errorf("the export shows the office's inside: %+v", ev)
		}
	}
	if len(e.Pathways) != 1 || e.Pathways[0].PathwayID != pw.ID || e.Pathways[0].ProfileID != "u1" {
		t.Errorf("pathways = %+v; want u1's enrolment in %s", e.Pathways, pw.ID)
	}

	for _, by := range []auth.Principal{officer, {UserID: "u-emp", Role: auth.RoleEmployer}} {
		if _, err := svc.Export(ctx, by); !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s exports: %v, want Forbidden", by.Role, err)
		}
	}
}
