package allocation_test

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/careget/skillsmatch/internal/allocation"
)

// model is the tests' own reading of an Input, written from the documented
// rules and sharing nothing with the package: a need's ranking by score runs
// over every candidate of the round, not only its applicants, and everything
// is looked up in maps. The property tests hold Run's results against it.
type model struct {
	cands     []string // by id
	needs     []string // by id
	prefs     map[string][]string
	rank      map[string]map[string]int // need → candidate it accepts → rank, 0 best
	places    map[string]int            // positions minus pins
	pinnedTo  map[string]string
	pinsAt    map[string][]string // by id
	forbidden map[allocation.Pair]bool
}

func newModel(in allocation.Input) *model {
	m := &model{
		prefs:     map[string][]string{},
		rank:      map[string]map[string]int{},
		places:    map[string]int{},
		pinnedTo:  map[string]string{},
		pinsAt:    map[string][]string{},
		forbidden: map[allocation.Pair]bool{},
	}
	inRound := map[string]bool{}
	for _, c := range in.Candidates {
		m.cands = append(m.cands, c.ID)
		m.prefs[c.ID] = c.Preferences
		inRound[c.ID] = true
	}
	slices.Sort(m.cands)
	for _, p := range in.Pins {
		m.pinnedTo[p.Candidate] = p.Need
		m.pinsAt[p.Need] = append(m.pinsAt[p.Need], p.Candidate)
	}
	for _, p := range in.Forbidden {
		m.forbidden[p] = true
	}
	for _, n := range in.Needs {
		m.needs = append(m.needs, n.ID)
		slices.Sort(m.pinsAt[n.ID])
		m.places[n.ID] = n.Positions - len(m.pinsAt[n.ID])
		r := map[string]int{}
		if n.Score != nil {
			type scored struct {
				id string
				s  float64
			}
			var all []scored
			for _, c := range m.cands {
				if s, ok := n.Score(c); ok {
					all = append(all, scored{c, s})
				}
			}
			slices.SortFunc(all, func(a, b scored) int {
				return cmp.Or(cmp.Compare(b.s, a.s), strings.Compare(a.id, b.id))
			})
			for i, x := range all {
				r[x.id] = i
			}
		} else {
			for i, id := range n.Ranking {
				if inRound[id] {
					r[id] = i
				}
			}
		}
		m.rank[n.ID] = r
	}
	slices.Sort(m.needs)
	return m
}

// acceptable reports whether the algorithm may place c in n.
func (m *model) acceptable(c, n string) bool {
	_, ranked := m.rank[n][c]
	return ranked && !m.forbidden[allocation.Pair{Candidate: c, Need: n}] && slices.Contains(m.prefs[c], n)
}

// blocking counts the blocking pairs of the placements made by the
// algorithm (candidate → need; pinned candidates are not in it).
func (m *model) blocking(assign map[string]string) int {
	load := map[string]int{}
	worst := map[string]int{}
	for c, n := range assign {
		load[n]++
		r, ok := m.rank[n][c]
		if !ok || !m.acceptable(c, n) {
			r = 1 << 30
		}
		if w, seen := worst[n]; !seen || r > w {
			worst[n] = r
		}
	}
	count := 0
	for _, c := range m.cands {
		if _, pinned := m.pinnedTo[c]; pinned {
			continue
		}
		for _, n := range m.prefs[c] {
			if n == assign[c] {
				break
			}
			if !m.acceptable(c, n) {
				continue
			}
			w, seen := worst[n]
			if load[n] < m.places[n] || (seen && m.rank[n][c] < w) {
				count++
			}
		}
	}
	return count
}

// reason is the documented reason for an unassigned candidate.
func (m *model) reason(c string) allocation.Reason {
	if len(m.prefs[c]) == 0 {
		return allocation.ReasonNoPreferences
	}
	var noPlaces, notAcceptable bool
	for _, n := range m.prefs[c] {
		switch {
		case m.acceptable(c, n) && m.places[n] > 0:
			return allocation.ReasonAllChoicesFull
		case m.acceptable(c, n):
			noPlaces = true
		case !m.forbidden[allocation.Pair{Candidate: c, Need: n}]:
			notAcceptable = true
		}
	}
	switch {
	case noPlaces:
		return allocation.ReasonNoPlaces
	case notAcceptable:
		return allocation.ReasonNotAcceptable
	}
	return allocation.ReasonForbidden
}

// placements returns the algorithm's placements of res, candidate → need.
func placements(res *allocation.Result) map[string]string {
	assign := map[string]string{}
	for _, a := range res.Assignments {
		for _, c := range a.Candidates {
			assign[c] = a.Need
		}
	}
	return assign
}

// violations lists every way res breaks the documented contract for the
// round m was made from; nil means none.
func (m *model) violations(res *allocation.Result) []string {
	var bad []string
	report := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }

	seen := map[string]int{}
	var needIDs []string
	for _, a := range res.Assignments {
		needIDs = append(needIDs, a.Need)
		if len(a.Candidates) > m.places[a.Need] {
			report("need %s got %d candidates for %d places", a.Need, len(a.Candidates), m.places[a.Need])
		}
		for i, c := range a.Candidates {
			seen[c]++
			if _, pinned := m.pinnedTo[c]; pinned {
				report("pinned candidate %s placed by the algorithm in %s", c, a.Need)
			}
			if m.forbidden[allocation.Pair{Candidate: c, Need: a.Need}] {
				report("forbidden pair %s–%s assigned", c, a.Need)
			}
			if !m.acceptable(c, a.Need) {
				report("unacceptable pair %s–%s assigned", c, a.Need)
			}
			if i > 0 && m.rank[a.Need][a.Candidates[i-1]] >= m.rank[a.Need][c] {
				report("need %s lists %v out of its order", a.Need, a.Candidates)
			}
		}
		if !slices.Equal(a.Pinned, m.pinsAt[a.Need]) {
			report("need %s pinned %v, want %v", a.Need, a.Pinned, m.pinsAt[a.Need])
		}
		for _, c := range a.Pinned {
			seen[c]++
		}
	}
	if !slices.Equal(needIDs, m.needs) {
		report("assignments for needs %v, want %v", needIDs, m.needs)
	}
	var unassigned []string
	for _, u := range res.Unassigned {
		seen[u.Candidate]++
		unassigned = append(unassigned, u.Candidate)
		if want := m.reason(u.Candidate); u.Reason != want {
			report("candidate %s unassigned for %s, want %s", u.Candidate, u.Reason, want)
		}
	}
	if !slices.IsSorted(unassigned) {
		report("unassigned not by id: %v", unassigned)
	}
	for _, c := range m.cands {
		if seen[c] != 1 {
			report("candidate %s appears %d times in the result", c, seen[c])
		}
	}
	if len(seen) != len(m.cands) {
		report("the result names %d people for %d candidates", len(seen), len(m.cands))
	}
	if n := m.blocking(placements(res)); n != 0 {
		report("%d blocking pairs by the model", n)
	}
	if n := allocation.BlockingPairs(res); n != 0 {
		report("BlockingPairs = %d, want 0", n)
	}
	return bad
}

// stableMatchings enumerates every stable matching of the round by brute
// force: each free candidate takes one of their acceptable needs or none,
// within the places, and the stable ones are kept. Small rounds only.
func (m *model) stableMatchings() []map[string]string {
	var free []string
	for _, c := range m.cands {
		if _, pinned := m.pinnedTo[c]; !pinned {
			free = append(free, c)
		}
	}
	load := map[string]int{}
	assign := map[string]string{}
	var stable []map[string]string
	var walk func(i int)
	walk = func(i int) {
		if i == len(free) {
			if m.blocking(assign) == 0 {
				stable = append(stable, maps.Clone(assign))
			}
			return
		}
		c := free[i]
		walk(i + 1) // c gets nothing
		for _, n := range m.prefs[c] {
			if m.acceptable(c, n) && load[n] < m.places[n] {
				load[n]++
				assign[c] = n
				walk(i + 1)
				delete(assign, c)
				load[n]--
			}
		}
	}
	walk(0)
	return stable
}

// candidateOptimal gives every free candidate their best need over all the
// stable matchings (or none, if no stable matching places them).
func (m *model) candidateOptimal(stable []map[string]string) map[string]string {
	best := map[string]string{}
	for _, s := range stable {
		for c, n := range s {
			if b, ok := best[c]; !ok || slices.Index(m.prefs[c], n) < slices.Index(m.prefs[c], b) {
				best[c] = n
			}
		}
	}
	return best
}
