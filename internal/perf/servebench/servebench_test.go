package servebench

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/perf/load"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/pkg/client"
)

// buildBinary builds cmd/skillsmatch into a temporary directory: the test
// runs the product as it ships.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestRunTinyScale runs the whole benchmark against the real binary and
// its embedded store at a tiny scale and checks that it measured what it
// says: answered requests, searchable writes, memory.
func TestRunTinyScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	progress := &testProgress{t: t, begin: time.Now()}
	cfg := Config{
		Binary: buildBinary(t), DataDir: filepath.Join(dir, "data"),
		Profiles: 200, Needs: 60, Seed: 7,
		Concurrency: 8, Phase: 2 * time.Second, Warmup: 300 * time.Millisecond, Employers: 3,
		Progress: progress,
	}
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	t.Logf("result:\n%s", b)

	if res.Demo.Documents < 200+60 || res.Demo.DocsPerSec <= 0 {
		t.Errorf("Demo = %+v, want at least 260 documents at a positive rate", res.Demo)
	}
	if res.Startup.ReadySeconds <= 0 || res.Startup.Reindexed < 200 {
		t.Errorf("Startup = %+v, want a positive time to ready and the data indexed", res.Startup)
	}
	if res.Fixture.PublicNeeds == 0 || res.Fixture.MatchedNeeds == 0 || res.Fixture.Queries < 20 {
		t.Errorf("Fixture = %+v, want public needs, matched needs and queries", res.Fixture)
	}
	if res.Fixture.EmployersSignedIn == 0 || res.Fixture.EmployerNeeds == 0 {
		t.Errorf("Fixture = %+v, want demo employers signed in asking for their needs' matches", res.Fixture)
	}
	for name, r := range map[string]struct {
		ok, httpErr, transportErr int64
		statuses                  map[int]int64
		first                     string
	}{
		"match":   {res.Match.OK, res.Match.HTTPErrors, res.Match.TransportErrors, res.Match.Statuses, res.Match.FirstError},
		"search":  {res.Search.OK, res.Search.HTTPErrors, res.Search.TransportErrors, res.Search.Statuses, res.Search.FirstError},
		"key":     {okOf(res.Key), 0, 0, statusesOf(res.Key), ""},
		"healthz": {okOf(res.Healthz), 0, 0, statusesOf(res.Healthz), ""},
	} {
		if r.ok < 20 || r.httpErr != 0 || r.transportErr != 0 {
			t.Errorf("%s: %d ok, %d HTTP errors, %d transport errors (%s); want only 2xx answers", name, r.ok, r.httpErr, r.transportErr, r.first)
		}
		if r.statuses[200] != r.ok {
			t.Errorf("%s: statuses %v, want all 200", name, r.statuses)
		}
	}
	if res.Match.Latency.P99 <= 0 || res.Search.Latency.P99 <= 0 {
		t.Errorf("p99 = %s (match), %s (search); want both measured", res.Match.Latency.P99, res.Search.Latency.P99)
	}
	w := res.Writes
	if w.Written < 3 || w.Errors != 0 || w.Visible != w.Written || w.NotVisible != 0 {
		t.Errorf("Writes = %+v, want several needs written and every one found by the search (%s)", w, w.FirstError)
	}
	if w.Searchable.N != w.Written || w.Searchable.P99 <= 0 || w.Searchable.P99 >= cfg.withDefaults().VisibleTimeout {
		t.Errorf("Writes.Searchable = %+v, want one sample per write, under the time limit", w.Searchable)
	}
	if b := res.AuthBurst; b == nil || b.Requests != DefaultBurst || b.PeakMiB <= 0 || b.Statuses[201] == 0 || b.Statuses[200] == 0 {
		t.Errorf("AuthBurst = %+v, want the default burst with registrations and sign-ins done and a peak", b)
	}
	m := res.Memory
	if m.ReadyRSSMiB <= 0 || m.PeakMiB <= 0 || m.PeakMiB < m.ReadyHWMMiB {
		t.Errorf("Memory = %+v, want positive sizes and a peak no lower than at ready", m)
	}
	// The server was stopped with SIGTERM and shut down in order.
	log, err := os.ReadFile(res.ServerLog)
	if err != nil || !strings.Contains(string(log), `"msg":"shutting down"`) {
		t.Errorf("server log %s has no orderly shutdown (%v)", res.ServerLog, err)
	}
}

func okOf(r *load.Result) int64 {
	if r == nil {
		return 0
	}
	return r.OK
}

func statusesOf(r *load.Result) map[int]int64 {
	if r == nil {
		return nil
	}
	return r.Statuses
}

// TestRunOnePhaseWithProfile: Config.Phases runs only the phases named,
// and ProfileDir receives the server's CPU profile of each one run.
func TestRunOnePhaseWithProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	res, err := Run(ctx, Config{Binary: buildBinary(t), DataDir: filepath.Join(dir, "data"), Profiles: 100, Needs: 40, Seed: 7,
		Concurrency: 4, Phase: 2 * time.Second, Warmup: -1, Employers: -1, Burst: -1, Phases: []string{PhaseKey},
		ProfileDir: filepath.Join(dir, "prof"), Progress: &testProgress{t: t, begin: time.Now()}})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if res.Key == nil || res.Key.OK == 0 || res.Key.OK != res.Key.Statuses[200] {
		t.Errorf("Key = %+v, want key reads answered 200", res.Key)
	}
	if res.Healthz != nil || res.Match.Requests != 0 || res.Search.Requests != 0 || res.Writes.Written != 0 || res.AuthBurst != nil {
		t.Errorf("phases not asked for ran: healthz %v, match %d, search %d requests, %d writes, burst %v",
			res.Healthz, res.Match.Requests, res.Search.Requests, res.Writes.Written, res.AuthBurst)
	}
	if fi, err := os.Stat(filepath.Join(dir, "prof", PhaseKey+".pprof")); err != nil || fi.Size() == 0 {
		t.Errorf("key phase profile: %v, %v; want a non-empty file", fi, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "prof", PhaseMatch+".pprof")); err == nil {
		t.Error("a profile of the match phase, which did not run")
	}
}

// testProgress logs each progress line with the time since the start.
type testProgress struct {
	t     *testing.T
	begin time.Time
}

func (p *testProgress) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		p.t.Logf("%5.1fs %s", time.Since(p.begin).Seconds(), line)
	}
	return len(b), nil
}

// TestCityScale is the measurement: 10,000 profiles and 3,000
// needs, 30 s per phase at concurrency 32. It takes minutes, so it runs
// only when asked, and without -race, which would slow the load driver
// that shares the machine with the server:
//
//	SERVEBENCH_CITY=1 go test -run TestCityScale -timeout 30m -v ./internal/perf/servebench/
func TestCityScale(t *testing.T) {
	if os.Getenv("SERVEBENCH_CITY") == "" {
		t.Skip("set SERVEBENCH_CITY=1 to run the city-scale benchmark")
	}
	progress := &testProgress{t: t, begin: time.Now()}
	res, err := Run(context.Background(), Config{Binary: buildBinary(t), DataDir: filepath.Join(t.TempDir(), "data"),
		Profiles: 10_000, Needs: 3_000, Seed: 1, Progress: progress})
	b, _ := json.MarshalIndent(res, "", "  ")
	t.Logf("result:\n%s", b)
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
}

func TestRunRefusesUsedDataDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Config{Binary: "/nonexistent", DataDir: dir, Needs: 10})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("Run(used data dir) error = %v, want it refused as not empty", err)
	}
}

func TestReadProcMemory(t *testing.T) {
	m, err := ReadProcMemory(os.Getpid())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if m.RSS <= 0 || m.HWM < m.RSS {
		t.Errorf("ReadProcMemory(self) = %+v, want 0 < RSS <= HWM", m)
	}
	if _, err := ReadProcMemory(-1); err == nil {
		t.Error("ReadProcMemory(-1) error = nil, want an error")
	}
}

func TestParseKB(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"\t  123456 kB", 123456 << 10, true},
		{" 0 kB", 0, true},
		{" 12 MB", 0, false},
		{" kB", 0, false},
	}
	for _, tt := range tests {
		got, err := parseKB(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("parseKB(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestRandomEIKIsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		if e := randomEIK(rng); !register.ValidEIK(e) {
			t.Fatalf("randomEIK() = %s, not a valid EIK", e)
		}
	}
}

func TestSearchQueries(t *testing.T) {
	needs := []client.Need{
		{Title: "Стаж: медицински асистент, хирургия", Location: client.NeedLocation{Municipality: "Хасково", Lat: 41.93, Lon: 25.55},
			Skills: []client.SkillRequirement{{ID: "s1"}, {ID: "s2"}}},
		{Title: "Software developer", Location: client.NeedLocation{Municipality: "Димитровград", Lat: 42.05, Lon: 25.6},
			Skills: []client.SkillRequirement{{ID: "s3"}}},
	}
	facets := map[string]map[string]int{"municipality": {"Хасково": 1, "Димитровград": 1}, "sector": {"healthcare": 1, "digital": 1}}
	qs := searchQueries(needs, facets, 1)
	if len(qs) < 50 {
		t.Fatalf("searchQueries() = %d queries, want a varied set of at least 50", len(qs))
	}
	seen := map[string]bool{}
	for _, q := range qs {
		v, err := url.ParseQuery(q)
		if err != nil {
			t.Fatalf("query %q does not parse: %v", q, err)
		}
		for k := range v {
			seen[k] = true
		}
	}
	for _, k := range []string{"q", "kind", "municipality", "sector", "near", "radiusKm", "skill", "page", "pageSize"} {
		if !seen[k] {
			t.Errorf("searchQueries() uses no %q parameter", k)
		}
	}
	if again := searchQueries(needs, facets, 1); strings.Join(again, "&") != strings.Join(qs, "&") {
		t.Error("searchQueries() differs for the same seed, want it deterministic")
	}
	if got := titleWords("Стаж: медицински асистент, хирургия"); got != "стаж медицински" {
		t.Errorf(`titleWords("Стаж: медицински асистент, хирургия") = %q, want "стаж медицински"`, got)
	}
}
