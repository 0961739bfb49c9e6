package allocation_test

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/careget/skillsmatch/internal/allocation"
)

// shape bounds a random round.
type shape struct {
	candidates, needs, positions int
	// dense rounds have full lists on both sides and at least one place per
	// need: conflicting full lists are what make several stable matchings.
	dense bool
}

// randomRound makes a round with every feature the package has: candidates
// listing any number of needs (none included), places from zero up, explicit
// rankings that leave people out or name people not in the round, scores with
// many ties (by map and by function), needs that accept nobody, pins and bans.
// Ids are "c"+number so that byte order differs from number order.
func randomRound(r *rand.Rand, s shape) allocation.Input {
	nc, nn := r.IntN(s.candidates+1), 1+r.IntN(s.needs)
	if s.dense {
		nc, nn = 2+r.IntN(s.candidates-1), 2+r.IntN(s.needs-1)
	}
	var in allocation.Input
	needIDs := make([]string, nn)
	for i := range needIDs {
		needIDs[i] = "n" + strconv.Itoa(i)
	}
	candIDs := make([]string, nc)
	for i := range candIDs {
		candIDs[i] = "c" + strconv.Itoa(i)
	}
	// Half the dense rounds are the textbook's cycle, slightly disturbed:
	// candidate i likes needs i, i+1, … and need j likes candidates j+1,
	// j+2, …, so each side's favourites are the other's last choices.
	cyclic := s.dense && r.IntN(2) == 0
	rotated := func(ids []string, from int) []string {
		out := make([]string, len(ids))
		for k := range out {
			out[k] = ids[(from+k)%len(ids)]
		}
		if len(out) > 1 && r.IntN(2) == 0 {
			k := r.IntN(len(out) - 1)
			out[k], out[k+1] = out[k+1], out[k]
		}
		return out
	}
	for i, id := range candIDs {
		prefs := slices.Clone(needIDs)
		r.Shuffle(len(prefs), func(i, j int) { prefs[i], prefs[j] = prefs[j], prefs[i] })
		if cyclic {
			prefs = rotated(needIDs, i)
		}
		if !s.dense {
			prefs = prefs[:r.IntN(nn+1)]
		}
		in.Candidates = append(in.Candidates, allocation.Candidate{ID: id, Preferences: prefs})
	}
	for j, id := range needIDs {
		n := allocation.Need{ID: id, Positions: r.IntN(s.positions + 1)}
		mode := r.IntN(10)
		if s.dense {
			n.Positions = 1 + r.IntN(s.positions)
			mode = 0
		}
		switch {
		case mode < 4: // an employer's ranking of some candidates
			ranking := slices.Clone(candIDs)
			r.Shuffle(len(ranking), func(i, j int) { ranking[i], ranking[j] = ranking[j], ranking[i] })
			if cyclic && nc > 0 {
				ranking = rotated(candIDs, j+1)
			}
			if !s.dense {
				ranking = ranking[:r.IntN(nc+1)]
			}
			if r.IntN(4) == 0 {
				ranking = slices.Insert(ranking, r.IntN(len(ranking)+1), "left-the-round")
			}
			n.Ranking = ranking
		case mode < 6: // match scores on a coarse scale: many ties
			scores := map[string]float64{}
			for _, c := range candIDs {
				if r.IntN(6) > 0 {
					scores[c] = float64(r.IntN(4)) / 4
				}
			}
			n.Score = allocation.ScoreMap(scores)
		case mode < 8: // awkward scores: a hair apart, signed zeros, infinities
			awkward := []float64{0, math.Copysign(0, -1), 0.5, 0.5 + 1e-12, 0.5 - 1e-12, -0.5, math.Inf(1), math.Inf(-1), 1e-300}
			scores := map[string]float64{}
			for _, c := range candIDs {
				scores[c] = awkward[r.IntN(len(awkward))]
			}
			n.Score = allocation.ScoreMap(scores)
		case mode < 9: // a score function: everyone, ties by id length
			n.Score = func(id string) (float64, bool) { return float64(len(id) % 2), true }
		default: // neither: accepts nobody
		}
		in.Needs = append(in.Needs, n)
	}
	if nc > 0 && !s.dense {
		pinned := map[string]bool{}
		pins := map[string]int{}
		for range r.IntN(3) {
			c, n := candIDs[r.IntN(nc)], in.Needs[r.IntN(nn)]
			if !pinned[c] && pins[n.ID] < n.Positions {
				pinned[c] = true
				pins[n.ID]++
				in.Pins = append(in.Pins, allocation.Pair{Candidate: c, Need: n.ID})
			}
		}
		for range r.IntN(4) {
			p := allocation.Pair{Candidate: candIDs[r.IntN(nc)], Need: needIDs[r.IntN(nn)]}
			if !slices.Contains(in.Pins, p) {
				in.Forbidden = append(in.Forbidden, p)
			}
		}
	}
	return in
}

func mustRun(t *testing.T, in allocation.Input) *allocation.Result {
	t.Helper()
	res, err := allocation.Run(in)
	if err != nil {
		t.Fatalf("Run(%+v) error = %v", in, err)
	}
	return res
}

// TestRunProperties holds thousands of random rounds to the contract:
// stable, within places, only acceptable pairs, pins honoured, bans kept,
// everyone accounted for with the right reason (see model.violations).
func TestRunProperties(t *testing.T) {
	tests := []struct {
		name   string
		shape  shape
		rounds int
	}{
		{"tiny", shape{candidates: 4, needs: 3, positions: 2}, 3000},
		{"small", shape{candidates: 12, needs: 6, positions: 3}, 2000},
		{"medium", shape{candidates: 60, needs: 20, positions: 4}, 400},
		{"few needs, many places", shape{candidates: 80, needs: 4, positions: 30}, 200},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(i)))
			for k := range tt.rounds {
				in := randomRound(r, tt.shape)
				res := mustRun(t, in)
				if v := newModel(in).violations(res); len(v) > 0 {
					t.Fatalf("round %d: Run() breaks the contract: %v\ninput: %+v", k, v[:min(len(v), 5)], in)
				}
			}
		})
	}
}

// TestRunIsCandidateOptimal compares Run with brute force on small rounds:
// every candidate gets their best need over all stable matchings, and those
// best needs are exactly Run's matching.
func TestRunIsCandidateOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 0))
	several := 0 // rounds with more than one stable matching: the ones that test something
	for k := range 1500 {
		// Half dense, half anything (pins and bans included).
		in := randomRound(r, shape{candidates: 6, needs: 4, positions: 2, dense: k%2 == 0})
		m := newModel(in)
		stable := m.stableMatchings()
		if len(stable) == 0 {
			t.Fatalf("round %d: brute force found no stable matching (there is always one)\ninput: %+v", k, in)
		}
		if len(stable) > 1 {
			several++
		}
		best := m.candidateOptimal(stable)
		if !slices.ContainsFunc(stable, func(s map[string]string) bool { return maps.Equal(s, best) }) {
			t.Fatalf("round %d: the candidates' best stable needs %v are not a stable matching\ninput: %+v", k, best, in)
		}
		if got := placements(mustRun(t, in)); !maps.Equal(got, best) {
			t.Fatalf("round %d: Run() placed %v, want the candidate-optimal %v (of %d stable matchings)\ninput: %+v",
				k, got, best, len(stable), in)
		}
	}
	t.Logf("%d of 1500 rounds had several stable matchings", several)
	if several < 50 {
		t.Errorf("only %d of 1500 rounds had several stable matchings: the generator tests too little", several)
	}
}

// shuffled returns in with candidates, needs, pins and bans in another order
// (preferences and rankings keep theirs: they are the data).
func shuffled(r *rand.Rand, in allocation.Input) allocation.Input {
	out := allocation.Input{
		Candidates: slices.Clone(in.Candidates),
		Needs:      slices.Clone(in.Needs),
		Pins:       slices.Clone(in.Pins),
		Forbidden:  slices.Clone(in.Forbidden),
	}
	r.Shuffle(len(out.Candidates), func(i, j int) { out.Candidates[i], out.Candidates[j] = out.Candidates[j], out.Candidates[i] })
	r.Shuffle(len(out.Needs), func(i, j int) { out.Needs[i], out.Needs[j] = out.Needs[j], out.Needs[i] })
	r.Shuffle(len(out.Pins), func(i, j int) { out.Pins[i], out.Pins[j] = out.Pins[j], out.Pins[i] })
	r.Shuffle(len(out.Forbidden), func(i, j int) { out.Forbidden[i], out.Forbidden[j] = out.Forbidden[j], out.Forbidden[i] })
	return out
}

func TestRunIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 0))
	for k := range 500 {
		in := randomRound(r, shape{candidates: 40, needs: 12, positions: 3})
		want := mustRun(t, in)
		for _, other := range []allocation.Input{in, shuffled(r, in)} {
			got := mustRun(t, other)
			if !reflect.DeepEqual(got.Assignments, want.Assignments) || !reflect.DeepEqual(got.Unassigned, want.Unassigned) {
				t.Fatalf("round %d: Run(shuffled) = %+v %+v, want %+v %+v",
					k, got.Assignments, got.Unassigned, want.Assignments, want.Unassigned)
			}
			if got.Stats.Proposals != want.Stats.Proposals || got.Stats.Rounds != want.Stats.Rounds {
				t.Fatalf("round %d: Run(shuffled) made %d proposals in %d rounds, want %d in %d",
					k, got.Stats.Proposals, got.Stats.Rounds, want.Stats.Proposals, want.Stats.Rounds)
			}
		}
	}
}

// TestViolationsCatchBrokenResults makes sure the property tests can fail:
// the model must see each kind of damage done to a correct result.
func TestViolationsCatchBrokenResults(t *testing.T) {
	in := allocation.Input{
		Candidates: []allocation.Candidate{
			cand("c1", "A", "B"), cand("c2", "A", "B"), cand("c3", "B"), cand("c4", "A"), cand("c5", "A"),
		},
		Needs:     []allocation.Need{need("A", 2, "c1", "c2", "c5"), need("B", 1, "c3", "c2", "c1")},
		Pins:      []allocation.Pair{{Candidate: "c4", Need: "A"}},
		Forbidden: []allocation.Pair{{Candidate: "c5", Need: "A"}},
	}
	// Run gives A: [c1] + pin c4, B: [c3]; c2 all_choices_full, c5 forbidden.
	tests := []struct {
		name   string
		damage func(r *allocation.Result)
	}{
		{"over capacity", func(r *allocation.Result) {
			r.Assignments[0].Candidates = []string{"c1", "c2"}
			r.Unassigned = r.Unassigned[1:]
		}},
		{"forbidden pair", func(r *allocation.Result) {
			r.Assignments[0].Candidates = []string{"c5"}
			r.Unassigned[1].Candidate = "c1"
		}},
		{"unacceptable pair", func(r *allocation.Result) {
			r.Assignments[1].Candidates = []string{"c5"}
			r.Unassigned[1].Candidate = "c3"
		}},
		{"pin dropped", func(r *allocation.Result) { r.Assignments[0].Pinned = nil }},
		{"pinned candidate placed twice", func(r *allocation.Result) { r.Assignments[1].Candidates = []string{"c4"} }},
		{"candidate lost", func(r *allocation.Result) { r.Unassigned = r.Unassigned[:1] }},
		{"wrong reason", func(r *allocation.Result) { r.Unassigned[0].Reason = allocation.ReasonNotAcceptable }},
		{"unstable", func(r *allocation.Result) {
			r.Assignments[0].Candidates = []string{"c2"}
			r.Unassigned[0].Candidate = "c1"
		}},
		{"need missing", func(r *allocation.Result) { r.Assignments = r.Assignments[:1] }},
	}
	m := newModel(in)
	if v := m.violations(mustRun(t, in)); len(v) > 0 {
		t.Fatalf("violations(Run()) = %v, want none", v)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRun(t, in)
			tt.damage(res)
			if v := m.violations(res); len(v) == 0 {
				t.Errorf("violations(%s) = none, want some\nresult: %s", tt.name, fmt.Sprintf("%+v", *res))
			}
		})
	}
}

// TestRunDoesNotDependOnProcessors runs a round big enough to be split
// over several goroutines with one processor and with four: the result must
// be the same.
func TestRunDoesNotDependOnProcessors(t *testing.T) {
	in := realisticRound(11, 20000, 3000, 20) // big enough for rounds of proposals on 4 goroutines
	run := func(procs int) *allocation.Result {
		t.Helper()
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return mustRun(t, in)
	}
	one, four := run(1), run(4)
	if !reflect.DeepEqual(one.Assignments, four.Assignments) || !reflect.DeepEqual(one.Unassigned, four.Unassigned) {
		t.Fatalf("Run() with GOMAXPROCS=4 differs from GOMAXPROCS=1")
	}
	if one.Stats.Proposals != four.Stats.Proposals || one.Stats.Rounds != four.Stats.Rounds {
		t.Errorf("Run() with GOMAXPROCS=4: %d proposals in %d rounds, with 1: %d in %d",
			four.Stats.Proposals, four.Stats.Rounds, one.Stats.Proposals, one.Stats.Rounds)
	}
}
