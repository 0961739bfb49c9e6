package match

import (
	"time"

	"github.com/careget/skillsmatch/internal/auth"
)

// AccessAfterPlacement is how long after a placement the employer may
// still read the person's full profile (name and contact): enough to
// settle the contract, the probation period (up to six months under the
// Labour Code, Art. 70, but the employer holds its own records by then) and
// the office's follow-up of the outcome; after it, the employer's own
// records are the employer's business, not the register's.
const AccessAfterPlacement = 90 * 24 * time.Hour

// accessIn says, per state, whether the employer may read the person's
// full profile while the match is in it: from the referral until the
// match ends. At placed the access lasts AccessAfterPlacement more.
var accessIn = map[State]bool{
	Applied: false, Proposed: false,
	Referred: true, Interview: true, Offered: true, Placed: true,
	Rejected: false, Withdrawn: false,
}

// Access is the period during which the match's employer may read the
// person's full profile. Until is nil while it has no end yet.
type Access struct {
	From  time.Time
	Until *time.Time
}

// Access returns the period of the employer's access to the person's full
// profile, and false if the match never gave any (never referred). It is
// read from the history: the referral starts it; a move to rejected or
// withdrawn ends it then; a placement ends it AccessAfterPlacement later.
func (m Match) Access() (Access, bool) {
	if m.ReferredAt == nil {
		return Access{}, false
	}
	a := Access{From: *m.ReferredAt}
	if accessIn[m.State] && m.State != Placed {
		return a, true
	}
	end := m.UpdatedAt
	for i := len(m.History) - 1; i >= 0; i-- {
		if m.History[i].To == m.State && !m.History[i].IsNote() {
			end = m.History[i].At
			break
		}
	}
	if m.State == Placed {
		end = end.Add(AccessAfterPlacement)
	}
	if end.Before(a.From) {
		end = a.From
	}
	a.Until = &end
	return a, true
}

// EmployerMayRead reports whether the match's employer may read the
// person's full profile at now.
func (m Match) EmployerMayRead(now time.Time) bool {
	a, ok := m.Access()
	return ok && !now.Before(a.From) && (a.Until == nil || now.Before(*a.Until))
}

// Note visibilities. A note is internal unless its author shares it.
const (
	NoteInternal = "internal" // officers (and the note's author) only
	NoteShared   = "shared"   // everyone who sees the match
)

// ValidVisibility reports whether v is a note visibility ("" is internal).
func ValidVisibility(v string) bool { return v == "" || v == NoteInternal || v == NoteShared }

// ViewFor returns the match as by may see it. Officers see everything.
// Employers and job-seekers see a note only if it is shared or their own,
// and never who at the office moved the match, only that the office did
// (the role): an officer's id and internal notes are the office's working
// papers. Employers see their colleagues' ids; job-seekers only their own.
func (m Match) ViewFor(by auth.Principal) Match {
	if by.Role == auth.RoleOfficer {
		return m
	}
	h := make([]Event, len(m.History))
	for i, e := range m.History {
		own := e.By == by.UserID
		if !own && e.Visibility != NoteShared {
			e.Note = ""
		}
		if !own && !(by.Role == auth.RoleEmployer && e.Role == auth.RoleEmployer) {
			e.By = ""
		}
		if e.Note == "" {
			e.Visibility = ""
		}
		h[i] = e
	}
	m.History = h
	return m
}
