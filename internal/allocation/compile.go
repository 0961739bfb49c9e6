package allocation

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/careget/skillsmatch/internal/failure"
)

// Ranks below zero mark pairs the algorithm skips. They are kept apart so
// that an unassigned candidate can be told why.
const (
	rankUnacceptable int32 = -1 // the need does not rank the candidate
	rankForbidden    int32 = -2 // an officer forbade the pair
)

// maxProblems bounds the field errors of one Run: a broken national export
// should not produce a million of them.
const maxProblems = 50

// instance is a round with dense indices. Candidates are numbered in the
// byte order of their ids, so that candidate order is the tie-break order
// and the unassigned come out sorted; needs are numbered in input order.
// Candidate c's preferences are prefs[prefOff[c]:prefOff[c+1]], each the need
// and the need's rank of c. Ranks exist only for listed pairs, so memory
// grows with the preference entries, not with candidates × needs.
type instance struct {
	candIDs  []string
	needIDs  []string
	needs    *idIndex
	prefOff  []int32
	prefs    []entry
	capacity []int32 // places open to the algorithm: positions minus pins
	pinnedTo []int32 // the need each candidate is pinned to, or -1

	candsOnce sync.Once
	cands     *idIndex // see candIndex
}

// candIndex finds candidates by id. It is built on first use: a round
// without pins, bans or explicit rankings never needs it.
func (in *instance) candIndex() *idIndex {
	in.candsOnce.Do(func() {
		in.cands = newIDIndex(in.candIDs)
		for c := range in.candIDs {
			in.cands.add(int32(c)) // ids are known to be unique
		}
	})
	return in.cands
}

// entry is one line of a candidate's list. Need and rank sit together
// because the proposals read them together, in an order no cache predicts.
type entry struct {
	need int32
	rank int32 // 0 is the need's favourite; below 0, see rankUnacceptable
}

// problems collects field errors.
type problems []failure.FieldError

func (p *problems) add(code, param, format string, args ...any) {
	if len(*p) < maxProblems {
		*p = append(*p, failure.FieldError{Field: fmt.Sprintf(format, args...), Code: code, Param: param})
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return failure.Fields(p[:min(len(p), maxProblems)]...)
}

// parallel runs work(w, from, to) on `parts` consecutive parts of [0, n)
// at once, where n = len(cum)-1 and cum[i] is the total weight of the first
// i items: the parts are cut to weigh about the same. Results that depend
// only on the part, merged in part order, do not depend on the number of
// parts.
func parallel(parts int, cum []int32, work func(w, from, to int)) {
	n := len(cum) - 1
	if parts == 1 {
		work(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	from := 0
	for w := range parts {
		to := n
		if w < parts-1 {
			target := int32(int64(cum[n]) * int64(w+1) / int64(parts))
			to, _ = slices.BinarySearch(cum[from:], target)
			to = min(from+to, n)
		}
		start := from
		wg.Go(func() { work(w, start, to) })
		from = to
	}
	wg.Wait()
}

// workers is how many goroutines compile uses: one per processor, but none
// extra for small rounds, where starting them costs more than it saves.
func workers(entries int) int {
	return max(1, min(runtime.GOMAXPROCS(0), entries/8192))
}

// compile checks the input and numbers it. The work per preference entry
// (finding the need, scoring, ranking) is spread over the processors; every
// part writes only its own slots, so the result does not depend on how many
// there are.
func compile(in Input) (*instance, error) {
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
	inst := &instance{
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
	inst.prefs = make([]entry, total)
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
				inst.prefs[f] = entry{need: n}
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
				inst.prefs[f].rank = rankForbidden
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
// entry in prefs, whose rank field keeps the bottom half until the rank
// replaces it. For a need with an explicit ranking it is c<<32 | f.
func (in *instance) rankApplicants(round Input, counts [][]int32, parts int) error {
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
				in.prefs[uint32(a)].rank = pos[a>>32] // -1 is rankUnacceptable
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

// turnedDown is the key of an applicant the need does not accept: above
// every score's key, so they sort last.
const turnedDown uint64 = math.MaxUint64

// descending maps scores to integers in the opposite order: the bits of a
// float64 with the sign bit flipped for positive numbers and all bits flipped
// for negative ones compare like the numbers, and inverting that reverses
// the order. Equal scores, -0 and +0 included, get equal keys. No score
// maps to turnedDown or shares its top half (that would be a NaN).
func descending(s float64) uint64 {
	if s == 0 {
		s = 0 // -0 and +0 are equal scores
	}
	b := math.Float64bits(s)
	if b>>63 == 1 {
		return b // negative: ^(^b)
	}
	return ^(b | 1<<63)
}

// rankByScore ranks a need's applicants (keys as built by rankApplicants)
// by score, best first, equal scores by candidate id; those the need turned
// down are unacceptable. The group is in candidate order, which is id order,
// and so is f, so sorting the keys as integers breaks ties as it should;
// only runs of equal top halves with unequal bottom halves (scores within
// about a millionth of each other) need another look. run is scratch space,
// returned for the next need.
func (in *instance) rankByScore(group []uint64, run []uint64) []uint64 {
	slices.Sort(group)
	rank := int32(0)
	for i := 0; i < len(group); {
		top := group[i] >> 32
		if top == turnedDown>>32 {
			for _, a := range group[i:] {
				in.prefs[uint32(a)].rank = rankUnacceptable
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
func (in *instance) equalBottoms(run []uint64) bool {
	bottom := in.prefs[uint32(run[0])].rank
	for _, a := range run[1:] {
		if in.prefs[uint32(a)].rank != bottom {
			return false
		}
	}
	return true
}
