package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// EmployerQuery filters the office's employer list: Verified nil lists
// all; Q matches the name (any case, accents, Cyrillic or Latin) or the
// start of the EIK; Page counts from 1 (0: the first).
type EmployerQuery struct {
	Verified *bool
	Q        string
	Page     int
}

// EmployerPage is one page of the office's employer list.
type EmployerPage struct {
	Items    []Employer `json:"items"`
	Total    int        `json:"total"`
	Page     int        `json:"page"`
	PageSize int        `json:"pageSize"`
}

// ListEmployers lists employers for the labour office (officers; GET
// /api/v1/employers), in alphabetical order.
func (c *Client) ListEmployers(ctx context.Context, q EmployerQuery) (EmployerPage, error) {
	v := url.Values{}
	if q.Verified != nil {
		v.Set("verified", strconv.FormatBool(*q.Verified))
	}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Page > 0 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	var out EmployerPage
	err := c.do(ctx, http.MethodGet, "/api/v1/employers", v, nil, &out)
	return out, err
}

// WithdrawVerification withdraws an employer's verification with a reason
// the employer reads (officers; POST /api/v1/employers/{id}/verification).
func (c *Client) WithdrawVerification(ctx context.Context, id, reason string) (Employer, error) {
	in := struct {
		Verified bool   `json:"verified"`
		Reason   string `json:"reason"`
	}{false, reason}
	var out Employer
	err := c.do(ctx, http.MethodPost, "/api/v1/employers/"+pathID(id)+"/verification", nil, in, &out)
	return out, err
}

// InPersonConsent is the consent a person who does not use the web gave
// in person, and who recorded it (required).
type InPersonConsent struct {
	Matching   bool   `json:"matching"`
	RecordedBy string `json:"recordedBy"`
}

// InPersonProfile is the profile an officer keeps for a person who does
// not use the web: a profile as the person would send it, with the
// in-person consent and, for a person under 18, the guardian who came
// with them.
type InPersonProfile struct {
	ProfileInput
	Consent  InPersonConsent  `json:"consent"`
	Guardian *GuardianConsent `json:"guardian,omitempty"`
}

// CreateInPersonProfile creates the profile of a person without an
// account (officers; POST /api/v1/profiles). It is matched and referred
// like any other.
func (c *Client) CreateInPersonProfile(ctx context.Context, p InPersonProfile) (Profile, error) {
	var out Profile
	err := c.do(ctx, http.MethodPost, "/api/v1/profiles", nil, p, &out)
	return out, err
}

// UpdateInPersonProfile replaces a profile the office keeps for a person
// without an account (officers; PUT /api/v1/profiles/{id}).
func (c *Client) UpdateInPersonProfile(ctx context.Context, id string, p InPersonProfile) (Profile, error) {
	var out Profile
	err := c.do(ctx, http.MethodPut, "/api/v1/profiles/"+pathID(id), nil, p, &out)
	return out, err
}
