package score

import "math"

// Part names, in the order an explanation lists them.
const (
	PartRequiredSkills  = "requiredSkills"
	PartPreferredSkills = "preferredSkills"
	PartLevelFit        = "levelFit"
	PartCertified       = "certified"
	PartLanguages       = "languages"
	PartDistance        = "distance"
	PartAvailability    = "availability"
	PartEducation       = "education"
	PartText            = "text"
)

const (
	pRequired = iota
	pPreferred
	pLevel
	pCertified
	pLanguages
	pDistance
	pAvailability
	pEducation
	pText
	numParts
)

var partNames = [numParts]string{
	PartRequiredSkills, PartPreferredSkills, PartLevelFit, PartCertified,
	PartLanguages, PartDistance, PartAvailability, PartEducation, PartText,
}

// relation is how the held skill that serves a wanted skill relates to it.
type relation uint8

const (
	relNone relation = iota
	relExact
	relBroader
	relSameGroup
)

// hit is the best held skill for one wanted skill.
type hit struct {
	held       int32 // index into the candidate's skills, -1 if none
	rel        relation
	exactLevel int     // level of the wanted skill itself, 0 if not held
	credit     float64 // the relation's credit, times BelowLevelCredit per level short
	fit        float64
	cert       float64
}

// part is one part's weight (before normalising) and value.
type part struct{ weight, value float64 }

// facts are the pair's observations that the explanation reports.
type facts struct {
	distanceKm     float64
	languagesOK    bool
	availabilityOK bool
}

// Score returns the pair's score in [0, 1] without an explanation and
// without allocating: for ranking many pairs, then Explain for the ones
// shown. text is the caller's BM25 score of the pair (0 if none; NoText
// leaves the text part out). Score does not apply the hard filters; call
// Eligible first.
func (s *Scorer) Score(n *PreparedNeed, c *PreparedCandidate, text float64) float64 {
	parts, _ := s.parts(n, c, text, nil)
	return total(&parts)
}

// inlineHits covers most needs, so that Explain keeps its hits on the
// stack; a bigger array would cost more to zero than it saves.
const inlineHits = 16

func hitsFor(n *PreparedNeed, buf []hit) []hit {
	if len(n.wanted) <= len(buf) {
		return buf[:len(n.wanted)]
	}
	return make([]hit, len(n.wanted))
}

// parts computes every part of the score and, unless hits is nil, fills
// it with one hit per wanted skill.
func (s *Scorer) parts(n *PreparedNeed, c *PreparedCandidate, text float64, hits []hit) ([numParts]part, facts) {
	var p [numParts]part
	var fx facts
	s.skillParts(n, c, hits, &p)
	p[pLanguages], fx.languagesOK = s.languagePart(n, c)
	fx.distanceKm = distanceKm(n, c)
	p[pDistance] = part{s.w.Distance, s.distanceValue(n, c, fx.distanceKm)}
	p[pAvailability], fx.availabilityOK = s.availabilityPart(n, c)
	p[pEducation] = educationPart(s.w.Education, n.minEdu, c.edu)
	p[pText] = s.textPart(text)
	return p, fx
}

// total is Σ (W_p/ΣW)·v_p, clamped to [0, 1] against rounding. The
// explanation's weights are the same W_p/ΣW, so Σ weight·value is the
// score.
func total(p *[numParts]part) float64 {
	sum := 0.0
	for i := range p {
		sum += p[i].weight
	}
	if !(sum > 0) {
		return 0
	}
	score := 0.0
	for i := range p {
		score += p[i].weight / sum * p[i].value
	}
	return clamp01(score)
}

// skillParts finds the best held skill for each wanted skill and sums the
// four skill parts.
func (s *Scorer) skillParts(n *PreparedNeed, c *PreparedCandidate, hits []hit, p *[numParts]part) {
	var req, pref, lvl, cert float64
	for i := range n.wanted {
		w := &n.wanted[i]
		h := s.best(w, c)
		if hits != nil {
			hits[i] = h
		}
		if w.required {
			req += w.weight * h.credit
		} else {
			pref += w.weight * h.credit
		}
		lvl += w.weight * h.fit
		cert += w.weight * h.cert
	}
	p[pRequired] = share(s.w.Skills, n.mReq, n.mAll, req)
	p[pPreferred] = share(s.w.Skills, n.mPref, n.mAll, pref)
	p[pLevel] = share(s.w.LevelFit, n.mAll, n.mAll, lvl)
	p[pCertified] = share(s.w.Certified, n.mAll, n.mAll, cert)
}

// share is the part for a subset of the wanted skills of importance m out
// of mAll, whose held importance is got. A need without such skills has
// nothing missing (value 1) and the part does not count (weight 0).
func share(weight, m, mAll, got float64) part {
	if !(m > 0) {
		return part{0, 1}
	}
	return part{weight * m / mAll, clamp01(got / m)}
}

// best returns the held skill that adds most to the score for w: the one
// maximising Skills·credit·below + LevelFit·fit + Certified·cert. Held skills are
// sorted by id and only a strictly better one replaces the best, so ties go
// to the smallest id. This is the innermost loop of every match request.
func (s *Scorer) best(w *wanted, c *PreparedCandidate) hit {
	b := hit{held: -1}
	bestQ := math.Inf(-1)
	for j := range c.hot {
		hot := &c.hot[j]
		if hot.h != w.h && hot.self&w.ancMask == 0 && w.self&hot.ancMask == 0 &&
			(w.group.h == 0 || hot.group != w.group.h) {
			continue // unrelated, told by the hashes alone: most pairs
		}
		rel, credit := s.relate(&w.skillInfo, hot, &c.held[j].skillInfo)
		if rel == relNone {
			continue
		}
		h := &c.held[j]
		if rel == relExact {
			b.exactLevel = h.level
		}
		fit := credit * float64(min(h.level, w.level)) / float64(w.level)
		cert := 0.0
		if h.certified {
			cert = credit
		}
		atLevel := credit * s.belowPow[max(w.level-h.level, 0)]
		q := s.w.Skills*atLevel + s.w.LevelFit*fit + s.w.Certified*cert
		if q > bestQ {
			bestQ = q
			b.held, b.rel, b.credit, b.fit, b.cert = int32(j), rel, atLevel, fit, cert
		}
	}
	return b
}

// relate says how held skill h relates to wanted skill w and the credit
// it earns: the skill itself; a broader or narrower concept (one is among
// the other's ancestors); a skill of the same ESCO group. The best credit
// wins. Hashes and masks in hot rule out most unrelated pairs before any
// string is compared or list walked.
func (s *Scorer) relate(w *skillInfo, hot *heldHot, h *skillInfo) (relation, float64) {
	if w.h == hot.h && w.id == h.id {
		return relExact, 1
	}
	rel, credit := relNone, 0.0
	if (hot.self&w.ancMask != 0 && containsKey(w.anc, h.key)) ||
		(w.self&hot.ancMask != 0 && containsKey(h.anc, w.key)) {
		rel, credit = relBroader, s.w.BroaderCredit
	}
	if w.group.h != 0 && w.group.h == hot.group && w.group.id == h.group.id && s.w.SameGroupCredit > credit {
		rel, credit = relSameGroup, s.w.SameGroupCredit
	}
	if credit <= 0 {
		return relNone, 0 // a related skill worth nothing is not a match
	}
	return rel, credit
}

// languagePart scores the wanted languages; ok is true when every one is
// held at the wanted level or above.
func (s *Scorer) languagePart(n *PreparedNeed, c *PreparedCandidate) (part, bool) {
	if len(n.langs) == 0 {
		return part{0, 1}, true
	}
	sum, ok := 0.0, true
	for _, want := range n.langs {
		has := 0
		for _, l := range c.langs {
			if l.code == want.code {
				has = l.rank
				break
			}
		}
		switch {
		case has >= want.rank:
			sum++
		default:
			ok = false
			sum += s.w.LanguageBelowCredit * float64(has) / float64(want.rank)
		}
	}
	return part{s.w.Languages, sum / float64(len(n.langs))}, ok
}

// distanceValue is 1 for remote work the candidate accepts, else
// H/(H+d): strictly decreasing, so nearer is always better, and 0.5 at the
// half distance.
func (s *Scorer) distanceValue(n *PreparedNeed, c *PreparedCandidate, d float64) float64 {
	if n.remote && c.remote {
		return 1
	}
	if !(d >= 0) {
		return 0
	}
	return s.w.DistanceHalfKm / (s.w.DistanceHalfKm + d)
}

// availabilityPart is the share of the need's period, up to OpenEndDays
// of it, that the candidate covers, halved (by HoursMismatch) when the
// candidate wants other hours. ok is true when both are met in full.
func (s *Scorer) availabilityPart(n *PreparedNeed, c *PreparedCandidate) (part, bool) {
	length := n.windowEnd - n.start + 1
	covered := min(n.windowEnd, c.to) - max(n.start, c.from) + 1
	v := float64(max(covered, 0)) / float64(length)
	hoursOK := c.hours == "" || n.hours == "" || c.hours == n.hours
	if !hoursOK {
		v *= s.w.HoursMismatch
	}
	return part{s.w.Availability, clamp01(v)}, covered == length && hoursOK
}

// educationPart is 1 at or above the minimum, has/minimum below it; it
// does not count when the need sets no minimum.
func educationPart(weight float64, minEdu, has int) part {
	if minEdu <= 0 {
		return part{0, 1}
	}
	if has >= minEdu {
		return part{weight, 1}
	}
	return part{weight, float64(has) / float64(minEdu)}
}

// NoText, given as a pair's text relevance, leaves the text part out of
// the score (weight 0, value 1, like any part that does not apply). The
// need→candidates direction passes it: the text it would weigh is the
// candidate's free-text summary, which the employer may not read, and a
// score that moved with it would let the employer test for a word.
var NoText = math.Inf(-1)

func (s *Scorer) textPart(t float64) part {
	if math.IsInf(t, -1) {
		return part{0, 1}
	}
	return part{s.w.Text, s.textValue(t)}
}

// textValue squashes BM25, which has no upper bound, into [0, 1).
func (s *Scorer) textValue(t float64) float64 {
	switch {
	case !(t > 0): // also NaN
		return 0
	case math.IsInf(t, 1):
		return 1
	}
	return t / (t + s.w.TextHalf)
}

func clamp01(v float64) float64 {
	if !(v > 0) { // also NaN
		return 0
	}
	return min(v, 1)
}
