package search_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// BenchmarkNationalMatch ranks the top 20 in both directions on the
// national register of `make bench` (500,000 job-seekers, 100,000 needs,
// demo.Generate with seed 1), queries picked as internal/perf picks
// them; NATIONAL_PROFILES=100000 makes a smaller country of the same
// shape. Building the index takes many minutes: skipped with -short.
func BenchmarkNationalMatch(b *testing.B) {
	if testing.Short() {
		b.Skip("the national index takes many minutes to build")
	}
	tx, err := taxonomy.Load()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	profiles := 500_000
	if v, err := strconv.Atoi(os.Getenv("NATIONAL_PROFILES")); err == nil && v > 0 {
		profiles = v // a smaller country of the same shape, for profiling changes
	}
	d := demo.Generate(tx, demo.Config{Profiles: profiles, Needs: profiles / 5, Seed: 1, Scope: demo.ScopeNational})
	dir, err := os.MkdirTemp("", "skillsmatch-national-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ix, err := search.Open(filepath.Join(dir, "index"), tx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	start := time.Now()
	if err := ix.CatchUp(ctx, demoSource{&d}, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("national index built in %v", time.Since(start))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("heap after the build (the generated data included): %d MiB in use", ms.HeapAlloc>>20)
	today := demo.DefaultToday.Format(time.DateOnly)
	var needs []register.Need
	var people []profile.Profile
	for i := 0; len(needs) < 1000 && i < 4000; i++ {
		if n := d.Needs[(i*7919)%len(d.Needs)]; n.Kind != register.KindForecast {
			needs = append(needs, n)
		}
	}
	for i := 0; len(people) < 1000 && i < 4000; i++ {
		if p := d.Profiles[(i*7919)%len(d.Profiles)]; p.Consent.Matching {
			people = append(people, p)
		}
	}
	b.Run("candidates", func(b *testing.B) {
		var lat latencies
		cpu := cpuTime(b)
		i := 0
		for b.Loop() {
			n := needs[i%len(needs)]
			i++
			t := time.Now()
			if _, err := ix.MatchCandidates(ctx, n, 20, "bg"); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.reportTail(b)
		reportCPU(b, cpu)
	})
	b.Run("needs", func(b *testing.B) {
		var lat latencies
		cpu := cpuTime(b)
		i := 0
		for b.Loop() {
			p := people[i%len(people)]
			i++
			t := time.Now()
			if _, err := ix.MatchNeeds(ctx, p, "", 20, "bg", today); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.reportTail(b)
		reportCPU(b, cpu)
	})
}

// reportTail reports the p95 besides report's p50 and p99.
func (l latencies) reportTail(b *testing.B) {
	b.Helper()
	l.report(b)
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	b.ReportMetric(float64(s[min(len(s)-1, int(0.95*float64(len(s))))])/float64(time.Millisecond), "p95-ms")
}
