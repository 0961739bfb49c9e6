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

// NextSkill is a skill worth learning.
type NextSkill struct {
	ID    string
	Label string
	// Level is the level that opens all Opens needs: the highest level
	// those needs want.
	Level int
	// Opens is how many eligible needs would become good matches.
	Opens int
}

// NextSkills returns up to limit skills that, once held at the wanted
// level, would turn the most of the given needs into good matches, most
// first, ties by id. A need counts for a skill when it is eligible, not a
// good match yet, and that skill is the only required skill missing:
// learning one skill opens it, learning one of two does not. Skills that
// open no need are left out, so the list may be empty. Each need should be
// given once.
func NextSkills(c *PreparedCandidate, needs []*PreparedNeed, limit int) []NextSkill {
	if limit <= 0 {
		return nil
	}
	byID := map[string]int{} // skill id → index in out
	var out []NextSkill
	for _, n := range needs {
		w := onlyMissingRequired(n, c)
		if w == nil {
			continue
		}
		if f, _ := check(n, c); f != 0 {
			continue
		}
		i, seen := byID[w.id]
		if !seen {
			i = len(out)
			byID[w.id] = i
			out = append(out, NextSkill{ID: w.id, Label: w.label})
		}
		out[i].Opens++
		out[i].Level = max(out[i].Level, w.level)
	}
	slices.SortFunc(out, func(a, b NextSkill) int {
		if c := cmp.Compare(b.Opens, a.Opens); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out[:min(limit, len(out))]
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
