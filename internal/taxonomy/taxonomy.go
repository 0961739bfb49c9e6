// Package taxonomy holds the skills and occupations classification the whole
// product speaks: ESCO skills, skill groups and occupations, the ISCO-08
// groups above them and the Bulgarian NKPD positions mapped onto them.
//
// The data is a modified ESCO (see data/MANIFEST.json and Attribution),
// embedded in the binary and decoded into memory by Load at every start, so
// lookups and autocomplete never touch a database. Skills, groups and
// occupations are addressed by a short public id: the last path segment of
// their ESCO URI. The data has no Bulgarian skill labels; until an operator
// imports an official ESCO CSV package (ReadESCOCSV, Apply), the Bulgarian
// labels of the skills that matter to the pilot come from the project's own
// translation in translations_bg.json.
//
// A Taxonomy is read-only after Load (and an optional Apply) and safe for
// concurrent use. Maps and slices inside returned values are shared with
// the Taxonomy: callers must not modify them.
package taxonomy

import (
	"slices"
	"strings"
)

// Skill types as ESCO names them.
const (
	TypeSkill     = "skill/competence"
	TypeKnowledge = "knowledge"
)

// Label sources, recorded per language in Skill.LabelSources so that the
// product can say whose words a label is.
const (
	SourceESCO    = "esco"    // shipped in the ESCO data
	SourceProject = "project" // the project's own translation (translations_bg.json)
	SourceImport  = "import"  // merged from an official ESCO CSV package by Apply
)

// Skill is an ESCO skill or knowledge concept.
type Skill struct {
	ID           string              `json:"id"`
	URI          string              `json:"uri"`
	Type         string              `json:"type"`  // TypeSkill or TypeKnowledge; empty for a few ESCO concepts
	Reuse        string              `json:"reuse"` // transversal, cross-sector, sector-specific, occupation-specific
	Labels       map[string]string   `json:"labels"`
	AltLabels    map[string][]string `json:"altLabels"`
	Groups       []string            `json:"groups"` // ids of broader concepts: skill groups or broader skills
	Collections  []string            `json:"collections"`
	Related      []string            `json:"related"`
	Description  map[string]string   `json:"description"`
	LabelSources map[string]string   `json:"labelSources"` // lang → SourceESCO, SourceProject or SourceImport
}

// Group is an ESCO skill group (skills pillar hierarchy or ISCED-F field).
type Group struct {
	ID      string            `json:"id"`
	URI     string            `json:"uri"`
	Code    string            `json:"code,omitempty"` // e.g. "S1.13"; empty for ISCED-F fields, whose id is their code
	Labels  map[string]string `json:"labels"`
	Broader []string          `json:"broader"`
}

// Occupation is an ESCO occupation with the skills it needs.
type Occupation struct {
	ID          string              `json:"id"`
	URI         string              `json:"uri"`
	ISCO        string              `json:"isco"` // 4-digit ISCO-08 unit group
	Code        string              `json:"code"` // ESCO code, e.g. "2221.1"
	Labels      map[string]string   `json:"labels"`
	AltLabels   map[string][]string `json:"altLabels"`
	Essential   []string            `json:"essential"` // skill ids
	Optional    []string            `json:"optional"`  // skill ids
	Description map[string]string   `json:"description"`
}

// ISCOGroup is an ISCO-08 group (1 to 4 digits).
type ISCOGroup struct {
	Code   string            `json:"code"`
	URI    string            `json:"uri"`
	Parent string            `json:"parent,omitempty"` // parent code; empty for major groups
	Labels map[string]string `json:"labels"`
}

// NKPDPosition is a position of the Bulgarian classification of occupations
// (NKPD-2011) with its matches in ESCO.
type NKPDPosition struct {
	Code    string      `json:"code"` // 8 digits
	ISCO    string      `json:"isco"`
	Label   string      `json:"label"` // Bulgarian
	Matches []NKPDMatch `json:"matches"`
}

// NKPDMatch links an NKPD position to an ESCO occupation or ISCO group.
type NKPDMatch struct {
	ID       string `json:"id"` // occupation id, or ISCO id such as "C2221"
	URI      string `json:"uri"`
	Relation string `json:"relation"` // exactMatch, closeMatch, broadMatch, narrowMatch
}

// Attribution is what the ESCO licence requires the product to show.
type Attribution struct {
	Text     string `json:"text"`     // "This service uses the ESCO classification of the European Commission."
	Modified string `json:"modified"` // the notice that this is a modified ESCO
	Licence  string `json:"licence"`
}

// Taxonomy is the loaded classification. Create it with Load.
type Taxonomy struct {
	skills []Skill
	groups []Group
	occs   []Occupation
	// Hidden labels are search-only (misspellings, old names): indexed, never shown.
	skillHidden []map[string][]string
	occHidden   []map[string][]string
	// NKPD titles are how Bulgarian job ads name occupations, so the titles
	// of the NKPD positions that match an occupation exactly or closely are
	// searchable as its hidden labels.
	occNKPD [][]string

	byID  map[string]ref // skills, groups and occupations share one id space
	byURI map[string]ref
	isco  map[string]ISCOGroup
	nkpd  map[string]NKPDPosition

	attribution Attribution
	skillIndex  *index
	occIndex    *index
}

type kind uint8

const (
	kindSkill kind = iota + 1
	kindGroup
	kindOccupation
)

// ref points into one of the Taxonomy's slices.
type ref struct {
	kind kind
	i    int32
}

// Skill returns the skill with the given id.
func (t *Taxonomy) Skill(id string) (Skill, bool) {
	r, ok := t.byID[id]
	if !ok || r.kind != kindSkill {
		return Skill{}, false
	}
	return t.skills[r.i], true
}

// Group returns the skill group with the given id.
func (t *Taxonomy) Group(id string) (Group, bool) {
	r, ok := t.byID[id]
	if !ok || r.kind != kindGroup {
		return Group{}, false
	}
	return t.groups[r.i], true
}

// Occupation returns the occupation with the given id.
func (t *Taxonomy) Occupation(id string) (Occupation, bool) {
	r, ok := t.byID[id]
	if !ok || r.kind != kindOccupation {
		return Occupation{}, false
	}
	return t.occs[r.i], true
}

// ISCOGroup returns the ISCO-08 group with the given code ("2221").
func (t *Taxonomy) ISCOGroup(code string) (ISCOGroup, bool) {
	g, ok := t.isco[code]
	return g, ok
}

// NKPD returns the NKPD-2011 position with the given 8-digit code.
func (t *Taxonomy) NKPD(code string) (NKPDPosition, bool) {
	p, ok := t.nkpd[code]
	return p, ok
}

// SkillCount returns the number of skills.
func (t *Taxonomy) SkillCount() int { return len(t.skills) }

// GroupCount returns the number of skill groups.
func (t *Taxonomy) GroupCount() int { return len(t.groups) }

// OccupationCount returns the number of occupations.
func (t *Taxonomy) OccupationCount() int { return len(t.occs) }

// Attribution returns the licence attribution shipped with the data.
func (t *Taxonomy) Attribution() Attribution { return t.attribution }

// Label returns the preferred label of a skill, group or occupation in lang.
// A missing Bulgarian label falls back to English and a missing English
// one to Bulgarian, so a user always sees a name. It returns "" for an
// unknown id.
func (t *Taxonomy) Label(id, lang string) string {
	r, ok := t.byID[id]
	if !ok {
		return ""
	}
	return pickLabel(t.labelsOf(r), lang)
}

func (t *Taxonomy) labelsOf(r ref) map[string]string {
	switch r.kind {
	case kindSkill:
		return t.skills[r.i].Labels
	case kindGroup:
		return t.groups[r.i].Labels
	default:
		return t.occs[r.i].Labels
	}
}

// Broader returns the skill's direct broader concepts (skill groups or
// broader skills), or nil for an unknown skill.
func (t *Taxonomy) Broader(skillID string) []string {
	s, ok := t.Skill(skillID)
	if !ok {
		return nil
	}
	return s.Groups
}

// GroupOf returns the primary group of a skill: its first broader concept
// that is a skill group, else its first broader concept (a broader skill).
// It returns "" for an unknown skill or one without broader concepts.
func (t *Taxonomy) GroupOf(skillID string) string {
	s, ok := t.Skill(skillID)
	if !ok || len(s.Groups) == 0 {
		return ""
	}
	for _, g := range s.Groups {
		if r, ok := t.byID[g]; ok && r.kind == kindGroup {
			return g
		}
	}
	return s.Groups[0]
}

// Ancestors returns the ids of all broader concepts of a skill, transitively
// (broader skills and skill groups), nearest first, each once. Ranking uses
// them to give partial credit for a related skill. The ESCO hierarchy is
// not guaranteed acyclic, so visited concepts are skipped.
func (t *Taxonomy) Ancestors(skillID string) []string {
	r, ok := t.byID[skillID]
	if !ok || r.kind != kindSkill {
		return nil
	}
	seen := map[string]bool{skillID: true}
	var out []string
	queue := slices.Clone(t.broader(r))
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
		if next, ok := t.byID[id]; ok {
			queue = append(queue, t.broader(next)...)
		}
	}
	return out
}

func (t *Taxonomy) broader(r ref) []string {
	switch r.kind {
	case kindSkill:
		return t.skills[r.i].Groups
	case kindGroup:
		return t.groups[r.i].Broader
	default:
		return nil
	}
}

// pickLabel returns labels[lang], falling back to English, then Bulgarian,
// then any language (the smallest code, so the choice is stable).
// Label is the occupation's name to show in lang: its label in lang, of
// which only the first form where ESCO gives several ("медицинска
// сестра/медицински брат"); else the English label, so a person always
// sees a name (the fallback is visible: it is in English); else the
// Bulgarian one.
func (o Occupation) Label(lang string) string {
	if v := o.Labels[lang]; v != "" {
		return strings.SplitN(v, "/", 2)[0]
	}
	if v := o.Labels["en"]; v != "" {
		return v
	}
	return o.Labels["bg"]
}

func pickLabel(labels map[string]string, lang string) string {
	for _, l := range []string{lang, "en", "bg"} {
		if v := labels[l]; v != "" {
			return v
		}
	}
	var best string
	for l, v := range labels {
		if v != "" && (best == "" || l < best) {
			best = l
		}
	}
	return labels[best]
}

// pickAlt returns the alternative labels in lang, else the English ones.
func pickAlt(alt map[string][]string, lang string) []string {
	if a := alt[lang]; len(a) > 0 {
		return a
	}
	if a := alt["en"]; a != nil {
		return a
	}
	return []string{} // a JSON list, never null
}
