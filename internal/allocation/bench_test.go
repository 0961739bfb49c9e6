package allocation_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/allocation"
)

// realisticRound makes a round shaped like the office's. Candidates live in
// one of 28 regions and list listLen needs each, mostly in their own region
// and mostly popular ones: popularity is Zipf-like, so a few needs draw
// thousands of applicants and most draw a handful. Needs have 1–5 places. A
// need ranks its applicants by a match score that mixes the candidate's
// general strength with their fit to that need, on a 0.001 grid so that ties
// happen; one need in twenty ranks explicitly instead and turns down its
// weakest fifth.
func realisticRound(seed uint64, nc, nn, listLen int) allocation.Input {
	const regions = 28
	r := rand.New(rand.NewPCG(seed, 0))
	listLen = min(listLen, nn)

	needIDs := make([]string, nn)
	for i := range needIDs {
		needIDs[i] = "n" + strconv.Itoa(i)
	}
	// Needs by region, most popular first.
	byRegion := make([][]int32, regions)
	for _, n := range r.Perm(nn) {
		byRegion[n%regions] = append(byRegion[n%regions], int32(n))
	}
	national := make([]int32, nn)
	for i, n := range r.Perm(nn) {
		national[i] = int32(n)
	}
	local := make([]*rand.Zipf, regions)
	for g, ns := range byRegion {
		if len(ns) > 0 {
			local[g] = rand.NewZipf(r, 1.1, 4, uint64(len(ns)-1))
		}
	}
	nationwide := rand.NewZipf(r, 1.1, 4, uint64(nn-1))

	strength := make([]float64, nc)
	in := allocation.Input{Candidates: make([]allocation.Candidate, nc), Needs: make([]allocation.Need, nn)}
	listed := make([]int32, nn) // listed[n] == c+1 once c listed n
	flat := make([]string, 0, nc*listLen)
	for c := range nc {
		strength[c] = r.NormFloat64()
		home := r.IntN(regions)
		from := len(flat)
		for len(flat)-from < listLen {
			var n int32
			if ns := byRegion[home]; len(ns) >= listLen && r.IntN(10) < 7 {
				n = ns[local[home].Uint64()]
			} else {
				n = national[nationwide.Uint64()]
			}
			if listed[n] != int32(c)+1 {
				listed[n] = int32(c) + 1
				flat = append(flat, strings.Clone(needIDs[n])) // its own copy, as decoded JSON has
			}
		}
		in.Candidates[c] = allocation.Candidate{ID: "c" + strconv.Itoa(c), Preferences: flat[from:len(flat):len(flat)]}
	}

	// The score the match engine would give: strength plus fit, where fit is
	// a hash of the pair. It finds the candidate's number in the id, as a
	// caller would find the score in its own tables.
	score := func(need uint64) func(string) (float64, bool) {
		return func(id string) (float64, bool) {
			c, err := strconv.Atoi(id[1:])
			if err != nil || c >= nc {
				return 0, false
			}
			h := (uint64(c)*0x9E3779B97F4A7C15 ^ need) * 0xBF58476D1CE4E5B9
			fit := float64(h>>11) / (1 << 53)
			return math.Round((strength[c]+2*fit)*1000) / 1000, true
		}
	}
	explicit := map[int][]int32{} // need → its applicants
	for n := range nn {
		in.Needs[n] = allocation.Need{ID: needIDs[n], Positions: 1 + r.IntN(5)}
		if r.IntN(20) == 0 {
			explicit[n] = nil
		} else {
			in.Needs[n].Score = score(r.Uint64())
		}
	}
	for c, cand := range in.Candidates {
		for _, id := range cand.Preferences {
			n, _ := strconv.Atoi(id[1:])
			if apps, ok := explicit[n]; ok {
				explicit[n] = append(apps, int32(c))
			}
		}
	}
	for n := range nn {
		apps, ok := explicit[n]
		if !ok {
			continue
		}
		s := score(r.Uint64())
		value := func(c int32) float64 { v, _ := s(in.Candidates[c].ID); return v }
		slices.SortStableFunc(apps, func(a, b int32) int {
			va, vb := value(a), value(b)
			switch {
			case va > vb:
				return -1
			case va < vb:
				return 1
			}
			return 0
		})
		ranking := make([]string, 0, len(apps))
		for _, c := range apps[:len(apps)-len(apps)/5] {
			ranking = append(ranking, strings.Clone(in.Candidates[c].ID))
		}
		in.Needs[n].Ranking = ranking
	}
	return in
}

// benchRound generates its round once per process: the national one takes
// some seconds.
type benchRound struct {
	candidates, needs int
	once              sync.Once
	in                allocation.Input
}

func (b *benchRound) input() allocation.Input {
	b.once.Do(func() { b.in = realisticRound(42, b.candidates, b.needs, 20) })
	return b.in
}

var (
	round20kx4k     = &benchRound{candidates: 20_000, needs: 4_000}
	round40kx38k    = &benchRound{candidates: 40_000, needs: 38_000}
	roundNational   = &benchRound{candidates: 500_000, needs: 100_000}
	benchmarkResult *allocation.Result
)

func benchmarkRun(b *testing.B, round *benchRound) {
	benchmarkWith(b, round, allocation.Run)
}

func benchmarkWith(b *testing.B, round *benchRound, run func(allocation.Input) (*allocation.Result, error)) {
	in := round.input()
	b.ReportAllocs()
	var res *allocation.Result
	for b.Loop() {
		var err error
		if res, err = run(in); err != nil {
			b.Fatalf("Run() error = %v", err)
		}
	}
	b.ReportMetric(float64(res.Stats.Proposals), "proposals")
	b.ReportMetric(float64(res.Stats.Rounds), "rounds")
	b.ReportMetric(float64(len(res.Unassigned)), "unassigned")
	benchmarkResult = res
}

func BenchmarkRound20kx4k(b *testing.B)  { benchmarkRun(b, round20kx4k) }
func BenchmarkRound40kx38k(b *testing.B) { benchmarkRun(b, round40kx38k) }

// BenchmarkRoundNational needs about 2 GB and some seconds to generate its
// round; -short skips it.
func BenchmarkRoundNational(b *testing.B) {
	if testing.Short() {
		b.Skip("national round skipped with -short")
	}
	benchmarkRun(b, roundNational)
}

// BenchmarkRoundNationalReference runs the implementation Run replaced
// (reference_test.go) on the same round, so that one run of
// -bench RoundNational compares them on the same machine at the same load.
func BenchmarkRoundNationalReference(b *testing.B) {
	if testing.Short() {
		b.Skip("national round skipped with -short")
	}
	benchmarkWith(b, roundNational, func(in allocation.Input) (*allocation.Result, error) {
		res, _, err := allocation.ReferenceRun(in)
		return res, err
	})
}

func benchmarkBlockingPairs(b *testing.B, round *benchRound) {
	res, err := allocation.Run(round.input())
	if err != nil {
		b.Fatalf("Run() error = %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if n := allocation.BlockingPairs(res); n != 0 {
			b.Fatalf("BlockingPairs() = %d, want 0", n)
		}
	}
}

func BenchmarkBlockingPairs40kx38k(b *testing.B) { benchmarkBlockingPairs(b, round40kx38k) }

// BenchmarkBlockingPairsNational times the check a round's run does after
// Run (round.Service.run), which BenchmarkRoundNational leaves out.
func BenchmarkBlockingPairsNational(b *testing.B) {
	if testing.Short() {
		b.Skip("national round skipped with -short")
	}
	benchmarkBlockingPairs(b, roundNational)
}

// TestRunRealisticRound holds a mid-sized round from the benchmark generator
// to the whole contract, so the shape the benchmarks time is also checked.
func TestRunRealisticRound(t *testing.T) {
	in := realisticRound(7, 2500, 600, 20)
	res := mustRun(t, in)
	if v := newModel(in).violations(res); len(v) > 0 {
		t.Fatalf("Run(realistic round) breaks the contract: %v", v[:min(len(v), 5)])
	}
	if res.Stats.Rounds < 2 || len(res.Unassigned) == 0 {
		t.Errorf("Run(realistic round): %d rounds, %d unassigned: the generator makes no competition",
			res.Stats.Rounds, len(res.Unassigned))
	}
}
