package match_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var (
	officer  = auth.Principal{UserID: "u-officer", Role: auth.RoleOfficer}
	member   = auth.Principal{UserID: "u-member", Role: auth.RoleEmployer}
	outsider = auth.Principal{UserID: "u-outsider", Role: auth.RoleEmployer}
)

// TestEmployerAccessPeriod, on the real store with a fixed clock: the
// employer may read the person's full profile from the referral while the
// match runs and AccessAfterPlacement after the placement, not a moment
// longer; a rejection or a withdrawal ends it at once; Access says when.
func TestEmployerAccessPeriod(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	s := match.NewService(st.Matches(), nil, st.Employers(), st.Profiles(), c.now)
	emp := register.Employer{ID: "e1", Name: "Clinic", EIK: "121212121", Verified: true, Members: []string{member.UserID}}
	if err := st.Employers().InsertEmployer(ctx, emp); err != nil {
		t.Fatal(err)
	}
	need := register.Need{ID: "n1", EmployerID: emp.ID, Kind: register.KindJob, StartDate: "2027-01-15", Status: register.StatusOpen}
	may := func(who auth.Principal, person string) bool {
		t.Helper()
		_, ok, err := s.EmployerAccess(ctx, who, person)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	move := func(who auth.Principal, id string, to match.State, reason string) match.Match {
		t.Helper()
		m, err := s.Transition(ctx, who, id, to, "", reason)
		if err != nil {
			t.Fatalf("move %s to %s: %v", id, to, err)
		}
		return m
	}

	for _, id := range []string{"p-placed", "p-rejected", "p-withdrawn"} {
		if _, err := st.Profiles().InsertProfile(ctx, profile.Profile{ID: id, BirthDate: "1990-05"}); err != nil {
			t.Fatal(err)
		}
	}
	placed, err := s.Propose(ctx, officer, need, profile.Profile{ID: "p-placed", BirthDate: "1990-05"}, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if may(member, "p-placed") {
		t.Fatal("access before the referral")
	}
	referredAt := c.now()
	move(officer, placed.ID, match.Referred, "")
	move(member, placed.ID, match.Offered, "")
	if !may(member, "p-placed") || may(outsider, "p-placed") {
		t.Fatal("during the match: want access for the member only")
	}
	placedAt := referredAt.Add(72 * time.Hour)
	c.set(placedAt)
	m := move(member, placed.ID, match.Placed, "")
	a, ok := m.Access()
	if !ok || !a.From.Equal(referredAt) || a.Until == nil || !a.Until.Equal(placedAt.Add(match.AccessAfterPlacement)) {
		t.Fatalf("Access() = %+v, %v; want from %v until %v", a, ok, referredAt, placedAt.Add(match.AccessAfterPlacement))
	}
	c.set(placedAt.Add(match.AccessAfterPlacement - time.Millisecond))
	if !may(member, "p-placed") {
		t.Error("no access just before the period after placement ends")
	}
	c.set(placedAt.Add(match.AccessAfterPlacement))
	if may(member, "p-placed") {
		t.Error("access once the period after placement ended")
	}

	for _, end := range []struct {
		to     match.State
		by     auth.Principal
		reason string
	}{{match.Rejected, member, "skills"}, {match.Withdrawn, auth.Principal{UserID: "p-" + "withdrawn", Role: auth.RoleJobseeker}, ""}} {
		person := "p-" + string(end.to)
		m, err := s.Propose(ctx, officer, need, profile.Profile{ID: person, BirthDate: "1990-05"}, "r1")
		if err != nil {
			t.Fatal(err)
		}
		move(officer, m.ID, match.Referred, "")
		if !may(member, person) {
			t.Fatalf("%s: no access after the referral", person)
		}
		endedAt := c.now().Add(time.Hour)
		c.set(endedAt)
		m = move(end.by, m.ID, end.to, end.reason)
		if may(member, person) {
			t.Errorf("access after the match was %s", end.to)
		}
		if a, ok := m.Access(); !ok || a.Until == nil || !a.Until.Equal(endedAt) {
			t.Errorf("%s: Access() = %+v, %v; want until %v", end.to, a, ok, endedAt)
		}
	}
}

// TestViewForHidesInternalNotesAndOfficerIDs: employers and job-seekers
// see shared notes and their own, never an officer's id; employers see
// their colleagues' ids, job-seekers only their own; officers see all.
func TestViewForHidesInternalNotesAndOfficerIDs(t *testing.T) {
	colleague := auth.Principal{UserID: "u-colleague", Role: auth.RoleEmployer}
	seeker := auth.Principal{UserID: "p1", Role: auth.RoleJobseeker}
	m := match.Match{ProfileID: "p1", History: []match.Event{
		{To: match.Applied, By: "p1", Role: auth.RoleJobseeker, Note: "mine"},
		{To: match.Referred, By: officer.UserID, Role: auth.RoleOfficer, Note: "internal remark", Visibility: match.NoteInternal},
		{To: match.Interview, By: member.UserID, Role: auth.RoleEmployer, Note: "Monday 10:00", Visibility: match.NoteShared},
		{To: match.Offered, By: colleague.UserID, Role: auth.RoleEmployer, Note: "salary band", Visibility: match.NoteInternal},
		{To: match.Rejected, By: officer.UserID, Role: auth.RoleOfficer, Note: "old entry, no visibility"},
	}}
	type seen struct{ by, note string }
	view := func(who auth.Principal) []seen {
		var out []seen
		for _, e := range m.ViewFor(who).History {
			out = append(out, seen{e.By, e.Note})
		}
		return out
	}
	for _, tt := range []struct {
		who  auth.Principal
		want []seen
	}{
		{officer, []seen{{"p1", "mine"}, {"u-officer", "internal remark"}, {"u-member", "Monday 10:00"}, {"u-colleague", "salary band"}, {"u-officer", "old entry, no visibility"}}},
		{member, []seen{{"", ""}, {"", ""}, {"u-member", "Monday 10:00"}, {"u-colleague", ""}, {"", ""}}},
		{colleague, []seen{{"", ""}, {"", ""}, {"u-member", "Monday 10:00"}, {"u-colleague", "salary band"}, {"", ""}}},
		{seeker, []seen{{"p1", "mine"}, {"", ""}, {"", "Monday 10:00"}, {"", ""}, {"", ""}}},
	} {
		if got := view(tt.who); !slices.Equal(got, tt.want) {
			t.Errorf("ViewFor(%s %s) = %v, want %v", tt.who.Role, tt.who.UserID, got, tt.want)
		}
	}
	if m.History[1].Note != "internal remark" {
		t.Error("ViewFor changed the match it was given")
	}
}
