package search_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"

	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// demoSource is generated data as the store hands it to the index: each
// need and profile with its position as sequence, and the reads past a
// sequence that a start from a snapshot makes.
type demoSource struct{ d *demo.Data }

func (s demoSource) EachEmployer(_ context.Context, fn func(register.Employer) error) error {
	for _, e := range s.d.Employers {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s demoSource) EachNeed(ctx context.Context, fn func(register.Need, bool) error) error {
	return s.NeedsAfter(ctx, -1, fn)
}

func (s demoSource) EachProfile(ctx context.Context, fn func(profile.Profile, bool) error) error {
	return s.ProfilesAfter(ctx, -1, fn)
}

func (s demoSource) EmployersAfter(context.Context, int64, func(register.Employer) error) error {
	return nil
}

func (s demoSource) NeedsAfter(_ context.Context, seq int64, fn func(register.Need, bool) error) error {
	return after(s.d.Needs, seq, func(n register.Need, seq int64) error { n.Seq = seq; return fn(n, false) })
}

func (s demoSource) ProfilesAfter(_ context.Context, seq int64, fn func(profile.Profile, bool) error) error {
	return after(s.d.Profiles, seq, func(p profile.Profile, seq int64) error { p.Seq = seq; return fn(p, false) })
}

// after calls fn for the documents past seq, each with its position as
// its sequence.
func after[T any](docs []T, seq int64, fn func(T, int64) error) error {
	seq = max(seq, 0)
	for i, d := range docs[min(seq, int64(len(docs))):] {
		if err := fn(d, seq+int64(i)+1); err != nil {
			return err
		}
	}
	return nil
}

// demoData generates the demo register at the benchmark's size:
// SKILLSMATCH_BENCH_PROFILES and _NEEDS, by default the city of
// `make bench` (10,000 and 3,000).
func demoData(b *testing.B) (*taxonomy.Taxonomy, *demo.Data) {
	b.Helper()
	tx, err := taxonomy.Load()
	if err != nil {
		b.Fatal(err)
	}
	size := func(name string, def int) int {
		if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
			return n
		}
		return def
	}
	d := demo.Generate(tx, demo.Config{Profiles: size("SKILLSMATCH_BENCH_PROFILES", 10_000),
		Needs: size("SKILLSMATCH_BENCH_NEEDS", 3_000), Seed: 1})
	return tx, &d
}

// startDemo opens the index in dir and catches up with d.
func startDemo(b *testing.B, dir string, tx *taxonomy.Taxonomy, d *demo.Data) *search.Index {
	b.Helper()
	ix, err := search.Open(dir, tx, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.CatchUp(context.Background(), demoSource{d}, nil); err != nil {
		b.Fatal(err)
	}
	return ix
}

// BenchmarkReindexDemo is the full reindex of `make bench` ("full
// reindex", internal/perf) on the demo register: a fresh index catches up
// with every need and profile. docs counts the documents made searchable:
// every need indexed in Bleve and every profile loaded into memory (no
// index holds profiles since layout 9).
func BenchmarkReindexDemo(b *testing.B) {
	tx, d := demoData(b)
	root := b.TempDir()
	i, disk := 0, int64(0)
	cpu0 := cpuTime(b)
	for b.Loop() {
		dir := filepath.Join(root, strconv.Itoa(i))
		i++
		ix := startDemo(b, dir, tx, d)
		b.StopTimer()
		cpu := cpuTime(b)
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		disk = dirSize(b, dir)
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		cpu0 += cpuTime(b) - cpu
		b.StartTimer()
	}
	docs := float64((len(d.Needs) + len(d.Profiles)) * b.N)
	b.ReportMetric(docs/b.Elapsed().Seconds(), "docs/s")
	// On a shared machine the wall clock says little: the CPU time the
	// reindex took (all threads) is the figure to compare.
	b.ReportMetric(docs/(cpuTime(b)-cpu0).Seconds(), "docs/cpu-s")
	b.ReportMetric(float64(disk)/1e6, "MB-on-disk") // the index and the start-up snapshot after Close
}

// dirSize is the size of the files under dir.
func dirSize(b *testing.B, dir string) int64 {
	b.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		info, err := e.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkRestartDemo is a restart on an index that holds the whole demo
// register: Open and CatchUp until ready. It reports the live heap at ready
// and, with SKILLSMATCH_HEAP_PROFILE set, writes the heap profile there.
func BenchmarkRestartDemo(b *testing.B) {
	tx, d := demoData(b)
	dir := b.TempDir()
	if err := startDemo(b, dir, tx, d).Close(); err != nil { // writes the start-up snapshot
		b.Fatal(err)
	}
	var heap uint64
	for b.Loop() {
		ix := startDemo(b, dir, tx, d)
		b.StopTimer()
		heap = liveHeap(b, d)
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<20), "MiB-heap-at-ready")
}

// liveHeap collects garbage and returns the heap in use (the generated
// data the benchmark keeps included: the profile shows it under
// demo.Generate), and writes the heap profile if asked.
func liveHeap(b *testing.B, keep *demo.Data) uint64 {
	b.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if path := os.Getenv("SKILLSMATCH_HEAP_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
	}
	runtime.KeepAlive(keep)
	return ms.HeapInuse
}
