package perf

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestQuantileIsNearestRank(t *testing.T) {
	s := make([]time.Duration, 100)
	for i := range s {
		s[i] = time.Duration(i+1) * time.Millisecond
	}
	for q, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.95: 95 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := quantile(s, q); got != want {
			t.Errorf("quantile(1..100 ms, %v) = %v, want %v", q, got, want)
		}
	}
	if got := quantile([]time.Duration{7}, 0.99); got != 7 {
		t.Errorf("quantile of one = %v, want it", got)
	}
}

func TestRecorderCountsWallAndCPU(t *testing.T) {
	var r recorder
	extra := time.Duration(0)
	for range 3 {
		if err := r.time(func() error {
			for start := time.Now(); time.Since(start) < 20*time.Millisecond; { // busy: CPU time
			}
			return nil
		}, func() time.Duration { extra += 5 * time.Millisecond; return extra }); err != nil {
			t.Fatal(err)
		}
	}
	l := r.latency()
	if l.Queries != 3 || l.P50ms < 20 || l.MeanMs < 20 {
		t.Errorf("latency = %+v, want 3 queries of at least 20 ms", l)
	}
	// The busy loop's share of a core depends on the machine's load; the
	// 5 ms another process is said to spend per query must be counted.
	if l.CPUms < 5 {
		t.Errorf("CPU per query = %v ms, want at least the extra 5 ms", l.CPUms)
	}
}

func TestSameTop(t *testing.T) {
	a := []string{"1", "2", "3"}
	for _, c := range []struct {
		b    []string
		k    int
		want bool
	}{
		{[]string{"1", "2", "3", "4"}, 3, true}, {[]string{"1", "3", "2"}, 3, false}, {[]string{"1", "2"}, 3, false},
		{[]string{"1", "2", "9"}, 2, true}, {nil, 0, true},
	} {
		if got := sameTop(a, c.b, c.k); got != c.want {
			t.Errorf("sameTop(%v, %v, %d) = %v, want %v", a, c.b, c.k, got, c.want)
		}
	}
}

// TestRunAtATinyScale runs the whole table (without HTTP) on a tiny data
// set, with the real peers: every system answers every query, the product
// agrees with itself, and the report prints and round-trips as JSON.
func TestRunAtATinyScale(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and builds three indexes")
	}
	tiny := Scale{Name: "tiny", Profiles: 400, Needs: 80, Seed: 3}
	// PostgreSQL runs as its own user: the work dir must be reachable,
	// which t.TempDir's (0700) is not.
	work, err := os.MkdirTemp("", "perf-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	if err := os.Chmod(work, 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), Config{Scales: []Scale{tiny}, Queries: 12, Commit: "test", WorkDir: filepath.Join(work, "run")})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	s := r.Scales[0]
	if ix := s.Indexing; ix.Docs != 480 || ix.Needs != 80 || ix.Profiles != 400 || ix.DocsPerSec <= 0 || ix.DiskBytes <= 0 {
		t.Errorf("indexing = %+v, want 480 documents (80 needs indexed, 400 profiles loaded), a rate and a size", ix)
	}
	var systems []string
	for _, row := range s.Ranking {
		systems = append(systems, row.Direction+"/"+row.System)
		if row.Latency.Queries != 12 {
			t.Errorf("%s %s: %d queries, want 12", row.Direction, row.System, row.Latency.Queries)
		}
		if row.SameTop10 < 0 || row.SameTop10 > 1 || row.Latency.CPUms <= 0 {
			t.Errorf("%s %s: same top 10 %v, CPU %v ms", row.Direction, row.System, row.SameTop10, row.Latency.CPUms)
		}
		// The peers retrieve the same people by other means and re-rank
		// them alike: on a small set they mostly agree with the product.
		if row.SameTop10 < 0.5 {
			t.Errorf("%s %s agrees with the product on %.0f%% of queries, want most", row.Direction, row.System, 100*row.SameTop10)
		}
		if row.System == "product" && (row.SameTop10 != 1 || row.CPURatio != 1) {
			t.Errorf("%s product: same top 10 = %v and ratio %v, want 1 and 1 (itself)", row.Direction, row.SameTop10, row.CPURatio)
		}
	}
	slices.Sort(systems)
	want := []string{"need→candidates/PostgreSQL", "need→candidates/plain Bleve", "need→candidates/product",
		"profile→needs/PostgreSQL", "profile→needs/plain Bleve", "profile→needs/product"}
	if !slices.Equal(systems, want) {
		t.Errorf("rows = %v, want %v", systems, want)
	}
	if s.Search.Queries != 48 {
		t.Errorf("search queries = %d, want 48", s.Search.Queries)
	}
	var out bytes.Buffer
	if err := r.Print(&out); err != nil || !strings.Contains(out.String(), "need→candidates top 20") || !strings.Contains(out.String(), "PostgreSQL") {
		t.Errorf("Print = %v:\n%s", err, out.String())
	}
	path, err := r.WriteJSON(t.TempDir())
	if err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || back.Commit != "test" || len(back.Scales[0].Ranking) != 6 {
		t.Errorf("JSON round trip: %v, %+v", err, back)
	}
}
