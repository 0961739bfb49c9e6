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

// Keys at and above keyForbidden mark pairs the algorithm skips. They are
// kept apart so that an unassigned candidate can be told why. Every other
// key is below them: explicit rankings give positions, scores give
// descending(score), whose top is -Inf's key, far below.
const (
	keyForbidden    uint64 = math.MaxUint64 - 1 // an officer forbade the pair
	keyUnacceptable uint64 = math.MaxUint64     // the need does not rank the candidate
)

// maxProblems bounds the field errors of one Run: a broken national export
// should not produce a million of them.
const maxProblems = 50

// instance is a round with dense indices. Candidates are numbered in the
// byte order of their ids, so that candidate order is the tie-break order
// and the unassigned come out sorted; needs are numbered in input order.
// Candidate c's preferences are prefs[prefOff[c]:prefOff[c+1]], each the need
// and the need's key for c. Keys exist only for listed pairs, so memory
// grows with the preference entries, not with candidates × needs.
//
// A need prefers the candidate with the smaller (key, candidate) pair: the
// key is the candidate's place in an explicit ranking, or descending(score),
// so that equal scores go to the smaller id. Comparing those pairs is what
// ranking the applicants would give, without the sort that ranking takes
// (at national scale, half of Run's time before issue 14).
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

// candIndex finds candidates by id, for BlockingPairs, which looks up
// every placed candidate; Run itself finds the few it looks up by binary
// search (findCandidate). It is built on first use.
func (in *instance) candIndex() *idIndex {
	in.candsOnce.Do(func() {
		in.cands = newIDIndex(in.candIDs)
		for c := range in.candIDs {
			in.cands.add(int32(c)) // ids are known to be unique
		}
	})
	return in.cands
}

// entry is one line of a candidate's list: the need, and the need's key for
// the candidate in two halves, which keeps an entry at 12 bytes. Need and
// key sit together because the proposals read them together.
type entry struct {
	need   int32
	hi, lo uint32
}

func (e entry) key() uint64 { return uint64(e.hi)<<32 | uint64(e.lo) }

func (e *entry) setKey(k uint64) { e.hi, e.lo = uint32(k>>32), uint32(k) }

// acceptable reports whether the need accepts the candidate and no officer
// forbade the pair.
func (e entry) acceptable() bool { return e.key() < keyForbidden }

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
// (finding the need, scoring) is spread over the processors; every part
// writes only its own slots, so the result does not depend on how many
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
	inst := &instance{
		candIDs:  make([]string, nc),
		needIDs:  make([]string, nn),
		prefOff:  make([]int32, nc+1),
		capacity: make([]int32, nn),
		pinnedTo: make([]int32, nc),
	}
	inputPos, p := inst.number(in, parts)
	if len(p) > 0 {
		return nil, p.err() // the checks below need sound ids
	}

	inst.prefs = make([]entry, total)
	apps, late, p := inst.listed(in, inputPos, parts)
	forbidden := inst.officers(in, &p)
	if len(p) > 0 {
		return nil, p.err()
	}
	late = append(late, inst.rankExplicitly(in, apps, parts)...)
	if len(late) > 0 {
		return nil, late.err()
	}
	for _, cn := range forbidden {
		c, n := cn[0], cn[1]
		for f := inst.prefOff[c]; f < inst.prefOff[c+1]; f++ {
			if inst.prefs[f].need == n {
				inst.prefs[f].setKey(keyForbidden)
				break
			}
		}
	}
	return inst, nil
}

// number numbers the candidates in id order and the needs in input order,
// and checks their ids and the needs' fields. inputPos[c] is candidate c's
// position in round.Candidates.
func (in *instance) number(round Input, parts int) (inputPos []int32, p problems) {
	inputPos = make([]int32, len(round.Candidates))
	for i := range inputPos {
		inputPos[i] = int32(i)
	}
	sortByID(inputPos, func(i int32) string { return round.Candidates[i].ID }, parts)
	for c, i := range inputPos {
		id := round.Candidates[i].ID
		in.candIDs[c] = id
		switch {
		case id == "":
			p.add("required", "", "candidates[%d].id", i)
		case c > 0 && id == in.candIDs[c-1]: // equal ids sort by position
			p.add("duplicate", "", "candidates[%d].id", i)
		}
		in.prefOff[c+1] = in.prefOff[c] + int32(len(round.Candidates[i].Preferences))
	}
	for i, n := range round.Needs {
		in.needIDs[i] = n.ID
	}
	in.needs = newIDIndex(in.needIDs)
	for i, n := range round.Needs {
		switch {
		case n.ID == "":
			p.add("required", "", "needs[%d].id", i)
		case !in.needs.add(int32(i)):
			p.add("duplicate", "", "needs[%d].id", i)
		}
		if n.Positions < 0 {
			p.add("min", "0", "needs[%d].positions", i)
		}
		if n.Ranking != nil && n.Score != nil {
			p.add("exclusive", "score", "needs[%d].ranking", i)
		}
	}
	return inputPos, p
}

// listed fills prefs: it finds each listed need and, for a need ranked by
// score, scores the candidate at once (while their id, and whatever Score
// looks up about them, is in cache) and keeps descending(score) as the key.
// Needs ranked explicitly get keyUnacceptable until rankExplicitly, and
// their applicants are returned for it, part by part. The NaN scores come
// apart from the other problems, since those are reported only for a round
// without others.
func (in *instance) listed(round Input, inputPos []int32, parts int) (apps [][]applicant, nan, p problems) {
	nn := len(in.needIDs)
	scorers := make([]func(string) (float64, bool), nn) // 8 bytes a need: fewer cache misses than round.Needs
	ranks := make([]bool, nn)                           // the need has an explicit ranking that names someone
	for n, need := range round.Needs {
		scorers[n] = need.Score
		ranks[n] = need.Score == nil && len(need.Ranking) > 0
	}
	apps = make([][]applicant, parts)
	partProblems := make([]problems, parts)
	partNaN := make([]problems, parts)
	parallel(parts, in.prefOff, func(w, from, to int) {
		listedBy := make([]int32, nn) // listedBy[n] == c+1 once candidate c listed n
		for c := from; c < to; c++ {
			f := in.prefOff[c]
			id := in.candIDs[c]
			for k, needID := range round.Candidates[inputPos[c]].Preferences {
				n, ok := in.needs.lookup(needID)
				key := keyUnacceptable
				switch {
				case !ok:
					partProblems[w].add("unknown_need", "", "candidates[%d].preferences[%d]", inputPos[c], k)
				case listedBy[n] == int32(c)+1:
					partProblems[w].add("duplicate", "", "candidates[%d].preferences[%d]", inputPos[c], k)
				default:
					listedBy[n] = int32(c) + 1
					if ranks[n] {
						apps[w] = append(apps[w], applicant{c: int32(c), f: f})
					}
					if score := scorers[n]; score != nil {
						s, ok := score(id)
						switch {
						case !ok:
						case math.IsNaN(s):
							partNaN[w].add("nan_score", id, "needs[%d].score", n)
						default:
							key = descending(s)
						}
					}
				}
				in.prefs[f] = entry{need: n, hi: uint32(key >> 32), lo: uint32(key)}
				f++
			}
		}
	})
	for w := range parts {
		p = append(p, partProblems[w]...)
		nan = append(nan, partNaN[w]...)
	}
	return apps, nan, p
}

// applicant is candidate c's entry f, listing a need that ranks explicitly
// (prefs[f].need).
type applicant struct{ c, f int32 }

// findCandidate finds a candidate by id in the sorted ids: pins, bans and
// the rare name given twice in a ranking are too few to pay for indexing
// half a million ids.
func (in *instance) findCandidate(id string) (int32, bool) {
	c, ok := slices.BinarySearch(in.candIDs, id)
	return int32(c), ok
}

// officers places the pins and resolves the forbidden pairs, adding what is
// wrong with them to p.
func (in *instance) officers(round Input, p *problems) (forbidden [][2]int32) {
	pins := make([]int32, len(in.needIDs))
	for c := range in.pinnedTo {
		in.pinnedTo[c] = -1
	}
	for i, pr := range round.Pins {
		c, okC := in.findCandidate(pr.Candidate)
		n, okN := in.needs.lookup(pr.Need)
		switch {
		case !okC:
			p.add("unknown_candidate", "", "pins[%d].candidate", i)
		case !okN:
			p.add("unknown_need", "", "pins[%d].need", i)
		case in.pinnedTo[c] >= 0:
			p.add("duplicate", "", "pins[%d].candidate", i)
		default:
			in.pinnedTo[c] = n
			pins[n]++
		}
	}
	for n, need := range round.Needs {
		if int(pins[n]) > need.Positions {
			p.add("pins_exceed", strconv.Itoa(int(pins[n])), "needs[%d].positions", n)
		}
		in.capacity[n] = int32(min(need.Positions, math.MaxInt32)) - pins[n]
	}
	forbidden = make([][2]int32, 0, len(round.Forbidden))
	for i, pr := range round.Forbidden {
		c, okC := in.findCandidate(pr.Candidate)
		n, okN := in.needs.lookup(pr.Need)
		switch {
		case !okC:
			p.add("unknown_candidate", "", "forbidden[%d].candidate", i)
		case !okN:
			p.add("unknown_need", "", "forbidden[%d].need", i)
		case in.pinnedTo[c] == n:
			p.add("pinned", "", "forbidden[%d]", i)
		default:
			forbidden = append(forbidden, [2]int32{c, n})
		}
	}
	return forbidden
}

// rankExplicitly gives each applicant of a need that ranks explicitly
// their position in its Ranking as key. apps[w] are the applicants part w
// of listed found, in candidate order. Each need's ranking is read against
// a small index of its own applicants, which stays in cache, rather than an
// index of every candidate. Needs are spread over the parts by the length
// of their rankings and their number of applicants.
func (in *instance) rankExplicitly(round Input, apps [][]applicant, parts int) problems {
	nn := len(in.needIDs)
	appOff := make([]int32, nn+1) // need n's applicants are grouped[appOff[n]:appOff[n+1]]
	for _, part := range apps {
		for _, a := range part {
			appOff[in.prefs[a.f].need+1]++
		}
	}
	cum := make([]int32, nn+1)
	for n, need := range round.Needs {
		size := int32(0)
		if need.Score == nil {
			size = int32(min(len(need.Ranking), math.MaxInt32/2))
		}
		cum[n+1] = cum[n] + min(size+appOff[n+1], math.MaxInt32-cum[n])
		appOff[n+1] += appOff[n]
	}
	if cum[nn] == 0 {
		return nil
	}
	grouped := make([]applicant, appOff[nn])
	at := slices.Clone(appOff[:nn])
	for _, part := range apps {
		for _, a := range part {
			n := in.prefs[a.f].need
			grouped[at[n]] = a
			at[n]++
		}
	}

	parts = min(parts, workers(int(cum[nn])))
	needProblems := make([]problems, parts)
	parallel(parts, cum, func(w, from, to int) {
		x := newIDIndex(nil)
		var ids []string
		for n := from; n < to; n++ {
			ranking := round.Needs[n].Ranking
			if round.Needs[n].Score != nil || len(ranking) == 0 {
				continue
			}
			group := grouped[appOff[n]:appOff[n+1]]
			ids = ids[:0]
			for _, a := range group {
				ids = append(ids, in.candIDs[a.c])
			}
			x.reset(ids, len(group)+len(ranking))
			for i := range group {
				x.add(int32(i)) // candidates' ids are unique
			}
			for k, id := range ranking {
				i, ok := x.lookup(id)
				switch {
				case !ok: // not an applicant: named once so far
					x.ids = append(x.ids, id)
					x.add(int32(len(x.ids) - 1))
				case int(i) >= len(group): // not an applicant, named again
					if _, inRound := in.findCandidate(id); inRound {
						needProblems[w].add("duplicate", "", "needs[%d].ranking[%d]", n, k)
					}
				case in.prefs[group[i].f].key() != keyUnacceptable:
					needProblems[w].add("duplicate", "", "needs[%d].ranking[%d]", n, k)
				default:
					in.prefs[group[i].f].setKey(uint64(k))
				}
			}
			ids = x.ids
		}
	})
	var p problems
	for _, pp := range needProblems {
		p = append(p, pp...)
	}
	return p
}

// descending maps scores to integers in the opposite order: the bits of a
// float64 with the sign bit flipped for positive numbers and all bits flipped
// for negative ones compare like the numbers, and inverting that reverses
// the order. Equal scores, -0 and +0 included, get equal keys. No score
// maps to keyForbidden or above (that would be a NaN).
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
