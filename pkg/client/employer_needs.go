package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
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
	Total        int            `json:"total"` // needs in the status on every page
	Page         int            `json:"page"`
	PageSize     int            `json:"pageSize"`
	CandidateCap int            `json:"candidateCap"`
}

// EmployerNeeds lists one page (from 1; 0 means 1) of an employer's own
// needs in every state, or in status when it is not "", newest first (GET
// /api/v1/employers/{id}/needs): for its members once the office verified
// it, and for officers.
func (c *Client) EmployerNeeds(ctx context.Context, employerID, status string, page int) (EmployerNeeds, error) {
	q := url.Values{}
	if status != "" {
		q.Set("status", status)
	}
	if page != 0 {
		q.Set("page", strconv.Itoa(page))
	}
	var out EmployerNeeds
	err := c.do(ctx, http.MethodGet, "/api/v1/employers/"+pathID(employerID)+"/needs", q, nil, &out)
	return out, err
}
