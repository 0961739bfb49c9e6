// Package pathway runs the Care Career Path pilot: a guided route into the
// care professions in stages (orientation, training, placement, first job,
// mentoring). Officers define pathways, enrol and accept participants, move
// them through the stages and record the entry checks; completing a stage
// certifies the skills it grants on the person's profile.
//
// Entry requirements such as a medical certificate or a criminal-record
// certificate are recorded only as checked or not, on a date, by an officer:
// never the document or what it says. A medical certificate is health data
// (GDPR Art. 9) and a criminal record is data on convictions (Art. 10); the
// programme needs to know that someone looked, not what they saw.
package pathway

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
)

// Participant statuses. A job-seeker who enrols is pending until an officer
// accepts them; an officer's enrolment is accepted at once.
const (
	StatusPending   = "pending"
	StatusActive    = "active"
	StatusCompleted = "completed"
	StatusWithdrawn = "withdrawn"
)

// Stage progress statuses.
const (
	StageStarted   = "started"
	StageCompleted = "completed"
)

// Limits of a pathway definition and of the free-text fields of a move.
const (
	MaxStages       = 20
	MaxRequirements = 20 // per stage
	MaxGrants       = 50 // per stage
	MaxNameLen      = 200
	MaxMentorLen    = 200
	MaxNextStepLen  = 500
)

// Pathway is a route through stages. It does not change once created.
type Pathway struct {
	ID        string
	Name      map[string]string // "bg" and "en"
	Stages    []Stage
	CreatedBy string
	CreatedAt time.Time
}

// Stage is one step of a pathway.
type Stage struct {
	Key          string // a slug, unique in the pathway
	Name         map[string]string
	Requirements []Requirement
	GrantsSkills []SkillGrant
}

// Requirement is an entry requirement checked by an officer, such as a
// medical certificate. Only the fact and date of the check are kept.
type Requirement struct {
	Key  string // a slug, unique in the pathway
	Name map[string]string
}

// SkillGrant is a skill, at a level (1..4), that completing a stage
// certifies.
type SkillGrant struct {
	ID    string
	Level int
}

// Participant is one person on one pathway. The pair is its key: a person
// enrols on a pathway once.
type Participant struct {
	PathwayID  string
	ProfileID  string
	Status     string // StatusPending, StatusActive, StatusCompleted or StatusWithdrawn
	Stage      string // the key of the current stage; empty before the first
	Stages     map[string]StageProgress
	Checks     map[string]Check // by requirement key
	Mentor     string
	NextStep   string
	EnrolledAt time.Time
	AcceptedAt time.Time // zero while pending
	UpdatedAt  time.Time
	Version    int64
}

// StageProgress is how far a participant is in one stage.
type StageProgress struct {
	Status      string // StageStarted or StageCompleted
	StartedAt   time.Time
	CompletedAt time.Time // zero until completed
}

// Check records that an officer checked an entry requirement on a date,
// and the outcome: nothing else about the document.
type Check struct {
	Checked bool
	On      string // YYYY-MM-DD
	By      string // the officer's user id
}

// Key is the participant key of a person on a pathway.
func Key(pathwayID, profileID string) string { return pathwayID + "/" + profileID }

// Key is the participant's key.
func (p Participant) Key() string { return Key(p.PathwayID, p.ProfileID) }

// Stage returns the stage with key.
func (p Pathway) Stage(key string) (Stage, bool) {
	i := slices.IndexFunc(p.Stages, func(s Stage) bool { return s.Key == key })
	if i < 0 {
		return Stage{}, false
	}
	return p.Stages[i], true
}

// Requirement returns the entry requirement with key, of any stage.
func (p Pathway) Requirement(key string) (Requirement, bool) {
	for _, st := range p.Stages {
		for _, r := range st.Requirements {
			if r.Key == key {
				return r, true
			}
		}
	}
	return Requirement{}, false
}

// StageKeys returns the stage keys in order.
func (p Pathway) StageKeys() []string {
	keys := make([]string, len(p.Stages))
	for i, s := range p.Stages {
		keys[i] = s.Key
	}
	return keys
}

// clone returns a deep copy, so that memory shared with callers is never
// changed by them.
func (p Pathway) clone() Pathway {
	p.Name = maps.Clone(p.Name)
	p.Stages = slices.Clone(p.Stages)
	for i, s := range p.Stages {
		s.Name = maps.Clone(s.Name)
		s.Requirements = slices.Clone(s.Requirements)
		for j, r := range s.Requirements {
			r.Name = maps.Clone(r.Name)
			s.Requirements[j] = r
		}
		s.GrantsSkills = slices.Clone(s.GrantsSkills)
		p.Stages[i] = s
	}
	return p
}

// clone returns a copy whose maps can be changed without touching p's.
func (p Participant) clone() Participant {
	p.Stages = maps.Clone(p.Stages)
	if p.Stages == nil {
		p.Stages = map[string]StageProgress{}
	}
	p.Checks = maps.Clone(p.Checks)
	if p.Checks == nil {
		p.Checks = map[string]Check{}
	}
	return p
}

// MergeCertified returns have with grants added as certified skills: a
// skill the person lacks is added; one held at the granted level or lower is
// raised to it and becomes certified; one held higher keeps its level and
// its evidence, because the stage attests only the lower level (a certified
// skill therefore stays certified, and a higher declared one stays
// declared). A certified skill keeps the source the person gave; a new one
// takes the grant's (none when the stage says none). have is not changed. The profile adapter behind
// ProfileWriter.Certify applies this rule.
func MergeCertified(have, grants []profile.Skill) []profile.Skill {
	out := slices.Clone(have)
	at := make(map[string]int, len(out))
	for i, sk := range out {
		at[sk.ID] = i
	}
	for _, g := range grants {
		i, ok := at[g.ID]
		switch {
		case !ok:
			at[g.ID] = len(out)
			out = append(out, profile.Skill{ID: g.ID, Level: g.Level, Evidence: profile.EvidenceCertified, Source: g.Source})
		case out[i].Level <= g.Level:
			out[i].Level, out[i].Evidence = g.Level, profile.EvidenceCertified
		}
	}
	return out
}

// Pathways stores pathway definitions.
type Pathways interface {
	// InsertPathway adds p; a taken id is failure.Conflict.
	InsertPathway(ctx context.Context, p Pathway) error
	// PathwaysAfter calls fn for every pathway written after sequence seq
	// (-1: every one) with its sequence: the start-up read and the poll
	// for other replicas' writes (internal/follow).
	PathwaysAfter(ctx context.Context, seq int64, fn func(p Pathway, seq int64) error) error
}

// Participants stores participants, keyed by pathway and person.
type Participants interface {
	// InsertParticipant adds p; a second one for the same pathway and
	// person is failure.Conflict (the key decides, not a check first).
	InsertParticipant(ctx context.Context, p Participant) error
	// Participant returns the participant, or failure.NotFound.
	Participant(ctx context.Context, pathwayID, profileID string) (Participant, error)
	// UpdateParticipant stores p if the stored version is still version;
	// false means another request changed it first.
	UpdateParticipant(ctx context.Context, p Participant, version int64) (bool, error)
	// DeleteParticipant forgets the participant for good (a tombstone the
	// other replicas follow); absent is not an error.
	DeleteParticipant(ctx context.Context, pathwayID, profileID string) error
	// ParticipantsAfter calls fn for every participant written after
	// sequence seq (-1: every one), forgotten ones included, with its
	// sequence: the start-up read and the poll for other replicas' writes.
	ParticipantsAfter(ctx context.Context, seq int64, fn func(p Participant, forgotten bool, seq int64) error) error
}

// Profiles gives a job-seeker's profile.
type Profiles interface {
	// Profile returns the profile, or failure.NotFound (erased ones too).
	Profile(ctx context.Context, id string) (profile.Profile, error)
}

// ProfileWriter certifies skills on a profile. It must write through the
// profile store, so that the search index sees the change.
type ProfileWriter interface {
	// Certify merges skills (evidence certified) into the profile by the
	// rule of MergeCertified. It is idempotent. A missing or erased
	// profile is failure.NotFound.
	Certify(ctx context.Context, profileID string, skills []profile.Skill) error
}

// Catalog answers which skill ids exist.
type Catalog interface {
	KnownSkill(id string) bool
}
