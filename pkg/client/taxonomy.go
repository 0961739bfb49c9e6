package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// SkillQuery is an autocomplete request over ESCO skill labels.
type SkillQuery struct {
	Q     string // what the user typed, Cyrillic or Latin
	Lang  string // language of the labels returned: "bg" or "en"; empty follows WithLanguage
	Limit int    // 1..50; 0 means the server's default
}

// SkillHit is one autocomplete suggestion.
type SkillHit struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	AltLabels  []string `json:"altLabels"`
	Matched    string   `json:"matched,omitempty"` // the label that matched, if not Label
	Group      string   `json:"group"`
	GroupLabel string   `json:"groupLabel"`
	Score      float64  `json:"score"`
}

// Skill is one ESCO skill with its labels in every language held.
type Skill struct {
	ID           string              `json:"id"`
	URI          string              `json:"uri"`
	Type         string              `json:"type"`
	Label        string              `json:"label"`
	Labels       map[string]string   `json:"labels"`
	AltLabels    map[string][]string `json:"altLabels"`
	LabelSources map[string]string   `json:"labelSources"`
	Description  map[string]string   `json:"description"`
	Group        string              `json:"group"`
	GroupLabel   string              `json:"groupLabel"`
}

// OccupationQuery searches ESCO occupations.
type OccupationQuery struct {
	Q     string
	Lang  string // "bg" or "en"; empty follows WithLanguage
	Limit int    // 1..50; 0 means the server's default
}

// Occupation is an ESCO occupation with its essential and optional skills.
type Occupation struct {
	ID              string            `json:"id"`
	ISCO            string            `json:"isco"`
	Label           string            `json:"label"`
	Labels          map[string]string `json:"labels"`
	EssentialSkills []SkillRef        `json:"essentialSkills"`
	OptionalSkills  []SkillRef        `json:"optionalSkills"`
}

// SkillRef names a skill.
type SkillRef struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Attribution is the licence notice of the ESCO data the server uses.
type Attribution struct {
	Text     string `json:"text"`
	Modified string `json:"modified"`
	Licence  string `json:"licence"`
}

func (q SkillQuery) values() url.Values      { return searchValues(q.Q, q.Lang, q.Limit) }
func (q OccupationQuery) values() url.Values { return searchValues(q.Q, q.Lang, q.Limit) }

func searchValues(q, lang string, limit int) url.Values {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if lang != "" {
		v.Set("lang", lang)
	}
	if limit != 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	return v
}

// SuggestSkills returns the skills whose labels or synonyms match q, best
// first (GET /api/v1/skills).
func (c *Client) SuggestSkills(ctx context.Context, q SkillQuery) ([]SkillHit, error) {
	var out struct {
		Items []SkillHit `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/skills", q.values(), nil, &out)
	return out.Items, err
}

// Skill returns one skill (GET /api/v1/skills/{id}); an unknown id is a
// 404 Problem.
func (c *Client) Skill(ctx context.Context, id string) (Skill, error) {
	var out Skill
	err := c.do(ctx, http.MethodGet, "/api/v1/skills/"+pathID(id), nil, nil, &out)
	return out, err
}

// Occupations searches occupations (GET /api/v1/occupations).
func (c *Client) Occupations(ctx context.Context, q OccupationQuery) ([]Occupation, error) {
	var out struct {
		Items []Occupation `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/occupations", q.values(), nil, &out)
	return out.Items, err
}

// Attribution returns the ESCO licence notice (GET
// /api/v1/taxonomy/attribution).
func (c *Client) Attribution(ctx context.Context) (Attribution, error) {
	var out Attribution
	err := c.do(ctx, http.MethodGet, "/api/v1/taxonomy/attribution", nil, nil, &out)
	return out, err
}
