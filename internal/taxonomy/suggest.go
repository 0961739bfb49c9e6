package taxonomy

import (
	"slices"
	"strings"
	"sync"
)

const (
	defaultLimit = 10
	maxLimit     = 50
)

// SkillHit is one autocomplete suggestion.
type SkillHit struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`             // preferred label in the requested language, else English (or Bulgarian)
	AltLabels  []string `json:"altLabels"`         // in the requested language, else English
	Matched    string   `json:"matched,omitempty"` // the label that matched, when it is not Label
	Group      string   `json:"group"`             // id of the skill's primary group (GroupOf)
	GroupLabel string   `json:"groupLabel"`
	Score      float64  `json:"score"` // in (0, 1); higher is better; comparable within one result
}

// SuggestSkills returns skills whose preferred or alternative labels, in
// English or Bulgarian, match q as the user types it: every word of q must
// start a word of the same label, in any order, ignoring case and accents,
// and Bulgarian may be typed in Cyrillic or in Latin letters. Exact labels
// come first, then labels that start with q, then the rest; preferred
// labels before synonyms. Matched is set when the hit was found through
// another label than the one shown (a synonym, or the label in the other
// language); hidden labels, which are search-only, are never shown.
//
// An empty query returns no hits. limit ≤ 0 means 10; it is capped at 50.
func (t *Taxonomy) SuggestSkills(q, lang string, limit int) []SkillHit {
	ms := t.skillIndex.search(q, lang, clampLimit(limit))
	hits := make([]SkillHit, len(ms))
	for i, m := range ms {
		s := &t.skills[m.doc]
		g := t.GroupOf(s.ID)
		hits[i] = SkillHit{
			ID:         s.ID,
			Label:      pickLabel(s.Labels, lang),
			AltLabels:  pickAlt(s.AltLabels, lang),
			Group:      g,
			GroupLabel: t.Label(g, lang),
			Score:      m.score,
		}
		ix := t.skillIndex
		if text := ix.texts[m.entry]; ix.entries[m.entry].kind != labelHidden && text != hits[i].Label {
			hits[i].Matched = text
		}
	}
	return hits
}

// SearchOccupations returns occupations whose labels match q, with the same
// matching, order and limits as SuggestSkills. Bulgarian labels of the
// form "санитар/санитарка" are searchable as each form on its own, and the
// titles of NKPD positions that match an occupation exactly or closely
// find it too ("болногледач").
func (t *Taxonomy) SearchOccupations(q, lang string, limit int) []Occupation {
	ms := t.occIndex.search(q, lang, clampLimit(limit))
	out := make([]Occupation, len(ms))
	for i, m := range ms {
		out[i] = t.occs[m.doc]
	}
	return out
}

func clampLimit(limit int) int {
	switch {
	case limit <= 0:
		return defaultLimit
	case limit > maxLimit:
		return maxLimit
	}
	return limit
}

// buildIndexes (re)builds both autocomplete indexes. They are independent,
// so they are built concurrently to keep Load short.
func (t *Taxonomy) buildIndexes() {
	skillIDs := make([]string, len(t.skills))
	for i := range t.skills {
		skillIDs[i] = t.skills[i].ID
	}
	occIDs := make([]string, len(t.occs))
	for i := range t.occs {
		occIDs[i] = t.occs[i].ID
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		t.occIndex = buildIndex(occIDs, func(d int, add func(string, string, labelKind)) {
			o := &t.occs[d]
			addLabels(add, o.Labels, o.AltLabels, t.occHidden[d])
			for _, title := range t.occNKPD[d] {
				addLabel(add, title, "bg", labelHidden)
			}
		})
	})
	t.skillIndex = buildIndex(skillIDs, func(d int, add func(string, string, labelKind)) {
		s := &t.skills[d]
		addLabels(add, s.Labels, s.AltLabels, t.skillHidden[d])
	})
	wg.Wait()
}

// addLabels reports a concept's labels to an index builder, preferred
// first so that a synonym repeating the preferred label counts as
// preferred, and languages in a fixed order so the index is the same on
// every start.
func addLabels(add func(string, string, labelKind), pref map[string]string, alt, hidden map[string][]string) {
	for _, lang := range sortedKeys(pref) {
		addLabel(add, pref[lang], lang, labelPref)
	}
	for _, lang := range sortedKeys(alt) {
		for _, a := range alt[lang] {
			addLabel(add, a, lang, labelAlt)
		}
	}
	for _, lang := range sortedKeys(hidden) {
		for _, h := range hidden[lang] {
			addLabel(add, h, lang, labelHidden)
		}
	}
}

// addLabel adds a label, and for Bulgarian "masculine/feminine" pairs also
// each form on its own, so that "санитарка" is an exact match for
// "санитар/санитарка". The whole pair stays indexed too, because some
// slashes join other things ("професионално/кариерно ориентиране").
func addLabel(add func(string, string, labelKind), text, lang string, kind labelKind) {
	add(text, lang, kind)
	if lang != "bg" || !strings.Contains(text, "/") {
		return
	}
	for part := range strings.SplitSeq(text, "/") {
		if part = strings.TrimSpace(part); part != "" {
			add(part, lang, kind)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
