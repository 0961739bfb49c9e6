// Package match is the labour office's review of matches: applications by
// job-seekers and proposals from placement rounds move through a small
// state machine in which an officer refers a candidate before any employer
// sees them, the employer interviews and offers, and someone records the
// outcome. The table below is the only place moves are decided; the API's
// 403 and 409 answers and the documentation come from it.
package match

import (
	"github.com/careget/skillsmatch/internal/auth"
)

// State is where a match stands.
type State string

// The states.
const (
	Applied   State = "applied"   // the job-seeker applied
	Proposed  State = "proposed"  // a placement round proposed it
	Referred  State = "referred"  // an officer referred the candidate: the employer now sees them
	Interview State = "interview" // the employer invited the candidate
	Offered   State = "offered"   // the employer offered the place
	Placed    State = "placed"    // the candidate took the place
	Rejected  State = "rejected"  // the employer or the office turned it down
	Withdrawn State = "withdrawn" // the job-seeker withdrew
)

// Final reports whether no move leaves the state.
func (s State) Final() bool { return s == Placed || s == Rejected || s == Withdrawn }

// Valid reports whether s is a state.
func (s State) Valid() bool {
	switch s {
	case Applied, Proposed, Referred, Interview, Offered, Placed, Rejected, Withdrawn:
		return true
	}
	return false
}

// Move is one allowed transition and the roles that may make it.
type Move struct {
	From, To State
	By       []auth.Role
}

var (
	officer  = []auth.Role{auth.RoleOfficer}
	employer = []auth.Role{auth.RoleEmployer}
	either   = []auth.Role{auth.RoleOfficer, auth.RoleEmployer}
	seeker   = []auth.Role{auth.RoleJobseeker}
)

// Moves is the state machine. An employer only ever acts on matches an
// officer has referred: before that the employer does not see them (GDPR
// Art. 22: a person reviews every automated match before it reaches an
// employer).
var Moves = []Move{
	{Applied, Referred, officer},
	{Proposed, Referred, officer},
	{Referred, Interview, employer},
	{Referred, Offered, employer},
	{Interview, Offered, employer},
	{Offered, Placed, either},
	{Applied, Rejected, officer},
	{Proposed, Rejected, officer},
	{Referred, Rejected, either},
	{Interview, Rejected, either},
	{Offered, Rejected, either},
	{Applied, Withdrawn, seeker},
	{Proposed, Withdrawn, seeker},
	{Referred, Withdrawn, seeker},
	{Interview, Withdrawn, seeker},
	{Offered, Withdrawn, seeker},
}

// Decision is what the table says of a requested move.
type Decision int

// The decisions.
const (
	Allowed     Decision = iota
	WrongRole            // the move exists but not for this role: 403
	NotFromHere          // no such move from the current state: 409
)

// Decide looks a move up in the table.
func Decide(from, to State, role auth.Role) Decision {
	exists := false
	for _, m := range Moves {
		if m.From != from || m.To != to {
			continue
		}
		exists = true
		for _, r := range m.By {
			if r == role {
				return Allowed
			}
		}
	}
	if exists {
		return WrongRole
	}
	return NotFromHere
}

// RejectionReasons are the standard reasons, so refusals can be counted.
var RejectionReasons = []string{"skills", "availability", "distance", "no_reply", "position_filled", "other"}

// ValidReason reports whether r is a standard rejection reason.
func ValidReason(r string) bool {
	for _, x := range RejectionReasons {
		if x == r {
			return true
		}
	}
	return false
}
