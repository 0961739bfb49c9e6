package client

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// ProfileInput is a job-seeker's whole profile, as PutProfile sends it.
type ProfileInput struct {
	DisplayName    string       `json:"displayName"`
	BirthYear      int          `json:"birthYear,omitempty"` // deprecated: only an adult's year is accepted alone
	BirthDate      string       `json:"birthDate,omitempty"` // YYYY-MM or YYYY-MM-DD
	Phone          string       `json:"phone,omitempty"`
	Municipality   string       `json:"municipality"`
	Location       GeoPoint     `json:"location"`
	MaxTravelKm    int          `json:"maxTravelKm"`
	WorkModes      []string     `json:"workModes"` // onsite, hybrid, remote
	Skills         []SkillLevel `json:"skills,omitempty"`
	Languages      []Language   `json:"languages,omitempty"`
	EducationLevel int          `json:"educationLevel"` // ISCED 0..8
	Interests      Interests    `json:"interests"`
	AvailableFrom  string       `json:"availableFrom"`         // YYYY-MM-DD
	AvailableTo    string       `json:"availableTo,omitempty"` // YYYY-MM-DD
	Hours          string       `json:"hours,omitempty"`       // full_time, part_time, any
	Summary        string       `json:"summary,omitempty"`
	Consent        Consent      `json:"consent"`
}

// SkillLevel is a skill a person holds, as they declare it.
type SkillLevel struct {
	ID     string `json:"id"`               // ESCO skill id
	Level  int    `json:"level"`            // 1..4
	Source string `json:"source,omitempty"` // where they gained it: work, training, school; empty: not said
}

// Interests are the kinds of needs and the sectors a person looks for.
type Interests struct {
	Kinds   []string `json:"kinds,omitempty"`
	Sectors []string `json:"sectors,omitempty"`
}

// Consent is what a person agrees to. Without Matching a profile is never
// ranked or shown to employers.
type Consent struct {
	Matching bool `json:"matching"`
}

// Profile is a stored job-seeker profile.
type Profile struct {
	ID             string         `json:"id"`
	DisplayName    string         `json:"displayName"`
	BirthYear      int            `json:"birthYear"`
	BirthDate      string         `json:"birthDate,omitempty"`
	Guardian       GuardianStatus `json:"guardianConsent"`
	Phone          string         `json:"phone,omitempty"`
	Municipality   string         `json:"municipality"`
	Location       GeoPoint       `json:"location"`
	MaxTravelKm    int            `json:"maxTravelKm"`
	WorkModes      []string       `json:"workModes"`
	Skills         []ProfileSkill `json:"skills"`
	Languages      []Language     `json:"languages"`
	EducationLevel int            `json:"educationLevel"`
	Interests      Interests      `json:"interests"`
	AvailableFrom  string         `json:"availableFrom"`
	AvailableTo    string         `json:"availableTo,omitempty"`
	Hours          string         `json:"hours,omitempty"`
	Summary        string         `json:"summary"`
	Consent        ConsentRecord  `json:"consent"`
	Managed        bool           `json:"managed,omitempty"` // kept by the labour office: no account
	CreatedAt      time.Time      `json:"createdAt"`
	UpdatedAt      time.Time      `json:"updatedAt"`
}

// ProfileSkill is a skill on a stored profile, with how it is known.
type ProfileSkill struct {
	ID       string `json:"id"`
	Level    int    `json:"level"`
	Evidence string `json:"evidence"`         // "declared" or "certified"
	Source   string `json:"source,omitempty"` // work, training, school; empty: not said
}

// ConsentRecord is a stored consent and when it last changed.
type ConsentRecord struct {
	Matching   bool      `json:"matching"`
	UpdatedAt  time.Time `json:"updatedAt"`
	RecordedBy string    `json:"recordedBy,omitempty"` // given in person: who recorded it
}

// GuardianStatus says whether a profile waits for a parent's or
// guardian's consent (its owner was under 14): Status is not_required,
// pending (the profile is held: never matched or shown to employers) or
// recorded.
type GuardianStatus struct {
	Status     string     `json:"status"`
	Name       string     `json:"name,omitempty"`
	Relation   string     `json:"relation,omitempty"` // parent, guardian
	GivenOn    string     `json:"givenOn,omitempty"`  // YYYY-MM-DD
	RecordedAt *time.Time `json:"recordedAt,omitempty"`
}

// GuardianConsent is a parent's or guardian's consent that an officer has
// seen.
type GuardianConsent struct {
	Name     string `json:"name"`
	Relation string `json:"relation"` // parent, guardian
	GivenOn  string `json:"givenOn"`  // YYYY-MM-DD, not after today
}

// RecordGuardianConsent records a guardian's consent to the held profile
// of a person under 14 (officers; POST
// /api/v1/profiles/{id}/guardian-consent). A profile that needs none is a
// 409 Problem.
func (c *Client) RecordGuardianConsent(ctx context.Context, id string, g GuardianConsent) (Profile, error) {
	var out Profile
	err := c.do(ctx, http.MethodPost, "/api/v1/profiles/"+pathID(id)+"/guardian-consent", nil, g, &out)
	return out, err
}

// Export is everything the server holds about a job-seeker.
type Export struct {
	Account          User          `json:"account"`
	AccountCreatedAt time.Time     `json:"accountCreatedAt"`
	Profile          *Profile      `json:"profile"` // nil after erasure
	Views            []ProfileView `json:"views"`
	Matches          []ExportMatch `json:"matches"`
	GeneratedAt      time.Time     `json:"generatedAt"`
}

// ExportMatch is one of the person's matches in their export.
type ExportMatch struct {
	ID         string       `json:"id"`
	NeedID     string       `json:"needId"`
	EmployerID string       `json:"employerId"`
	State      string       `json:"state"`
	ReferredAt *time.Time   `json:"referredAt,omitempty"`
	History    []MatchEvent `json:"history"`
	// EmployerAccess is when the employer could read the person's full
	// profile; nil if it never could (never referred).
	EmployerAccess *EmployerAccess `json:"employerAccess,omitempty"`
}

// EmployerAccess is the period during which an employer may read a
// person's full profile: from the referral until the match is withdrawn
// or rejected, or 90 days after a placement. Until is nil while it has no
// end yet.
type EmployerAccess struct {
	From  time.Time  `json:"from"`
	Until *time.Time `json:"until,omitempty"`
}

// MatchEvent is one move of a match. Employers and job-seekers see only
// shared notes and their own, and no officer's id (By is empty; Role says
// the office moved it).
type MatchEvent struct {
	From       string    `json:"from,omitempty"`
	To         string    `json:"to"`
	By         string    `json:"by,omitempty"`
	Role       string    `json:"role"`
	At         time.Time `json:"at"`
	Note       string    `json:"note,omitempty"`
	Visibility string    `json:"visibility,omitempty"` // internal or shared
	Reason     string    `json:"reason,omitempty"`
}

// ProfileView is one read of a person's full profile by someone else.
type ProfileView struct {
	Who          string    `json:"who"`
	Role         string    `json:"role"`
	Organisation string    `json:"organisation"`
	When         time.Time `json:"when"`
	Why          string    `json:"why"`
}

// PutProfile creates or replaces the signed-in job-seeker's profile (PUT
// /api/v1/profiles/me).
func (c *Client) PutProfile(ctx context.Context, p ProfileInput) (Profile, error) {
	var out Profile
	err := c.do(ctx, http.MethodPut, "/api/v1/profiles/me", nil, p, &out)
	return out, err
}

// MyProfile returns the signed-in job-seeker's profile (GET
// /api/v1/profiles/me); none is a 404 Problem.
func (c *Client) MyProfile(ctx context.Context) (Profile, error) {
	var out Profile
	err := c.do(ctx, http.MethodGet, "/api/v1/profiles/me", nil, nil, &out)
	return out, err
}

// DeleteProfile erases the signed-in job-seeker's profile at once (DELETE
// /api/v1/profiles/me).
func (c *Client) DeleteProfile(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/api/v1/profiles/me", nil, nil, nil)
}

// ExportProfile returns all data held about the signed-in job-seeker,
// with every read of their profile by someone else (GET
// /api/v1/profiles/me/export).
func (c *Client) ExportProfile(ctx context.Context) (Export, error) {
	var out Export
	err := c.do(ctx, http.MethodGet, "/api/v1/profiles/me/export", nil, nil, &out)
	return out, err
}

// Profile returns someone's full profile to an officer, or to an employer
// the person was referred to (GET /api/v1/profiles/{id}). The read is
// audit-logged with purpose (case_review, referral, placement_round,
// pathway or support; empty means case_review) and shown to the person in
// their export. A profile the caller may not read is a 404 Problem.
func (c *Client) Profile(ctx context.Context, id, purpose string) (Profile, error) {
	var q url.Values
	if purpose != "" {
		q = url.Values{"purpose": {purpose}}
	}
	var out Profile
	err := c.do(ctx, http.MethodGet, "/api/v1/profiles/"+pathID(id), q, nil, &out)
	return out, err
}
