// Package event runs Career & Skills Days: an officer creates an event,
// verified employers join with the needs they bring and their interview
// tables, job-seekers register (or an officer registers a group) and rank
// the employers they want to meet, the office invites the people who fit
// the needs best, a speed-interview schedule is made (internal/schedule),
// people are checked in at the door by their ticket, and an employer's
// "continue" after an interview becomes a referred match.
//
// Events are few and small, so they are kept in memory (loaded at start)
// as well as in the store, each one document written by compare-and-set.
package event

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/schedule"
)

// Text is a bilingual text.
type Text struct {
	BG string `json:"bg"`
	EN string `json:"en"`
}

// Event is one Career & Skills Day with everything that happens at it.
type Event struct {
	ID               string
	Name             Text
	Description      Text
	Date             string // YYYY-MM-DD, in Bulgaria
	Starts, Ends     string // HH:MM
	Municipality     string
	Location         string
	Sectors          []string
	Capacity         int // registrations at most
	InterviewMinutes int
	Slots            int
	PerPersonLimit   int // interviews per person at most
	CreatedBy        string
	CreatedAt        time.Time

	Employers     []Participant
	Registrations []Registration
	Invitations   []Invitation
	Schedule      *Schedule
	Version       int64
}

// Participant is an employer taking part.
type Participant struct {
	EmployerID string    `json:"employerId"`
	NeedIDs    []string  `json:"needIds"`
	Tables     int       `json:"tables"`
	JoinedBy   string    `json:"joinedBy"`
	At         time.Time `json:"at"`
}

// Registration is one person coming, with a ticket for the door.
type Registration struct {
	ProfileID   string     `json:"profileId"`
	Wishes      []string   `json:"wishes"` // employer ids, most wanted first
	By          string     `json:"by"`     // the user who registered them
	Group       string     `json:"group,omitempty"`
	Contact     string     `json:"contact,omitempty"` // the group's teacher
	Ticket      string     `json:"ticket"`
	At          time.Time  `json:"at"`
	CheckedInAt *time.Time `json:"checkedInAt,omitempty"`
}

// Invitation is the office's invitation of a person who fits.
type Invitation struct {
	ProfileID string    `json:"profileId"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// Outcomes an employer records after an interview.
const (
	OutcomeContinue = "continue"
	OutcomeNo       = "no"
	// OutcomeUndo takes an outcome back (officers, the same day): a
	// continue's referral is withdrawn as rejected.
	OutcomeUndo = "undo"
)

// Schedule is the speed-interview schedule of an event.
type Schedule struct {
	At          time.Time      `json:"at"`
	Interviews  []Interview    `json:"interviews"`
	Unscheduled []Unscheduled  `json:"unscheduled"`
	Stats       schedule.Stats `json:"stats"`
}

// Interview is one person at one employer's table in one slot. N numbers
// the interviews of a schedule from 1.
type Interview struct {
	N          int        `json:"n"`
	Slot       int        `json:"slot"` // from 1
	StartsAt   time.Time  `json:"startsAt"`
	EmployerID string     `json:"employerId"`
	Table      int        `json:"table"` // from 1
	ProfileID  string     `json:"profileId"`
	NeedID     string     `json:"needId"` // the employer's need the person fits best
	Outcome    string     `json:"outcome,omitempty"`
	OutcomeAt  *time.Time `json:"outcomeAt,omitempty"`
	MatchID    string     `json:"matchId,omitempty"`
}

// Unscheduled is a registered person without an interview and why.
type Unscheduled struct {
	ProfileID string `json:"profileId"`
	Reason    string `json:"reason"`
}

// Registered reports whether the person is registered.
func (e Event) Registered(profileID string) bool { return e.registration(profileID) >= 0 }

func (e Event) registration(profileID string) int {
	for i, r := range e.Registrations {
		if r.ProfileID == profileID {
			return i
		}
	}
	return -1
}

func (e Event) participant(employerID string) int {
	for i, p := range e.Employers {
		if p.EmployerID == employerID {
			return i
		}
	}
	return -1
}

// Invited reports whether the office invited the person.
func (e Event) Invited(profileID string) bool {
	for _, iv := range e.Invitations {
		if iv.ProfileID == profileID {
			return true
		}
	}
	return false
}

// Store keeps events.
type Store interface {
	InsertEvent(ctx context.Context, e Event) error
	// UpdateEvent stores e if the stored version is still version.
	UpdateEvent(ctx context.Context, e Event, version int64) (bool, error)
	// EventsAfter calls fn for every event written after sequence seq (-1:
	// every one) with the sequence of its last write: the start-up read and
	// the poll for other replicas' writes (internal/follow).
	EventsAfter(ctx context.Context, seq int64, fn func(e Event, seq int64) error) error
}

// Register is the employers' and needs' side the events need.
type Register interface {
	Employer(ctx context.Context, by register.Caller, id string) (register.Employer, error)
	ManagedNeed(ctx context.Context, by register.Caller, id string) (register.Need, error)
}

// Ranked is a person's match score for a need.
type Ranked struct {
	ProfileID string
	Score     float64 // in [0, 1]
}

// Index ranks people for needs, with matching's hard filters (consent,
// distance, the rules for young workers): the matching's own ranking.
type Index interface {
	MatchCandidates(ctx context.Context, n register.Need, limit int) ([]Ranked, error)
	ScoreCandidates(n register.Need, profileIDs []string) (map[string]float64, error)
	Need(id string) (register.Need, bool)
	Profile(id string) (profile.Profile, bool)
}

// Referrer creates the match an employer's "continue" asks for, and tells
// what became of a person's matches (for the indicators).
type Referrer interface {
	ReferFromEvent(ctx context.Context, by auth.Principal, n register.Need, p profile.Profile, eventID string) (match.Match, error)
	Of(profileID string) []match.Match
	Move(ctx context.Context, by auth.Principal, id string, st match.Step) (match.Match, error)
}
