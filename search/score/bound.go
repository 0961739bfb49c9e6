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
	for j := range c.hot {
		if c.held[j].id == w.id {
			continue
		}
		if rel, _ := s.relate(&w, &c.hot[j], &c.held[j].skillInfo); rel != relNone {
			return true
		}
	}
	return false
}
