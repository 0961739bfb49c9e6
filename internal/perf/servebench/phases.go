package servebench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/perf/load"
)

// The load phases, in the order they run. Config.Phases picks some.
const (
	PhaseHealthz = "healthz" // GET /healthz: the server's floor (router, middleware, no store, no index)
	PhaseKey     = "key"     // GET /api/v1/needs/{id}, anonymous: the key read
	PhaseMatch   = "match"   // GET /api/v1/needs/{id}/matches, with the writer
	PhaseSearch  = "search"  // GET /api/v1/needs?…, anonymous
)

// AllPhases are the phases a Config without Phases runs.
var AllPhases = []string{PhaseHealthz, PhaseKey, PhaseMatch, PhaseSearch}

// ParsePhases reads a comma-separated list of phases; empty means all.
func ParsePhases(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(AllPhases, p) {
			return nil, fmt.Errorf("phase %q: want some of %s", p, strings.Join(AllPhases, ","))
		}
		out = append(out, p)
	}
	return out, nil
}

func (c Config) runs(phase string) bool {
	return len(c.Phases) == 0 || slices.Contains(c.Phases, phase)
}

// keySource reads the public needs by key in turn, anonymously, as anyone
// following a link to a need does.
func keySource(base string, fx *fixture, concurrency int) load.Source {
	urls := make([]string, len(fx.needs))
	for i, n := range fx.needs {
		urls[i] = base + "/api/v1/needs/" + url.PathEscape(n.ID)
	}
	return func(worker, i int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, urls[(i*concurrency+worker)%len(urls)], nil)
		req.Header.Set("Accept", "application/json")
		return req
	}
}

// healthzSource asks GET /healthz: what the server answers with no work.
func healthzSource(base string) load.Source {
	u := base + "/healthz"
	return func(int, int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		return req
	}
}

// profiler takes a CPU profile of the server during each phase, through
// its loopback pprof listener (SKILLSMATCH_PPROF_ADDR), into dir as
// <phase>.pprof.
type profiler struct {
	dir, addr string
}

// newProfiler picks a free loopback port for the server's pprof listener;
// env is what the server must be started with.
func newProfiler(dir string) (*profiler, []string, error) {
	if dir == "" {
		return nil, nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("profile dir: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("a port for pprof: %w", err)
	}
	addr := l.Addr().String()
	l.Close()
	return &profiler{dir: dir, addr: addr}, []string{"SKILLSMATCH_PPROF_ADDR=" + addr}, nil
}

// during profiles the server for the measured part of a phase (after its
// warm-up) and returns a wait for the profile to be written.
func (p *profiler) during(ctx context.Context, phase string, warmup, length time.Duration) func() error {
	if p == nil {
		return func() error { return nil }
	}
	done := make(chan error, 1)
	go func() { done <- p.take(ctx, phase, warmup, length) }()
	return func() error { return <-done }
}

func (p *profiler) take(ctx context.Context, phase string, warmup, length time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(warmup):
	}
	secs := max(1, int(length.Seconds())-1)
	u := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", p.addr, secs)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	res, err := (&http.Client{Timeout: length + time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("profile %s: %w", phase, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("profile %s: %s", phase, res.Status)
	}
	f, err := os.Create(filepath.Join(p.dir, phase+".pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, res.Body)
	return err
}
