package score

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Scorer prepares needs and candidates and scores them against each other
// with one set of weights, one taxonomy and one language for labels. It is
// read-only after New and safe for concurrent use.
type Scorer struct {
	tax    Taxonomy
	rarity func(skillID string) float64
	w      Weights
	lang   string
}

// New returns a Scorer. tax may be nil (no related skills, ids as labels)
// and rarity may be nil (every skill equally rare). rarity is called only
// while preparing a need, so a per-request snapshot of skill frequencies is
// enough. lang is the language of the labels in explanations.
func New(tax Taxonomy, rarity func(skillID string) float64, w Weights, lang string) (*Scorer, error) {
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("score weights: %w", err)
	}
	return &Scorer{tax: tax, rarity: rarity, w: w, lang: lang}, nil
}

// Weights returns the Scorer's weights.
func (s *Scorer) Weights() Weights { return s.w }

// key is an id with its hash: comparing hashes first keeps the scoring
// loops on integers, and the id settles the rare collision.
type key struct {
	id string
	h  uint64 // 0 only for ""
}

func keyOf(id string) key {
	if id == "" {
		return key{}
	}
	// FNV-1a, inlined: no allocation, and stable across runs, unlike
	// hash/maphash.
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	if h == 0 {
		h = 1
	}
	return key{id: id, h: h}
}

func (k key) is(o key) bool { return k.h != 0 && k.h == o.h && k.id == o.id }

func containsKey(ks []key, k key) bool {
	for i := range ks {
		if ks[i].h == k.h && ks[i].id == k.id {
			return true
		}
	}
	return false
}

// skillInfo is what the taxonomy says of a skill.
type skillInfo struct {
	key
	label string
	group key
	anc   []key
}

// wanted is a prepared skill of a need.
type wanted struct {
	skillInfo
	level    int
	required bool
	weight   float64 // importance m_s = factor·rarity
}

// held is a prepared skill of a candidate.
type held struct {
	skillInfo
	level     int
	certified bool
}

// lang is a language with its CEFR level as a rank, A1 = 1 .. C2 = 6.
type lang struct {
	code string
	rank int
}

// PreparedNeed is a need ready to be scored against many candidates.
type PreparedNeed struct {
	id                   string
	kind                 string
	wanted               []wanted // required first, then importance desc, then id
	mAll, mReq, mPref    float64
	langs                []lang // by code
	minEdu               int
	lat, lon             float64
	remote               bool
	partTime             bool
	hours                string
	start, end           int64 // days since 1970-01-01; end is openEnd if open-ended
	windowEnd            int64 // the last day the availability part looks at
	startYear            int
	forecast             bool
	nightWork, hazardous bool
}

// PreparedCandidate is a candidate ready to be scored against many needs.
type PreparedCandidate struct {
	id        string
	birthYear int
	consent   bool
	lat, lon  float64
	maxKm     float64
	remote    bool
	kinds     []string // nil: any kind
	held      []held   // by id
	langs     []lang   // by code
	edu       int
	from, to  int64 // days; openStart and openEnd when not given
	hours     string
}

// ID returns the need's id.
func (n *PreparedNeed) ID() string { return n.id }

// ID returns the candidate's id.
func (c *PreparedCandidate) ID() string { return c.id }

// Sentinels for open date ranges, far from overflow in day arithmetic.
const (
	openStart int64 = -1 << 40
	openEnd   int64 = 1 << 40
)

// PrepareNeed checks and prepares a need: it looks up the skills in the
// taxonomy and the rarity function, and sorts everything. It fails on a
// missing or malformed start date, a malformed end date, or an end before
// the start.
func (s *Scorer) PrepareNeed(f NeedFacts) (*PreparedNeed, error) {
	start, startYear, err := parseDay(f.StartDate)
	if err != nil || f.StartDate == "" {
		return nil, fmt.Errorf("need %s: start date %q: want YYYY-MM-DD", f.ID, f.StartDate)
	}
	end := openEnd
	if f.EndDate != "" {
		if end, _, err = parseDay(f.EndDate); err != nil || end < start {
			return nil, fmt.Errorf("need %s: end date %q: want YYYY-MM-DD not before the start", f.ID, f.EndDate)
		}
	}
	n := &PreparedNeed{
		id: f.ID, kind: f.Kind, minEdu: clampInt(f.MinEducation, 0, 8),
		lat: f.Lat, lon: f.Lon, remote: f.WorkMode == ModeRemote,
		partTime: f.Hours == PartTime, hours: f.Hours,
		start: start, end: end, windowEnd: min(end, start+int64(s.w.OpenEndDays)-1), startYear: startYear,
		forecast: f.Kind == KindForecast, nightWork: f.NightWork, hazardous: f.Hazardous,
		langs: prepareLangs(f.Languages, 1),
	}
	n.wanted = s.prepareWanted(f.Skills)
	for _, w := range n.wanted {
		n.mAll += w.weight
		if w.required {
			n.mReq += w.weight
		} else {
			n.mPref += w.weight
		}
	}
	return n, nil
}

func (s *Scorer) prepareWanted(skills []WantedSkill) []wanted {
	// Merge duplicates: the highest level, required if any says so.
	merged := map[string]WantedSkill{}
	for _, k := range skills {
		if k.ID == "" {
			continue
		}
		m, seen := merged[k.ID]
		if !seen || k.Level > m.Level {
			m.ID, m.Level = k.ID, k.Level
		}
		m.Required = m.Required || k.Required
		merged[k.ID] = m
	}
	out := make([]wanted, 0, len(merged))
	for _, k := range merged {
		factor := 1.0
		if k.Required {
			factor = s.w.RequiredFactor
		}
		out = append(out, wanted{
			skillInfo: s.info(k.ID), level: clampInt(k.Level, 1, 4),
			required: k.Required, weight: factor * s.rarityOf(k.ID),
		})
	}
	slices.SortFunc(out, func(a, b wanted) int {
		if a.required != b.required {
			if a.required {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

// rarityOf returns the clamped rarity. NaN and non-positive values count
// as the most common skill; +Inf as the rarest.
func (s *Scorer) rarityOf(id string) float64 {
	if s.rarity == nil {
		return 1
	}
	r := s.rarity(id)
	if !(r > s.w.RarityMin) { // also NaN
		return s.w.RarityMin
	}
	return min(r, s.w.RarityMax)
}

func (s *Scorer) info(id string) skillInfo {
	in := skillInfo{key: keyOf(id), label: id}
	if s.tax == nil {
		return in
	}
	if l := s.tax.Label(id, s.lang); l != "" {
		in.label = l
	}
	in.group = keyOf(s.tax.GroupOf(id))
	anc := s.tax.Ancestors(id)
	in.anc = make([]key, 0, len(anc))
	for _, a := range anc {
		if a != "" && a != id {
			in.anc = append(in.anc, keyOf(a))
		}
	}
	return in
}

// PrepareCandidate checks and prepares a candidate. It fails on a
// malformed date or availableTo before availableFrom.
func (s *Scorer) PrepareCandidate(f CandidateFacts) (*PreparedCandidate, error) {
	from, to := openStart, openEnd
	var err error
	if f.AvailableFrom != "" {
		if from, _, err = parseDay(f.AvailableFrom); err != nil {
			return nil, fmt.Errorf("candidate %s: availableFrom %q: want YYYY-MM-DD", f.ID, f.AvailableFrom)
		}
	}
	if f.AvailableTo != "" {
		if to, _, err = parseDay(f.AvailableTo); err != nil || to < from {
			return nil, fmt.Errorf("candidate %s: availableTo %q: want YYYY-MM-DD not before availableFrom", f.ID, f.AvailableTo)
		}
	}
	c := &PreparedCandidate{
		id: f.ID, birthYear: f.BirthYear, consent: f.Consent,
		lat: f.Lat, lon: f.Lon, maxKm: f.MaxTravelKm,
		remote: slices.Contains(f.WorkModes, ModeRemote),
		langs:  prepareLangs(f.Languages, 0),
		edu:    clampInt(f.Education, 0, 8),
		from:   from, to: to, hours: f.Hours,
	}
	if len(f.Kinds) > 0 {
		c.kinds = slices.Clone(f.Kinds)
		slices.Sort(c.kinds)
	}
	c.held = s.prepareHeld(f.Skills)
	return c, nil
}

func (s *Scorer) prepareHeld(skills []HeldSkill) []held {
	// Merge duplicates: the highest level, certified if any says so.
	merged := map[string]HeldSkill{}
	for _, k := range skills {
		if k.ID == "" {
			continue
		}
		m, seen := merged[k.ID]
		if !seen || k.Level > m.Level {
			m.ID, m.Level = k.ID, k.Level
		}
		m.Certified = m.Certified || k.Certified
		merged[k.ID] = m
	}
	out := make([]held, 0, len(merged))
	for _, k := range merged {
		out = append(out, held{skillInfo: s.info(k.ID), level: clampInt(k.Level, 1, 4), certified: k.Certified})
	}
	slices.SortFunc(out, func(a, b held) int { return strings.Compare(a.id, b.id) })
	return out
}

// prepareLangs lower-cases codes, keeps the highest level per code and
// sorts by code. unknown is the rank of an unknown level.
func prepareLangs(ls []Language, unknown int) []lang {
	out := make([]lang, 0, len(ls))
	for _, l := range ls {
		code := strings.ToLower(strings.TrimSpace(l.Code))
		if code == "" {
			continue
		}
		r := cefrRank(l.Level)
		if r == 0 {
			r = unknown
		}
		if i := slices.IndexFunc(out, func(o lang) bool { return o.code == code }); i >= 0 {
			out[i].rank = max(out[i].rank, r)
			continue
		}
		out = append(out, lang{code: code, rank: r})
	}
	slices.SortFunc(out, func(a, b lang) int { return strings.Compare(a.code, b.code) })
	return out
}

// cefrRank returns A1 = 1 .. C2 = 6, or 0 for anything else.
func cefrRank(level string) int {
	if len(level) != 2 {
		return 0
	}
	band := strings.IndexByte("ABC", level[0]&^0x20) // upper-case ASCII
	step := int(level[1]) - '0'
	if band < 0 || step < 1 || step > 2 {
		return 0
	}
	return band*2 + step
}

// parseDay parses YYYY-MM-DD into days since 1970-01-01 and the year.
func parseDay(s string) (int64, int, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, 0, err
	}
	return t.Unix() / 86400, t.Year(), nil // midnight UTC: exact
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }
