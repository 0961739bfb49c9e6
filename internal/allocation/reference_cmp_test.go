package allocation_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/careget/skillsmatch/internal/allocation"
)

// TestRunMatchesReference holds Run to the implementation it replaced
// (allocation.ReferenceRun, kept in reference_test.go) on random rounds of
// every shape, realistic rounds big enough to be split over goroutines, and
// broken rounds: the same assignments in the same order, the same
// unassigned with the same reasons, the same counts of proposals and rounds,
// the same error, and the same blocking pairs for damaged results.
func TestRunMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 0))
	var rounds []allocation.Input
	for k := range 1500 {
		s := []shape{
			{candidates: 5, needs: 3, positions: 2},
			{candidates: 30, needs: 8, positions: 3},
			{candidates: 80, needs: 20, positions: 4, dense: k%4 == 0},
			{candidates: 200, needs: 5, positions: 40},
		}[k%4]
		in := randomRound(r, s)
		if k%5 == 0 {
			in = broken(r, in)
		}
		rounds = append(rounds, in)
	}
	for seed := range uint64(4) {
		rounds = append(rounds, realisticRound(seed, 3000+int(seed)*2000, 300+int(seed)*400, 5+int(seed)*5))
	}
	unstable := 0 // damaged results with blocking pairs: the ones that test BlockingPairs
	for k, in := range rounds {
		got, errGot := allocation.Run(in)
		want, blocking, errWant := allocation.ReferenceRun(in)
		if !reflect.DeepEqual(errGot, errWant) {
			t.Fatalf("round %d: Run() error = %v, reference error = %v\ninput: %+v", k, errGot, errWant, in)
		}
		if errWant != nil {
			continue
		}
		if !reflect.DeepEqual(got.Assignments, want.Assignments) || !reflect.DeepEqual(got.Unassigned, want.Unassigned) {
			t.Fatalf("round %d: Run() = %+v %+v\nreference: %+v %+v\ninput: %+v",
				k, got.Assignments, got.Unassigned, want.Assignments, want.Unassigned, in)
		}
		if got.Stats.Proposals != want.Stats.Proposals || got.Stats.Rounds != want.Stats.Rounds {
			t.Fatalf("round %d: Run() made %d proposals in %d rounds, the reference %d in %d",
				k, got.Stats.Proposals, got.Stats.Rounds, want.Stats.Proposals, want.Stats.Rounds)
		}
		for range 3 {
			damaged(r, got)
			if b, rb := allocation.BlockingPairs(got), blocking(got); b != rb {
				t.Fatalf("round %d: BlockingPairs(damaged) = %d, the reference counts %d\nresult: %+v", k, b, rb, got)
			} else if b > 0 {
				unstable++
			}
		}
	}
	t.Logf("%d damaged results had blocking pairs", unstable)
	if unstable < 500 {
		t.Errorf("only %d damaged results had blocking pairs: the damage tests too little", unstable)
	}
}

// broken does one thing to in that Run must refuse (or, for a ranking
// naming someone twice, may refuse): a listed need that is not in the round,
// a need listed twice, a NaN score, a duplicate in a ranking, a need with
// both a ranking and a score.
func broken(r *rand.Rand, in allocation.Input) allocation.Input {
	in.Candidates = slices.Clone(in.Candidates)
	in.Needs = slices.Clone(in.Needs)
	if len(in.Candidates) == 0 || len(in.Needs) == 0 {
		return in
	}
	c := &in.Candidates[r.IntN(len(in.Candidates))]
	n := &in.Needs[r.IntN(len(in.Needs))]
	switch r.IntN(5) {
	case 0:
		c.Preferences = append(slices.Clone(c.Preferences), "not-in-round")
	case 1:
		c.Preferences = append(slices.Clone(c.Preferences), n.ID, n.ID)
	case 2:
		victim := c.ID
		n.Ranking, n.Score = nil, func(id string) (float64, bool) {
			if id == victim {
				return math.NaN(), true
			}
			return 1, true
		}
		if !slices.Contains(c.Preferences, n.ID) {
			c.Preferences = append(slices.Clone(c.Preferences), n.ID)
		}
	case 3:
		n.Score, n.Ranking = nil, append(slices.Clone(n.Ranking), c.ID, c.ID)
	default:
		n.Ranking = append(n.Ranking, c.ID)
		n.Score = func(string) (float64, bool) { return 0, true }
	}
	return in
}

// damaged moves a random placed candidate to another need, or drops one,
// so that the result may have blocking pairs.
func damaged(r *rand.Rand, res *allocation.Result) {
	as := res.Assignments
	if len(as) == 0 {
		return
	}
	from := &as[r.IntN(len(as))]
	if len(from.Candidates) == 0 {
		return
	}
	i := r.IntN(len(from.Candidates))
	c := from.Candidates[i]
	from.Candidates = slices.Delete(slices.Clone(from.Candidates), i, i+1)
	if r.IntN(2) == 0 {
		to := &as[r.IntN(len(as))]
		to.Candidates = append(slices.Clone(to.Candidates), c)
	}
}
