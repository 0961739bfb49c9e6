// Package register is the Skills Needs Register: employers, their
// verification by the labour office, and the skills needs they post (jobs,
// internships, apprenticeships, Care Career Path places and forecasts).
package register

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
)

// Need kinds.
const (
	KindJob            = "job"
	KindInternship     = "internship"
	KindApprenticeship = "apprenticeship"
	KindCarePathway    = "care_pathway"
	KindForecast       = "forecast" // demand expected later: counted, never matched
)

// Kinds are the need kinds, in the order the API lists them.
var Kinds = []string{KindJob, KindInternship, KindApprenticeship, KindCarePathway, KindForecast}

// Need statuses.
const (
	StatusDraft  = "draft"
	StatusOpen   = "open"
	StatusFilled = "filled"
	StatusClosed = "closed"
)

// PayRange is what a need pays: gross euros a month, from Min to Max.
type PayRange struct{ Min, Max int }

// GeoPoint is a WGS84 position.
type GeoPoint struct{ Lat, Lon float64 }

// Employer is an organisation that posts needs.
type Employer struct {
	ID           string
	Name         string
	EIK          string
	Sector       string
	Municipality string
	Location     GeoPoint
	Address      string
	Website      string
	Verified     bool
	Verification *Verification
	Members      []string // user ids
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64 // compare-and-set: each write stores the next one
	Seq          int64 // the store's change sequence of its last write, which every replica follows
}

// Verification records the labour office's last decision on an employer.
type Verification struct {
	Verified bool
	Note     string
	Reason   string // why a verification was withdrawn: the employer sees it
	By       string
	At       time.Time
}

// IsMember reports whether the user belongs to the employer.
func (e Employer) IsMember(userID string) bool {
	for _, m := range e.Members {
		if m == userID {
			return true
		}
	}
	return false
}

// SkillRequirement is one skill a need asks for.
type SkillRequirement struct {
	ID       string
	Level    int // 1..4
	Required bool
}

// Language is a language at a CEFR level.
type Language struct {
	Code  string // ISO 639-1
	Level string // A1..C2
}

// Location is where a need's work happens.
type Location struct {
	Municipality string
	Lat, Lon     float64
}

// Need is one entry of the register.
type Need struct {
	ID             string
	EmployerID     string
	Kind           string
	Title          string
	Description    string
	Occupation     string // ESCO occupation id, optional
	Sector         string
	Skills         []SkillRequirement
	Languages      []Language
	EducationLevel *int // ISCED 0..8
	Location       Location
	WorkMode       string // onsite, hybrid, remote
	Positions      int
	Hours          string // full_time, part_time
	StartDate      string // YYYY-MM-DD
	EndDate        string
	ApplyBy        string
	Status         string
	NightWork      bool      // never matched to candidates under 18
	Hazardous      bool      // never matched to candidates under 18
	LightWork      bool      // light work, fit for a 15-year-old (Labour Code Art. 301(2)); only these are matched to them
	Pay            *PayRange // optional: what the work pays
	CreatedBy      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Seq            int64 // the store's change sequence, followed by the search index
	Version        int64 // compare-and-set: each write stores the next one
}

// Public reports whether anyone may see the need: open, of a verified
// employer, and not past its apply-by date.
func (n Need) Public(employerVerified bool, today string) bool {
	return n.Status == StatusOpen && employerVerified && (n.ApplyBy == "" || n.ApplyBy >= today)
}

// Employers stores employers. Changes are compare-and-set on Version, so
// that a racing write can never silently undo another (a verification
// decision above all): a read-modify-write that loses reads again and
// re-applies its change.
type Employers interface {
	// InsertEmployer adds e; a taken EIK is failure.Conflict.
	InsertEmployer(ctx context.Context, e Employer) error
	// Employer returns the employer, or failure.NotFound.
	Employer(ctx context.Context, id string) (Employer, error)
	// UpdateEmployer replaces the stored employer if its version is still
	// e.Version, and returns it with the next version; otherwise
	// failure.Stale (another write came first) or failure.NotFound. It
	// never creates an employer.
	UpdateEmployer(ctx context.Context, e Employer) (Employer, error)
}

// Needs stores needs. Changes are compare-and-set on Version; a deleted
// need is a tombstone that no write brings back.
type Needs interface {
	// InsertNeed adds n, assigning its change sequence and first version.
	InsertNeed(ctx context.Context, n Need) (Need, error)
	// Need returns the need, or failure.NotFound (deleted needs too).
	Need(ctx context.Context, id string) (Need, error)
	// UpdateNeed replaces the stored need if its version is still
	// n.Version, assigning a new change sequence and the next version;
	// otherwise failure.Stale, or failure.NotFound when the need is gone or
	// deleted. It never creates a need.
	UpdateNeed(ctx context.Context, n Need) (Need, error)
	// DeleteNeed leaves a tombstone that followers of the sequence see, and
	// returns it (id, employer and sequence only). It wins over any racing
	// edit; a need already deleted, or absent, is failure.NotFound.
	DeleteNeed(ctx context.Context, id string) (Need, error)
}

// Memberships records employer membership on the user's account.
type Memberships interface {
	AddEmployer(ctx context.Context, userID, employerID string) error
}

// Catalog answers which skill and occupation ids exist.
type Catalog interface {
	KnownSkill(id string) bool
	KnownOccupation(id string) bool
}

// Caller is who acts.
type Caller = auth.Principal
