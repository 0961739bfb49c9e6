package client

import (
	"context"
	"net/http"
	"time"
)

// Round is a placement round. Officers see it whole; a job-seeker sees
// only their own preferences, an employer nobody's; LastRun is for
// officers only.
type Round struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Programme    string              `json:"programme"` // internship or care_pathway
	NeedIDs      []string            `json:"needIds"`
	ClosesAt     time.Time           `json:"closesAt"`
	Status       string              `json:"status"`      // open or published
	Preferences  map[string][]string `json:"preferences"` // profile id → need ids, best first
	NeedRankings map[string][]string `json:"needRankings"`
	LastRun      *RoundRun           `json:"lastRun,omitempty"`
	CreatedAt    time.Time           `json:"createdAt"`
	// MatchesCreated is set only by PublishRound.
	MatchesCreated *int `json:"matchesCreated,omitempty"`
}

// RoundRun is the result of running a round.
type RoundRun struct {
	At            time.Time         `json:"at"`
	Assignments   []RoundAssignment `json:"assignments"`
	Unassigned    []RoundUnassigned `json:"unassigned"`
	BlockingPairs int               `json:"blockingPairs"`
}

// RoundAssignment is who a run placed in one need; Pinned were placed by
// an officer's pin.
type RoundAssignment struct {
	NeedID     string   `json:"needId"`
	ProfileIDs []string `json:"profileIds"`
	Pinned     []string `json:"pinned"`
}

// RoundUnassigned is a person a run placed nowhere, and why
// (all_choices_full, no_places, not_acceptable, forbidden, no_preferences).
type RoundUnassigned struct {
	ProfileID string `json:"profileId"`
	Reason    string `json:"reason"`
}

// NewRound opens a round (officers).
type NewRound struct {
	Name      string    `json:"name"`
	Programme string    `json:"programme"`
	NeedIDs   []string  `json:"needIds"`
	ClosesAt  time.Time `json:"closesAt"`
}

// RoundPair is a person and a need, to pin or to forbid.
type RoundPair struct {
	ProfileID string `json:"profileId"`
	NeedID    string `json:"needId"`
}

// Rounds lists the rounds the caller takes part in, newest first: all of
// them for officers, those taking preferences or ranked in for a
// job-seeker, those holding the organisation's needs for an employer.
func (c *Client) Rounds(ctx context.Context) ([]Round, error) {
	var out struct {
		Items []Round `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/rounds", nil, nil, &out)
	return out.Items, err
}

// Round reads one round.
func (c *Client) Round(ctx context.Context, id string) (Round, error) {
	var out Round
	err := c.do(ctx, http.MethodGet, "/api/v1/rounds/"+pathID(id), nil, nil, &out)
	return out, err
}

// CreateRound opens a round (officers).
func (c *Client) CreateRound(ctx context.Context, r NewRound) (Round, error) {
	var out Round
	err := c.do(ctx, http.MethodPost, "/api/v1/rounds", nil, r, &out)
	return out, err
}

// RankRoundNeeds records the signed-in job-seeker's ranking of the
// round's needs, best first.
func (c *Client) RankRoundNeeds(ctx context.Context, id string, needIDs []string) (Round, error) {
	var out Round
	err := c.do(ctx, http.MethodPut, "/api/v1/rounds/"+pathID(id)+"/preferences/me", nil, map[string]any{"needIds": needIDs}, &out)
	return out, err
}

// RunRound allocates the round's places with the officer's pins and
// forbidden pairs (officers).
func (c *Client) RunRound(ctx context.Context, id string, pins, forbidden []RoundPair) (RoundRun, error) {
	var out RoundRun
	body := map[string]any{"pins": nonNilPairs(pins), "forbidden": nonNilPairs(forbidden)}
	err := c.do(ctx, http.MethodPost, "/api/v1/rounds/"+pathID(id)+"/run", nil, body, &out)
	return out, err
}

// PublishRound turns the last run into proposed matches (officers).
func (c *Client) PublishRound(ctx context.Context, id string) (Round, error) {
	var out Round
	err := c.do(ctx, http.MethodPost, "/api/v1/rounds/"+pathID(id)+"/publish", nil, nil, &out)
	return out, err
}

func nonNilPairs(p []RoundPair) []RoundPair {
	if p == nil {
		return []RoundPair{}
	}
	return p
}
