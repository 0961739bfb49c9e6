package match

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
)

// Event is one move in a match's history.
type Event struct {
	From State
	To   State
	By   string // user id
	Role auth.Role
	At   time.Time
	Note string
	// Visibility of the note: NoteInternal (also "") or NoteShared; see
	// Match.ViewFor.
	Visibility string
	Reason     string // for rejections: one of RejectionReasons
}

// Match links a job-seeker and a need through the review workflow.
type Match struct {
	ID             string
	NeedID         string
	ProfileID      string
	EmployerID     string
	Programme      string // the need's kind: job, internship, apprenticeship, care_pathway
	Origin         string // "application", "round" or "event"
	RoundID        string
	EventID        string // the Career & Skills Day, for origin "event"
	State          State
	History        []Event
	Reason         string // the rejection reason, when rejected
	ReferredAt     *time.Time
	OutcomeDue     string // YYYY-MM-DD: the employer owes an outcome by then
	PermitRequired bool   // the candidate may be under 18: a Labour Inspectorate permit is needed
	AgeGroup       string // 15-17, 18-24, 25-29, 30+ (for the office's filters and indicators)
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64
}

// WasReferred reports whether an officer ever referred the match: from
// then on the employer may see it, even once it ends.
func (m Match) WasReferred() bool { return m.ReferredAt != nil }

// Overdue reports whether the employer's outcome is late on day today.
func (m Match) Overdue(today string) bool {
	return m.State == Referred && m.OutcomeDue != "" && today > m.OutcomeDue
}

// Store keeps matches.
type Store interface {
	// InsertMatch adds m; a second match of the same need and person is
	// failure.Conflict (a unique index decides, not a check first).
	InsertMatch(ctx context.Context, m Match) error
	// Match returns the match, or failure.NotFound.
	Match(ctx context.Context, id string) (Match, error)
	// UpdateMatch stores m if the stored version is still version; false
	// means another request moved it first.
	UpdateMatch(ctx context.Context, m Match, version int64) (bool, error)
	// MatchesAfter calls fn for every match written after sequence seq
	// (-1: every match), with the sequence of its last write: the start-up
	// read and the poll for other replicas' writes (internal/follow).
	MatchesAfter(ctx context.Context, seq int64, fn func(m Match, seq int64) error) error
}

// AgeGroups are the indicator bands AgeGroup returns, youngest first.
var AgeGroups = []string{"15-17", "18-24", "25-29", "30+"}

// AgeGroup is the indicator band of an age.
func AgeGroup(age int) string {
	switch {
	case age < 18:
		return "15-17"
	case age < 25:
		return "18-24"
	case age < 30:
		return "25-29"
	default:
		return "30+"
	}
}
