package register_test

import (
	"context"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// TestDuplicateNeedIsADraftWithTheSameContent: the copy is a new need, a
// draft, with the original's content (skills, place, pay) and the original
// unchanged; a stranger may not copy it; a pay range upside down is refused.
func TestDuplicateNeedIsADraftWithTheSameContent(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	races := 0
	_, empID := newEmployer(t, st, &races)
	svc := register.NewService(st.Employers(), st.Needs(), st.Users(), catalog{}, now)
	orig, err := svc.CreateNeed(ctx, owner, register.Need{EmployerID: empID, Kind: register.KindJob, Title: "Nurse",
		StartDate: "2026-09-01", Positions: 2, Skills: []register.SkillRequirement{{ID: "s1", Level: 2, Required: true}},
		Location: register.Location{Municipality: "Хасково", Lat: 41.9, Lon: 25.5}, Pay: &register.PayRange{Min: 1200, Max: 1500}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.DuplicateNeed(ctx, owner, orig.ID)
	if err != nil {
		t.Fatalf("DuplicateNeed = %v", err)
	}
	if c.ID == orig.ID || c.Status != register.StatusDraft || c.Title != orig.Title || len(c.Skills) != 1 ||
		c.Pay == nil || *c.Pay != *orig.Pay || c.Location != orig.Location || c.Positions != 2 {
		t.Errorf("the copy = %+v, want a new draft with the original's content", c)
	}
	if stored, _ := st.Needs().Need(ctx, c.ID); stored.Pay == nil || *stored.Pay != *orig.Pay || stored.Status != register.StatusDraft {
		t.Errorf("the stored copy = %+v, want the pay range kept, a draft", stored)
	}
	if again, _ := st.Needs().Need(ctx, orig.ID); again.Status != register.StatusOpen {
		t.Errorf("the original is %s after the copy, want open", again.Status)
	}
	stranger := auth.Principal{UserID: "stranger", Role: auth.RoleEmployer}
	if _, err := svc.DuplicateNeed(ctx, stranger, orig.ID); !failure.Is(err, failure.Forbidden) {
		t.Errorf("a stranger copies a public need: %v, want Forbidden", err)
	}
	if _, err := svc.DuplicateNeed(ctx, stranger, c.ID); !failure.Is(err, failure.NotFound) {
		t.Errorf("a stranger copies a draft: %v, want NotFound", err)
	}
	upside := &register.PayRange{Min: 1500, Max: 1200}
	if _, err := svc.UpdateNeed(ctx, owner, orig.ID, register.NeedPatch{Pay: &upside}); !failure.Is(err, failure.Invalid) {
		t.Errorf("a pay range upside down = %v, want Invalid", err)
	}
}

// TestStatusOnTellsExpired: an open need past its apply-by date reads
// expired; on its last day, or without one, it is open; other states stay.
func TestStatusOnTellsExpired(t *testing.T) {
	for _, c := range []struct {
		status, applyBy, want string
	}{
		{register.StatusOpen, "2026-05-31", register.StatusExpired},
		{register.StatusOpen, "2026-06-01", register.StatusOpen},
		{register.StatusOpen, "", register.StatusOpen},
		{register.StatusClosed, "2026-05-31", register.StatusClosed},
		{register.StatusDraft, "2026-05-31", register.StatusDraft},
	} {
		if got := (register.Need{Status: c.status, ApplyBy: c.applyBy}).StatusOn("2026-06-01"); got != c.want {
			t.Errorf("%s with apply-by %q on 2026-06-01 = %s, want %s", c.status, c.applyBy, got, c.want)
		}
	}
}
