// Package candidate is what an employer sees of job-seekers before any
// referral: pseudonymous candidate cards ranked for one of its needs. It
// holds the whole rule of that view in one use case (Service.Cards), so
// that the API and the web UI show the same thing under the same limits:
//
//   - who may see candidates for a need: the employer's members, only for
//     a need that is open, not past its apply-by date, of an employer the
//     labour office verified (register.Need.Public); otherwise a 403 that
//     says which of the three is missing. Officers are exempt: they are
//     trusted and audited, and preview candidates for a draft need or an
//     unverified employer while helping it set up; employers never do;
//   - how much: an employer's reads are bounded per need and per employer
//     per day (Limits), counted in the store, so that one account cannot
//     walk the whole pool by editing a need's place and skills over and
//     over; officers are not bounded;
//   - the audit: every request that shows cards, by anyone, is one entry
//     naming the employer, the actor, the need and the profiles shown;
//   - the card: no name, contact, birth year or free text, and an id that
//     differs per employer (profile.Pseudonym).
package candidate

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// Skill is a skill on a card.
type Skill struct {
	ID       string
	Label    string
	Level    int
	Evidence string
}

// Card is what an employer sees of a candidate before a referral.
type Card struct {
	ID             string // the pseudonym: the same person has another id for another employer
	ProfileID      string // officers only
	Skills         []Skill
	Languages      []profile.Language
	EducationLevel int
	Municipality   string
	AvailableFrom  string
	AvailableTo    string
	Hours          string
}

// Match is a card with its score and the score's explanation.
type Match struct {
	Card           Card
	Score          float64
	Explanation    score.Explanation
	PermitRequired bool
}

// Ranked is one candidate as the ranker returns them, best first.
type Ranked struct {
	Profile        profile.Profile
	Score          float64
	Explanation    score.Explanation
	PermitRequired bool
}

// Ranker ranks the candidates for a need (the search index). Nothing it
// returns may depend on what a card does not show (see search's
// RerankCandidates).
type Ranker interface {
	RankCandidates(ctx context.Context, n register.Need, limit int, lang string) ([]Ranked, error)
}

// Needs gives a need that the caller manages (members and officers); one
// the caller may see but not manage is failure.Forbidden, one it may not
// see failure.NotFound.
type Needs interface {
	ManagedNeed(ctx context.Context, by auth.Principal, id string) (register.Need, error)
}

// Employers gives an employer, for its verification.
type Employers interface {
	Employer(ctx context.Context, id string) (register.Employer, error)
}

// Labels names skills in a language.
type Labels interface {
	Label(id, lang string) string
}

// Counters counts reads per day in the store, so that the bound holds
// across restarts and processes.
type Counters interface {
	// CountRead adds one to the day's reads of the need and to those of
	// its employer, atomically, and returns both new values.
	CountRead(ctx context.Context, day, employerID, needID string) (needReads, employerReads int64, err error)
}

// Read is one audit entry: one request that showed cards.
type Read struct {
	ID         string // <employer>/<n>, given by the store
	EmployerID string // whose need it was
	ActorID    string
	ActorRole  auth.Role
	NeedID     string
	ProfileIDs []string // the people whose cards were shown, in the order shown
	At         time.Time
	RequestID  string
}

// Audit is the append-only log of card reads, keyed per employer so that
// the office reads an employer's entries by key, never by a scan.
type Audit interface {
	// AppendRead writes r; cards must not be shown if it fails.
	AppendRead(ctx context.Context, r Read) error
	// Reads returns every entry of the employer, oldest first.
	Reads(ctx context.Context, employerID string) ([]Read, error)
}
