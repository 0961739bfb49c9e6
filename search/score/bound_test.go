package score_test

import (
	"math"
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

// TestBoundsAreUpperBounds is a property test: over random needs,
// candidates, texts and weights, Bounds by the levels at which the
// candidate holds the wanted skills themselves (and, for one not held,
// only if RelatedHeld, which Relations.Of over the held skills answers
// alike) is at least the score
// without text and, with text, at least the score for any text; the score
// with text is at most the one without plus Bounds.Text. A ranking that
// skips candidates by these bounds loses none that could reach its top.
func TestBoundsAreUpperBounds(t *testing.T) {
	g := newGenerator(7)
	texts := []float64{0, 0.3, 4, 50, math.Inf(1)}
	tight := 0
	for i := range 5000 {
		w := score.DefaultWeights()
		if i%2 == 1 {
			w = g.weights()
		}
		s, err := score.New(g.tax, oddRarity, w, "en")
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		nf, cf := g.need("n", 1+g.r.IntN(12)), g.candidate("c", g.r.IntN(20))
		if i%3 == 0 { // hold some wanted skills themselves, at any level
			for _, k := range nf.Skills[:1+g.r.IntN(len(nf.Skills))] {
				cf.Skills = append(cf.Skills, score.HeldSkill{ID: k.ID, Level: 1 + g.r.IntN(4), Certified: g.r.IntN(2) == 0})
			}
		}
		n, c := prepNeed(t, s, nf), prepCand(t, s, cf)
		levels := map[string]int{}
		for _, h := range cf.Skills {
			levels[h.ID] = max(levels[h.ID], min(max(h.Level, 1), score.MaxLevel))
		}
		sameRelations(t, i, s, n, c, nf, cf)
		for _, withText := range []bool{false, true} {
			b := s.Bounds(n, withText)
			bound := b.Rest + b.Distance
			for k, id := range b.Skills {
				if levels[id] > 0 || s.RelatedHeld(c, id) {
					bound += b.Gain[k][levels[id]]
				}
			}
			text := score.NoText
			if withText {
				text = texts[g.r.IntN(len(texts))]
			}
			got := s.Score(n, c, text)
			if got > bound+1e-12 {
				t.Fatalf("case %d (text %v): Score = %v above the bound %v", i, text, got, bound)
			}
			if withText && got > s.Score(n, c, 0)+b.Text+1e-12 {
				t.Fatalf("case %d: Score(text %v) = %v above Score(0) + Text = %v", i, text, got, s.Score(n, c, 0)+b.Text)
			}
			if bound-got < 0.1 {
				tight++
			}
		}
	}
	if tight < 100 {
		t.Errorf("only %d bounds within 0.1 of the score: the cases do not test the bound where it is tight", tight)
	}
}

// sameRelations checks that Relations.Of, ORed over the candidate's
// skills, has bit k exactly when RelatedHeld says so for wanted skill k:
// a ranking that bounds candidates by it before preparing them bounds
// them as the test above does.
func sameRelations(t *testing.T, i int, s *score.Scorer, n *score.PreparedNeed, c *score.PreparedCandidate, nf score.NeedFacts, cf score.CandidateFacts) {
	t.Helper()
	rel, ok := s.Relations(n)
	if !ok {
		t.Fatalf("case %d: no relations for %d skills", i, len(nf.Skills))
	}
	var mask uint64
	for _, h := range cf.Skills {
		if h.ID != "" {
			mask |= rel.Of(h.ID)
		}
	}
	for k, id := range s.Bounds(n, false).Skills {
		if got, want := mask&(1<<k) != 0, s.RelatedHeld(c, id); got != want {
			t.Fatalf("case %d: Relations.Of over the held skills says %v for %s, RelatedHeld %v", i, got, id, want)
		}
	}
}
