package employerneeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/employerneeds"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
)

// On the wired product over the real store and index: an employer's list
// holds its needs in every state with the counts from memory, a status
// filters it, another employer and an unverified organisation's member are
// refused, and the office sees any employer's.
func TestListHoldsEveryStateWithCounts(t *testing.T) {
	ctx := context.Background()
	env := apptest.Open(t, apptest.Options{})
	svc := env.Services
	list := employerneeds.NewService(env.Index, svc.Matches, svc.Register, svc.Auth)
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	member := func(email string) auth.Principal {
		u, err := svc.Auth.Register(ctx, auth.NewAccount{Email: email, Password: "correct horse battery staple", Name: "М", Role: auth.RoleEmployer})
		if err != nil {
			t.Fatal(err)
		}
		return auth.Principal{UserID: u.ID, Role: auth.RoleEmployer}
	}
	boss, stranger := member("boss@example.bg"), member("other@example.bg")
	e, err := svc.Register.CreateEmployer(ctx, boss, register.Employer{Name: "МБАЛ Хасково", EIK: "000695235", Sector: "healthcare",
		Municipality: "Хасково", Location: register.GeoPoint{Lat: 41.93, Lon: 25.55}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := list.List(ctx, boss, e.ID, "", 1); !failure.Is(err, failure.Forbidden) {
		t.Fatalf("the list before verification = %v, want Forbidden", err)
	}
	if _, err := svc.Register.Decide(ctx, officer, e.ID, register.Decision{Verified: true}); err != nil {
		t.Fatal(err)
	}
	skill := env.Taxonomy.SuggestSkills("медицинск", "bg", 1)[0].ID
	start := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	for _, status := range []string{register.StatusOpen, register.StatusDraft, register.StatusClosed} {
		if _, err := svc.Register.CreateNeed(ctx, boss, register.Need{EmployerID: e.ID, Kind: register.KindJob, Title: "Сестра " + status,
			Sector: "healthcare", Skills: []register.SkillRequirement{{ID: skill, Level: 2, Required: true}},
			Location: register.Location{Municipality: "Хасково", Lat: 41.93, Lon: 25.55}, WorkMode: "onsite", Positions: 1,
			Hours: "full_time", StartDate: start, Status: status}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := list.List(ctx, boss, e.ID, "", 1)
	if err != nil || all.Total != 3 || len(all.Rows) != 3 {
		t.Fatalf("List(every state) = %+v, %v; want the three needs", all, err)
	}
	for _, r := range all.Rows {
		if r.Applications != 0 || r.Counted != (r.Status != register.StatusClosed) {
			t.Errorf("%s: %+v; want no applications, candidates counted unless closed", r.Need.Title, r)
		}
	}
	if open, err := list.List(ctx, boss, e.ID, register.StatusOpen, 1); err != nil || open.Total != 1 || open.Rows[0].Need.Status != register.StatusOpen {
		t.Errorf("List(open) = %+v, %v; want the open need alone", open, err)
	}
	if _, err := list.List(ctx, stranger, e.ID, "", 1); !failure.Is(err, failure.Forbidden) {
		t.Errorf("another employer's member = %v, want Forbidden", err)
	}
	if got, err := list.List(ctx, officer, e.ID, "", 1); err != nil || got.Total != 3 {
		t.Errorf("the office's list = %+v, %v; want the three needs", got, err)
	}
}
