package allocation

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

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

// instance is a round with dense indices: candidates and needs are numbered
// in input order, and candidate c's preferences are the entries
// prefOff[c]..prefOff[c+1] of prefNeed (the need) and rank (the need's rank of
// c). Ranks exist only for listed pairs, so memory grows with the preference
// entries, not with candidates × needs.
type instance struct {
	candIDs  []string
	needIDs  []string
	candIdx  map[string]int32
	needIdx  map[string]int32
	prefOff  []int32
	prefNeed []int32
	rank     []int32
	capacity []int32 // places open to the algorithm: positions minus pins
	pinnedTo []int32 // the need each candidate is pinned to, or -1
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
	return failure.Fields(p...)
}

// compile checks the input and numbers it.
func compile(in Input) (*instance, error) {
	nc, nn := len(in.Candidates), len(in.Needs)
	var p problems
	if nc >= math.MaxInt32 || nn >= math.MaxInt32 {
		return nil, failure.New(failure.Invalid, "too_large", "%d candidates and %d needs: too many for one round", nc, nn)
	}

	inst := &instance{
		candIDs:  make([]string, nc),
		needIDs:  make([]string, nn),
		candIdx:  make(map[string]int32, nc),
		needIdx:  make(map[string]int32, nn),
		prefOff:  make([]int32, nc+1),
		capacity: make([]int32, nn),
		pinnedTo: make([]int32, nc),
	}
	for i, c := range in.Candidates {
		switch _, dup := inst.candIdx[c.ID]; {
		case c.ID == "":
			p.add("required", "", "candidates[%d].id", i)
		case dup:
			p.add("duplicate", "", "candidates[%d].id", i)
		default:
			inst.candIdx[c.ID] = int32(i)
			inst.candIDs[i] = c.ID
		}
	}
	for i, n := range in.Needs {
		switch _, dup := inst.needIdx[n.ID]; {
		case n.ID == "":
			p.add("required", "", "needs[%d].id", i)
		case dup:
			p.add("duplicate", "", "needs[%d].id", i)
		default:
			inst.needIdx[n.ID] = int32(i)
			inst.needIDs[i] = n.ID
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

	total := 0
	for _, c := range in.Candidates {
		total += len(c.Preferences)
	}
	if total >= math.MaxInt32 {
		return nil, failure.New(failure.Invalid, "too_large", "%d preference entries: too many for one round", total)
	}
	inst.prefNeed = make([]int32, 0, total)
	listedBy := make([]int32, nn) // listedBy[n] == c+1 once candidate c listed n
	for c, cand := range in.Candidates {
		for k, id := range cand.Preferences {
			n, ok := inst.needIdx[id]
			switch {
			case !ok:
				p.add("unknown_need", "", "candidates[%d].preferences[%d]", c, k)
			case listedBy[n] == int32(c)+1:
				p.add("duplicate", "", "candidates[%d].preferences[%d]", c, k)
			default:
				listedBy[n] = int32(c) + 1
				inst.prefNeed = append(inst.prefNeed, n)
			}
		}
		inst.prefOff[c+1] = int32(len(inst.prefNeed))
	}

	pins := listedBy // reused: pins per need
	clear(pins)
	for c := range inst.pinnedTo {
		inst.pinnedTo[c] = -1
	}
	for i, pr := range in.Pins {
		c, okC := inst.candIdx[pr.Candidate]
		n, okN := inst.needIdx[pr.Need]
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
		c, okC := inst.candIdx[pr.Candidate]
		n, okN := inst.needIdx[pr.Need]
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

	if err := inst.rankApplicants(in.Needs); err != nil {
		return nil, err
	}
	for _, cn := range forbidden {
		c, n := cn[0], cn[1]
		for f := inst.prefOff[c]; f < inst.prefOff[c+1]; f++ {
			if inst.prefNeed[f] == n {
				inst.rank[f] = rankForbidden
				break
			}
		}
	}
	return inst, nil
}

// rankApplicants fills rank: for every need, it ranks the candidates who
// listed it (its applicants) and nobody else.
func (in *instance) rankApplicants(needs []Need) error {
	nc, nn, total := len(in.candIDs), len(in.needIDs), len(in.prefNeed)
	in.rank = make([]int32, total)

	// Applicants by need, as positions f into prefNeed and rank: a
	// compressed column layout built by counting.
	appOff := make([]int32, nn+1)
	for _, n := range in.prefNeed {
		appOff[n+1]++
	}
	for n := range nn {
		appOff[n+1] += appOff[n]
	}
	appFlat := make([]int32, total)
	appCand := make([]int32, total)
	fill := slices.Clone(appOff[:nn])
	for c := range int32(nc) {
		for f := in.prefOff[c]; f < in.prefOff[c+1]; f++ {
			n := in.prefNeed[f]
			appFlat[fill[n]] = f
			appCand[fill[n]] = c
			fill[n]++
		}
	}

	var p problems
	var pos []int32      // pos[c]: c's place in the explicit ranking being read, or -1
	var named []int32    // the candidates that ranking named, to reset pos
	var scored []scoring // the applicants of the need being scored
	for n, need := range needs {
		from, to := appOff[n], appOff[n+1]
		if need.Score == nil {
			if pos == nil {
				pos = make([]int32, nc)
				for c := range pos {
					pos[c] = -1
				}
			}
			named = named[:0]
			for k, id := range need.Ranking {
				c, ok := in.candIdx[id]
				switch {
				case !ok: // not in the round (any more): nothing to rank
				case pos[c] >= 0:
					p.add("duplicate", "", "needs[%d].ranking[%d]", n, k)
				default:
					pos[c] = int32(k)
					named = append(named, c)
				}
			}
			for i := from; i < to; i++ {
				in.rank[appFlat[i]] = pos[appCand[i]] // -1 is rankUnacceptable
			}
			for _, c := range named {
				pos[c] = -1
			}
			continue
		}

		scored = scored[:0]
		for i := from; i < to; i++ {
			f, c := appFlat[i], appCand[i]
			s, ok := need.Score(in.candIDs[c])
			switch {
			case !ok:
				in.rank[f] = rankUnacceptable
			case math.IsNaN(s):
				in.rank[f] = rankUnacceptable
				p.add("nan_score", in.candIDs[c], "needs[%d].score", n)
			default:
				scored = append(scored, scoring{score: s, cand: c, flat: f})
			}
		}
		slices.SortFunc(scored, func(a, b scoring) int {
			switch {
			case a.score > b.score:
				return -1
			case a.score < b.score:
				return 1
			}
			return strings.Compare(in.candIDs[a.cand], in.candIDs[b.cand])
		})
		for r, s := range scored {
			in.rank[s.flat] = int32(r)
		}
	}
	return p.err()
}

// scoring is an applicant of a need with their score, and where their rank
// goes.
type scoring struct {
	score float64
	cand  int32
	flat  int32
}
