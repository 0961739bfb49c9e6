package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// Explanation says why a match scored as it did.
type Explanation struct {
	MatchedSkills  []MatchedSkill `json:"matchedSkills"`
	MissingSkills  []MissingSkill `json:"missingSkills"`
	DistanceKm     float64        `json:"distanceKm"`
	LanguagesOK    bool           `json:"languagesOk"`
	AvailabilityOK bool           `json:"availabilityOk"`
	Parts          []ScorePart    `json:"parts"` // the named parts of the score
}

// MatchedSkill is a wanted skill the person holds, directly or through a
// related skill (Via, HeldID, Relation).
type MatchedSkill struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Required    bool   `json:"required"`
	LevelWanted int    `json:"levelWanted"`
	LevelHas    int    `json:"levelHas"`
	Evidence    string `json:"evidence"`
	Via         string `json:"via"`
	HeldID      string `json:"heldId,omitempty"`
	HeldLabel   string `json:"heldLabel,omitempty"`
	Relation    string `json:"relation,omitempty"`
}

// MissingSkill is a wanted skill the person lacks, or holds below the
// level wanted (LevelHas set).
type MissingSkill struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Required    bool   `json:"required"`
	LevelWanted int    `json:"levelWanted"`
	LevelHas    *int   `json:"levelHas,omitempty"`
}

// ScorePart is one named, weighted part of a score.
type ScorePart struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Weight float64 `json:"weight"`
}

// CandidateCard is what an employer sees of a candidate before a
// referral: no name, contact, birth year or free text.
type CandidateCard struct {
	ID             string      `json:"id"`                  // a pseudonym, different for each employer
	ProfileID      string      `json:"profileId,omitempty"` // for officers only
	Skills         []CardSkill `json:"skills"`
	Languages      []Language  `json:"languages"`
	EducationLevel int         `json:"educationLevel"`
	Municipality   string      `json:"municipality"`
	AvailableFrom  string      `json:"availableFrom"`
	AvailableTo    string      `json:"availableTo,omitempty"`
	Hours          string      `json:"hours,omitempty"`
}

// CardSkill is a skill on a candidate card.
type CardSkill struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Level    int    `json:"level"`
	Evidence string `json:"evidence"`
}

// CandidateMatch is a ranked candidate for a need.
type CandidateMatch struct {
	Candidate      CandidateCard `json:"candidate"`
	Score          float64       `json:"score"` // 0..1
	Explanation    Explanation   `json:"explanation"`
	PermitRequired bool          `json:"permitRequired"`
}

// NeedMatch is a ranked need for a job-seeker.
type NeedMatch struct {
	Need           Need        `json:"need"`
	Score          float64     `json:"score"` // 0..1
	Explanation    Explanation `json:"explanation"`
	PermitRequired bool        `json:"permitRequired"`
}

// NextSkill is a skill to learn (Kind "learn") that, once held at Level,
// would open Opens more matches, or a held one to raise (Kind "raise") from
// LevelHas to Level, the level most needs asking for it want, which meets
// the requirement of Opens needs.
type NextSkill struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Kind     string `json:"kind"`
	Level    int    `json:"level"`
	LevelHas int    `json:"levelHas"`
	Opens    int    `json:"opens"`
}

// ProfileMatches is a job-seeker's ranked needs, the near misses, and the
// skills that would open the most further matches.
type ProfileMatches struct {
	Items      []NeedMatch `json:"items"`
	NearMisses []NeedMatch `json:"nearMisses"`
	NextSkills []NextSkill `json:"nextSkills"`
}

// NeedMatches ranks the consenting candidates for a need, best first;
// members of its employer and officers may ask (GET
// /api/v1/needs/{id}/matches). limit 0 means the server's default. An
// employer sees candidates only for an open, unexpired need once the office
// verified it (else a 403 Problem with code employer_not_verified,
// need_not_open or need_expired), and a limited number of times a day (a
// 429 Problem, card_reads_exceeded, with Retry-After).
func (c *Client) NeedMatches(ctx context.Context, needID string, limit int) ([]CandidateMatch, error) {
	q := url.Values{}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out struct {
		Items []CandidateMatch `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/needs/"+pathID(needID)+"/matches", q, nil, &out)
	return out.Items, err
}

// MyMatches ranks the public needs for the signed-in job-seeker's profile
// (GET /api/v1/profiles/me/matches). kind "" means every kind but
// forecast; limit 0 means the server's default.
func (c *Client) MyMatches(ctx context.Context, kind string, limit int) (ProfileMatches, error) {
	q := url.Values{}
	if kind != "" {
		q.Set("kind", kind)
	}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out ProfileMatches
	err := c.do(ctx, http.MethodGet, "/api/v1/profiles/me/matches", q, nil, &out)
	return out, err
}
