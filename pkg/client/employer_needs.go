package client

import (
	"context"
	"net/http"
	"net/url"
)

// EmployerNeed is one need of an employer's own list, with its counts.
type EmployerNeed struct {
	Need Need `json:"need"`
	// Status is the need's state today: draft, open, filled, closed, or
	// expired (open but past its apply-by date).
	Status string `json:"status"`
	// Candidates the ranking admits, up to EmployerNeeds.CandidateCap
	// (CandidatesCapped then); nil when not counted (closed, filled,
	// expired, forecast).
	Candidates       *int `json:"candidates"`
	CandidatesCapped bool `json:"candidatesCapped"`
	Applications     int  `json:"applications"`
	Referrals        int  `json:"referrals"`
}

// EmployerNeeds is an employer's list of its needs.
type EmployerNeeds struct {
	Items        []EmployerNeed `json:"items"`
	CandidateCap int            `json:"candidateCap"`
}

// EmployerNeeds lists an employer's own needs in every state, or in status
// when it is not "" (GET /api/v1/employers/{id}/needs): for its members
// once the office verified it, and for officers.
func (c *Client) EmployerNeeds(ctx context.Context, employerID, status string) (EmployerNeeds, error) {
	var q url.Values
	if status != "" {
		q = url.Values{"status": {status}}
	}
	var out EmployerNeeds
	err := c.do(ctx, http.MethodGet, "/api/v1/employers/"+pathID(employerID)+"/needs", q, nil, &out)
	return out, err
}
