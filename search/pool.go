package search

import (
	"math"
	"slices"
	"sync"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// pool is the ranking's retrieval: posting lists from skill and related
// terms to document numbers, and per document the few facts the cheap
// hard filters read. It holds the same terms the Bleve retrieval asked for
// (a need's or a person's skills; with related, their groups and broader
// concepts), so the documents it returns for a query are every document
// the Bleve query matched, without the depth limit: the re-rank sees them
// all, and applies score.Eligible exactly as before. What it filters here
// (consent, kind, the travel circle, the closing date, visibility) only
// drops documents Eligible or the old query would drop too.
//
// It lives under Index.mu and moves in the same call as needSet and
// profSet (setNeed, setProfile, rebuild), so an erasure, a withdrawn
// consent or a deleted need leaves the next ranking at once.
type pool struct {
	tx Taxonomy

	profNum  map[string]int32 // profile id → document number, kept after erasure for reuse
	profs    []poolProfile    // by document number: what the filters read, packed
	profIDs  []string         // by document number
	profTerm []poolTerms      // by document number: the lists each is in
	needNum  map[string]int32
	needs    []poolNeed
	needCold []needCold
	// needPrep holds each need prepared by each ranker (by ranker.slot),
	// by document number: a ranking reads hundreds without a map look-up.
	// Each entry says the sequence and rarity epoch it was prepared at.
	needPrep []needSlots
	// Documents are numbered by place (poolplace.go).
	profPlace, needPlace layout
	kindBits             map[string]uint16 // a bit per kind seen; only ever grows

	// Posting lists by term number (termNum), each sorted by document
	// number. skills holds the documents holding (profiles) or asking for
	// (needs) a skill at any level; groups those whose skills' groups or
	// direct broader concepts include a term, as the "groups" field of the
	// Bleve documents.
	termNum                map[string]int32
	termIDs                []string // by term number
	profSkills, profGroups postings
	needSkills, needGroups postings
}

// poolProfile is what the candidate direction's cheap filters read of a
// reachable profile (consenting and not held); live is false for one that
// is not. Kept apart from the ids and terms, so that a national query,
// which reads it for tens of thousands of holders, reads 48 bytes each.
type poolProfile struct {
	lat, lon float64
	card     [2]float64 // the place as the card shows it (cardPlace), which the distance part scores
	maxKm    float64
	kinds    uint16 // 0: any kind
	live     bool
	remote   bool
}

// poolNeed is what the profile direction's cheap filters read of a need,
// packed in 32 bytes: a national query reads it for tens of thousands of
// needs. What they read rarely, and the terms, are in needCold.
type poolNeed struct {
	lat, lon float64
	applyBy  int32  // the closing date as YYYYMMDD (dayKey); 0: compare needCold.applyBy as text
	kind     uint16 // the kind's bit; 0: compare needCold.kind as text
	live     bool
	open     bool
	remote   bool
}

// needCold is the rest of a need's record in the pool.
type needCold struct {
	id       string
	employer string
	applyBy  string // YYYY-MM-DD, openEnded when none
	kind     string
	seq      int64
	terms    poolTerms
}

// poolTerms are the posting lists a document is in, to leave them when
// it changes, and the level at which it holds each skill (profiles; 0
// for needs).
type poolTerms struct {
	skills, groups []int32 // term numbers
	levels         []uint8
}

func newPool(tx Taxonomy) *pool {
	return &pool{tx: tx, profNum: map[string]int32{}, needNum: map[string]int32{}, kindBits: map[string]uint16{},
		termNum: map[string]int32{}}
}

// rebuild fills the pool from every need and profile, as CatchUp holds
// them, numbered by place (poolplace.go).
func (pl *pool) rebuild(needs map[string]register.Need, profs map[string]profile.Profile) {
	*pl = *newPool(pl.tx) // the prepared needs go too: a new epoch
	nrecs := make([]needRec, 0, len(needs))
	for _, n := range needs {
		if r, live := pl.needRecord(n); live {
			nrecs = append(nrecs, r)
		}
	}
	pl.layNeeds(nrecs)
	precs := make([]profRec, 0, len(profs))
	for _, p := range profs {
		if r, live := pl.profileRecord(p); live {
			precs = append(precs, r)
		}
	}
	pl.layProfiles(precs)
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// profRec is a reachable profile's record in the pool.
type profRec struct {
	id    string
	p     poolProfile
	terms poolTerms
}

func (r profRec) key() placeKey {
	return placeKeyOf(r.p.lat, r.p.lon, r.p.remote, travelBand(r.p.maxKm))
}

// profileRecord is p's record; live is false for a profile that cannot be
// reached (not consenting, or held).
func (pl *pool) profileRecord(p profile.Profile) (profRec, bool) {
	if !p.Consent.Matching || p.Held() {
		return profRec{id: p.ID}, false // only consenting, not held people can be reached: no posting, no place
	}
	cardLat, cardLon := cardPlace(p.Lat, p.Lon)
	return profRec{id: p.ID, p: poolProfile{live: true, lat: p.Lat, lon: p.Lon, card: [2]float64{cardLat, cardLon},
		maxKm: float64(p.MaxTravelKm), remote: slices.Contains(p.WorkModes, score.ModeRemote), kinds: pl.kindMask(p.Interests.Kinds)},
		terms: pl.termsOf(profileSkillIDs(p), heldLevels(p))}, true
}

// layProfiles numbers the records by place, and so the whole profile side
// of the pool; the lists are built at their size.
func (pl *pool) layProfiles(recs []profRec) {
	byKey(recs, profRec.key, func(r profRec) string { return r.id })
	n := len(recs)
	pl.profNum, pl.profs, pl.profIDs, pl.profTerm = make(map[string]int32, n), make([]poolProfile, n), make([]string, n), make([]poolTerms, n)
	for d, r := range recs {
		pl.profNum[r.id], pl.profs[d], pl.profIDs[d], pl.profTerm[d] = int32(d), r.p, r.id, r.terms
	}
	pl.profSkills = lay(len(pl.termNum), n, func(d int) ([]int32, []uint8) { return recs[d].terms.skills, recs[d].terms.levels })
	pl.profGroups = lay(len(pl.termNum), n, func(d int) ([]int32, []uint8) { return recs[d].terms.groups, nil })
	pl.profPlace = layout{sorted: int32(n), ranges: rangesOf(int32(n), func(d int32) placeKey { return recs[d].key() },
		func(d int32) float64 { return recs[d].p.maxKm })}
}

// lay builds posting lists over numTerms terms for n documents in order,
// each list allocated at its length.
func lay(numTerms, n int, terms func(d int) ([]int32, []uint8)) postings {
	count := make([]int32, numTerms)
	for d := range n {
		ts, _ := terms(d)
		for _, t := range ts {
			count[t]++
		}
	}
	ps := make(postings, numTerms)
	for t, c := range count {
		if c > 0 {
			ps[t] = make([]int32, 0, c)
		}
	}
	for d := range n {
		ts, levels := terms(d)
		for i, t := range ts {
			var level uint8
			if levels != nil {
				level = levels[i]
			}
			ps[t] = append(ps[t], posting(int32(d), level))
		}
	}
	return ps
}

// compactProfiles numbers the reachable profiles by place again, leaving
// out the others.
func (pl *pool) compactProfiles() {
	var recs []profRec
	for d := range pl.profs {
		if pl.profs[d].live {
			recs = append(recs, profRec{id: pl.profIDs[d], p: pl.profs[d], terms: pl.profTerm[d]})
		}
	}
	pl.layProfiles(recs)
}

// setProfile follows a profile's write: it leaves the lists of its old
// version and, unless erased, no longer consenting or held, joins those of
// the new one. A profile whose place key changed moves to the tail.
func (pl *pool) setProfile(p profile.Profile, erased bool) {
	rec, live := pl.profileRecord(p)
	live = live && !erased
	num, known := pl.profNum[p.ID]
	if known {
		terms := &pl.profTerm[num]
		pl.profSkills.leave(terms.skills, num)
		pl.profGroups.leave(terms.groups, num)
		pl.profs[num], *terms = poolProfile{}, poolTerms{}
		if !live {
			return
		}
		if num < pl.profPlace.sorted {
			if r := pl.profPlace.rangeOf(num); r.key == rec.key() {
				r.maxKm = max(r.maxKm, rec.p.maxKm)
			} else {
				known = false // it moved: a new number in the tail
			}
		}
	}
	if !live {
		return
	}
	if !known {
		num = int32(len(pl.profs))
		pl.profNum[p.ID] = num
		pl.profs, pl.profIDs, pl.profTerm = append(pl.profs, poolProfile{}), append(pl.profIDs, p.ID), append(pl.profTerm, poolTerms{})
	}
	pl.profs[num], pl.profTerm[num] = rec.p, rec.terms
	pl.profSkills.join(rec.terms.skills, rec.terms.levels, num)
	pl.profGroups.join(rec.terms.groups, nil, num)
	if pl.profPlace.untidy(int32(len(pl.profs))) {
		pl.compactProfiles()
	}
}

// needRec is a live need's record in the pool.
type needRec struct {
	n    poolNeed
	cold needCold
}

func (r needRec) key() placeKey { return placeKeyOf(r.n.lat, r.n.lon, r.n.remote, 0) }

// needRecord is n's record; live is false for a forecast, which is never
// matched.
func (pl *pool) needRecord(n register.Need) (needRec, bool) {
	if n.Kind == register.KindForecast {
		return needRec{cold: needCold{id: n.ID}}, false
	}
	applyBy := n.ApplyBy
	if applyBy == "" {
		applyBy = openEnded
	}
	return needRec{
		n: poolNeed{live: true, open: n.Status == register.StatusOpen, applyBy: dayKey(applyBy),
			kind: pl.kindBit(n.Kind), lat: n.Location.Lat, lon: n.Location.Lon, remote: n.WorkMode == score.ModeRemote},
		cold: needCold{id: n.ID, employer: n.EmployerID, applyBy: applyBy, kind: n.Kind, seq: n.Seq,
			terms: pl.termsOf(needSkillIDs(n), nil)},
	}, true
}

// layNeeds numbers the records by place, and so the whole need side of
// the pool. prep, if given, are the prepared needs by id to keep.
func (pl *pool) layNeeds(recs []needRec, prep ...map[string]*needSlots) {
	byKey(recs, needRec.key, func(r needRec) string { return r.cold.id })
	n := len(recs)
	pl.needNum, pl.needs, pl.needCold, pl.needPrep = make(map[string]int32, n), make([]poolNeed, n), make([]needCold, n), make([]needSlots, n)
	for d, r := range recs {
		pl.needNum[r.cold.id], pl.needs[d], pl.needCold[d] = int32(d), r.n, r.cold
		for _, m := range prep {
			if old := m[r.cold.id]; old != nil {
				for i := range old {
					pl.needPrep[d][i].Store(old[i].Load())
				}
			}
		}
	}
	pl.needSkills = lay(len(pl.termNum), n, func(d int) ([]int32, []uint8) { return recs[d].cold.terms.skills, nil })
	pl.needGroups = lay(len(pl.termNum), n, func(d int) ([]int32, []uint8) { return recs[d].cold.terms.groups, nil })
	pl.needPlace = layout{sorted: int32(n), ranges: rangesOf(int32(n), func(d int32) placeKey { return recs[d].key() },
		func(int32) float64 { return 0 })}
}

// compactNeeds numbers the live needs by place again, leaving out the
// others, with what is prepared of them.
func (pl *pool) compactNeeds() {
	var recs []needRec
	prep := map[string]*needSlots{}
	for d := range pl.needs {
		if pl.needs[d].live {
			recs = append(recs, needRec{n: pl.needs[d], cold: pl.needCold[d]})
			prep[pl.needCold[d].id] = &pl.needPrep[d]
		}
	}
	pl.layNeeds(recs, prep)
}

// setNeed follows a need's write. Forecasts are never matched and stay
// out. A need whose place key changed moves to the tail.
func (pl *pool) setNeed(n register.Need, deleted bool) {
	rec, live := pl.needRecord(n)
	live = live && !deleted
	num, known := pl.needNum[n.ID]
	if known {
		cold := &pl.needCold[num]
		pl.needSkills.leave(cold.terms.skills, num)
		pl.needGroups.leave(cold.terms.groups, num)
		pl.needs[num], *cold = poolNeed{}, needCold{id: n.ID}
		for i := range pl.needPrep[num] {
			pl.needPrep[num][i].Store(nil)
		}
		if live && num < pl.needPlace.sorted && pl.needPlace.rangeOf(num).key != rec.key() {
			known = false // it moved: a new number in the tail
		}
	}
	if !live {
		return
	}
	if !known {
		num = int32(len(pl.needs))
		pl.needNum[n.ID] = num
		pl.needs, pl.needCold, pl.needPrep = append(pl.needs, poolNeed{}), append(pl.needCold, needCold{}), append(pl.needPrep, needSlots{})
	}
	pl.needs[num], pl.needCold[num] = rec.n, rec.cold
	pl.needSkills.join(rec.cold.terms.skills, nil, num)
	pl.needGroups.join(rec.cold.terms.groups, nil, num)
	if pl.needPlace.untidy(int32(len(pl.needs))) {
		pl.compactNeeds()
	}
}

// dayKey is a YYYY-MM-DD date as the number YYYYMMDD, which orders as
// the text does; 0 for any other text.
func dayKey(s string) int32 {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	k := int32(0)
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		k = k*10 + int32(s[i]-'0')
	}
	return k
}

// termsOf are a document's skill terms and group terms, as docs.go
// indexes them (addGroups), and with levels the level of each skill.
func (pl *pool) termsOf(skills []string, levels map[string]int) poolTerms {
	groups := map[string]bool{}
	for _, s := range skills {
		addGroups(groups, s, pl.tx)
	}
	var t poolTerms
	for _, s := range slices.Compact(slices.Sorted(slices.Values(skills))) {
		t.skills = append(t.skills, pl.term(s))
		if levels != nil {
			t.levels = append(t.levels, uint8(levels[s]))
		}
	}
	for _, g := range slices.Sorted(mapKeys(groups)) {
		t.groups = append(t.groups, pl.term(g))
	}
	return t
}

// term returns the number of a term, giving it one the first time.
func (pl *pool) term(s string) int32 {
	t, ok := pl.termNum[s]
	if !ok {
		t = int32(len(pl.termNum))
		pl.termNum[s] = t
		pl.termIDs = append(pl.termIDs, s)
	}
	return t
}

func profileSkillIDs(p profile.Profile) []string {
	return idsOf(p.Skills, func(s profile.Skill) string { return s.ID })
}

func needSkillIDs(n register.Need) []string {
	return idsOf(n.Skills, func(s register.SkillRequirement) string { return s.ID })
}

// idsOf are the ids of skills, leaving out empty ones.
func idsOf[S any](skills []S, id func(S) string) []string {
	out := make([]string, 0, len(skills))
	for _, s := range skills {
		if id(s) != "" {
			out = append(out, id(s))
		}
	}
	return out
}

// kindBit is the bit of a kind, given one the first time it is seen.
func (pl *pool) kindBit(kind string) uint16 {
	if b, ok := pl.kindBits[kind]; ok {
		return b
	}
	if len(pl.kindBits) >= 16 {
		return 0 // never in a mask: only people who want any kind pass, and Eligible decides
	}
	b := uint16(1) << len(pl.kindBits)
	pl.kindBits[kind] = b
	return b
}

// kindMask is the set of a person's kinds; 0 (any) for none. A
// seventeenth kind string makes the mask any: a superset, which Eligible
// narrows. A need's kind that has no bit is wanted by no mask: every kind
// in a mask has one.
func (pl *pool) kindMask(kinds []string) uint16 {
	var m uint16
	for _, k := range kinds {
		b := pl.kindBit(k)
		if b == 0 {
			return 0
		}
		m |= b
	}
	return m
}

// A posting is a document number and a level in one int32: num<<3 |
// level. Sorted by posting is sorted by document.
func posting(num int32, level uint8) int32 { return num<<3 | int32(level) }

func postingDoc(v int32) int32 { return v >> 3 }

func postingLevel(v int32) int { return int(v & 7) }

// postings are posting lists by term number.
type postings [][]int32

// of is the list of term s, if it has one.
func (ps postings) of(termNum map[string]int32, s string) []int32 {
	if t, ok := termNum[s]; ok && int(t) < len(ps) {
		return ps[t]
	}
	return nil
}

// join adds num to the list of each term (at levels[i], if given),
// keeping it sorted.
func (ps *postings) join(terms []int32, levels []uint8, num int32) {
	for i, t := range terms {
		var level uint8
		if levels != nil {
			level = levels[i]
		}
		for int(t) >= len(*ps) {
			*ps = append(*ps, nil)
		}
		v, l := posting(num, level), (*ps)[t]
		if n := len(l); n == 0 || postingDoc(l[n-1]) < num {
			(*ps)[t] = append(l, v)
			continue
		}
		if i, found := findDoc(l, num); !found {
			(*ps)[t] = slices.Insert(l, i, v)
		}
	}
}

// leave removes num from the list of each term.
func (ps postings) leave(terms []int32, num int32) {
	for _, t := range terms {
		if i, found := findDoc(ps[t], num); found {
			ps[t] = slices.Delete(ps[t], i, i+1)
		}
	}
}

func findDoc(l []int32, num int32) (int, bool) {
	return slices.BinarySearchFunc(l, num, func(v, num int32) int { return int(postingDoc(v) - num) })
}

// queryLists are the posting lists a query reads: the skills themselves
// and, with related, the group terms of each and the skills as groups (a
// narrower skill's holder) and the groups as skills (the broader skill
// itself), as CandidateSkillTerms and NeedSkillTerms ask Bleve. A list of
// a skill itself carries that skill's id.
func (pl *pool) queryLists(skills []string, related bool, bySkill, byGroup postings) []list {
	var out []list
	for _, s := range slices.Compact(slices.Sorted(slices.Values(skills))) {
		if l := bySkill.of(pl.termNum, s); len(l) > 0 {
			out = append(out, list{skill: s, l: l})
		}
	}
	if !related {
		return out
	}
	groups := map[string]bool{}
	for _, s := range skills {
		addGroups(groups, s, pl.tx)
		groups[s] = true
	}
	for _, g := range slices.Sorted(mapKeys(groups)) {
		for _, l := range [][]int32{byGroup.of(pl.termNum, g), bySkill.of(pl.termNum, g)} {
			if len(l) > 0 {
				out = append(out, list{l: l})
			}
		}
	}
	return out
}

// list is a posting list a query reads; skill is the wanted skill it
// lists the holders of, "" for a related term.
type list struct {
	skill string
	l     []int32
}

// reachSlackKm widens the cheap distance test so that rounding can only
// let a document through, never keep one out: score.Eligible, which
// follows, measures exactly.
const reachSlackKm = 1e-3

// hit is a candidate the pool found, with the bound of their score.
type hit struct {
	id    string
	doc   int32
	bound float64
}

// candidates are the reachable people who hold any of the need's skills
// (with related, a related one), want its kind and whose travel circle
// holds it (or who work remotely, for remote work): a superset of those
// score.Eligible admits among them. Each comes with the bound of their
// score from b: by the levels at which they hold the need's skills
// themselves, related credit (Gain[i][0]) only for a wanted skill one
// of their skills relates to (rel, as score.RelatedHeld; nil: any), and
// the distance part from their card's place (halfKm: the weights'
// DistanceHalfKm).
func (pl *pool) candidates(n register.Need, related bool, b *score.Bounds, rel *score.Relations, halfKm float64) []hit {
	sc := getScratch(&profScratches, len(pl.profs))
	defer profScratches.Put(sc)
	remote := n.WorkMode == score.ModeRemote
	spans := pl.profPlace.reach(n.Location.Lat, n.Location.Lon, -1, remote, int32(len(pl.profs)))
	for _, l := range pl.queryLists(needSkillIDs(n), related, pl.profSkills, pl.profGroups) {
		i := -1
		if l.skill != "" {
			i = slices.Index(b.Skills, l.skill)
		}
		at := 0
		for _, sp := range spans {
			at = seekDoc(l.l, at, sp.lo)
			for ; at < len(l.l) && postingDoc(l.l[at]) < sp.hi; at++ {
				v := l.l[at]
				slot := sc.see(postingDoc(v))
				if i >= 0 && i < 64 {
					slot.acc += b.Gain[i][postingLevel(v)]
					slot.held |= 1 << i
				}
			}
		}
	}
	kind, hasKind := pl.kindBits[n.Kind]
	var out []hit
	for _, d := range sc.touched {
		p := &pl.profs[d]
		if !p.live || (p.kinds != 0 && (!hasKind || p.kinds&kind == 0)) {
			continue
		}
		if !(remote && p.remote) && !within(n.Location.Lat, n.Location.Lon, p.lat, p.lon, p.maxKm+reachSlackKm) {
			continue
		}
		near := 1.0 // remote work a remote worker accepts
		if !(remote && p.remote) {
			near = halfKm / (halfKm + score.HaversineKm(n.Location.Lat, n.Location.Lon, p.card[0], p.card[1]))
			if !(near >= 0) {
				near = 1
			}
		}
		slot := &sc.slots[d]
		bound := b.Rest + slot.acc + b.Distance*near + pl.relatedGain(sc, d, slot.held, b, rel)
		out = append(out, hit{id: pl.profIDs[d], doc: d, bound: bound})
	}
	return out
}

// relatedGain is the most related skills add to document d's score: the
// related credit of each wanted skill d does not hold itself (held) and
// one of d's skills relates to.
func (pl *pool) relatedGain(sc *scratch, d int32, held uint64, b *score.Bounds, rel *score.Relations) float64 {
	var mask uint64
	if rel == nil {
		mask = ^uint64(0)
	} else {
		for _, t := range pl.profTerm[d].skills {
			mask |= sc.relatedTo(t, pl.termIDs[t], rel)
		}
	}
	gain := 0.0
	for i := range b.Skills {
		switch {
		case i >= 64: // no bit: held at any level, or related
			gain += b.Gain[i][score.MaxLevel]
		case held&(1<<i) == 0 && mask&(1<<i) != 0:
			gain += b.Gain[i][0]
		}
	}
	return gain
}

// scratch is a query's work space over every document number of one
// kind: a sum for each document seen by this query (gen), and the ones
// seen, in the order first seen. One pass over the posting lists fills
// it: a k-way merge of a person's twenty lists cost half of a ranking.
type scratch struct {
	slots   []slot
	gen     uint32
	touched []int32
	// terms remember, for one query, each term's score.Relations.Of.
	terms []termSlot
}

type slot struct {
	acc  float64
	held uint64 // the wanted skills (by index in Bounds.Skills) held themselves
	gen  uint32 // the query that last saw it
}

type termSlot struct {
	related uint64
	gen     uint32
}

// relatedTo is rel.Of(id) for term t, found once a query.
func (sc *scratch) relatedTo(t int32, id string, rel *score.Relations) uint64 {
	if int(t) >= len(sc.terms) {
		sc.terms = append(sc.terms, make([]termSlot, int(t)+1-len(sc.terms)+256)...)
	}
	ts := &sc.terms[t]
	if ts.gen != sc.gen {
		ts.related, ts.gen = rel.Of(id), sc.gen
	}
	return ts.related
}

// see returns d's slot, with a sum of 0 the first time this query sees it.
func (sc *scratch) see(d int32) *slot {
	s := &sc.slots[d]
	if s.gen != sc.gen {
		s.acc, s.held, s.gen = 0, 0, sc.gen
		sc.touched = append(sc.touched, d)
	}
	return s
}

// Work spaces for profiles and for needs, which number apart.
var profScratches, needScratches sync.Pool

func getScratch(from *sync.Pool, n int) *scratch {
	sc, _ := from.Get().(*scratch)
	if sc == nil || len(sc.slots) < n {
		sc = &scratch{slots: make([]slot, n+n/8)}
	}
	if sc.gen++; sc.gen == 0 { // wrapped: forget every query so far
		clear(sc.slots)
		clear(sc.terms)
		sc.gen = 1
	}
	sc.touched = sc.touched[:0]
	return sc
}

// within reports whether two points may be within km: a latitude
// difference alone rules most far ones out (the great-circle distance is
// at least the arc between the latitudes) before the haversine decides.
func within(lat1, lon1, lat2, lon2, km float64) bool {
	const kmPerDegree = 6371.0088 * math.Pi / 180
	if math.Abs(lat1-lat2)*kmPerDegree > km+reachSlackKm {
		return false
	}
	return score.HaversineKm(lat1, lon1, lat2, lon2) <= km
}

// needsFor are the open needs of verified employers, of the kinds wanted
// (none: any), still open for applications today, in the person's
// travel circle (or remote work, if that suits them), that ask for any
// of their skills or a related one, by document number; direct marks
// those that ask for one of their skills itself, the retrieval without
// related skills. One pass over the lists serves both.
func (pl *pool) needsFor(p profile.Profile, kinds []string, today string, verified map[string]bool) (docs []int32, direct []bool) {
	remote := slices.Contains(p.WorkModes, score.ModeRemote)
	km := float64(p.MaxTravelKm) + reachSlackKm
	sc := getScratch(&needScratches, len(pl.needs))
	defer needScratches.Put(sc)
	spans := pl.needPlace.reach(p.Lat, p.Lon, max(float64(p.MaxTravelKm), 0), remote, int32(len(pl.needs)))
	for _, l := range pl.queryLists(profileSkillIDs(p), true, pl.needSkills, pl.needGroups) {
		at := 0
		for _, sp := range spans {
			at = seekDoc(l.l, at, sp.lo)
			for ; at < len(l.l) && postingDoc(l.l[at]) < sp.hi; at++ {
				if slot := sc.see(postingDoc(l.l[at])); l.skill != "" {
					slot.acc = 1
				}
			}
		}
	}
	kindMask, anyKind := pl.wantedKinds(kinds)
	todayKey := dayKey(today)
	for _, d := range sc.touched {
		n := &pl.needs[d]
		if !n.live || !n.open || !pl.needOpenOn(d, today, todayKey) || (!anyKind && !pl.needOfKind(d, kinds, kindMask)) {
			continue
		}
		if !(remote && n.remote) && !within(n.lat, n.lon, p.Lat, p.Lon, km) || !verified[pl.needCold[d].employer] {
			continue // the place first: it rules out most, without a map look-up
		}
		docs, direct = append(docs, d), append(direct, sc.slots[d].acc == 1)
	}
	return docs, direct
}

// needOpenOn reports whether need d is still open for applications on
// today (dayKey todayKey).
func (pl *pool) needOpenOn(d int32, today string, todayKey int32) bool {
	if k := pl.needs[d].applyBy; k != 0 && todayKey != 0 {
		return k >= todayKey
	}
	return pl.needCold[d].applyBy >= today
}

// wantedKinds is the mask of the kinds' bits; any when none is given.
// It only reads kindBits: a kind without a bit is compared as text.
func (pl *pool) wantedKinds(kinds []string) (mask uint16, any bool) {
	for _, k := range kinds {
		mask |= pl.kindBits[k]
	}
	return mask, len(kinds) == 0
}

// needOfKind reports whether need d is of one of kinds (mask: their bits).
func (pl *pool) needOfKind(d int32, kinds []string, mask uint16) bool {
	if b := pl.needs[d].kind; b != 0 {
		return b&mask != 0
	}
	return slices.Contains(kinds, pl.needCold[d].kind)
}

// needDoc is the document number of a live need, for a retrieval by ids.
func (pl *pool) needDoc(id string) (int32, bool) {
	d, ok := pl.needNum[id]
	return d, ok && pl.needs[d].live
}
