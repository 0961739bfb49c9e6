package allocation

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Candidate is a job-seeker taking part in a round.
type Candidate struct {
	ID string
	// Preferences are the ids of the needs the candidate wants, best first.
	// A need that is not listed is one the candidate would not take. Every id
	// must be a need of the round, at most once.
	Preferences []string
}

// Need is a skills need offering places in a round.
type Need struct {
	ID string
	// Positions is the number of places, pins included. Zero is allowed: the
	// need then takes nobody through the round.
	Positions int
	// Ranking, used when Score is nil, is the employer's explicit order of
	// candidates, best first. A candidate it does not name is unacceptable to
	// the need, so an empty or nil Ranking with a nil Score accepts nobody.
	// Ids of people who are not candidates of the round are ignored (they may
	// have left it); naming a candidate twice is an error.
	Ranking []string
	// Score, when set, ranks candidates by match score instead of Ranking
	// (setting both is an error): a higher score is better, equal scores go
	// to the candidate with the smaller id (byte order), and ok == false makes
	// the candidate unacceptable to the need. A NaN score is an error. Run
	// calls Score from one goroutine, once for each candidate who listed the
	// need and for nobody else.
	Score func(candidateID string) (score float64, ok bool)
}

// Pair names a candidate and a need.
type Pair struct {
	Candidate string
	Need      string
}

// Input is one placement round.
type Input struct {
	Candidates []Candidate
	Needs      []Need
	// Pins are the officer's placements: each puts the candidate in the need
	// before the algorithm runs, taking one of its places, whatever either
	// side ranked. A candidate is pinned at most once, a need at most
	// Positions times, and a pinned pair cannot also be forbidden.
	Pins []Pair
	// Forbidden are pairs the officer ruled out: the candidate never gets that
	// need, as if the need did not accept them.
	Forbidden []Pair
}

// Assignment is who a need got.
type Assignment struct {
	Need string
	// Candidates are those the algorithm placed, in the need's order of
	// preference (best first).
	Candidates []string
	// Pinned are those placed by an officer's pin, by id.
	Pinned []string
}

// Reason says why a candidate got no place. When several apply, the first
// in the order below is given.
type Reason string

// The reasons a candidate is left unassigned.
const (
	// ReasonAllChoicesFull: some needs they listed would take them, but each
	// filled its places with candidates it ranks higher (or pinned ones).
	ReasonAllChoicesFull Reason = "all_choices_full"
	// ReasonNoPlaces: the needs they listed that would take them have no
	// place open to the round (zero positions, or every place pinned).
	ReasonNoPlaces Reason = "no_places"
	// ReasonNotAcceptable: no need they listed ranks them (they are missing
	// from its explicit ranking, or its score function turned them down).
	ReasonNotAcceptable Reason = "not_acceptable"
	// ReasonForbidden: an officer forbade every need they listed.
	ReasonForbidden Reason = "forbidden"
	// ReasonNoPreferences: they listed no need.
	ReasonNoPreferences Reason = "no_preferences"
)

// Unassigned is a candidate who got no place, and why.
type Unassigned struct {
	Candidate string
	Reason    Reason
}

// Stats describes a run.
type Stats struct {
	// Proposals counts the offers candidates made to needs that accept them
	// and have a place open to the round.
	Proposals int
	// Rounds counts the rounds in which at least one candidate proposed, every
	// free candidate proposing once per round.
	Rounds int
	// Duration is the wall time of Run, checks included.
	Duration time.Duration
}

// Result is the outcome of a round.
type Result struct {
	// Assignments has one entry for every need of the round, by need id.
	Assignments []Assignment
	// Unassigned lists the candidates without a place (pinned ones are
	// placed), by candidate id.
	Unassigned []Unassigned
	Stats      Stats

	// inst is the compiled round, kept so that BlockingPairs can check the
	// assignments against it.
	inst *instance
}

// Run assigns the round's candidates to its needs by candidate-proposing
// deferred acceptance, after placing the pinned pairs. The result is stable
// (BlockingPairs returns 0) and candidate-optimal. An input that breaks the
// rules documented on Input and its fields gives a failure.Invalid error
// listing the offending fields (at most 50), such as
// "candidates[3].preferences[1]" with code "unknown_need".
//
// The Result keeps the compiled round for BlockingPairs; at national scale
// that is some hundreds of megabytes, so do not hold on to it longer than
// needed.
func Run(in Input) (*Result, error) {
	start := time.Now()
	inst, err := compile(in)
	if err != nil {
		return nil, err
	}
	held, proposals, rounds := inst.deferredAcceptance()
	res := inst.result(held)
	res.Stats = Stats{Proposals: proposals, Rounds: rounds, Duration: time.Since(start)}
	return res, nil
}

// ScoreMap returns a Need.Score that reads scores from m; candidates missing
// from m are unacceptable to the need.
func ScoreMap(m map[string]float64) func(candidateID string) (float64, bool) {
	return func(id string) (float64, bool) {
		s, ok := m[id]
		return s, ok
	}
}

// heldSet is what the needs hold once nobody is left to propose: need n's
// candidates are heap[off[n] : off[n]+count[n]], each packed as
// rank<<32 | candidate so that comparing keys compares ranks (a need ranks
// each candidate differently, so two keys never share a rank).
type heldSet struct {
	off   []int32
	count []int32
	heap  []uint64
}

func (h heldSet) of(n int32) []uint64 { return h.heap[h.off[n] : h.off[n]+h.count[n]] }

// deferredAcceptance runs the proposals. Each need keeps the candidates it
// holds in a max-heap on rank, so the one to let go is at the top.
func (in *instance) deferredAcceptance() (held heldSet, proposals, rounds int) {
	nc, nn := len(in.candIDs), len(in.needIDs)

	// A need never holds more candidates than its places or than the
	// candidates who could propose to it, whichever is fewer: that bounds the
	// heap space by the preference entries even when positions are huge.
	room := make([]int32, nn)
	for c := range nc {
		if in.pinnedTo[c] >= 0 {
			continue
		}
		for f := in.prefOff[c]; f < in.prefOff[c+1]; f++ {
			if in.rank[f] >= 0 {
				room[in.prefNeed[f]]++
			}
		}
	}
	held.off = make([]int32, nn+1)
	for n := range nn {
		held.off[n+1] = held.off[n] + min(room[n], in.capacity[n])
	}
	held.heap = make([]uint64, held.off[nn])
	held.count = room // reuse the memory
	clear(held.count)

	next := slices.Clone(in.prefOff[:nc])
	cur := make([]int32, 0, nc)
	for c := range int32(nc) {
		if in.pinnedTo[c] < 0 && in.prefOff[c] < in.prefOff[c+1] {
			cur = append(cur, c)
		}
	}
	nxt := make([]int32, 0, nc)

	for len(cur) > 0 {
		proposed := false
		for _, c := range cur {
			// Skip the needs that would turn c down anyway: those that do
			// not accept c, and those without a place open to the round.
			f, end := next[c], in.prefOff[c+1]
			for f < end && (in.rank[f] < 0 || held.off[in.prefNeed[f]] == held.off[in.prefNeed[f]+1]) {
				f++
			}
			if f == end {
				next[c] = f
				continue // nobody left to ask: stays unassigned
			}
			next[c] = f + 1
			proposals++
			proposed = true

			n := in.prefNeed[f]
			key := uint64(in.rank[f])<<32 | uint64(c)
			slots := held.heap[held.off[n]:held.off[n+1]]
			k := held.count[n]
			switch {
			case int(k) < len(slots):
				slots[k] = key
				siftUp(slots, int(k))
				held.count[n]++
			case key > slots[0]:
				nxt = append(nxt, c) // the need prefers everyone it holds
			default:
				out := slots[0]
				slots[0] = key
				siftDown(slots)
				nxt = append(nxt, int32(uint32(out)))
			}
		}
		if proposed {
			rounds++
		}
		cur, nxt = nxt, cur[:0]
	}
	return held, proposals, rounds
}

func siftUp(h []uint64, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p] >= h[i] {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func siftDown(h []uint64) {
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r] > h[l] {
			m = r
		}
		if h[i] >= h[m] {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// result turns what the needs hold into a Result, in an order that does not
// depend on the order of the input.
func (in *instance) result(held heldSet) *Result {
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
	ids := make([]string, int(held.off[nn])+int(pinOff[nn]))
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
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(in.needIDs[a], in.needIDs[b]) })

	res := &Result{Assignments: make([]Assignment, nn), Unassigned: []Unassigned{}, inst: in}
	matched := ids[:0]
	for i, n := range order {
		h := held.of(n)
		slices.Sort(h) // best rank first
		from := len(matched)
		for _, key := range h {
			c := int32(uint32(key))
			matched = append(matched, in.candIDs[c])
			placed[c] = true
		}
		p := pinned[pinOff[n]:pinOff[n+1]]
		slices.Sort(p)
		res.Assignments[i] = Assignment{
			Need:       in.needIDs[n],
			Candidates: matched[from:len(matched):len(matched)],
			Pinned:     p[:len(p):len(p)],
		}
	}

	for c := range int32(nc) {
		if !placed[c] {
			res.Unassigned = append(res.Unassigned, Unassigned{Candidate: in.candIDs[c], Reason: in.reason(c)})
		}
	}
	slices.SortFunc(res.Unassigned, func(a, b Unassigned) int { return strings.Compare(a.Candidate, b.Candidate) })
	return res
}

// reason explains why candidate c, not placed by a stable run, got nothing.
func (in *instance) reason(c int32) Reason {
	start, end := in.prefOff[c], in.prefOff[c+1]
	if start == end {
		return ReasonNoPreferences
	}
	noPlaces, notAcceptable := false, false
	for f := start; f < end; f++ {
		switch r := in.rank[f]; {
		case r == rankForbidden:
		case r == rankUnacceptable:
			notAcceptable = true
		case in.capacity[in.prefNeed[f]] > 0:
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

// BlockingPairs counts the blocking pairs of r's assignments, in the sense
// of the package documentation: acceptable pairs (c, n) with c not pinned,
// where c lists n above the need r gives them (or r gives them none) and n has
// a free place or ranks c above the worst candidate r placed there. Pinned
// candidates never count and pinned places are neither free nor compared.
// It reads r.Assignments, so it also checks a Result changed after Run; a
// Result not made by Run is an empty round, with no blocking pairs.
func BlockingPairs(r *Result) int {
	if r == nil || r.inst == nil {
		return 0
	}
	in := r.inst
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
	for _, a := range r.Assignments {
		n, ok := in.needIdx[a.Need]
		if !ok {
			continue
		}
		for _, id := range a.Candidates {
			c, ok := in.candIdx[id]
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
		for f := in.prefOff[c]; f < in.prefOff[c+1]; f++ {
			n := in.prefNeed[f]
			if n == assigned[c] {
				break // the rest are needs c likes less than what they got
			}
			if r := in.rank[f]; r >= 0 && (count[n] < in.capacity[n] || r < worst[n]) {
				blocking++
			}
		}
	}
	return blocking
}

// rankOf is n's rank of c, or MaxInt32 when c did not list n or n does not
// accept c: such a placement is worse for n than any acceptable candidate.
func (in *instance) rankOf(c, n int32) int32 {
	for f := in.prefOff[c]; f < in.prefOff[c+1]; f++ {
		if in.prefNeed[f] == n {
			if r := in.rank[f]; r >= 0 {
				return r
			}
			break
		}
	}
	return math.MaxInt32
}
