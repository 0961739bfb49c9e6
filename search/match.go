package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// Boosts of the benchmark's plain Bleve peer (CandidateSkillTerms,
// NeedSkillTerms), which retrieved for the product before the pool
// (pool.go). They only order what the re-rank sees.
const (
	boostRequiredAtLevel  = 3
	boostPreferredAtLevel = 1.5
	boostBelowLevel       = 0.5
	boostGroup            = 0.2
)

// CandidateMatch is a candidate ranked for a need.
type CandidateMatch struct {
	Profile        profile.Profile
	Score          float64
	Explanation    score.Explanation
	PermitRequired bool
}

// NeedMatch is a need ranked for a job-seeker.
type NeedMatch struct {
	Need           register.Need
	Score          float64
	Explanation    score.Explanation
	PermitRequired bool
}

// NeedMatches is the job-seeker's view: matches, and when few fit, the
// nearest needs with what is missing, and the skills that would open most.
type NeedMatches struct {
	Items      []NeedMatch
	NearMisses []NeedMatch // eligible apart from skills, with their missing skills
	NextSkills []score.NextSkill
}

// fewMatches is the count below which the job-seeker also sees near misses.
const fewMatches = 5

// MatchCandidates ranks the consenting candidates who may be matched to
// the need, best first. The pool (pool.go) finds people holding the need's
// skills; only when fewer than fewMatches of them may be matched does it
// look again with related skills (same group, broader), which match far
// more people and cost several times the time.
func (ix *Index) MatchCandidates(ctx context.Context, n register.Need, limit int, lang string) ([]CandidateMatch, error) {
	if n.Kind == register.KindForecast {
		return []CandidateMatch{}, nil // forecasts are counted, never matched
	}
	out, err := ix.matchCandidates(ctx, n, limit, lang, false)
	if err != nil || len(out) >= min(limit, fewMatches) {
		return out, err
	}
	return ix.matchCandidates(ctx, n, limit, lang, true)
}

// candidate is a retrieved candidate who passed the hard filters, with
// their score.
type candidate struct {
	p      profile.Profile
	c      *score.PreparedCandidate
	permit bool
	score  float64
}

func (ix *Index) matchCandidates(_ context.Context, n register.Need, limit int, lang string, related bool) ([]CandidateMatch, error) {
	r, err := ix.ranker(lang)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	need, err := r.s.PrepareNeed(needFacts(n))
	if err != nil {
		ix.mu.RUnlock()
		return nil, fmt.Errorf("prepare need %s: %w", n.ID, err)
	}
	bounds := r.s.Bounds(need, false)
	rel, _ := r.s.Relations(need)
	hits := ix.pool.candidates(n, related, &bounds, rel, r.s.Weights().DistanceHalfKm)
	cands := ix.bestCandidatesLocked(r, need, hits, limit)
	ix.mu.RUnlock()
	return topCandidates(r, need, cands, limit), nil
}

// bestCandidatesLocked returns the first limit of hits who pass the hard
// filters, by score, in no order. It prepares and scores hits by their
// bound, best first, and stops at the first whose bound is below the
// limit-th score so far: no one after can reach the first limit. Most
// hits are never prepared.
func (ix *Index) bestCandidatesLocked(r *ranker, need *score.PreparedNeed, hits []hit, limit int) []candidate {
	if limit <= 0 {
		return nil
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(cmp.Compare(b.bound, a.bound), cmp.Compare(a.doc, b.doc)) })
	top := make([]candidate, 0, limit)
	for _, h := range hits {
		if len(top) == limit && h.bound < top[limit-1].score-boundSlack {
			break
		}
		c, ok := ix.eligibleCandidateLocked(r, need, h.id)
		if !ok {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, c, func(a, b candidate) int { return byScore(a.score, b.score, a.p.ID, b.p.ID) })
		if i < limit {
			top = slices.Insert(top[:min(len(top), limit-1)], i, c)
		}
	}
	return top
}

// RerankCandidates is the second half of MatchCandidates: the hard filters
// and the explained score over candidates retrieved by ids. The benchmark
// gives its peers' retrievals the same re-rank through it.
//
// This direction has no text part (score.NoText): the only free text of a
// candidate is their summary, which the employer who sees the ranking may
// not read, and an order, score or explanation that moved with it would
// tell the employer whether a word ("pregnant", a surname) is in it. For
// the same reason the distance is taken from the candidate's place rounded
// to a cell (ranker.onCard), not from their home. What ranks a candidate
// is what their card shows.
func (ix *Index) RerankCandidates(_ context.Context, n register.Need, ids []string, limit int, lang string) ([]CandidateMatch, error) {
	r, err := ix.ranker(lang)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	need, cands, err := ix.eligibleCandidatesLocked(r, n, ids)
	ix.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	return topCandidates(r, need, cands, limit), nil
}

// topCandidates explains the first limit of cands, best first.
func topCandidates(r *ranker, need *score.PreparedNeed, cands []candidate, limit int) []CandidateMatch {
	slices.SortFunc(cands, func(a, b candidate) int { return byScore(a.score, b.score, a.p.ID, b.p.ID) })
	cands = cands[:min(max(limit, 0), len(cands))]
	out := make([]CandidateMatch, 0, len(cands))
	for _, c := range cands {
		e := r.s.Explain(need, c.c, score.NoText)
		out = append(out, CandidateMatch{Profile: c.p, Score: e.Score, Explanation: e.Explanation, PermitRequired: c.permit})
	}
	return out
}

// eligibleCandidatesLocked prepares the need and those of ids who are
// still there and pass the hard filters, with their scores.
func (ix *Index) eligibleCandidatesLocked(r *ranker, n register.Need, ids []string) (*score.PreparedNeed, []candidate, error) {
	need, err := r.s.PrepareNeed(needFacts(n))
	if err != nil {
		return nil, nil, fmt.Errorf("prepare need %s: %w", n.ID, err)
	}
	out := make([]candidate, 0, len(ids))
	for _, id := range ids {
		if c, ok := ix.eligibleCandidateLocked(r, need, id); ok {
			out = append(out, c)
		}
	}
	return need, out, nil
}

// eligibleCandidateLocked is candidate id with their score, if they are
// still there and pass the hard filters.
func (ix *Index) eligibleCandidateLocked(r *ranker, need *score.PreparedNeed, id string) (candidate, bool) {
	p, ok := ix.profSet[id]
	if !ok {
		return candidate{}, false // erased since the search: gone at once
	}
	shown, err := r.onCard(p) // the place as the card shows it: see onCard
	if err != nil {
		return candidate{}, false // a profile the rules cannot read (no birth year) is never matched
	}
	ok, permit := score.EligibleFrom(need, shown, p.Lat, p.Lon) // the exact place: the travel radius is the person's
	if !ok {
		return candidate{}, false
	}
	return candidate{p: p, c: shown, permit: permit, score: r.s.Score(need, shown, score.NoText)}, true
}

// MatchNeeds ranks the public needs the job-seeker may be matched to. As
// for candidates, related skills widen the search only when fewer than
// fewMatches of the needs asking for the person's own skills are good
// matches; then the near misses and next skills come from the wider
// search too. The pool finds both sets in one pass (needsFor).
func (ix *Index) MatchNeeds(ctx context.Context, p profile.Profile, kind string, limit int, lang, today string) (NeedMatches, error) {
	r, c, err := ix.prepareSeeker(p, lang)
	if err != nil {
		return NeedMatches{}, err
	}
	ix.mu.RLock()
	docs, direct := ix.pool.needsFor(p, WantedKinds(p, kind), today, ix.verified)
	if own := ownNeeds(docs, direct); ix.enoughGoodLocked(r, c, own, min(limit, fewMatches)) {
		docs = own
	}
	rk := ix.rankNeedsLocked(r, c, docs, limit)
	ix.mu.RUnlock()
	return ix.explainRanked(ctx, r, c, p.Summary, rk, limit, nil)
}

// ownNeeds are the docs marked direct: those asking for the person's own
// skills.
func ownNeeds(docs []int32, direct []bool) []int32 {
	out := make([]int32, 0, len(docs))
	for i, d := range docs {
		if direct[i] {
			out = append(out, d)
		}
	}
	return out
}

// RerankNeeds is the second half of MatchNeeds over needs retrieved by
// ids, for the benchmark's peers.
func (ix *Index) RerankNeeds(ctx context.Context, p profile.Profile, ids []string, limit int, lang string) (NeedMatches, error) {
	text, err := textScores(ctx, ix.needs, ids, fTitle, p.Summary)
	if err != nil {
		return NeedMatches{}, err
	}
	r, c, err := ix.prepareSeeker(p, lang)
	if err != nil {
		return NeedMatches{}, err
	}
	ix.mu.RLock()
	docs := make([]int32, 0, len(ids))
	for _, id := range ids {
		if d, ok := ix.pool.needDoc(id); ok {
			docs = append(docs, d)
		}
	}
	rk := ix.rankNeedsLocked(r, c, docs, limit)
	ix.mu.RUnlock()
	return ix.explainRanked(ctx, r, c, p.Summary, rk, limit, text)
}

func (ix *Index) prepareSeeker(p profile.Profile, lang string) (*ranker, *score.PreparedCandidate, error) {
	r, err := ix.ranker(lang)
	if err != nil {
		return nil, nil, err
	}
	c, err := r.s.PrepareCandidate(candidateFacts(p))
	if err != nil {
		return nil, nil, failure.Wrap(failure.Invalid, "validation", err)
	}
	return r, c, nil
}

// rankedNeeds are the good matches and, when they are fewer than
// fewMatches, the near misses, each scored as far as they may reach the
// first places (scoreNeeds), and the next skills.
type rankedNeeds struct {
	lists [][]*eligibleNeed
	next  []score.NextSkill
}

// rankNeedsLocked ranks the eligible needs of docs without their text
// part, and takes the needs that may be shown from memory. Near misses
// are scored only when they are shown.
func (ix *Index) rankNeedsLocked(r *ranker, c *score.PreparedCandidate, docs []int32, limit int) rankedNeeds {
	es := ix.eligibleNeedsLocked(r, c, docs)
	lv := ix.pool.levelsOf(r.s, c)
	good := scoreNeeds(r.s, c, lv, es.good, limit)
	rk := rankedNeeds{lists: [][]*eligibleNeed{good}, next: score.NextSkillsOfEligible(c, es.all, 5)}
	if len(es.good) < fewMatches {
		rk.lists = append(rk.lists, scoreNeeds(r.s, c, lv, es.near, limit))
	}
	for _, l := range rk.lists {
		for _, e := range contenders(l, limit) {
			if n, ok := ix.needLocked(e.id); ok {
				e.n = &n
			}
		}
	}
	return rk
}

// needLocked is a need from memory, if it is there.
func (ix *Index) needLocked(id string) (register.Need, bool) {
	n, ok := ix.needSet[id]
	return n, ok
}

// explainRanked explains the needs ranked: text holds each need's text
// relevance; nil asks Bleve for it, but only for the needs whose score
// with the best text could reach the first limit (textFor): the text
// part is small, and asking for every need found cost more than all the
// rest.
func (ix *Index) explainRanked(ctx context.Context, r *ranker, c *score.PreparedCandidate, summary string, rk rankedNeeds, limit int, text map[string]float64) (NeedMatches, error) {
	if text == nil {
		var err error
		if text, err = ix.textFor(ctx, summary, limit, rk.lists); err != nil {
			return NeedMatches{}, err
		}
	}
	out := NeedMatches{Items: explainNeeds(r.s, c, rk.lists[0], text, limit), NearMisses: []NeedMatch{}, NextSkills: rk.next}
	if len(rk.lists) > 1 {
		out.NearMisses = explainNeeds(r.s, c, rk.lists[1], text, limit)
	}
	return out, nil
}

// eligibleNeed is a need that passed the hard filters, with its score
// bounds once scored: lo without text relevance, hi with the best. n is
// taken from memory only for the needs that may be shown.
type eligibleNeed struct {
	id     string
	n      *register.Need
	pn     *score.PreparedNeed
	bounds *score.Bounds
	terms  []int32 // the pool's term number of each of bounds.Skills
	permit bool
	lo, hi float64
}

// eligibleNeeds are the needs that pass the hard filters, as good matches
// and near misses (score.NearMiss), and all of them prepared.
type eligibleNeeds struct {
	good, near []*eligibleNeed
	all        []*score.PreparedNeed
}

// enoughGoodLocked reports whether at least want of docs are eligible
// good matches for c.
func (ix *Index) enoughGoodLocked(r *ranker, c *score.PreparedCandidate, docs []int32, want int) bool {
	good := 0
	for _, d := range docs {
		if good >= want {
			break
		}
		e := ix.pool.preparedNeedLocked(r, d, ix.rarityEpoch, ix.needLocked)
		if e != nil && score.AllRequiredAtLevel(e.pn, c) {
			if ok, _ := score.Admits(e.pn, c); ok {
				good++
			}
		}
	}
	return good >= want
}

// eligibleNeedsLocked keeps the needs of docs that pass the hard filters.
func (ix *Index) eligibleNeedsLocked(r *ranker, c *score.PreparedCandidate, docs []int32) eligibleNeeds {
	var out eligibleNeeds
	es := make([]eligibleNeed, 0, len(docs))
	out.all = make([]*score.PreparedNeed, 0, len(docs))
	for _, d := range docs {
		e := ix.pool.preparedNeedLocked(r, d, ix.rarityEpoch, ix.needLocked)
		if e == nil {
			continue
		}
		ok, permit := score.Admits(e.pn, c)
		if !ok {
			continue
		}
		out.all = append(out.all, e.pn)
		es = append(es, eligibleNeed{id: ix.pool.needCold[d].id, pn: e.pn, bounds: &e.bounds, terms: e.terms, permit: permit})
	}
	for i := range es {
		if score.AllRequiredAtLevel(es[i].pn, c) {
			out.good = append(out.good, &es[i])
		} else {
			out.near = append(out.near, &es[i])
		}
	}
	return out
}

// scoreNeeds scores the needs of es that may reach the first limit and
// returns them sorted by their score without text. It goes through es
// by the bound of their score with any text (score.Bounds, by the levels
// at which the person holds each need's skills), best first, and stops
// at the first bound below the limit-th score without text: no need
// after it can reach the first limit, whatever its text.
func scoreNeeds(s *score.Scorer, c *score.PreparedCandidate, lv *levelMemo, es []*eligibleNeed, limit int) []*eligibleNeed {
	if limit <= 0 {
		return nil
	}
	for _, e := range es {
		e.hi = needBound(e, lv) // a bound until scored
	}
	// Among equal bounds any order serves: all of them are scored or none.
	slices.SortFunc(es, func(a, b *eligibleNeed) int { return cmp.Compare(b.hi, a.hi) })
	var lo []float64 // the limit best scores without text so far, best first
	for i, e := range es {
		if len(lo) == limit && e.hi < lo[limit-1]-boundSlack {
			es = es[:i]
			break
		}
		e.lo = s.Score(e.pn, c, 0)
		e.hi = e.lo + e.bounds.Text
		at, _ := slices.BinarySearchFunc(lo, e.lo, func(a, b float64) int { return -cmp.Compare(a, b) })
		if at < limit {
			lo = slices.Insert(lo[:min(len(lo), limit-1)], at, e.lo)
		}
	}
	slices.SortFunc(es, func(a, b *eligibleNeed) int { return byScore(a.lo, b.lo, a.id, b.id) })
	return es
}

// needBound is the bound of a need's score for the person whose levels
// lv holds.
func needBound(e *eligibleNeed, lv *levelMemo) float64 {
	b := e.bounds
	bound := b.Rest + b.Distance
	for i := range b.Skills {
		if h := lv.of(e.pn, i, e.terms[i]); h >= 0 {
			bound += b.Gain[i][h]
		}
	}
	return bound
}

// levelMemo is, for each skill, the level at which a person holds it, 0
// if only a related skill earns credit for it (score.RelatedHeld), -1 if
// none: found once a query, by the skill's term number in the pool, as
// needs share their skills.
type levelMemo struct {
	s      *score.Scorer
	c      *score.PreparedCandidate
	byTerm []int8 // level + 2; 0 not known yet
	other  map[string]int
}

func (pl *pool) levelsOf(s *score.Scorer, c *score.PreparedCandidate) *levelMemo {
	return &levelMemo{s: s, c: c, byTerm: make([]int8, len(pl.termNum)), other: map[string]int{}}
}

// of is the level of n's wanted skill i, whose term number is t (-1:
// none).
func (m *levelMemo) of(n *score.PreparedNeed, i int, t int32) int {
	if t >= 0 && int(t) < len(m.byTerm) {
		if v := m.byTerm[t]; v != 0 {
			return int(v) - 2
		}
		h := m.find(n, i)
		m.byTerm[t] = int8(h + 2)
		return h
	}
	id := n.WantedID(i)
	h, ok := m.other[id]
	if !ok {
		h = m.find(n, i)
		m.other[id] = h
	}
	return h
}

func (m *levelMemo) find(n *score.PreparedNeed, i int) int {
	if h := score.WantedLevelHeld(n, i, m.c); h > 0 {
		return h
	}
	if m.s.WantedRelatedHeld(n, i, m.c) {
		return 0
	}
	return -1
}

// boundSlack keeps a need whose best score only rounding puts below the
// cut: the bounds come from the same sums, and may differ in their last
// bits from the score with text.
const boundSlack = 1e-9

// contenders are the needs (sorted by lo) that may still be among the
// first limit once text counts: the first limit, and any whose score
// with the best text reaches the limit-th's score without.
func contenders(es []*eligibleNeed, limit int) []*eligibleNeed {
	if limit <= 0 {
		return nil
	}
	if len(es) <= limit {
		return es
	}
	cut := es[limit-1].lo - boundSlack
	out := es[:limit:limit]
	for _, e := range es[limit:] {
		if e.hi >= cut {
			out = append(out, e)
		}
	}
	return out
}

// textFor asks Bleve for the text relevance of the contenders.
func (ix *Index) textFor(ctx context.Context, summary string, limit int, lists [][]*eligibleNeed) (map[string]float64, error) {
	if strings.TrimSpace(summary) == "" {
		return map[string]float64{}, nil
	}
	var ids []string
	for _, l := range lists {
		for _, e := range contenders(l, limit) {
			ids = append(ids, e.id)
		}
	}
	return textScores(ctx, ix.needs, ids, fTitle, summary)
}

// explainNeeds explains the contenders of es with their text relevance
// and returns the first limit, best first.
func explainNeeds(s *score.Scorer, c *score.PreparedCandidate, es []*eligibleNeed, text map[string]float64, limit int) []NeedMatch {
	out := []NeedMatch{}
	for _, e := range contenders(es, limit) {
		r := s.Explain(e.pn, c, text[e.id])
		var n register.Need
		if e.n != nil {
			n = *e.n
		}
		out = append(out, NeedMatch{Need: n, Score: r.Score, Explanation: r.Explanation, PermitRequired: e.permit})
	}
	sortNeedMatches(out)
	return out[:min(max(limit, 0), len(out))]
}

// heldLevels is the level at which p holds each skill, as score prepares
// them: the highest of a skill listed twice, clamped to 1..maxLevel.
func heldLevels(p profile.Profile) map[string]int {
	out := make(map[string]int, len(p.Skills))
	for _, s := range p.Skills {
		if s.ID != "" {
			out[s.ID] = max(out[s.ID], min(max(s.Level, 1), maxLevel))
		}
	}
	return out
}

func sortNeedMatches(m []NeedMatch) {
	slices.SortFunc(m, func(a, b NeedMatch) int { return byScore(a.Score, b.Score, a.Need.ID, b.Need.ID) })
}

// byScore orders best first, ties by id: the same input always gives the
// same order.
func byScore(sa, sb float64, ida, idb string) int {
	switch {
	case sa > sb:
		return -1
	case sa < sb:
		return 1
	}
	return strings.Compare(ida, idb)
}

// CandidateSkillTerms are the boosted skill terms by which a Bleve index
// of profiles (fields "skills" and "groups") retrieves candidates for a
// need: the benchmark's plain Bleve peer. The pool holds the same terms.
func CandidateSkillTerms(n register.Need, tx Taxonomy, related bool) []query.Query {
	var should []query.Query
	groups := map[string]bool{}
	for _, s := range n.Skills {
		b := float64(boostPreferredAtLevel)
		if s.Required {
			b = boostRequiredAtLevel
		}
		should = append(should, boosted(fSkills, skillAt(s.ID, max(s.Level, 1)), b), boosted(fSkills, s.ID, boostBelowLevel))
		addGroups(groups, s.ID, tx)
		groups[s.ID] = true // people holding a narrower skill of it
	}
	if related {
		for g := range groups {
			should = append(should, boosted(fGroups, g, boostGroup), boosted(fSkills, g, boostGroup)) // siblings; the broader skill itself
		}
	}
	return should
}

// WantedKinds are the kinds of need a job-seeker is shown: kind if given,
// else their interests; none means any.
func WantedKinds(p profile.Profile, kind string) []string {
	if kind != "" {
		return []string{kind}
	}
	return p.Interests.Kinds
}

// NeedSkillTerms are the boosted skill terms by which a Bleve index of
// needs (fields "skills", "required" and "groups") retrieves needs for a
// job-seeker: the benchmark's plain Bleve peer. The pool holds the same
// terms.
func NeedSkillTerms(p profile.Profile, tx Taxonomy, related bool) []query.Query {
	var should []query.Query
	groups := map[string]bool{}
	for _, s := range p.Skills {
		should = append(should, boosted(fSkills, skillAt(s.ID, max(s.Level, 1)), boostPreferredAtLevel),
			boosted(fRequired, s.ID, boostRequiredAtLevel), boosted(fSkills, s.ID, boostBelowLevel))
		addGroups(groups, s.ID, tx)
		groups[s.ID] = true // needs asking for a narrower skill of it
	}
	if related {
		for g := range groups {
			should = append(should, boosted(fGroups, g, boostGroup), boosted(fSkills, g, boostGroup))
		}
	}
	return should
}

// RetrieveDepth is how many hits the benchmark's Bleve peer hands to the
// re-rank; the product's pool hands it every document that may reach
// the first places.
const RetrieveDepth = 400

func boosted(field, value string, boost float64) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	t.SetBoost(boost)
	return t
}

// textScores returns the BM25 relevance of text for each of ids, the
// re-rank's small text part.
func textScores(ctx context.Context, idx bleve.Index, ids []string, field, text string) (map[string]float64, error) {
	out := make(map[string]float64, len(ids))
	if strings.TrimSpace(text) == "" || len(ids) == 0 {
		return out, nil
	}
	m := bleve.NewMatchQuery(text)
	m.SetField(field)
	// The id filter scores too: at boost 1 it added a constant (and a
	// scaling) to every text score; at 1e-6 the score is the match's BM25
	// to six decimals.
	only := bleve.NewDocIDQuery(ids)
	only.SetBoost(1e-6)
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(only, m), len(ids), 0, false)
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("text relevance: %w", err)
	}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out, nil
}

// rarityLocked is the inverse document frequency of holding a skill among
// consenting job-seekers: a skill few people hold tells candidates apart.
func (ix *Index) rarityLocked(skillID string) float64 {
	n := float64(ix.consenting)
	return math.Log(1 + (n+1)/(1+float64(ix.holders[skillID])))
}

// ScoreCandidates returns the explained score of each of the given people
// for the need, leaving out those the hard filters exclude. Placement rounds
// use it to rank the candidates who listed a need when its employer did not
// rank them.
func (ix *Index) ScoreCandidates(n register.Need, profileIDs []string) (map[string]float64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, err := ix.scorer("bg")
	if err != nil {
		return nil, err
	}
	need, err := s.PrepareNeed(needFacts(n))
	if err != nil {
		return nil, fmt.Errorf("prepare need %s: %w", n.ID, err)
	}
	out := make(map[string]float64, len(profileIDs))
	for _, id := range profileIDs {
		p, ok := ix.profSet[id]
		if !ok {
			continue
		}
		c, err := s.PrepareCandidate(candidateFacts(p))
		if err != nil {
			continue
		}
		if ok, _, _ := score.Eligible(need, c); ok {
			out[id] = s.Score(need, c, score.NoText) // as MatchCandidates ranks them
		}
	}
	return out, nil
}

// Need returns a need from memory, if it exists.
func (ix *Index) Need(id string) (register.Need, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n, ok := ix.needSet[id]
	return n, ok
}

// Profile returns a profile from memory, if it exists.
func (ix *Index) Profile(id string) (profile.Profile, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	p, ok := ix.profSet[id]
	return p, ok
}
