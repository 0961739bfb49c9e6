package score

// Bounds are upper bounds of a need's score, by the levels at which a
// candidate holds its wanted skills themselves: a ranking can skip the
// candidates whose bound cannot reach its last place without preparing
// or scoring them. For a candidate holding wanted skill i itself at level
// h (0: not at all), Score(n, c, NoText) ≤ Rest + Distance + Σ_i Gain[i][h_i] (up to
// rounding in the last bits; with text, Score(n, c, t) for any t),
// whatever else they hold: a related skill may serve a wanted one, at
// most at the best related credit, and every part besides the skills
// counts as met in full.
type Bounds struct {
	Skills []string                // the wanted skills' ids, required first, as the need is prepared
	Gain   [][MaxLevel + 1]float64 // Gain[i][h]: the most skill i adds to the score held itself at level h
	Rest   float64                 // the most every other part adds, but distance
	// Distance is the distance part's share: it adds Distance·v for the
	// part's value v (1 for remote work a remote worker accepts, else
	// DistanceHalfKm/(DistanceHalfKm + km)); at most Distance.
	Distance float64
	// Text is the most the text part adds, when it counts: Score(n, c, t)
	// ≤ Score(n, c, 0) + Text for any t.
	Text float64
}

// MaxLevel is the highest skill level; levels are clamped to 1..MaxLevel.
const MaxLevel = 4

// Bounds returns the need's bounds for scoring without text (NoText) or,
// withText, with any text relevance: the text part then counts as met.
func (s *Scorer) Bounds(n *PreparedNeed, withText bool) Bounds {
	text := NoText
	if withText {
		text = 0 // a text part that applies: its weight counts
	}
	var none PreparedCandidate // the part weights depend on the need alone
	parts, _ := s.parts(n, &none, text, nil)
	sum := 0.0
	for i := range parts {
		sum += parts[i].weight
	}
	b := Bounds{Skills: make([]string, len(n.wanted)), Gain: make([][MaxLevel + 1]float64, len(n.wanted))}
	if !(sum > 0) {
		return b // every score is 0
	}
	for i := range parts {
		if i != pRequired && i != pPreferred && i != pLevel && i != pCertified && i != pDistance {
			b.Rest += parts[i].weight / sum
		}
	}
	b.Distance = parts[pDistance].weight / sum
	b.Text = parts[pText].weight / sum
	skillsW := s.w.Skills + s.w.LevelFit + s.w.Certified
	related := skillsW * max(s.w.BroaderCredit, s.w.SameGroupCredit)
	for i := range n.wanted {
		w := &n.wanted[i]
		b.Skills[i] = w.id
		scale := w.weight / n.mAll / sum
		b.Gain[i][0] = related * scale
		for h := 1; h <= MaxLevel; h++ {
			exact := s.w.Skills*s.belowPow[max(w.level-h, 0)] + s.w.LevelFit*float64(min(h, w.level))/float64(w.level) + s.w.Certified
			b.Gain[i][h] = max(exact, related) * scale
		}
	}
	return b
}

// RelatedHeld reports whether c holds a skill other than skillID itself
// that earns credit for it (a broader or narrower concept, or one of its
// group). Without one, a candidate who does not hold skillID itself gets
// nothing for it: Gain[i][0] does not apply.
func (s *Scorer) RelatedHeld(c *PreparedCandidate, skillID string) bool {
	w := s.info(skillID)
	return s.relatedHeld(c, &w)
}

func (s *Scorer) relatedHeld(c *PreparedCandidate, w *skillInfo) bool {
	for j := range c.hot {
		hot := &c.hot[j]
		if hot.h != w.h && hot.self&w.ancMask == 0 && w.self&hot.ancMask == 0 && (w.group.h == 0 || hot.group != w.group.h) {
			continue // unrelated, told by the hashes alone
		}
		if hot.h == w.h && c.held[j].id == w.id {
			continue // the skill itself
		}
		if rel, _ := s.relate(w, hot, &c.held[j].skillInfo); rel != relNone {
			return true
		}
	}
	return false
}

// WantedID is the id of n's wanted skill i (Bounds.Skills[i]).
func (n *PreparedNeed) WantedID(i int) string { return n.wanted[i].id }

// WantedRelatedHeld is RelatedHeld(c, n.WantedID(i)), without looking
// the skill up again.
func (s *Scorer) WantedRelatedHeld(n *PreparedNeed, i int, c *PreparedCandidate) bool {
	return s.relatedHeld(c, &n.wanted[i].skillInfo)
}

// WantedLevelHeld is the level at which c holds n's wanted skill i
// itself, or 0.
func WantedLevelHeld(n *PreparedNeed, i int, c *PreparedCandidate) int {
	return c.levelOf(n.wanted[i].key)
}

// Relations tells which of a need's wanted skills a held skill earns
// related credit for, as Score relates them: with RelatedHeld's answer
// for each held skill, a ranking bounds a candidate's score by Bounds
// without preparing them.
type Relations struct {
	s      *Scorer
	wanted []skillInfo // as Bounds.Skills
}

// Relations returns n's relations; n has at most 64 wanted skills.
func (s *Scorer) Relations(n *PreparedNeed) (*Relations, bool) {
	if len(n.wanted) > 64 {
		return nil, false
	}
	r := &Relations{s: s, wanted: make([]skillInfo, len(n.wanted))}
	for i := range n.wanted {
		r.wanted[i] = n.wanted[i].skillInfo
	}
	return r, true
}

// Of returns the wanted skills (bit i: Bounds.Skills[i]) other than
// heldID itself for which holding heldID earns related credit. A
// candidate who does not hold wanted skill i itself gets nothing for it
// unless one of their skills has bit i: Gain[i][0] does not apply.
func (r *Relations) Of(heldID string) uint64 {
	h := r.s.info(heldID)
	hot := heldHot{h: h.h, group: h.group.h, self: h.self, ancMask: h.ancMask}
	var mask uint64
	for i := range r.wanted {
		w := &r.wanted[i]
		if w.id == heldID {
			continue
		}
		if hot.h != w.h && hot.self&w.ancMask == 0 && w.self&hot.ancMask == 0 && (w.group.h == 0 || hot.group != w.group.h) {
			continue // unrelated, told by the hashes alone
		}
		if rel, _ := r.s.relate(w, &hot, &h); rel != relNone {
			mask |= 1 << i
		}
	}
	return mask
}
