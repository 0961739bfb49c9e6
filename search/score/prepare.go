package score

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/age"
)

// Scorer prepares needs and candidates and scores them against each other
// with one set of weights, one taxonomy and one language for labels. It is
// read-only after New and safe for concurrent use.
type Scorer struct {
	tax    Taxonomy
	rarity func(skillID string) float64
	w      Weights
	lang   string
	// belowPow[k] is BelowLevelCredit^k, the credit kept k levels short.
	belowPow [4]float64

	// infos caches what the taxonomy says of each skill: its ancestors
	// take a breadth-first walk with a map in the real taxonomy, and a
	// request prepares hundreds of candidates with the same few hundred
	// skills.
	mu    sync.RWMutex
	infos map[string]*skillInfo
}

// maxInfos bounds the cache: ESCO has about 14,000 skills, and ids
// outside it should not grow the cache without end.
const maxInfos = 1 << 15

// New returns a Scorer. tax may be nil (no related skills, ids as labels)
// and rarity may be nil (every skill equally rare). rarity is called each
// time a need is prepared, so it may follow changing skill frequencies;
// what tax says is cached for the Scorer's lifetime, so make a new Scorer
// when the taxonomy changes. lang is the language of the labels in
// explanations.
func New(tax Taxonomy, rarity func(skillID string) float64, w Weights, lang string) (*Scorer, error) {
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("score weights: %w", err)
	}
	s := &Scorer{tax: tax, rarity: rarity, w: w, lang: lang, infos: map[string]*skillInfo{}}
	s.belowPow[0] = 1
	for k := 1; k < len(s.belowPow); k++ {
		s.belowPow[k] = s.belowPow[k-1] * w.BelowLevelCredit
	}
	return s, nil
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

func containsKey(ks []key, k key) bool {
	for i := range ks {
		if ks[i].h == k.h && ks[i].id == k.id {
			return true
		}
	}
	return false
}

// skillInfo is what the taxonomy says of a skill. The masks are
// one-word Bloom filters: self has the bit of the skill's hash, ancMask
// the bits of its ancestors', so that most unrelated pairs are told apart
// with one AND instead of a walk over both ancestor lists.
type skillInfo struct {
	key
	label   string
	group   key
	anc     []key
	self    uint64
	ancMask uint64
}

func bit(k key) uint64 { return 1 << (k.h & 63) }

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

// heldHot repeats the fields of a held skill that the scoring loop reads
// for every pair, packed together: most pairs are unrelated and are told
// apart by these four words alone.
type heldHot struct {
	h, group, self, ancMask uint64
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
	start, end           int64    // days since 1970-01-01; end is openEnd if open-ended
	windowEnd            int64    // the last day the availability part looks at
	startDay             age.Date // the day the young-worker rules look at
	forecast             bool
	nightWork, hazardous bool
	lightWork            bool
}

// PreparedCandidate is a candidate ready to be scored against many needs.
type PreparedCandidate struct {
	id        string
	born      age.Date // the latest day the birth may have been
	bornKnown bool
	pending   bool // waits for a guardian's consent
	consent   bool
	lat, lon  float64
	maxKm     float64
	remote    bool
	kinds     []string // nil: any kind
	held      []held   // by id
	hot       []heldHot
	langs     []lang // by code
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
	start, _, err := parseDay(f.StartDate)
	if err != nil || f.StartDate == "" {
		return nil, fmt.Errorf("need %s: start date %q: want YYYY-MM-DD", f.ID, f.StartDate)
	}
	startDay, _ := age.ParseDay(f.StartDate) // parsed above
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
		start: start, end: end, windowEnd: min(end, start+int64(s.w.OpenEndDays)-1), startDay: startDay,
		forecast: f.Kind == KindForecast, nightWork: f.NightWork, hazardous: f.Hazardous, lightWork: f.LightWork,
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
	out := make([]wanted, 0, len(skills))
	for _, k := range skills {
		if k.ID == "" {
			continue
		}
		// A skill listed twice keeps its highest level and is required if
		// either says so.
		if i := slices.IndexFunc(out, func(w wanted) bool { return w.id == k.ID }); i >= 0 {
			out[i].level = max(out[i].level, clampInt(k.Level, 1, 4))
			out[i].required = out[i].required || k.Required
			continue
		}
		out = append(out, wanted{skillInfo: s.info(k.ID), level: clampInt(k.Level, 1, 4), required: k.Required})
	}
	for i := range out {
		factor := 1.0
		if out[i].required {
			factor = s.w.RequiredFactor
		}
		out[i].weight = factor * s.rarityOf(out[i].id)
	}
	capPreferred(out, s.w.PreferredCap)
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

// capPreferred scales the preferred skills' importances down, keeping
// their proportions, so that together they weigh at most share times the
// least important required skill: however rare, preferred skills only
// tell apart candidates who hold the same required skills. Without the cap
// a rare preferred skill outweighed a common required one, and a preferred
// skill the wanted level of every required one.
func capPreferred(ws []wanted, share float64) {
	minReq, pref := math.Inf(1), 0.0
	for _, w := range ws {
		if w.required {
			minReq = min(minReq, w.weight)
		} else {
			pref += w.weight
		}
	}
	limit := minReq * share
	if math.IsInf(minReq, 1) || pref <= limit {
		return
	}
	for i := range ws {
		if !ws[i].required {
			ws[i].weight *= limit / pref
		}
	}
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

// info returns what the taxonomy says of a skill, from the cache when it
// can. The result shares its ancestors with the cache: read only.
func (s *Scorer) info(id string) skillInfo {
	s.mu.RLock()
	in, ok := s.infos[id]
	s.mu.RUnlock()
	if ok {
		return *in
	}
	in = s.lookUp(id)
	s.mu.Lock()
	if len(s.infos) < maxInfos {
		s.infos[id] = in
	}
	s.mu.Unlock()
	return *in
}

func (s *Scorer) lookUp(id string) *skillInfo {
	in := &skillInfo{key: keyOf(id), label: id}
	in.self = bit(in.key)
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
			k := keyOf(a)
			in.anc = append(in.anc, k)
			in.ancMask |= bit(k)
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
	birth := age.Year(f.BirthYear)
	if f.BirthDate != "" {
		if birth, err = age.Parse(f.BirthDate); err != nil {
			return nil, fmt.Errorf("candidate %s: %w", f.ID, err)
		}
	}
	c := &PreparedCandidate{
		id: f.ID, born: birth.Latest(), bornKnown: birth.Known(), pending: f.GuardianPending, consent: f.Consent,
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
	c.hot = make([]heldHot, len(c.held))
	for i, h := range c.held {
		c.hot[i] = heldHot{h: h.h, group: h.group.h, self: h.self, ancMask: h.ancMask}
	}
	return c, nil
}

func (s *Scorer) prepareHeld(skills []HeldSkill) []held {
	out := make([]held, 0, len(skills))
	for _, k := range skills {
		if k.ID == "" {
			continue
		}
		// A skill listed twice keeps its highest level and is certified if
		// either says so.
		if i := slices.IndexFunc(out, func(h held) bool { return h.id == k.ID }); i >= 0 {
			out[i].level = max(out[i].level, clampInt(k.Level, 1, 4))
			out[i].certified = out[i].certified || k.Certified
			continue
		}
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
