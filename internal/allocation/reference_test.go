package allocation

// The implementation of Run before issue 14 (ranks computed by sorting each
// need's applicants, suitors proposing in queue order), kept unchanged but
// for its names as the reference that TestRunMatchesReference holds the
// current one to: both must give the same Result, Stats.Duration aside.
// It shares idIndex, sortByID, descending and the error helpers with the
// package.

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
)

// referenceRun is Run as it was before the keys replaced the ranks (see the
// file comment). It returns the compiled round for referenceBlockingPairs.
func referenceRun(in Input) (*Result, *refInstance, error) {
	start := time.Now()
	inst, err := refCompile(in)
	if err != nil {
		return nil, nil, err
	}
	held, proposals, rounds := inst.deferredAcceptance()
	res := inst.result(held)
	res.Stats = Stats{Proposals: proposals, Rounds: rounds, Duration: time.Since(start)}
	return res, inst, nil
}

// refHeldSet is what the needs hold once nobody is left to propose: need n's
// candidates are heap[n.off : n.off+n.count], at most n.size of them.
type refHeldSet struct {
	needs []refHeldBy
	heap  []refHolding
}

type refHeldBy struct{ off, size, count int32 }

func (h refHeldSet) of(n int32) []refHolding {
	b := h.needs[n]
	return h.heap[b.off : b.off+b.count]
}

// refHolding is a candidate a need holds: key is rank<<32 | candidate, so that
// comparing keys compares ranks (a need ranks each candidate differently, so
// two keys never share a rank). next and end say where the candidate is in
// their own list, should the need let them go: carrying that here and in the
// queue saves a cursor per candidate, and the cache miss of reading it.
type refHolding struct {
	key       uint64
	next, end int32
}

// refSuitor is a candidate about to propose, at refEntry next of their list.
type refSuitor struct{ c, next, end int32 }

// deferredAcceptance runs the proposals. Each need keeps the candidates it
// holds in a max-heap on rank, so the one to let go is at the top.
func (in *refInstance) deferredAcceptance() (held refHeldSet, proposals, rounds int) {
	nc, nn := len(in.candIDs), len(in.needIDs)

	// A need never holds more candidates than its places or than the
	// candidates who could propose to it, whichever is fewer: that bounds the
	// heap space by the preference entries even when positions are huge.
	held.needs = make([]refHeldBy, nn)
	cur := make([]refSuitor, 0, nc)
	for c := range int32(nc) {
		if in.pinnedTo[c] >= 0 {
			continue
		}
		list := in.prefs[in.prefOff[c]:in.prefOff[c+1]]
		for _, e := range list {
			if e.rank >= 0 {
				held.needs[e.need].size++
			}
		}
		if len(list) > 0 {
			cur = append(cur, refSuitor{c, in.prefOff[c], in.prefOff[c+1]})
		}
	}
	off := int32(0)
	for n := range held.needs {
		b := &held.needs[n]
		b.size = min(b.size, in.capacity[n])
		b.off = off
		off += b.size
	}
	held.heap = make([]refHolding, off)
	nxt := make([]refSuitor, 0, len(cur))

	for len(cur) > 0 {
		proposed := false
		for _, s := range cur {
			// Skip the needs that would turn s down anyway: those that do
			// not accept them, and those without a place open to the round.
			f := s.next
			for f < s.end && (in.prefs[f].rank < 0 || held.needs[in.prefs[f].need].size == 0) {
				f++
			}
			if f == s.end {
				continue // nobody left to ask: stays unassigned
			}
			proposals++
			proposed = true

			e := in.prefs[f]
			b := &held.needs[e.need]
			h := refHolding{key: uint64(e.rank)<<32 | uint64(s.c), next: f + 1, end: s.end}
			slots := held.heap[b.off : b.off+b.size]
			switch {
			case b.count < b.size:
				slots[b.count] = h
				refSiftUp(slots, int(b.count))
				b.count++
			case h.key > slots[0].key:
				nxt = append(nxt, refSuitor{s.c, h.next, h.end}) // the need prefers everyone it holds
			default:
				out := slots[0]
				slots[0] = h
				refSiftDown(slots)
				nxt = append(nxt, refSuitor{int32(uint32(out.key)), out.next, out.end})
			}
		}
		if proposed {
			rounds++
		}
		cur, nxt = nxt, cur[:0]
	}
	return held, proposals, rounds
}

func refSiftUp(h []refHolding, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].key >= h[i].key {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func refSiftDown(h []refHolding) {
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r].key > h[l].key {
			m = r
		}
		if h[i].key >= h[m].key {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// result turns what the needs hold into a Result, in an order that does not
// depend on the order of the input.
func (in *refInstance) result(held refHeldSet) *Result {
	nc, nn := len(in.candIDs), len(in.needIDs)
	placed := make([]bool, nc)

	pinOff := make([]int32, nn+1)
	for _, n := range in.pinnedTo {
		if n >= 0 {
			pinOff[n+1]++
		}
	}
	for n := range nn {
		pinOff[n+1] += pinOff[n]
	}
	// One backing array for every id in every assignment: 2 allocations
	// instead of 2 per need.
	ids := make([]string, len(held.heap)+int(pinOff[nn]))
	pinned := ids[len(ids)-int(pinOff[nn]):]
	fill := slices.Clone(pinOff[:nn])
	for c, n := range in.pinnedTo {
		if n >= 0 {
			pinned[fill[n]] = in.candIDs[c]
			fill[n]++
			placed[c] = true
		}
	}

	order := make([]int32, nn)
	for n := range order {
		order[n] = int32(n)
	}
	sortByID(order, func(n int32) string { return in.needIDs[n] }, 1)

	res := &Result{Assignments: make([]Assignment, nn)}
	matched := ids[:0]
	for i, n := range order {
		h := held.of(n)
		slices.SortFunc(h, func(a, b refHolding) int { return cmp.Compare(a.key, b.key) }) // best rank first
		from := len(matched)
		for _, x := range h {
			c := int32(uint32(x.key))
			matched = append(matched, in.candIDs[c])
			placed[c] = true
		}
		p := pinned[pinOff[n]:pinOff[n+1]] // by id: filled in candidate order
		res.Assignments[i] = Assignment{
			Need:       in.needIDs[n],
			Candidates: matched[from:len(matched):len(matched)],
			Pinned:     p[:len(p):len(p)],
		}
	}

	left := 0
	for _, p := range placed {
		if !p {
			left++
		}
	}
	res.Unassigned = make([]Unassigned, 0, left) // by id: candidate order
	for c := range int32(nc) {
		if !placed[c] {
			res.Unassigned = append(res.Unassigned, Unassigned{Candidate: in.candIDs[c], Reason: in.reason(c)})
		}
	}
	return res
}

// reason explains why candidate c, not placed by a stable run, got nothing.
func (in *refInstance) reason(c int32) Reason {
	start, end := in.prefOff[c], in.prefOff[c+1]
	if start == end {
		return ReasonNoPreferences
	}
	noPlaces, notAcceptable := false, false
	for _, e := range in.prefs[start:end] {
		switch {
		case e.rank == refRankForbidden:
		case e.rank == refRankUnacceptable:
			notAcceptable = true
		case in.capacity[e.need] > 0:
			return ReasonAllChoicesFull
		default:
			noPlaces = true
		}
	}
	switch {
	case noPlaces:
		return ReasonNoPlaces
	case notAcceptable:
		return ReasonNotAcceptable
	default:
		return ReasonForbidden
	}
}

// referenceBlockingPairs counts the blocking pairs of r's assignments, in the sense
// of the package documentation: acceptable pairs (c, n) with c not pinned,
// where c lists n above the need r gives them (or r gives them none) and n has
// a free place or ranks c above the worst candidate r placed there. Pinned
// candidates never count and pinned places are neither free nor compared.
// It reads r.Assignments, so it also checks a Result changed after referenceRun; a
// Result not made by referenceRun is an empty round, with no blocking pairs.
func referenceBlockingPairs(r *Result, in *refInstance) int {
	nc, nn := len(in.candIDs), len(in.needIDs)
	assigned := make([]int32, nc)
	for c := range assigned {
		assigned[c] = -1
	}
	count := make([]int32, nn)
	worst := make([]int32, nn)
	for n := range worst {
		worst[n] = -1
	}
	cands := in.candIndex()
	for _, a := range r.Assignments {
		n, ok := in.needs.lookup(a.Need)
		if !ok {
			continue
		}
		for _, id := range a.Candidates {
			c, ok := cands.lookup(id)
			if !ok {
				continue
			}
			count[n]++
			if assigned[c] < 0 {
				assigned[c] = n
			}
			worst[n] = max(worst[n], in.rankOf(c, n))
		}
	}

	blocking := 0
	for c := range nc {
		if in.pinnedTo[c] >= 0 {
			continue
		}
		for _, e := range in.prefs[in.prefOff[c]:in.prefOff[c+1]] {
			if e.need == assigned[c] {
				break // the rest are needs c likes less than what they got
			}
			if e.rank >= 0 && (count[e.need] < in.capacity[e.need] || e.rank < worst[e.need]) {
				blocking++
			}
		}
	}
	return blocking
}

// rankOf is n's rank of c, or MaxInt32 when c did not list n or n does not
// accept c: such a placement is worse for n than any acceptable candidate.
func (in *refInstance) rankOf(c, n int32) int32 {
	for _, e := range in.prefs[in.prefOff[c]:in.prefOff[c+1]] {
		if e.need == n {
			if e.rank >= 0 {
				return e.rank
			}
			break
		}
	}
	return math.MaxInt32
}

// Ranks below zero mark pairs the algorithm skips. They are kept apart so
// that an unassigned candidate can be told why.
const (
	refRankUnacceptable int32 = -1 // the need does not rank the candidate
	refRankForbidden    int32 = -2 // an officer forbade the pair
)

// refInstance is a round with dense indices. Candidates are numbered in the
// byte order of their ids, so that candidate order is the tie-break order
// and the unassigned come out sorted; needs are numbered in input order.
// Candidate c's preferences are prefs[prefOff[c]:prefOff[c+1]], each the need
// and the need's rank of c. Ranks exist only for listed pairs, so memory
// grows with the preference entries, not with candidates × needs.
type refInstance struct {
	candIDs  []string
	needIDs  []string
	needs    *idIndex
	prefOff  []int32
	prefs    []refEntry
	capacity []int32 // places open to the algorithm: positions minus pins
	pinnedTo []int32 // the need each candidate is pinned to, or -1

	candsOnce sync.Once
	cands     *idIndex // see candIndex
}

// candIndex finds candidates by id. It is built on first use: a round
// without pins, bans or explicit rankings never needs it.
func (in *refInstance) candIndex() *idIndex {
	in.candsOnce.Do(func() {
		in.cands = newIDIndex(in.candIDs)
		for c := range in.candIDs {
			in.cands.add(int32(c)) // ids are known to be unique
		}
	})
	return in.cands
}

// refEntry is one line of a candidate's list. Need and rank sit together
// because the proposals read them together, in an order no cache predicts.
type refEntry struct {
	need int32
	rank int32 // 0 is the need's favourite; below 0, see refRankUnacceptable
}

// refCompile checks the input and numbers it. The work per preference refEntry
// (finding the need, scoring, ranking) is spread over the processors; every
// part writes only its own slots, so the result does not depend on how many
// there are.
func refCompile(in Input) (*refInstance, error) {
	nc, nn := len(in.Candidates), len(in.Needs)
	total := 0
	for _, c := range in.Candidates {
		total += len(c.Preferences)
	}
	if nc >= math.MaxInt32 || nn >= math.MaxInt32 || total >= math.MaxInt32 {
		return nil, failure.New(failure.Invalid, "too_large",
			"%d candidates, %d needs, %d preferences: too many for one round", nc, nn, total)
	}
	parts := workers(total)
	var p problems
	inst := &refInstance{
		candIDs:  make([]string, nc),
		needIDs:  make([]string, nn),
		prefOff:  make([]int32, nc+1),
		capacity: make([]int32, nn),
		pinnedTo: make([]int32, nc),
	}

	inputPos := make([]int32, nc) // candidate c is in.Candidates[inputPos[c]]
	for i := range inputPos {
		inputPos[i] = int32(i)
	}
	sortByID(inputPos, func(i int32) string { return in.Candidates[i].ID }, parts)
	for c, i := range inputPos {
		id := in.Candidates[i].ID
		inst.candIDs[c] = id
		switch {
		case id == "":
			p.add("required", "", "candidates[%d].id", i)
		case c > 0 && id == inst.candIDs[c-1]: // equal ids sort by position
			p.add("duplicate", "", "candidates[%d].id", i)
		}
		inst.prefOff[c+1] = inst.prefOff[c] + int32(len(in.Candidates[i].Preferences))
	}
	for i, n := range in.Needs {
		inst.needIDs[i] = n.ID
	}
	inst.needs = newIDIndex(inst.needIDs)
	for i, n := range in.Needs {
		switch {
		case n.ID == "":
			p.add("required", "", "needs[%d].id", i)
		case !inst.needs.add(int32(i)):
			p.add("duplicate", "", "needs[%d].id", i)
		}
		if n.Positions < 0 {
			p.add("min", "0", "needs[%d].positions", i)
		}
		if n.Ranking != nil && n.Score != nil {
			p.add("exclusive", "score", "needs[%d].ranking", i)
		}
	}
	if len(p) > 0 {
		return nil, p.err() // the checks below need sound ids
	}

	// Find each listed need, and count each need's applicants per part.
	inst.prefs = make([]refEntry, total)
	counts := make([][]int32, parts)
	partProblems := make([]problems, parts)
	parallel(parts, inst.prefOff, func(w, from, to int) {
		count := make([]int32, nn)
		listedBy := make([]int32, nn) // listedBy[n] == c+1 once candidate c listed n
		for c := from; c < to; c++ {
			f := inst.prefOff[c]
			for k, id := range in.Candidates[inputPos[c]].Preferences {
				n, ok := inst.needs.lookup(id)
				switch {
				case !ok:
					partProblems[w].add("unknown_need", "", "candidates[%d].preferences[%d]", inputPos[c], k)
				case listedBy[n] == int32(c)+1:
					partProblems[w].add("duplicate", "", "candidates[%d].preferences[%d]", inputPos[c], k)
				default:
					listedBy[n] = int32(c) + 1
					count[n]++
				}
				inst.prefs[f] = refEntry{need: n}
				f++
			}
		}
		counts[w] = count
	})
	for _, pp := range partProblems {
		p = append(p, pp...)
	}

	pins := make([]int32, nn)
	for c := range inst.pinnedTo {
		inst.pinnedTo[c] = -1
	}
	for i, pr := range in.Pins {
		c, okC := inst.candIndex().lookup(pr.Candidate)
		n, okN := inst.needs.lookup(pr.Need)
		switch {
		case !okC:
			p.add("unknown_candidate", "", "pins[%d].candidate", i)
		case !okN:
			p.add("unknown_need", "", "pins[%d].need", i)
		case inst.pinnedTo[c] >= 0:
			p.add("duplicate", "", "pins[%d].candidate", i)
		default:
			inst.pinnedTo[c] = n
			pins[n]++
		}
	}
	for n, need := range in.Needs {
		if int(pins[n]) > need.Positions {
			p.add("pins_exceed", strconv.Itoa(int(pins[n])), "needs[%d].positions", n)
		}
		inst.capacity[n] = int32(min(need.Positions, math.MaxInt32)) - pins[n]
	}
	forbidden := make([][2]int32, 0, len(in.Forbidden))
	for i, pr := range in.Forbidden {
		c, okC := inst.candIndex().lookup(pr.Candidate)
		n, okN := inst.needs.lookup(pr.Need)
		switch {
		case !okC:
			p.add("unknown_candidate", "", "forbidden[%d].candidate", i)
		case !okN:
			p.add("unknown_need", "", "forbidden[%d].need", i)
		case inst.pinnedTo[c] == n:
			p.add("pinned", "", "forbidden[%d]", i)
		default:
			forbidden = append(forbidden, [2]int32{c, n})
		}
	}
	if len(p) > 0 {
		return nil, p.err()
	}

	if err := inst.rankApplicants(in, counts, parts); err != nil {
		return nil, err
	}
	for _, cn := range forbidden {
		c, n := cn[0], cn[1]
		for f := inst.prefOff[c]; f < inst.prefOff[c+1]; f++ {
			if inst.prefs[f].need == n {
				inst.prefs[f].rank = refRankForbidden
				break
			}
		}
	}
	return inst, nil
}

// rankApplicants sets every rank: each need ranks the candidates who listed
// it (its applicants) and nobody else. counts[w][n] is how many applicants
// part w of the candidates gives need n.
//
// At national scale the time goes into memory, not arithmetic, so
// applicants are grouped by need as one uint64 each, sorted in place. For a
// need ranked by score that is top<<32 | f: top is the top half of the
// score's order-reversing bit pattern (see descending), f the applicant's
// refEntry in prefs, whose rank field keeps the bottom half until the rank
// replaces it. For a need with an explicit ranking it is c<<32 | f.
func (in *refInstance) rankApplicants(round Input, counts [][]int32, parts int) error {
	nc, nn := len(in.candIDs), len(in.needIDs)
	scorers := make([]func(string) (float64, bool), nn) // 8 bytes a need: fewer cache misses than round.Needs
	for n, need := range round.Needs {
		scorers[n] = need.Score
	}

	// Need n's applicants are apps[appOff[n]:appOff[n+1]], in candidate
	// order; part w of the candidates writes its own stretch of each group,
	// from next[w][n] on.
	appOff := make([]int32, nn+1)
	next := make([][]int32, parts)
	for w := range next {
		next[w] = make([]int32, nn)
	}
	for n := range nn {
		at := appOff[n]
		for w := range parts {
			next[w][n] = at
			at += counts[w][n]
		}
		appOff[n+1] = at
	}
	apps := make([]uint64, appOff[nn])

	// Score each applicant. Going candidate by candidate keeps the
	// candidate's id (and whatever Score looks up about them) in cache.
	partProblems := make([]problems, parts)
	parallel(parts, in.prefOff, func(w, from, to int) {
		at := next[w]
		for c := from; c < to; c++ {
			id := in.candIDs[c]
			for f := in.prefOff[c]; f < in.prefOff[c+1]; f++ {
				n := in.prefs[f].need
				a := uint64(c)<<32 | uint64(f)
				if score := scorers[n]; score != nil {
					key := turnedDown
					s, ok := score(id)
					switch {
					case !ok:
					case math.IsNaN(s):
						partProblems[w].add("nan_score", id, "needs[%d].score", n)
					default:
						key = descending(s)
					}
					in.prefs[f].rank = int32(key) // the bottom half, until ranked
					a = key&^(1<<32-1) | uint64(f)
				}
				apps[at[n]] = a
				at[n]++
			}
		}
	})

	// Rank each need's applicants, needs spread over the parts by their
	// number of applicants.
	needProblems := make([]problems, parts)
	parallel(parts, appOff, func(w, from, to int) {
		var pos []int32   // pos[c]: c's place in the explicit ranking being read, or -1
		var named []int32 // the candidates that ranking named, to reset pos
		var run []uint64  // scratch for rankByScore
		for n := from; n < to; n++ {
			group := apps[appOff[n]:appOff[n+1]]
			if scorers[n] != nil {
				run = in.rankByScore(group, run)
				continue
			}
			if pos == nil {
				pos = make([]int32, nc)
				for c := range pos {
					pos[c] = -1
				}
			}
			named = named[:0]
			for k, id := range round.Needs[n].Ranking {
				c, ok := in.candIndex().lookup(id) // built once, on first need
				switch {
				case !ok: // not in the round (any more): nothing to rank
				case pos[c] >= 0:
					needProblems[w].add("duplicate", "", "needs[%d].ranking[%d]", n, k)
				default:
					pos[c] = int32(k)
					named = append(named, c)
				}
			}
			for _, a := range group {
				in.prefs[uint32(a)].rank = pos[a>>32] // -1 is refRankUnacceptable
			}
			for _, c := range named {
				pos[c] = -1
			}
		}
	})

	var p problems
	for _, pp := range partProblems {
		p = append(p, pp...)
	}
	for _, pp := range needProblems {
		p = append(p, pp...)
	}
	return p.err()
}

// rankByScore ranks a need's applicants (keys as built by rankApplicants)
// by score, best first, equal scores by candidate id; those the need turned
// down are unacceptable. The group is in candidate order, which is id order,
// and so is f, so sorting the keys as integers breaks ties as it should;
// only runs of equal top halves with unequal bottom halves (scores within
// about a millionth of each other) need another look. run is scratch space,
// returned for the next need.
func (in *refInstance) rankByScore(group []uint64, run []uint64) []uint64 {
	slices.Sort(group)
	rank := int32(0)
	for i := 0; i < len(group); {
		top := group[i] >> 32
		if top == turnedDown>>32 {
			for _, a := range group[i:] {
				in.prefs[uint32(a)].rank = refRankUnacceptable
			}
			break
		}
		j := i + 1
		for j < len(group) && group[j]>>32 == top {
			j++
		}
		if j-i > 1 && !in.equalBottoms(group[i:j]) {
			// Bottom half above f, sorted, then back to top above f.
			run = run[:0]
			for _, a := range group[i:j] {
				run = append(run, uint64(uint32(in.prefs[uint32(a)].rank))<<32|a&(1<<32-1))
			}
			slices.Sort(run)
			for x, a := range run {
				group[i+x] = top<<32 | a&(1<<32-1)
			}
		}
		for _, a := range group[i:j] {
			in.prefs[uint32(a)].rank = rank
			rank++
		}
		i = j
	}
	return run
}

// equalBottoms reports whether a run of keys with equal top halves has equal
// bottom halves too, that is, equal scores.
func (in *refInstance) equalBottoms(run []uint64) bool {
	bottom := in.prefs[uint32(run[0])].rank
	for _, a := range run[1:] {
		if in.prefs[uint32(a)].rank != bottom {
			return false
		}
	}
	return true
}

// ReferenceRun runs the reference on in for the package's external tests:
// its Result, and a function counting the blocking pairs of a Result (as
// BlockingPairs does) against the reference's compiled round.
func ReferenceRun(in Input) (*Result, func(*Result) int, error) {
	res, inst, err := referenceRun(in)
	if err != nil {
		return nil, nil, err
	}
	return res, func(r *Result) int { return referenceBlockingPairs(r, inst) }, nil
}

// turnedDown is the key of an applicant the need does not accept: above
// every score's key, so they sort last.
const turnedDown uint64 = math.MaxUint64
