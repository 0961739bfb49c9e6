package allocation

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sync"
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
// The Result keeps the compiled round for BlockingPairs, about 130 MB at
// national scale: do not hold on to it longer than needed.
func Run(in Input) (*Result, error) {
	start := time.Now()
	inst, err := compile(in)
	if err != nil {
		return nil, err
	}
	held, proposals, rounds := inst.deferredAcceptance(workers(len(inst.prefs)))
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
	// bar[n] is one more than the largest key need n may still take: a
	// proposal with a key at or above it is turned down without reading the
	// need's heap, from an array a tenth of the heap's size. It is MaxUint64
	// while the need has a free place, and 0 when it has no place open to
	// the round (it is then skipped, not proposed to).
	bar []uint64
}

type heldBy struct{ off, size, count int32 }

func (h heldSet) of(n int32) []holding {
	b := h.needs[n]
	return h.heap[b.off : b.off+b.count]
}

// holding is a candidate a need holds, with the need's key for them.
type holding struct {
	key uint64
	c   int32
}

// worse reports whether the need prefers b to a: a has the larger key, or
// the same key and the larger candidate number (id).
func worse(a, b holding) bool {
	return a.key > b.key || a.key == b.key && a.c > b.c
}

// deferredAcceptance runs the proposals, in the rounds of the textbook
// formulation: every free candidate proposes once per round. Each need keeps
// the candidates it holds in a max-heap on (key, candidate), so the one to
// let go is at the top. Within a round the order of the proposals does not
// matter: a need ends the round holding the best of what it held and what
// it was offered, and the rest are free for the next round, whatever the
// order of the offers. So a round runs on `parts` goroutines in two steps
// (see proposer): the free candidates, split by number, pick their next
// need; then the needs, split by number, take or turn down their offers.
func (in *instance) deferredAcceptance(parts int) (held heldSet, proposals, rounds int) {
	nc, nn := len(in.candIDs), len(in.needIDs)

	// A need never holds more candidates than its places or than the
	// candidates who could propose to it, whichever is fewer: that bounds the
	// heap space by the preference entries even when positions are huge.
	held.needs = make([]heldBy, nn)
	free := make([]uint64, (nc+63)/64)
	d := &proposer{in: in, held: &held, cursor: make([]int32, nc), offers: make([][]offer, parts), freed: make([][]int32, parts), made: make([]int, parts)}
	for w := range parts {
		// Room for every candidate of the part's stretch: no growing.
		d.offers[w] = make([]offer, 0, min(nc, (len(free)/parts+1)*64))
	}
	left := 0
	for c := range int32(nc) {
		start, end := in.prefOff[c], in.prefOff[c+1]
		d.cursor[c] = start
		if in.pinnedTo[c] >= 0 || start == end {
			continue
		}
		for _, e := range in.prefs[start:end] {
			if e.acceptable() {
				held.needs[e.need].size++
			}
		}
		free[c/64] |= 1 << (c % 64)
		left++
	}
	off := int32(0)
	held.bar = make([]uint64, nn)
	for n := range held.needs {
		b := &held.needs[n]
		b.size = min(b.size, in.capacity[n])
		b.off = off
		off += b.size
		if b.size > 0 {
			held.bar[n] = math.MaxUint64
		}
	}
	held.heap = make([]holding, off)
	next := make([]uint64, len(free))

	for left > 0 {
		// Below a few thousand suitors a round is too short to share.
		made := d.round(free, next, min(parts, 1+left/4096))
		if made > 0 {
			rounds++
			proposals += made
		}
		left = 0
		for _, word := range next {
			left += bits.OnesCount64(word)
		}
		free, next = next, free
		clear(next)
	}
	return held, proposals, rounds
}

// proposer runs the rounds of deferredAcceptance.
type proposer struct {
	in     *instance
	held   *heldSet
	cursor []int32   // the next entry candidate c tries
	offers [][]offer // step 1's offers that step 2 must decide, by part
	freed  [][]int32 // candidates step 2 let go, by part
	made   []int     // step 1's proposals, by part
}

// offer is candidate c proposing to need, with the need's key for c.
type offer struct {
	key     uint64
	c, need int32
}

// round lets every candidate of free propose once and marks in next those
// who end the round free. It returns the number of proposals.
//
// Step 1, part w taking the candidates of its stretch of free: each finds
// their next need that accepts them and has a place open to the round, and
// proposes. An offer at or above the need's bar is turned down at once (the
// bars do not change during step 1, and only go down in step 2, so the
// need would turn it down anyway); the others wait for step 2. Step 2, part
// w taking the needs n with n % parts == w: each need decides its offers.
func (d *proposer) round(free, next []uint64, parts int) int {
	if parts == 1 { // most rounds, the late ones: no goroutines
		d.made[0] = d.propose(free, next, 0, 0)
		d.decide(0, 1)
	} else {
		var wg sync.WaitGroup
		for w := range parts {
			from, to := len(free)*w/parts, len(free)*(w+1)/parts
			wg.Go(func() { d.made[w] = d.propose(free[from:to], next[from:to], from, w) })
		}
		wg.Wait()
		for w := range parts {
			wg.Go(func() { d.decide(w, parts) })
		}
		wg.Wait()
	}
	total := 0
	for w := range parts {
		total += d.made[w]
		for _, c := range d.freed[w] {
			next[c/64] |= 1 << (c % 64)
		}
	}
	return total
}

// decide is step 2 of a round for the needs n with n % parts == w: each
// decides the offers made to it, and those it lets go (or turns down) go to
// d.freed[w].
func (d *proposer) decide(w, parts int) {
	d.freed[w] = d.freed[w][:0]
	for _, offers := range d.offers[:parts] {
		for _, o := range offers {
			if h := (holding{o.key, o.c}); int(o.need)%parts == w && !d.held.offer(o.need, &h) {
				d.freed[w] = append(d.freed[w], h.c) // the proposer, or whom the need let go
			}
		}
	}
}

// propose is step 1 of a round for the candidates whose bits are in free,
// words from first on; it marks in next those turned down at once, puts
// the other offers in d.offers[w], and returns the number of proposals.
// Reading the free candidates in number order reads each one's cursor and
// list in address order, which the processor's prefetcher follows.
func (d *proposer) propose(free, next []uint64, first, w int) int {
	in, bar := d.in, d.held.bar
	offers := d.offers[w][:0]
	made := 0
	for i, word := range free {
		for ; word != 0; word &= word - 1 {
			c := int32((first+i)*64 + bits.TrailingZeros64(word))
			// Skip the needs that would turn c down anyway: those that do
			// not accept them, and those without a place open to the round.
			f, end := d.cursor[c], in.prefOff[c+1]
			for f < end && (!in.prefs[f].acceptable() || bar[in.prefs[f].need] == 0) {
				f++
			}
			if f == end {
				d.cursor[c] = f
				continue // nobody left to ask: stays unassigned
			}
			d.cursor[c] = f + 1
			made++
			e := in.prefs[f]
			if k := e.key(); k < bar[e.need] {
				offers = append(offers, offer{k, c, e.need})
			} else {
				next[i] |= 1 << (c % 64)
			}
		}
	}
	d.offers[w] = offers
	return made
}

// offer offers h to need n. It reports true when n takes h without letting
// anyone go; otherwise h becomes the candidate to go free: the one n let
// go, or h itself if n prefers everyone it holds. The bar follows the worst
// candidate held once the need is full.
func (held *heldSet) offer(n int32, h *holding) bool {
	b := &held.needs[n]
	slots := held.heap[b.off : b.off+b.size]
	took := false
	switch {
	case b.count < b.size:
		slots[b.count] = *h
		siftUp(slots, int(b.count))
		b.count++
		took = true
	case worse(*h, slots[0]):
		return false
	default:
		*h, slots[0] = slots[0], *h
		siftDown(slots)
	}
	if b.count == b.size {
		held.bar[n] = slots[0].key + 1
	}
	return took
}

func siftUp(h []holding, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !worse(h[i], h[p]) {
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
		if r := l + 1; r < len(h) && worse(h[r], h[l]) {
			m = r
		}
		if !worse(h[m], h[i]) {
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
		slices.SortFunc(h, func(a, b holding) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.c, b.c)) }) // best first
		from := len(matched)
		for _, x := range h {
			matched = append(matched, in.candIDs[x.c])
			placed[x.c] = true
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
		case e.key() == keyForbidden:
		case e.key() == keyUnacceptable:
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
	worst := make([]holding, nn) // c == -1: nobody placed
	for n := range worst {
		worst[n].c = -1
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
			if h := (holding{key: in.keyOf(c, n), c: c}); worst[n].c < 0 || worse(h, worst[n]) {
				worst[n] = h
			}
		}
	}

	blocking := 0
	for c := range int32(nc) {
		if in.pinnedTo[c] >= 0 {
			continue
		}
		for _, e := range in.prefs[in.prefOff[c]:in.prefOff[c+1]] {
			if e.need == assigned[c] {
				break // the rest are needs c likes less than what they got
			}
			if !e.acceptable() {
				continue
			}
			w := worst[e.need]
			if count[e.need] < in.capacity[e.need] || w.c >= 0 && worse(w, holding{key: e.key(), c: c}) {
				blocking++
			}
		}
	}
	return blocking
}

// keyOf is n's key for c, or keyUnacceptable when c did not list n, n does
// not accept c or an officer forbade the pair: such a placement is worse for
// n than any acceptable candidate.
func (in *instance) keyOf(c, n int32) uint64 {
	for _, e := range in.prefs[in.prefOff[c]:in.prefOff[c+1]] {
		if e.need == n {
			if e.acceptable() {
				return e.key()
			}
			break
		}
	}
	return keyUnacceptable
}
