package match_test

import (
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/match"
)

// TestDueFlagsCloseAndLateOutcomes: a referral's outcome is "soon" within
// two working days of its due date and "overdue" after it; nothing else
// is flagged.
func TestDueFlagsCloseAndLateOutcomes(t *testing.T) {
	referredOn := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) // a Monday
	due := match.AddWorkingDays(referredOn, match.OutcomeDays).Format(time.DateOnly)
	m := match.Match{State: match.Referred, OutcomeDue: due, ReferredAt: &referredOn}
	for _, c := range []struct {
		on   time.Time
		want string
	}{
		{referredOn, ""},
		{match.AddWorkingDays(referredOn, match.OutcomeDays-match.DueSoonDays-1), ""},
		{match.AddWorkingDays(referredOn, match.OutcomeDays-match.DueSoonDays), "soon"},
		{match.AddWorkingDays(referredOn, match.OutcomeDays), "soon"},
		{match.AddWorkingDays(referredOn, match.OutcomeDays+1), "overdue"},
	} {
		if got := m.Due(c.on); got != c.want {
			t.Errorf("Due(%s) of a match due %s = %q, want %q", c.on.Format(time.DateOnly), due, got, c.want)
		}
	}
	m.State = match.Interview
	if got := m.Due(match.AddWorkingDays(referredOn, match.OutcomeDays+5)); got != "" {
		t.Errorf("Due of a match past referred = %q, want none: the employer has answered", got)
	}
}

// TestNoteDoesNotMoveTheAccess: a note added after a placement is an event
// from placed to placed, and the employer's access still ends
// AccessAfterPlacement after the placement itself.
func TestNoteDoesNotMoveTheAccess(t *testing.T) {
	referred := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	placed := referred.Add(48 * time.Hour)
	m := match.Match{State: match.Placed, ReferredAt: &referred, UpdatedAt: placed.Add(30 * 24 * time.Hour),
		History: []match.Event{{To: match.Referred, At: referred}, {From: match.Offered, To: match.Placed, At: placed},
			{From: match.Placed, To: match.Placed, At: placed.Add(30 * 24 * time.Hour), Note: "called back"}}}
	if !m.History[2].IsNote() || m.History[1].IsNote() || m.History[0].IsNote() {
		t.Fatal("IsNote tells notes from moves wrongly")
	}
	a, ok := m.Access()
	if want := placed.Add(match.AccessAfterPlacement); !ok || a.Until == nil || !a.Until.Equal(want) {
		t.Errorf("Access() = %+v, %v, want until %s (the placement's, not the note's)", a, ok, want)
	}
}

// TestRequestViewFor: an employer's view of a request holds neither the
// person's profile id nor the officer who decided; its id does not carry
// the profile id either.
func TestRequestViewFor(t *testing.T) {
	r := match.Request{ID: match.RequestID("need-1", "person-secret"), NeedID: "need-1", ProfileID: "person-secret",
		CandidateID: "c-1", DecidedBy: "officer-7", State: match.RequestDeclined, Reason: "on a course"}
	emp := r.ViewFor(auth.Principal{UserID: "e", Role: auth.RoleEmployer})
	if emp.ProfileID != "" || emp.DecidedBy != "" || emp.Reason != "on a course" || emp.CandidateID != "c-1" {
		t.Errorf("employer's view = %+v, want no profile id or officer, with the reason and the card id", emp)
	}
	if strings.Contains(r.ID, "person-secret") || r.ID != match.RequestID("need-1", "person-secret") || r.ID == match.RequestID("need-1", "other") {
		t.Errorf("RequestID = %q: want stable per pair, different per person, without the profile id", r.ID)
	}
	if off := r.ViewFor(auth.Principal{Role: auth.RoleOfficer}); off.ProfileID != "person-secret" || off.DecidedBy != "officer-7" {
		t.Errorf("officer's view = %+v, want everything", off)
	}
}
