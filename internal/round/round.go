// Package round runs the labour office's placement rounds for internships
// and Care Career Path places: an officer opens a round over chosen needs,
// job-seekers rank the needs they want, employers may rank candidates
// (otherwise match scores rank them), and a run allocates the places by
// candidate-proposing deferred acceptance (internal/allocation). Publishing
// a run creates proposed matches for the office's review.
package round

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Programmes a round may serve.
const (
	ProgrammeInternship  = "internship"
	ProgrammeCarePathway = "care_pathway"
)

// Statuses of a round.
const (
	StatusOpen      = "open"
	StatusPublished = "published"
)

// Round is one placement round.
type Round struct {
	ID        string
	Name      string
	Programme string
	NeedIDs   []string
	ClosesAt  time.Time
	Status    string
	CreatedBy string
	CreatedAt time.Time
	// Preferences are the job-seekers' rankings of the round's needs. The
	// service gives them whole (each one is stored on its own, Preference);
	// the round's document holds only those stored before that.
	Preferences map[string][]string // profile id → need ids, best first
	// NeedRankings are the employers' optional rankings of candidates.
	NeedRankings map[string][]string // need id → profile ids, best first
	Pins         []allocation.Pair
	Forbidden    []allocation.Pair
	LastRun      *Run
	Version      int64
}

// Preference is one job-seeker's ranking of a round's needs, stored on its
// own: recording one in a national round (500,000 people) writes one small
// document, not the round with everyone's.
type Preference struct {
	RoundID   string
	ProfileID string
	NeedIDs   []string // best first
	Version   int64
}

// Key is the preference's key: one per round and person.
func (p Preference) Key() string { return PreferenceKey(p.RoundID, p.ProfileID) }

// PreferenceKey is the key of a person's preference in a round.
func PreferenceKey(roundID, profileID string) string { return roundID + "/" + profileID }

// Run is the outcome of one allocation of a round.
type Run struct {
	At            time.Time
	Assignments   []allocation.Assignment
	Unassigned    []allocation.Unassigned
	BlockingPairs int
	Stats         allocation.Stats
}

// Store keeps rounds.
type Store interface {
	InsertRound(ctx context.Context, r Round) error
	// UpdateRound stores r if the stored version is still version.
	UpdateRound(ctx context.Context, r Round, version int64) (bool, error)
	// RoundsAfter calls fn for every round written after sequence seq (-1:
	// every round) with the sequence of its last write: the start-up read
	// and the poll for other replicas' writes (internal/follow).
	RoundsAfter(ctx context.Context, seq int64, fn func(r Round, seq int64) error) error
	// PutPreference stores p if the person's stored preference in the
	// round is still at version (0: none stored yet).
	PutPreference(ctx context.Context, p Preference, version int64) (bool, error)
	// PreferencesAfter is RoundsAfter for preferences.
	PreferencesAfter(ctx context.Context, seq int64, fn func(p Preference, seq int64) error) error
}

// Needs gives the needs of a round and the caller's right to manage them.
type Needs interface {
	ManagedNeed(ctx context.Context, by register.Caller, id string) (register.Need, error)
}

// Scorer ranks a need's candidates by match score (eligible ones only).
type Scorer interface {
	ScoreCandidates(n register.Need, profileIDs []string) (map[string]float64, error)
	Need(id string) (register.Need, bool)
	Profile(id string) (profile.Profile, bool)
}

// Proposer creates proposed matches when a run is published.
type Proposer interface {
	Propose(ctx context.Context, by register.Caller, n register.Need, p profile.Profile, roundID string) (match.Match, error)
}
