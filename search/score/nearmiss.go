package score

import (
	"cmp"
	"slices"
	"strings"
)

// Gap is what stands between a candidate and a need, for the job-seeker's
// view when few needs fit.
type Gap struct {
	NeedID string
	// Eligible is true when the need passes every hard filter.
	Eligible bool
	// Good is true for a good match: eligible, and every required skill
	// held itself (not a related one) at the wanted level or above.
	Good bool
	// RequiredMissing counts the required skills not held at level.
	RequiredMissing int
	// Missing lists every wanted skill not held at level, required first.
	Missing []MissingSkill
}

// Near reports a near miss: a need that only skills keep from being a
// good match.
func (g Gap) Near() bool { return g.Eligible && !g.Good }

// NearMiss returns the gap between the candidate and the need. It is for
// an eligible need that is not a good match (Gap.Near), or one that scores
// low for want of preferred skills; for an ineligible need, Missing still
// lists the skills but learning them would not open it.
func NearMiss(n *PreparedNeed, c *PreparedCandidate) Gap {
	f, _ := check(n, c)
	g := Gap{NeedID: n.id, Eligible: f == 0}
	for i := range n.wanted {
		w := &n.wanted[i]
		has := c.levelOf(w.key)
		if has >= w.level {
			continue
		}
		if w.required {
			g.RequiredMissing++
		}
		g.Missing = append(g.Missing, MissingSkill{ID: w.id, Label: w.label, Required: w.required, LevelWanted: w.level, LevelHas: has})
	}
	g.Good = g.Eligible && g.RequiredMissing == 0
	return g
}

// AllRequiredAtLevel reports whether c holds every skill n requires
// itself at the wanted level or above: with the hard filters passed, a
// good match (Gap.Good), without NearMiss's list of missing skills.
func AllRequiredAtLevel(n *PreparedNeed, c *PreparedCandidate) bool {
	for i := range n.wanted {
		w := &n.wanted[i]
		if !w.required {
			return true // required skills come first
		}
		if c.levelOf(w.key) < w.level {
			return false
		}
	}
	return true
}

// levelOf returns the level at which the candidate holds the skill itself,
// or 0.
func (c *PreparedCandidate) levelOf(k key) int {
	for i := range c.hot {
		if c.hot[i].h == k.h && c.held[i].id == k.id {
			return c.held[i].level
		}
	}
	return 0
}

// Kinds of next skill.
const (
	NextLearn = "learn" // a skill not held
	NextRaise = "raise" // a skill held below the level needs ask for
)

// NextSkill is a skill worth learning, or a held one worth raising.
type NextSkill struct {
	ID    string
	Label string
	// Kind is NextLearn or NextRaise.
	Kind string
	// Level is the level to reach. To learn: the highest level the needs
	// it opens want, so that it opens all Opens needs. To raise: the level
	// most of the needs asking for it above LevelHas want.
	Level int
	// LevelHas is the level held now: 0 to learn, 1..3 to raise.
	LevelHas int
	// Opens is how many eligible needs the step serves. To learn: needs
	// that would become good matches (it is their only missing required
	// skill). To raise: needs requiring the skill above LevelHas and at
	// Level or below, whose requirement for it the raise meets.
	Opens int
}

// NextSkills returns up to limit steps that serve the most of the given
// eligible needs that are not good matches yet, most first, then to learn
// before to raise, ties by id.
//
// To learn: a need counts for a skill not held when that skill is its only
// required skill missing: learning one skill opens it, learning one of two
// does not. To raise: a need counts for a held skill when it requires that
// skill above the level held; the target is the level most of them ask for
// (the higher on a tie), so a person holding every skill a level too low,
// whom no single new skill helps, learns which one to raise and to what.
// Steps that serve no need are left out, so the list may be empty. Each
// need should be given once.
func NextSkills(c *PreparedCandidate, needs []*PreparedNeed, limit int) []NextSkill {
	return nextSkills(c, needs, limit, true)
}

// NextSkillsOfEligible is NextSkills for needs that all pass the hard
// filters, which it does not test again.
func NextSkillsOfEligible(c *PreparedCandidate, needs []*PreparedNeed, limit int) []NextSkill {
	return nextSkills(c, needs, limit, false)
}

func nextSkills(c *PreparedCandidate, needs []*PreparedNeed, limit int, filter bool) []NextSkill {
	if limit <= 0 {
		return nil
	}
	learn := map[string]int{} // skill id → index in out
	raise := map[string]*raiseCount{}
	var out []NextSkill
	for _, n := range needs {
		if filter && !passes(n, c) {
			continue // learning opens no need the hard filters exclude
		}
		if w := onlyMissingRequired(n, c); w != nil && c.levelOf(w.key) == 0 {
			i, seen := learn[w.id]
			if !seen {
				i = len(out)
				learn[w.id] = i
				out = append(out, NextSkill{ID: w.id, Label: w.label, Kind: NextLearn})
			}
			out[i].Opens++
			out[i].Level = max(out[i].Level, w.level)
		}
		countRaises(raise, n, c)
	}
	for _, r := range raise {
		out = append(out, r.step())
	}
	slices.SortFunc(out, func(a, b NextSkill) int {
		if c := cmp.Compare(b.Opens, a.Opens); c != 0 {
			return c
		}
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c // NextLearn before NextRaise
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out[:min(limit, len(out))]
}

func passes(n *PreparedNeed, c *PreparedCandidate) bool {
	f, _ := check(n, c)
	return f == 0
}

// raiseCount counts, for one held skill, the needs requiring it above the
// level held, by the level they want.
type raiseCount struct {
	id, label string
	has       int
	byLevel   [5]int // needs by wanted level 1..4
}

// countRaises adds the need to the counts of each held skill it requires
// above the level held.
func countRaises(raise map[string]*raiseCount, n *PreparedNeed, c *PreparedCandidate) {
	for i := range n.wanted {
		w := &n.wanted[i]
		if !w.required {
			break // required skills come first
		}
		has := c.levelOf(w.key)
		if has == 0 || has >= w.level {
			continue
		}
		r := raise[w.id]
		if r == nil {
			r = &raiseCount{id: w.id, label: w.label, has: has}
			raise[w.id] = r
		}
		r.byLevel[w.level]++
	}
}

// step is the raise to the level most needs ask for, the higher on a tie
// (it meets those needs too), and the needs whose level it meets.
func (r *raiseCount) step() NextSkill {
	s := NextSkill{ID: r.id, Label: r.label, Kind: NextRaise, LevelHas: r.has}
	most := 0
	for l := r.has + 1; l < len(r.byLevel); l++ {
		if r.byLevel[l] > 0 && r.byLevel[l] >= most {
			most, s.Level = r.byLevel[l], l
		}
	}
	for l := r.has + 1; l <= s.Level; l++ {
		s.Opens += r.byLevel[l]
	}
	return s
}

// onlyMissingRequired returns the need's one required skill the candidate
// does not hold at level, or nil if there are none or several. Required
// skills come first in wanted, so the scan stops at the first preferred.
func onlyMissingRequired(n *PreparedNeed, c *PreparedCandidate) *wanted {
	var only *wanted
	for i := range n.wanted {
		w := &n.wanted[i]
		if !w.required {
			break
		}
		if c.levelOf(w.key) >= w.level {
			continue
		}
		if only != nil {
			return nil
		}
		only = w
	}
	return only
}
