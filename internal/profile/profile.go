// Package profile holds job-seekers' profiles: their skills, languages,
// interests, availability and consent to matching; the audit trail of who
// read a full profile and why; and the rights of the person it describes,
// to export everything held about them and to erase it.
package profile

import (
	"context"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/register"
)

// Skill evidence: self-declared, or certified by a completed Care Career
// Path stage (ranking counts certified skills above declared ones).
const (
	EvidenceDeclared  = "declared"
	EvidenceCertified = "certified"
)

// Where a person says they gained a skill: the source of a skill. The
// empty source means they have not said. It is the person's own word, kept
// apart from Evidence: a certified skill keeps the source they gave.
const (
	SourceWork     = "work"
	SourceTraining = "training"
	SourceSchool   = "school"
)

// Sources lists the sources a person may give, in the order forms show them.
var Sources = []string{SourceWork, SourceTraining, SourceSchool}

// ValidSource reports whether s is a source a skill may carry ("" included:
// not said).
func ValidSource(s string) bool {
	return s == "" || slices.Contains(Sources, s)
}

// Skill is one skill a person holds.
type Skill struct {
	ID       string
	Level    int // 1..4
	Evidence string
	Source   string // SourceWork, SourceTraining, SourceSchool or "" (not said)
}

// Language is a language at a CEFR level.
type Language struct{ Code, Level string }

// Interests say which kinds of need and sectors a person wants.
type Interests struct{ Kinds, Sectors []string }

// Consent records the person's consent to being matched.
type Consent struct {
	Matching  bool
	UpdatedAt time.Time
	// For a person who does not use the web (Profile.Managed): consent was
	// given in person, and RecordedBy names who recorded it (as the officer
	// wrote it); RecordedByID is the officer's account id.
	RecordedBy   string
	RecordedByID string
}

// Guardian is the consent of a parent or guardian to the profile of a
// person under 14 (Bulgaria's age of digital consent), as an officer of the
// labour office recorded it after seeing the guardian and the consent.
type Guardian struct {
	Name       string
	Relation   string // GuardianParent or GuardianGuardian
	GivenOn    string // YYYY-MM-DD: the day the guardian consented
	RecordedBy string // the officer's account id
	RecordedAt time.Time
}

// Relations a guardian may have to the person.
const (
	GuardianParent   = "parent"
	GuardianGuardian = "guardian"
)

// Profile describes a job-seeker. Its id is the account's id: one profile
// per person.
type Profile struct {
	ID             string
	DisplayName    string
	BirthYear      int       // the year of BirthDate; profiles written before birth dates have only the year
	BirthDate      string    // YYYY-MM or YYYY-MM-DD, see Birth
	NeedsGuardian  bool      // under 14 when they last wrote it: held until Guardian is recorded, see Held
	Guardian       *Guardian // a parent's or guardian's consent, recorded by an officer
	Phone          string
	Municipality   string
	Lat, Lon       float64
	MaxTravelKm    int
	WorkModes      []string
	Skills         []Skill
	Languages      []Language
	EducationLevel int
	Interests      Interests
	AvailableFrom  string
	AvailableTo    string
	Hours          string
	Summary        string
	Consent        Consent
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Seq            int64
	Version        int64 // compare-and-set: each write stores the next one
	// Managed marks the profile of a person who does not use the web: the
	// labour office keeps it on their behalf, it has its own id and no
	// account (see Service.CreateInPerson).
	Managed bool
}

// Birth is the person's birth date, as precise as known: the birth date,
// or for older profiles the year alone.
func (p Profile) Birth() age.Birth {
	if b, err := age.Parse(p.BirthDate); err == nil {
		return b
	}
	return age.Year(p.BirthYear)
}

// AgeOn is the person's age on the day of t (in UTC), the youngest the
// known birth date allows.
func (p Profile) AgeOn(t time.Time) int { return p.Birth().On(age.DateOf(t.UTC())) }

// Held reports whether the profile waits for a guardian's consent: its
// owner was under 14 when they wrote it, and no officer has recorded a
// parent's or guardian's consent. A held profile is never matched, never
// shown to an employer and never among the index's candidates.
//
// A profile written before birth dates were asked (BirthDate empty) is
// held if its birth year alone cannot show the person was 14 when they
// consented, until they save it again with a birth date.
func (p Profile) Held() bool {
	switch {
	case p.Guardian != nil:
		return false
	case p.NeedsGuardian:
		return true
	case p.BirthDate == "" && p.BirthYear > 0 && !p.Consent.UpdatedAt.IsZero():
		return p.AgeOn(p.Consent.UpdatedAt) < age.DigitalConsent
	}
	return false
}

// View is one read of a full profile by someone other than its owner: the
// audit log entry that the person sees in their export.
type View struct {
	ID           string
	SubjectID    string
	ActorID      string
	ActorName    string
	ActorRole    auth.Role
	Organisation string // "labour office", or the employer's name
	EmployerID   string
	Purpose      string
	At           time.Time
	RequestID    string
}

// Profiles stores profiles. Changes are compare-and-set on Version, and
// an erased profile is a tombstone that is final: no write brings it back.
type Profiles interface {
	// InsertProfile creates the profile with its first version and
	// sequence: failure.Stale if one exists (read it and update it
	// instead), failure.NotFound if it was erased.
	InsertProfile(ctx context.Context, p Profile) (Profile, error)
	// UpdateProfile replaces the profile if its version is still
	// p.Version, assigning its sequence and the next version: failure.Stale
	// if another write came first, failure.NotFound if it is absent or
	// erased. It never creates a profile.
	UpdateProfile(ctx context.Context, p Profile) (Profile, error)
	// Profile returns the profile, or failure.NotFound (erased ones too).
	Profile(ctx context.Context, id string) (Profile, error)
	// EraseProfile replaces the profile with a tombstone without personal
	// data and returns it (id and sequence only). It wins over any racing
	// write, and is idempotent: an erased profile returns its tombstone,
	// and a missing one gets a tombstone too, so it can never be created.
	EraseProfile(ctx context.Context, id string) (Profile, error)
}

// Audit is the append-only log of profile reads. It has no update or
// delete.
type Audit interface {
	// Append writes v; reads must not proceed if it fails.
	Append(ctx context.Context, v View) error
	// Views returns every view of the subject's profile, oldest first.
	Views(ctx context.Context, subjectID string) ([]View, error)
}

// Accounts gives the account behind a profile, for the export.
type Accounts interface {
	User(ctx context.Context, id string) (auth.User, error)
}

// The parts of an erasure that other domains own. Each is idempotent, so
// that an erasure called again finishes what an interrupted one left.
type (
	// MatchWithdrawer withdraws every open match of the person.
	MatchWithdrawer interface {
		WithdrawAll(ctx context.Context, by auth.Principal) error
	}
	// PathwayForgetter deletes every pathway record of the person.
	PathwayForgetter interface {
		Forget(ctx context.Context, profileID string) error
	}
	// RoundForgetter removes the person's rankings from every placement
	// round (round.Service.Forget).
	RoundForgetter interface {
		Forget(ctx context.Context, profileID string) error
	}
	// AccountDeleter ends the person's sessions and deletes their account
	// (auth.Service.CloseAccount); closing a missing account is not an
	// error.
	AccountDeleter interface {
		CloseAccount(ctx context.Context, userID string) error
	}
)

// EmployerAccess decides whether an employer's member may read a
// person's full profile now, and names the employer that gives the access
// (match.Service.EmployerAccess): the match workflow owns that rule. Any
// role but an employer's gets false.
type EmployerAccess interface {
	EmployerAccess(ctx context.Context, by auth.Principal, profileID string) (register.Employer, bool, error)
}

// Catalog answers which skill ids exist.
type Catalog interface {
	KnownSkill(id string) bool
}
