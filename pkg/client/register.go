package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// GeoPoint is a WGS 84 position.
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// NewEmployer is an organisation to register.
type NewEmployer struct {
	Name         string   `json:"name"`
	EIK          string   `json:"eik"` // Bulgarian UIC/BULSTAT: 9 or 13 digits with a valid check digit
	Sector       string   `json:"sector"`
	Municipality string   `json:"municipality"`
	Location     GeoPoint `json:"location"`
	Address      string   `json:"address,omitempty"`
	Website      string   `json:"website,omitempty"`
}

// Employer is a registered organisation.
type Employer struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	EIK          string        `json:"eik"`
	Sector       string        `json:"sector"`
	Municipality string        `json:"municipality"`
	Location     GeoPoint      `json:"location"`
	Address      string        `json:"address,omitempty"`
	Website      string        `json:"website,omitempty"`
	Verified     bool          `json:"verified"`
	Verification *Verification `json:"verification,omitempty"` // the last officer decision, if any
	CreatedAt    time.Time     `json:"createdAt"`
	UpdatedAt    time.Time     `json:"updatedAt"`
}

// Verification is an officer's decision on an employer.
type Verification struct {
	Verified bool      `json:"verified"`
	Note     string    `json:"note,omitempty"`
	Reason   string    `json:"reason,omitempty"` // why a verification was withdrawn
	At       time.Time `json:"at"`
}

// EmployerPatch changes some of an employer's details; nil fields stay.
type EmployerPatch struct {
	Name         *string   `json:"name,omitempty"`
	Sector       *string   `json:"sector,omitempty"`
	Municipality *string   `json:"municipality,omitempty"`
	Location     *GeoPoint `json:"location,omitempty"`
	Address      *string   `json:"address,omitempty"`
	Website      *string   `json:"website,omitempty"`
}

// SkillRequirement is a skill a need asks for.
type SkillRequirement struct {
	ID       string `json:"id"`    // ESCO skill id
	Level    int    `json:"level"` // 1..4
	Required bool   `json:"required"`
}

// Language is a language at a CEFR level.
type Language struct {
	Code  string `json:"code"`  // ISO 639-1, such as "bg"
	Level string `json:"level"` // "A1".."C2"
}

// NeedLocation is where a need's work is done.
type NeedLocation struct {
	Municipality string  `json:"municipality"`
	Lat          float64 `json:"lat"`
	Lon          float64 `json:"lon"`
}

// NewNeed is a demand for skills to publish: a job, internship,
// apprenticeship, Care Career Path placement or forecast.
type NewNeed struct {
	EmployerID     string             `json:"employerId"`
	Kind           string             `json:"kind"` // job, internship, apprenticeship, care_pathway, forecast
	Title          string             `json:"title"`
	Description    string             `json:"description,omitempty"`
	Occupation     string             `json:"occupation,omitempty"` // ESCO occupation id
	Sector         string             `json:"sector"`
	Skills         []SkillRequirement `json:"skills"` // 1..50
	Languages      []Language         `json:"languages,omitempty"`
	EducationLevel *int               `json:"educationLevel,omitempty"` // ISCED 0..8
	Location       NeedLocation       `json:"location"`
	WorkMode       string             `json:"workMode"` // onsite, hybrid, remote
	Positions      int                `json:"positions"`
	Hours          string             `json:"hours"`             // full_time, part_time
	StartDate      string             `json:"startDate"`         // YYYY-MM-DD
	EndDate        string             `json:"endDate,omitempty"` // YYYY-MM-DD
	ApplyBy        string             `json:"applyBy,omitempty"` // YYYY-MM-DD
	Status         string             `json:"status,omitempty"`  // draft, open (default), filled, closed
	NightWork      bool               `json:"nightWork,omitempty"`
	Hazardous      bool               `json:"hazardous,omitempty"`
	LightWork      bool               `json:"lightWork,omitempty"` // fit for a 15-year-old
	Pay            *Pay               `json:"pay,omitempty"`       // optional
}

// Pay is a need's pay range, gross euros a month.
type Pay struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Need is a published demand for skills.
type Need struct {
	ID             string             `json:"id"`
	EmployerID     string             `json:"employerId"`
	Kind           string             `json:"kind"`
	Title          string             `json:"title"`
	Description    string             `json:"description"`
	Occupation     string             `json:"occupation,omitempty"`
	Sector         string             `json:"sector"`
	Skills         []SkillRequirement `json:"skills"`
	Languages      []Language         `json:"languages"`
	EducationLevel *int               `json:"educationLevel,omitempty"`
	Location       NeedLocation       `json:"location"`
	WorkMode       string             `json:"workMode"`
	Positions      int                `json:"positions"`
	Hours          string             `json:"hours"`
	StartDate      string             `json:"startDate"`
	EndDate        string             `json:"endDate,omitempty"`
	ApplyBy        string             `json:"applyBy,omitempty"`
	Status         string             `json:"status"`
	NightWork      bool               `json:"nightWork"`
	Hazardous      bool               `json:"hazardous"`
	LightWork      bool               `json:"lightWork"`
	Pay            *Pay               `json:"pay,omitempty"`
	CreatedAt      time.Time          `json:"createdAt"`
	UpdatedAt      time.Time          `json:"updatedAt"`
}

// NeedPatch changes some of a need's fields; nil fields stay.
type NeedPatch struct {
	Kind           *string             `json:"kind,omitempty"`
	Title          *string             `json:"title,omitempty"`
	Description    *string             `json:"description,omitempty"`
	Occupation     *string             `json:"occupation,omitempty"`
	Sector         *string             `json:"sector,omitempty"`
	Skills         *[]SkillRequirement `json:"skills,omitempty"`
	Languages      *[]Language         `json:"languages,omitempty"`
	EducationLevel *int                `json:"educationLevel,omitempty"`
	Location       *NeedLocation       `json:"location,omitempty"`
	WorkMode       *string             `json:"workMode,omitempty"`
	Positions      *int                `json:"positions,omitempty"`
	Hours          *string             `json:"hours,omitempty"`
	StartDate      *string             `json:"startDate,omitempty"`
	EndDate        *string             `json:"endDate,omitempty"`
	ApplyBy        *string             `json:"applyBy,omitempty"`
	Status         *string             `json:"status,omitempty"`
	NightWork      *bool               `json:"nightWork,omitempty"`
	Hazardous      *bool               `json:"hazardous,omitempty"`
	LightWork      *bool               `json:"lightWork,omitempty"`
	Pay            *Pay                `json:"pay,omitempty"`
}

// CreateEmployer registers an organisation with the signed-in employer
// account as its first member (POST /api/v1/employers). It starts
// unverified. A taken EIK is a 409 Problem, an invalid one a 400.
func (c *Client) CreateEmployer(ctx context.Context, e NewEmployer) (Employer, error) {
	var out Employer
	err := c.do(ctx, http.MethodPost, "/api/v1/employers", nil, e, &out)
	return out, err
}

// Employer returns an employer (GET /api/v1/employers/{id}). An unverified
// one is a 404 Problem to anyone but its members and officers.
func (c *Client) Employer(ctx context.Context, id string) (Employer, error) {
	var out Employer
	err := c.do(ctx, http.MethodGet, "/api/v1/employers/"+pathID(id), nil, nil, &out)
	return out, err
}

// UpdateEmployer changes an employer's details; members and officers may
// (PATCH /api/v1/employers/{id}).
func (c *Client) UpdateEmployer(ctx context.Context, id string, p EmployerPatch) (Employer, error) {
	var out Employer
	err := c.do(ctx, http.MethodPatch, "/api/v1/employers/"+pathID(id), nil, p, &out)
	return out, err
}

// VerifyEmployer records an officer's decision on an employer (POST
// /api/v1/employers/{id}/verification). Only a verified employer's open
// needs are public.
func (c *Client) VerifyEmployer(ctx context.Context, id string, verified bool, note string) (Employer, error) {
	in := struct {
		Verified bool   `json:"verified"`
		Note     string `json:"note,omitempty"`
	}{verified, note}
	var out Employer
	err := c.do(ctx, http.MethodPost, "/api/v1/employers/"+pathID(id)+"/verification", nil, in, &out)
	return out, err
}

// CreateNeed publishes a need for an employer the caller belongs to (any
// employer, for officers) (POST /api/v1/needs).
func (c *Client) CreateNeed(ctx context.Context, n NewNeed) (Need, error) {
	var out Need
	err := c.do(ctx, http.MethodPost, "/api/v1/needs", nil, n, &out)
	return out, err
}

// Need returns a need (GET /api/v1/needs/{id}). Unless it is open, not
// past its apply-by date and of a verified employer, it is a 404 Problem
// to anyone but the employer's members and officers.
func (c *Client) Need(ctx context.Context, id string) (Need, error) {
	var out Need
	err := c.do(ctx, http.MethodGet, "/api/v1/needs/"+pathID(id), nil, nil, &out)
	return out, err
}

// NeedQuery searches the public needs. Every field is optional.
type NeedQuery struct {
	Q            string // full text, Bulgarian or English, Cyrillic or Latin
	Kind         string // job, internship, apprenticeship, care_pathway, forecast
	Sector       string
	Municipality string
	Skills       []string  // ESCO skill ids; a need must ask for all of them
	Near         *GeoPoint // with RadiusKm: only needs within that distance
	RadiusKm     float64   // 0 means the server's default
	Page         int       // from 1; 0 means 1
	PageSize     int       // 1..100; 0 means the server's default
}

// NeedPage is one page of search results.
type NeedPage struct {
	Items    []Need                    `json:"items"`
	Total    int                       `json:"total"`
	Page     int                       `json:"page"`
	PageSize int                       `json:"pageSize"`
	Facets   map[string]map[string]int `json:"facets"` // kind, sector, municipality → value → count
}

func (q NeedQuery) values() url.Values {
	v := url.Values{}
	for name, val := range map[string]string{"q": q.Q, "kind": q.Kind, "sector": q.Sector, "municipality": q.Municipality} {
		if val != "" {
			v.Set(name, val)
		}
	}
	if len(q.Skills) > 0 {
		v["skill"] = q.Skills
	}
	if q.Near != nil {
		v.Set("near", strconv.FormatFloat(q.Near.Lat, 'f', -1, 64)+","+strconv.FormatFloat(q.Near.Lon, 'f', -1, 64))
	}
	if q.RadiusKm != 0 {
		v.Set("radiusKm", strconv.FormatFloat(q.RadiusKm, 'f', -1, 64))
	}
	if q.Page != 0 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.PageSize != 0 {
		v.Set("pageSize", strconv.Itoa(q.PageSize))
	}
	return v
}

// SearchNeeds searches the public needs: open, of a verified employer and
// not past their apply-by date (GET /api/v1/needs).
func (c *Client) SearchNeeds(ctx context.Context, q NeedQuery) (NeedPage, error) {
	var out NeedPage
	err := c.do(ctx, http.MethodGet, "/api/v1/needs", q.values(), nil, &out)
	return out, err
}

// UpdateNeed applies a partial update (PATCH /api/v1/needs/{id}).
func (c *Client) UpdateNeed(ctx context.Context, id string, p NeedPatch) (Need, error) {
	var out Need
	err := c.do(ctx, http.MethodPatch, "/api/v1/needs/"+pathID(id), nil, p, &out)
	return out, err
}

// DeleteNeed removes a need (DELETE /api/v1/needs/{id}).
func (c *Client) DeleteNeed(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/api/v1/needs/"+pathID(id), nil, nil, nil)
}
