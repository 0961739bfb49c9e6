package profile_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// TestInPersonProfileLivesLikeAnyOther: a profile an officer keeps for a
// person who does not use the web has its own id and no account; it can
// be proposed and referred like any other; the officer exports it and, on
// the person's request, erases it: the profile goes, its open match is
// withdrawn and the index forgets it, and erasing again succeeds.
func TestInPersonProfileLivesLikeAnyOther(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	env := apptest.Open(t, apptest.Options{Now: func() time.Time { return now }})
	svc, ctx := env.Services, context.Background()
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	walkIn := profile.Profile{DisplayName: "Иван Колев", BirthDate: "1970-04", Municipality: "Хасково",
		AvailableFrom: "2026-03-01", Consent: profile.Consent{Matching: true}}

	if _, err := svc.Profiles.CreateInPerson(ctx, officer, walkIn, profile.InPerson{}); !failure.Is(err, failure.Invalid) {
		t.Fatalf("without recordedBy: %v, want Invalid", err)
	}
	if _, err := svc.Profiles.CreateInPerson(ctx, auth.Principal{UserID: "x", Role: auth.RoleEmployer}, walkIn,
		profile.InPerson{RecordedBy: "x"}); !failure.Is(err, failure.Forbidden) {
		t.Fatalf("an employer: %v, want Forbidden", err)
	}
	p, err := svc.Profiles.CreateInPerson(ctx, officer, walkIn, profile.InPerson{RecordedBy: "М. Иванова"})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Managed || p.ID == "" || p.Consent.RecordedBy != "М. Иванова" || p.Consent.RecordedByID != officer.UserID {
		t.Fatalf("created %+v, want a managed profile with the consent's recorder", p)
	}
	if _, err := env.Store.Users().User(ctx, p.ID); !failure.Is(err, failure.NotFound) {
		t.Errorf("an account behind the in-person profile: %v, want none", err)
	}
	if _, ok := env.Index.Profile(p.ID); !ok {
		t.Errorf("the index does not hold the in-person profile")
	}

	u, err := svc.Auth.Register(ctx, auth.NewAccount{Email: "boss@example.bg", Password: "correct horse battery staple",
		Name: "Boss", Role: auth.RoleEmployer})
	if err != nil {
		t.Fatal(err)
	}
	m := referredMatch(t, svc.Register, svc.Matches, auth.Principal{UserID: u.ID, Role: auth.RoleEmployer}, officer, p)
	exp, err := svc.Profiles.ExportInPerson(ctx, officer, p.ID)
	if err != nil || exp.Profile == nil || exp.Profile.ID != p.ID {
		t.Fatalf("ExportInPerson = %+v, %v", exp, err)
	}

	if err := svc.Profiles.EraseInPerson(ctx, officer, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Profiles.ReadFull(ctx, officer, p.ID, profile.Asked{}); !failure.Is(err, failure.NotFound) {
		t.Errorf("read after erasure: %v, want NotFound", err)
	}
	if got, _ := svc.Matches.Get(ctx, officer, m.ID); got.State != match.Withdrawn {
		t.Errorf("the match after erasure is %s, want withdrawn", got.State)
	}
	if _, ok := env.Index.Profile(p.ID); ok {
		t.Errorf("the index still holds the erased profile")
	}
	if err := svc.Profiles.EraseInPerson(ctx, officer, p.ID); err != nil {
		t.Errorf("erasing again: %v, want nil", err)
	}
	if _, err := svc.Profiles.UpdateInPerson(ctx, officer, p.ID, walkIn, profile.InPerson{RecordedBy: "М. Иванова"}); !failure.Is(err, failure.NotFound) {
		t.Errorf("editing the erased profile: %v, want NotFound", err)
	}
}

// referredMatch proposes the person for a new need of a new verified
// employer and refers them, as for anyone.
func referredMatch(t *testing.T, reg *register.Service, ms *match.Service, boss, officer auth.Principal, p profile.Profile) match.Match {
	t.Helper()
	ctx := context.Background()
	e, err := reg.CreateEmployer(ctx, boss, register.Employer{Name: "Клиника", EIK: "000695235", Municipality: "Хасково"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Verify(ctx, officer, e.ID, true, "checked"); err != nil {
		t.Fatal(err)
	}
	n, err := reg.CreateNeed(ctx, boss, register.Need{EmployerID: e.ID, Kind: register.KindJob, Title: "Санитар",
		StartDate: "2026-04-01", Positions: 1, Location: register.Location{Municipality: "Хасково"}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := ms.Propose(ctx, officer, n, p, "round-1")
	if err != nil {
		t.Fatal(err)
	}
	if m, err = ms.Transition(ctx, officer, m.ID, match.Referred, "", ""); err != nil {
		t.Fatal(err)
	}
	return m
}
