package profile_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// clock is the injected clock: fixed until the test moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type catalog map[string]bool

func (c catalog) KnownSkill(id string) bool { return c[id] }

var (
	today   = time.Date(2026, 5, 14, 10, 0, 0, 0, time.UTC)
	officer = auth.Principal{UserID: "officer-1", Role: auth.RoleOfficer}
)

type env struct {
	st    *store.Store
	svc   *profile.Service
	clock *clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.Open(t)
	c := &clock{t: today}
	return &env{st: st, clock: c, svc: profile.NewService(st.Profiles(), st.Audit(), st.Users(), catalog{"s-care": true}, profile.Erasure{}, nil, c.Now)}
}

func seeker(id string) auth.Principal { return auth.Principal{UserID: id, Role: auth.RoleJobseeker} }

func person(birthDate string) profile.Profile {
	return profile.Profile{DisplayName: "Person", BirthDate: birthDate, Municipality: "Haskovo", Lat: 41.93, Lon: 25.55,
		MaxTravelKm: 20, WorkModes: []string{"onsite"}, Skills: []profile.Skill{{ID: "s-care", Level: 2}},
		AvailableFrom: "2026-06-01", Consent: profile.Consent{Matching: true}}
}

func wantCode(t *testing.T, err error, kind failure.Kind, code string) {
	t.Helper()
	e, ok := failure.As(err)
	if !ok || e.Kind != kind || e.Code != code {
		t.Fatalf("err = %v, want %v %s", err, kind, code)
	}
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	e, ok := failure.As(err)
	if !ok {
		t.Fatalf("err = %v, want a field error on %s", err, field)
	}
	for _, f := range e.Fields {
		if f.Field == field && f.Code == code {
			return
		}
	}
	t.Fatalf("err = %v (%+v), want %s on %s", err, e.Fields, code, field)
}

// TestBirthDateRules: the month is needed wherever it decides a limit,
// the profile's lower age limit is exact to the month, and a year alone is
// accepted only for an adult whatever the month.
func TestBirthDateRules(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name        string
		birthDate   string
		birthYear   int
		field, code string
	}{
		{"nothing", "", 0, "birthDate", "required"},
		{"a 16-year-old's year alone", "", 2010, "birthDate", "birth_month_needed"},
		{"a year that may still be 17 (born 2008)", "", 2008, "birthDate", "birth_month_needed"},
		{"a year alone as birth date", "2012", 0, "birthDate", "birth_date"},
		{"a day that does not exist", "2012-02-30", 0, "birthDate", "birth_date"},
		{"12 until the end of the month (born 2013-05)", "2013-05", 0, "birthDate", "age"},
		{"13 tomorrow (born 2013-05-15)", "2013-05-15", 0, "birthDate", "age"},
		{"year and date disagree", "2000-04", 2001, "birthYear", "birth_year_differs"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := person(tt.birthDate)
			p.BirthYear = tt.birthYear
			_, err := e.svc.Put(ctx, seeker("p-"+tt.name), p)
			wantField(t, err, tt.field, tt.code)
		})
	}
	for _, tt := range []struct {
		name      string
		birthDate string
		birthYear int
	}{
		{"13 today (born 2013-05-14)", "2013-05-14", 0},
		{"13 since April (born 2013-04)", "2013-04", 0},
		{"an adult's year alone (born 2007: at least 18)", "", 2007},
		{"year and date agree", "2000-04", 2000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := person(tt.birthDate)
			p.BirthYear = tt.birthYear
			got, err := e.svc.Put(ctx, seeker("ok-"+tt.name), p)
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			if got.BirthYear != got.Birth().Year || got.BirthDate != tt.birthDate {
				t.Errorf("stored birth %q / %d", got.BirthDate, got.BirthYear)
			}
		})
	}
}

// TestUnder14IsHeldUntilAGuardianConsents follows a 13-year-old: the
// profile is kept but held; only an officer releases it, once, and the
// record is audited; the person's replace keeps it.
func TestUnder14IsHeldUntilAGuardianConsents(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	kid := seeker("kid")
	p, err := e.svc.Put(ctx, kid, person("2012-06")) // 13 until the end of June 2026
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.st.Profiles().Profile(ctx, "kid")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Held() || !stored.Held() || !stored.NeedsGuardian || stored.Guardian != nil {
		t.Fatalf("a 13-year-old's profile: held %v, stored held %v, needs guardian %v", p.Held(), stored.Held(), stored.NeedsGuardian)
	}

	g := profile.GuardianConsent{Name: "Elena Petrova", Relation: profile.GuardianParent, GivenOn: "2026-05-13"}
	for _, by := range []auth.Role{auth.RoleJobseeker, auth.RoleEmployer} {
		r := officer
		r.Role = by
		if _, err := e.svc.RecordGuardianConsent(ctx, r, "kid", g, ""); !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s records a guardian's consent: %v, want Forbidden", by, err)
		}
	}
	bad := g
	bad.GivenOn = "2026-05-15" // tomorrow
	_, err = e.svc.RecordGuardianConsent(ctx, officer, "kid", bad, "")
	wantField(t, err, "givenOn", "not_future")
	bad = g
	bad.Relation = "neighbour"
	_, err = e.svc.RecordGuardianConsent(ctx, officer, "kid", bad, "")
	wantField(t, err, "relation", "oneof")
	if _, err := e.svc.RecordGuardianConsent(ctx, officer, "nobody", g, ""); !failure.Is(err, failure.NotFound) {
		t.Errorf("no such profile: %v", err)
	}
	if views, _ := e.st.Audit().Views(ctx, "kid"); len(views) != 0 {
		t.Fatalf("refused records were audited: %v", views)
	}

	rec, err := e.svc.RecordGuardianConsent(ctx, officer, "kid", g, "")
	if err != nil {
		t.Fatal(err)
	}
	stored, _ = e.st.Profiles().Profile(ctx, "kid")
	if rec.Held() || stored.Held() || stored.Guardian == nil || stored.Guardian.RecordedBy != "officer-1" ||
		!stored.Guardian.RecordedAt.Equal(today) || stored.Guardian.Name != "Elena Petrova" || stored.Seq <= p.Seq {
		t.Fatalf("after the record: held %v, guardian %+v, seq %d → %d", stored.Held(), stored.Guardian, p.Seq, stored.Seq)
	}
	views, err := e.st.Audit().Views(ctx, "kid")
	if err != nil || len(views) != 1 || views[0].Purpose != profile.PurposeGuardianConsent || views[0].ActorID != "officer-1" {
		t.Fatalf("audit = %+v, %v; want one guardian_consent entry by the officer", views, err)
	}
	_, err = e.svc.RecordGuardianConsent(ctx, officer, "kid", g, "")
	wantCode(t, err, failure.Conflict, "guardian_recorded")

	// The person's replace keeps the guardian's consent.
	again, err := e.svc.Put(ctx, kid, person("2012-06"))
	if err != nil {
		t.Fatal(err)
	}
	if again.Held() || again.Guardian == nil {
		t.Errorf("after the person's replace: held %v, guardian %+v", again.Held(), again.Guardian)
	}

	// 14 or older: no guardian's consent is needed, or recordable.
	if _, err := e.svc.Put(ctx, seeker("fourteen"), person("2012-04")); err != nil { // 2012-05 might still be 13
		t.Fatal(err)
	}
	_, err = e.svc.RecordGuardianConsent(ctx, officer, "fourteen", g, "")
	wantCode(t, err, failure.Conflict, "no_guardian_needed")
}

// TestHeldUntilTheOwnerConsentsAt14: a person held at 13 stays held after
// their birthday (their consent was given at 13) until they save the
// profile again at 14, which counts as their own consent from then.
func TestHeldUntilTheOwnerConsentsAt14(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	kid := seeker("kid")
	if _, err := e.svc.Put(ctx, kid, person("2012-06-20")); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 6, 19, 12, 0, 0, 0, time.UTC)) // the day before the 14th birthday
	if p, _ := e.svc.Mine(ctx, kid); !p.Held() {
		t.Fatal("not held before the birthday")
	}
	if p, err := e.svc.Put(ctx, kid, person("2012-06-20")); err != nil || !p.Held() {
		t.Fatalf("saved at 13: held %v, %v; want held", p.Held(), err)
	}
	e.clock.Set(time.Date(2026, 6, 20, 8, 0, 0, 0, time.UTC)) // 14 today
	if p, _ := e.svc.Mine(ctx, kid); !p.Held() {
		t.Error("released by the birthday alone: the consent on record was given at 13")
	}
	p, err := e.svc.Put(ctx, kid, person("2012-06-20"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Held() || !p.Consent.UpdatedAt.Equal(e.clock.Now()) {
		t.Errorf("saved at 14: held %v, consent dated %v; want released, consent dated today", p.Held(), p.Consent.UpdatedAt)
	}
}

// TestLegacyYearOnlyProfilesAreHeldConservatively: profiles stored before
// birth dates have a year alone; whoever may have been 13 when consenting
// is held until they save a birth date.
func TestLegacyYearOnlyProfilesAreHeldConservatively(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	consented := time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		year int
		held bool
	}{
		{2011, true},  // 13 or 14 on 3 November 2025
		{2010, false}, // at least 14
	} {
		id := "legacy-" + time.Date(tt.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")
		p := person("")
		p.ID, p.BirthYear, p.Consent.UpdatedAt = id, tt.year, consented
		if _, err := e.st.Profiles().InsertProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Mine(ctx, seeker(id))
		if err != nil {
			t.Fatal(err)
		}
		if got.Held() != tt.held {
			t.Errorf("year-only %d, consented %s: held %v, want %v", tt.year, consented.Format(time.DateOnly), got.Held(), tt.held)
		}
		if tt.held {
			p, err := e.svc.Put(ctx, seeker(id), person("2011-02")) // saved with a birth date: 15 now
			if err != nil || p.Held() {
				t.Errorf("saved again with a birth date: held %v, %v", p.Held(), err)
			}
		}
	}
}
