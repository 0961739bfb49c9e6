package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// ReferralRequest is an employer's request that the labour office refer
// the candidate of a card. ProfileID and DecidedBy are the office's only.
type ReferralRequest struct {
	ID          string     `json:"id"`
	NeedID      string     `json:"needId"`
	EmployerID  string     `json:"employerId"`
	CandidateID string     `json:"candidateId"` // the card's pseudonym
	ProfileID   string     `json:"profileId,omitempty"`
	State       string     `json:"state"`            // pending, accepted, declined
	Reason      string     `json:"reason,omitempty"` // why the office declined
	MatchID     string     `json:"matchId,omitempty"`
	DecidedBy   string     `json:"decidedBy,omitempty"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty"`
	CreatedAt   time.Time  `json:"createdAt"`
}

// ReferredMatch is a match as a referral answers it (the main fields of
// the API's Match).
type ReferredMatch struct {
	ID         string     `json:"id"`
	NeedID     string     `json:"needId"`
	ProfileID  string     `json:"profileId"`
	EmployerID string     `json:"employerId"`
	Origin     string     `json:"origin"`
	State      string     `json:"state"`
	ReferredAt *time.Time `json:"referredAt,omitempty"`
	OutcomeDue string     `json:"outcomeDue,omitempty"` // YYYY-MM-DD
	Overdue    bool       `json:"overdue"`
}

// ReferralNote is an officer's note on a referral: internal (the default)
// or shared with the employer and the person.
type ReferralNote struct {
	Note       string `json:"note,omitempty"`
	Visibility string `json:"visibility,omitempty"`
}

// AskReferral asks the labour office to refer the candidate of a card
// (its pseudonym, CandidateMatch.Candidate.ID) to one of the caller's
// needs (POST /api/v1/needs/{id}/referral-requests). Asking again answers
// the pending request; created tells which.
func (c *Client) AskReferral(ctx context.Context, needID, candidateID string) (r ReferralRequest, created bool, err error) {
	in := struct {
		CandidateID string `json:"candidateId"`
	}{candidateID}
	res, err := c.send(ctx, http.MethodPost, "/api/v1/needs/"+pathID(needID)+"/referral-requests", nil, in)
	if err != nil {
		return ReferralRequest{}, false, err
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return ReferralRequest{}, false, readProblem(res)
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return ReferralRequest{}, false, fmt.Errorf("ask referral: decode response: %w", err)
	}
	return r, res.StatusCode == http.StatusCreated, nil
}

// NeedReferralRequests lists a need's referral requests, oldest first
// (GET /api/v1/needs/{id}/referral-requests): its employer's members and
// officers.
func (c *Client) NeedReferralRequests(ctx context.Context, needID string) ([]ReferralRequest, error) {
	var out struct {
		Items []ReferralRequest `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/needs/"+pathID(needID)+"/referral-requests", nil, nil, &out)
	return out.Items, err
}

// ReferralRequests is the office's queue in a state ("" means pending),
// oldest first (GET /api/v1/referral-requests).
func (c *Client) ReferralRequests(ctx context.Context, state string) ([]ReferralRequest, error) {
	q := url.Values{}
	if state != "" {
		q.Set("state", state)
	}
	var out struct {
		Items []ReferralRequest `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/referral-requests", q, nil, &out)
	return out.Items, err
}

// AcceptReferral refers the requested candidate and marks the request
// accepted (POST /api/v1/referral-requests/{id}/accept).
func (c *Client) AcceptReferral(ctx context.Context, id string, n ReferralNote) (ReferralRequest, ReferredMatch, error) {
	var out struct {
		Request ReferralRequest `json:"request"`
		Match   ReferredMatch   `json:"match"`
	}
	err := c.do(ctx, http.MethodPost, "/api/v1/referral-requests/"+pathID(id)+"/accept", nil, n, &out)
	return out.Request, out.Match, err
}

// DeclineReferral declines a request with a reason the employer reads
// (POST /api/v1/referral-requests/{id}/decline).
func (c *Client) DeclineReferral(ctx context.Context, id, reason string) (ReferralRequest, error) {
	in := struct {
		Reason string `json:"reason"`
	}{reason}
	var out ReferralRequest
	err := c.do(ctx, http.MethodPost, "/api/v1/referral-requests/"+pathID(id)+"/decline", nil, in, &out)
	return out, err
}

// ReferDirectly is an officer's direct referral of a profile to a need
// (POST /api/v1/matches): the match is created in state referred.
func (c *Client) ReferDirectly(ctx context.Context, needID, profileID string, n ReferralNote) (ReferredMatch, error) {
	in := struct {
		NeedID    string `json:"needId"`
		ProfileID string `json:"profileId"`
		ReferralNote
	}{needID, profileID, n}
	var out ReferredMatch
	err := c.do(ctx, http.MethodPost, "/api/v1/matches", nil, in, &out)
	return out, err
}
