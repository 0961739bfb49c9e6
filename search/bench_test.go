package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
)

// cityConfig is a city's labour office: 10,000 job-seekers with 8–20
// skills each from the ESCO occupations they hold, and 3,000 needs of 200
// occupations.
var cityConfig = eval.Config{
	Seed: 1, Occupations: 200, NeedsPerOccupation: 15, PerOccupation: 40, Siblings: 5, Others: 1000,
	Today: eval.DefaultToday,
}

// today is the benchmarks' day, as the API passes it.
var today = cityConfig.Today.Format(time.DateOnly)

// city is the benchmarks' shared fixture, built once per test binary: the
// index takes seconds to build and the query benchmarks only read it.
var city struct {
	once sync.Once
	err  error
	tx   *taxonomy.Taxonomy
	set  eval.Set
	dir  string
	ix   *search.Index
}

// TestMain removes the shared city index after the benchmarks.
func TestMain(m *testing.M) {
	defer closeCity()
	m.Run()
}

func closeCity() {
	if city.ix != nil {
		_ = city.ix.Close()
	}
	if city.dir != "" {
		_ = os.RemoveAll(city.dir)
	}
}

// citySet generates the city (once) and varies what the evaluation set
// keeps uniform, so that filters and facets have something to do: a
// quarter of the needs are not jobs, one in ten is not open, half the
// titles are in Bulgarian.
func citySet(b *testing.B) (*taxonomy.Taxonomy, *eval.Set) {
	b.Helper()
	city.once.Do(func() {
		if city.tx, city.err = taxonomy.Load(); city.err != nil {
			return
		}
		city.set = eval.Generate(city.tx, cityConfig)
		kinds := []string{register.KindInternship, register.KindApprenticeship, register.KindCarePathway}
		for i := range city.set.Needs {
			n := &city.set.Needs[i]
			if i%4 == 3 {
				n.Kind = kinds[(i/4)%len(kinds)]
			}
			if i%10 == 9 {
				n.Status = register.StatusClosed
			}
			if bg := city.tx.Label(n.Occupation, "bg"); i%2 == 0 && bg != "" {
				n.Title = bg
			}
		}
		if city.dir, city.err = os.MkdirTemp("", "skillsmatch-bench-"); city.err != nil {
			return
		}
		city.ix, city.err = build(context.Background(), filepath.Join(city.dir, "index"), city.tx, &city.set)
	})
	if city.err != nil {
		b.Fatalf("city index: %v", city.err)
	}
	return city.tx, &city.set
}

func cityIndex(b *testing.B) (*search.Index, *eval.Set) {
	b.Helper()
	_, set := citySet(b)
	return city.ix, set
}

// build opens a fresh index under dir and catches up with the whole set.
func build(ctx context.Context, dir string, tx *taxonomy.Taxonomy, set *eval.Set) (*search.Index, error) {
	ix, err := search.Open(dir, tx, nil)
	if err != nil {
		return nil, err
	}
	if err := ix.CatchUp(ctx, eval.NewSource(set), nil); err != nil {
		_ = ix.Close()
		return nil, err
	}
	return ix, nil
}

// latencies collects per-query durations and reports their p50 and p99.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	b.Helper()
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(q float64) float64 {
		i := min(len(s)-1, int(q*float64(len(s))))
		return float64(s[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// cpuTime is the process's CPU time so far (user and system). On a shared
// machine the wall time of a query moves with the load; its CPU time
// much less.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per query since start, garbage
// collection included.
func reportCPU(b *testing.B, start time.Duration) {
	b.Helper()
	b.ReportMetric(float64(cpuTime(b)-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkIndexing is a full start-up catch-up of the city into a fresh
// index: 13,000 documents, with the closing flush.
func BenchmarkIndexing(b *testing.B) {
	tx, set := citySet(b)
	ctx := context.Background()
	docs := len(set.Needs) + len(set.Candidates)
	root := b.TempDir()
	i := 0
	for b.Loop() {
		dir := filepath.Join(root, fmt.Sprint(i))
		i++
		ix, err := build(ctx, dir, tx, set)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(docs*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkMatchCandidates ranks the top 10 candidates for needs of every
// occupation in turn.
func BenchmarkMatchCandidates(b *testing.B) {
	ix, set := cityIndex(b)
	ctx := context.Background()
	var lat latencies
	i := 0
	cpu := cpuTime(b)
	for b.Loop() {
		n := set.Needs[(i*7919)%len(set.Needs)] // a prime stride visits every occupation
		i++
		start := time.Now()
		ms, err := ix.MatchCandidates(ctx, n, 10, "bg")
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if len(ms) == 0 && n.Kind == register.KindJob {
			b.Fatalf("MatchCandidates(%s) found nobody", n.ID)
		}
	}
	lat.report(b)
	reportCPU(b, cpu)
}

// BenchmarkMatchNeeds ranks the top 10 needs, near misses and next
// skills for job-seekers in turn.
func BenchmarkMatchNeeds(b *testing.B) {
	ix, set := cityIndex(b)
	ctx := context.Background()
	var lat latencies
	i := 0
	cpu := cpuTime(b)
	for b.Loop() {
		p := set.Candidates[(i*7919)%len(set.Candidates)]
		i++
		start := time.Now()
		_, err := ix.MatchNeeds(ctx, p, "", 10, "bg", today)
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	lat.report(b)
	reportCPU(b, cpu)
}

// needQueries are searches of the public register as people type them:
// text in either language and alphabet, with and without filters; every
// one asks for the three facets.
var needQueries = []search.NeedQuery{
	{Text: "nurse"},
	{Text: "медицинска сестра"},
	{Text: "medicinska sestra", Municipality: "Хасково"},
	{Text: "care", Kind: register.KindJob},
	{Text: "cook", Municipality: "Haskovo"},
	{Text: "driver", Near: &register.GeoPoint{Lat: 41.9344, Lon: 25.5556}, RadiusKm: 30},
	{Text: "software developer", Kind: register.KindInternship},
	{Text: "cleaner", Kind: register.KindJob, Municipality: "Димитровград"},
	{Kind: register.KindApprenticeship},
	{Text: "technician assistant", Near: &register.GeoPoint{Lat: 42.0573, Lon: 25.5931}, RadiusKm: 20},
}

// BenchmarkSearchNeeds is GET /api/v1/needs: full text, filters and
// facets, first page of 20. cold asks the index every time (a query's
// first time after a write); kept answers from the kept searches
// (searchcache.go), as a query asked again before the next write is.
func BenchmarkSearchNeeds(b *testing.B) {
	ix, _ := cityIndex(b)
	for _, mode := range []struct {
		name   string
		search func(context.Context, search.NeedQuery) (search.NeedResults, error)
	}{{"cold", ix.SearchNeedsCold}, {"kept", ix.SearchNeeds}} {
		b.Run(mode.name, func(b *testing.B) { benchSearchNeeds(b, mode.search) })
	}
}

func benchSearchNeeds(b *testing.B, find func(context.Context, search.NeedQuery) (search.NeedResults, error)) {
	ctx := context.Background()
	var lat latencies
	i := 0
	cpu := cpuTime(b)
	for b.Loop() {
		q := needQueries[i%len(needQueries)]
		i++
		q.Page, q.PageSize, q.Today = 1, 20, today
		start := time.Now()
		res, err := find(ctx, q)
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if q.Text == "nurse" && res.Total == 0 {
			b.Fatalf("SearchNeeds(%+v) found nothing", q)
		}
	}
	reportCPU(b, cpu)
	lat.report(b)
}
