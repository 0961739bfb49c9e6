package allocation

import (
	"cmp"
	"math"
	"slices"
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
	// calls Score once for each candidate who listed the need and for nobody
	// else, from several goroutines at once (different candidates), so it
	// must be safe for concurrent use, as reading a map or a slice is.
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
// (BlockingPairs returns 0) and candidate-optimal.
//
// An input that breaks the rules documented on Input and its fields gives a
// failure.Invalid error whose Fields (at most 50) name each offence, such as
// "candidates[3].preferences[1]" with code "unknown_need". The codes are
// required and duplicate (ids, preferences, rankings, pins), min (negative
// positions), exclusive (both Ranking and Score), unknown_need,
// unknown_candidate (pins and bans), pins_exceed (more pins than positions),
// pinned (a pair both pinned and forbidden) and nan_score (Param is the
// candidate). A round beyond 2³¹ candidates, needs or entries is Invalid
// with code too_large.
//
// The Result keeps the compiled round for BlockingPairs, about 100 MB at
// national scale: do not hold on to it longer than needed.
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
// candidates are heap[n.off : n.off+n.count], at most n.size of them.
type heldSet struct {
	needs []heldBy
	heap  []holding
}

type heldBy struct{ off, size, count int32 }

func (h heldSet) of(n int32) []holding {
	b := h.needs[n]
	return h.heap[b.off : b.off+b.count]
}

// holding is a candidate a need holds: key is rank<<32 | candidate, so that
// comparing keys compares ranks (a need ranks each candidate differently, so
// two keys never share a rank). next and end say where the candidate is in
// their own list, should the need let them go: carrying that here and in the
// queue saves a cursor per candidate, and the cache miss of reading it.
type holding struct {
	key       uint64
	next, end int32
}

// suitor is a candidate about to propose, at entry next of their list.
type suitor struct{ c, next, end int32 }

// deferredAcceptance runs the proposals. Each need keeps the candidates it
// holds in a max-heap on rank, so the one to let go is at the top.
func (in *instance) deferredAcceptance() (held heldSet, proposals, rounds int) {
	nc, nn := len(in.candIDs), len(in.needIDs)

	// A need never holds more candidates than its places or than the
	// candidates who could propose to it, whichever is fewer: that bounds the
	// heap space by the preference entries even when positions are huge.
	held.needs = make([]heldBy, nn)
	cur := make([]suitor, 0, nc)
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
			cur = append(cur, suitor{c, in.prefOff[c], in.prefOff[c+1]})
		}
	}
	off := int32(0)
	for n := range held.needs {
		b := &held.needs[n]
		b.size = min(b.size, in.capacity[n])
		b.off = off
		off += b.size
	}
	held.heap = make([]holding, off)
	nxt := make([]suitor, 0, len(cur))

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
			h := holding{key: uint64(e.rank)<<32 | uint64(s.c), next: f + 1, end: s.end}
			slots := held.heap[b.off : b.off+b.size]
			switch {
			case b.count < b.size:
				slots[b.count] = h
				siftUp(slots, int(b.count))
				b.count++
			case h.key > slots[0].key:
				nxt = append(nxt, suitor{s.c, h.next, h.end}) // the need prefers everyone it holds
			default:
				out := slots[0]
				slots[0] = h
				siftDown(slots)
				nxt = append(nxt, suitor{int32(uint32(out.key)), out.next, out.end})
			}
		}
		if proposed {
			rounds++
		}
		cur, nxt = nxt, cur[:0]
	}
	return held, proposals, rounds
}

func siftUp(h []holding, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].key >= h[i].key {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func siftDown(h []holding) {
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

	res := &Result{Assignments: make([]Assignment, nn), inst: in}
	matched := ids[:0]
	for i, n := range order {
		h := held.of(n)
		slices.SortFunc(h, func(a, b holding) int { return cmp.Compare(a.key, b.key) }) // best rank first
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
func (in *instance) reason(c int32) Reason {
	start, end := in.prefOff[c], in.prefOff[c+1]
	if start == end {
		return ReasonNoPreferences
	}
	noPlaces, notAcceptable := false, false
	for _, e := range in.prefs[start:end] {
		switch {
		case e.rank == rankForbidden:
		case e.rank == rankUnacceptable:
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
func (in *instance) rankOf(c, n int32) int32 {
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
