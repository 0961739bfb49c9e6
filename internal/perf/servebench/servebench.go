// Package servebench measures the product end to end as it is deployed:
// the real binary, its embedded store, over loopback HTTP. At a given
// scale it loads the demo data with `skillsmatch demo`, creates an officer
// with `skillsmatch user add`, starts `skillsmatch serve`, and then drives
// a closed-loop load (internal/perf/load) at the matching and the public
// search endpoints, while a writer creates needs through the API and
// times how soon the search finds them. It also reports the time to ready
// and the server's peak resident memory.
//
// The load driver runs in this process, on the same machine as the
// server: on a small machine the two share the cores, so the figures are
// a floor, not the server's ceiling.
package servebench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/perf/load"
	"github.com/careget/skillsmatch/pkg/client"
)

// Config is a run: the binary, where its data goes, the scale and the
// load. Zero fields take the defaults given.
type Config struct {
	Binary  string // path to a built skillsmatch binary; required
	DataDir string // a fresh (absent or empty) data directory; required

	Profiles int    // demo job-seekers
	Needs    int    // demo skills needs
	Seed     uint64 // demo seed; 0 means 1

	Concurrency int           // workers of each load phase; default 32
	Phase       time.Duration // measured time of each load phase; default 30 s
	Warmup      time.Duration // unmeasured time before each phase; default 3 s; negative for none

	WriteEvery     time.Duration // the writer's pace during the match phase; default 200 ms
	VisibleTimeout time.Duration // a write not searchable by then is counted as not visible; default 10 s
	Employers      int           // demo employers who sign in and ask for their needs' matches; default 20, negative for none
	ReadyTimeout   time.Duration // for the server to be ready (it indexes the data first); default 10 min
	Burst          int           // registrations and sign-ins of the auth burst, sent at once; default DefaultBurst, negative for none

	// Progress is told what the run is doing, one line per step, and
	// gets the one-off commands' output; nil discards it.
	Progress io.Writer
	// ServerLog is where the server's log goes; empty means
	// servebench.log in DataDir.
	ServerLog string
	// Phases are the load phases to run (see AllPhases); empty runs all.
	Phases []string
	// ProfileDir, if set, receives a CPU profile of the server for each
	// phase run (<phase>.pprof), taken over its loopback pprof listener.
	ProfileDir string
	// Env is added to the binary's environment, which otherwise is this
	// process's without MONGODB_URI and SKILLSMATCH_* (so the embedded
	// store is what is measured).
	Env []string
}

// Defaults of Config.
const (
	DefaultConcurrency    = load.DefaultConcurrency
	DefaultPhase          = 30 * time.Second
	DefaultWarmup         = 3 * time.Second
	DefaultWriteEvery     = 200 * time.Millisecond
	DefaultVisibleTimeout = 10 * time.Second
	DefaultEmployers      = 20
	DefaultReadyTimeout   = 10 * time.Minute
)

func (c Config) withDefaults() Config {
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Phase <= 0 {
		c.Phase = DefaultPhase
	}
	switch {
	case c.Warmup == 0:
		c.Warmup = DefaultWarmup
	case c.Warmup < 0:
		c.Warmup = 0
	}
	if c.WriteEvery <= 0 {
		c.WriteEvery = DefaultWriteEvery
	}
	if c.VisibleTimeout <= 0 {
		c.VisibleTimeout = DefaultVisibleTimeout
	}
	if c.Employers == 0 {
		c.Employers = DefaultEmployers
	}
	if c.ReadyTimeout <= 0 {
		c.ReadyTimeout = DefaultReadyTimeout
	}
	if c.Burst == 0 {
		c.Burst = DefaultBurst
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	if c.ServerLog == "" {
		c.ServerLog = filepath.Join(c.DataDir, "servebench.log")
	}
	return c
}

// Result is everything a run measured.
type Result struct {
	Scale   Scale    `json:"scale"`
	Demo    DemoLoad `json:"demo"`
	Startup Startup  `json:"startup"`
	Fixture Fixture  `json:"fixture"`
	// Healthz is GET /healthz: the served binary's floor on this box.
	Healthz *load.Result `json:"healthz,omitempty"`
	// Key is the anonymous key read GET /api/v1/needs/{id} over the
	// public needs.
	Key *load.Result `json:"key,omitempty"`
	// Match is GET /api/v1/needs/{id}/matches over the public needs
	// (forecasts aside), half as the officer, half as the owning
	// employer where one signed in; the writer ran meanwhile.
	Match load.Result `json:"match"`
	// Search is the anonymous GET /api/v1/needs over Fixture.Queries
	// queries.
	Search load.Result `json:"search"`
	Writes Writes      `json:"writes"`
	Memory Memory      `json:"memory"`
	// AuthBurst is the last phase: registrations and sign-ins at once,
	// with the peak memory they cause (measured after Memory, whose peak
	// is the load phases').
	AuthBurst *AuthBurst `json:"authBurst,omitempty"`
	// ServerLog is the server's log file, for a look at what it did.
	ServerLog string `json:"serverLog"`
}

// Scale is the size of the demo data set.
type Scale struct {
	Profiles int    `json:"profiles"`
	Needs    int    `json:"needs"`
	Seed     uint64 `json:"seed"`
}

// Startup is how the server came up.
type Startup struct {
	// ReadySeconds is from starting the process to the first 200 from
	// GET /readyz: opening the store, indexing the data, listening.
	ReadySeconds float64 `json:"readySeconds"`
	Reindexed    int     `json:"reindexed"`        // documents the server made searchable at start: needs indexed, profiles loaded (its log)
	CatchUp      string  `json:"catchUp"`          // how long that took (its log)
	StopSeconds  float64 `json:"stopSeconds"`      // from SIGTERM to exit
	Listen       string  `json:"listen,omitempty"` // where it listened
}

// Fixture is what the load ran over.
type Fixture struct {
	PublicNeeds       int `json:"publicNeeds"`       // open needs of verified employers, as the search lists them
	MatchedNeeds      int `json:"matchedNeeds"`      // of those, the ones the match phase rotates over
	EmployersSignedIn int `json:"employersSignedIn"` // demo employers asking for their own needs' matches
	EmployerNeeds     int `json:"employerNeeds"`     // the needs they rotate over
	Queries           int `json:"queries"`           // distinct search queries
}

// Memory is the server's resident memory (VmRSS, VmHWM) in MiB.
type Memory struct {
	ReadyRSSMiB float64 `json:"readyRssMiB"` // once ready, before any load
	ReadyHWMMiB float64 `json:"readyHwmMiB"` // peak until then: indexing at start
	EndRSSMiB   float64 `json:"endRssMiB"`   // after the load
	PeakMiB     float64 `json:"peakMiB"`     // VmHWM after the load: the peak of the whole run
}

// Run measures the binary at the configured scale. It stops the server
// (SIGTERM) before it returns, also on failure.
func Run(ctx context.Context, cfg Config) (res Result, err error) {
	if cfg.Binary == "" || cfg.DataDir == "" {
		return Result{}, errors.New("servebench: Binary and DataDir are required")
	}
	if cfg.Profiles < 0 || cfg.Needs <= 0 {
		return Result{}, errors.New("servebench: want Profiles >= 0 and Needs > 0")
	}
	cfg = cfg.withDefaults()
	if err := freshDir(cfg.DataDir); err != nil {
		return Result{}, err
	}
	// The bench measures throughput, not the employers' daily bound on
	// candidate reads, which its few signed-in employers would hit at once.
	prof, profEnv, err := newProfiler(cfg.ProfileDir)
	if err != nil {
		return Result{}, err
	}
	env := childEnv(append(append([]string{"SKILLSMATCH_CARD_READS_PER_NEED=1000000000", "SKILLSMATCH_CARD_READS_PER_EMPLOYER=1000000000"}, profEnv...), cfg.Env...))
	res = Result{Scale: Scale{Profiles: cfg.Profiles, Needs: cfg.Needs, Seed: cfg.Seed}, ServerLog: cfg.ServerLog}
	step := func(format string, args ...any) { fmt.Fprintf(cfg.Progress, "servebench: "+format+"\n", args...) }

	step("demo: %d profiles, %d needs, seed %d", cfg.Profiles, cfg.Needs, cfg.Seed)
	if res.Demo, err = runDemo(ctx, cfg.Binary, cfg.DataDir, cfg, env, cfg.Progress); err != nil {
		return res, err
	}
	if err := addOfficer(ctx, cfg.Binary, cfg.DataDir, officerEmail, benchPassword, env, cfg.Progress); err != nil {
		return res, err
	}

	step("starting the server (log: %s)", cfg.ServerLog)
	// Long access tokens, so that a long phase never meets an expired one.
	// No retention job: its first look, a minute after the start, scans the
	// tokens, needs and profiles for old tombstones — an hourly job, not a
	// request — and would land in whichever phase runs then.
	srv, err := startServer(cfg.Binary, append(burstServeArgs(cfg.DataDir), "--retention-every", "0"), env, cfg.ServerLog)
	if err != nil {
		return res, err
	}
	defer func() {
		begin := time.Now()
		if serr := srv.stop(30 * time.Second); serr != nil {
			err = errors.Join(err, serr)
		}
		res.Startup.StopSeconds = time.Since(begin).Seconds()
	}()
	ready, err := srv.waitReady(ctx, cfg.ReadyTimeout)
	if err != nil {
		return res, err
	}
	res.Startup = Startup{ReadySeconds: ready.Seconds(), Reindexed: srv.startup.Reindexed, CatchUp: srv.startup.CatchUp, Listen: srv.startup.Addr}
	m, err := ReadProcMemory(srv.pid())
	if err != nil {
		return res, err
	}
	res.Memory.ReadyRSSMiB, res.Memory.ReadyHWMMiB = mib(m.RSS), mib(m.HWM)
	step("ready in %.1f s at %s, %.0f MiB", ready.Seconds(), srv.base, mib(m.RSS))

	hc := load.NewClient(cfg.Concurrency)
	fx, err := prepare(ctx, srv.base, hc, cfg)
	if err != nil {
		return res, err
	}
	_, employerNeeds := matchSource(srv.base, fx, cfg.Concurrency)
	queries := searchQueries(fx.needs, fx.facets, cfg.Seed)
	res.Fixture = Fixture{PublicNeeds: len(fx.needs), MatchedNeeds: len(fx.match), EmployersSignedIn: len(fx.employerTokens),
		EmployerNeeds: employerNeeds, Queries: len(queries)}
	lcfg := load.Config{Concurrency: cfg.Concurrency, Warmup: cfg.Warmup, Duration: cfg.Phase, Client: hc}

	if err := runPhases(ctx, cfg, srv.base, fx, lcfg, prof, queries, &res, step); err != nil {
		return res, err
	}

	if m, err = ReadProcMemory(srv.pid()); err != nil {
		return res, err
	}
	res.Memory.EndRSSMiB, res.Memory.PeakMiB = mib(m.RSS), mib(m.HWM)
	step("peak RSS %.0f MiB", res.Memory.PeakMiB)

	if cfg.Burst > 0 {
		step("auth burst: %d registrations and sign-ins at once, each from its own address", cfg.Burst)
		b, err := authBurst(ctx, srv, cfg.Burst, officerEmail, benchPassword)
		if err != nil {
			return res, err
		}
		res.AuthBurst = &b
		step("auth burst: %v in %.1f s; peak RSS %.0f MiB (from %.0f)", b.Statuses, b.Seconds, b.PeakMiB, b.BeforeRSSMiB)
	}
	step("stopping the server")
	return res, nil
}

// runPhases runs the configured load phases in turn, each profiled when
// the config asks for it.
func runPhases(ctx context.Context, cfg Config, base string, fx *fixture, lcfg load.Config, prof *profiler,
	queries []string, res *Result, step func(string, ...any)) error {
	phase := func(name string, src load.Source) (load.Result, error) {
		wait := prof.during(ctx, name, cfg.Warmup, cfg.Phase)
		r, err := load.Run(ctx, lcfg, src)
		if perr := wait(); perr != nil {
			step("%s: no CPU profile: %v", name, perr)
		}
		if err == nil {
			step("%s: %.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors", name, r.RequestsPerSec, ms(r.Latency.P50),
				ms(r.Latency.P99), r.HTTPErrors+r.TransportErrors)
		}
		return r, err
	}
	if cfg.runs(PhaseHealthz) {
		step("healthz phase")
		r, err := phase(PhaseHealthz, healthzSource(base))
		if err != nil {
			return err
		}
		res.Healthz = &r
	}
	if cfg.runs(PhaseKey) {
		step("key phase: %d public needs by id", len(fx.needs))
		r, err := phase(PhaseKey, keySource(base, fx, cfg.Concurrency))
		if err != nil {
			return err
		}
		res.Key = &r
	}
	if cfg.runs(PhaseMatch) {
		matchSrc, _ := matchSource(base, fx, cfg.Concurrency)
		step("match phase: %d needs, %s + %s warm-up, concurrency %d, a write every %s",
			len(fx.match), cfg.Phase, cfg.Warmup, cfg.Concurrency, cfg.WriteEvery)
		w := newWriter(fx, client.New(base, client.WithHTTPClient(load.NewClient(1))), cfg.WriteEvery, cfg.VisibleTimeout)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { res.Writes = w.run(ctx, stop) })
		var err error
		res.Match, err = phase(PhaseMatch, matchSrc)
		close(stop)
		wg.Wait()
		if err != nil {
			return err
		}
		step("writes searchable p99 %.1f ms", ms(res.Writes.Searchable.P99))
	}
	if cfg.runs(PhaseSearch) {
		step("search phase: %d queries", len(queries))
		var err error
		if res.Search, err = phase(PhaseSearch, searchSource(base, queries, cfg.Concurrency)); err != nil {
			return err
		}
	}
	return nil
}

// matchSource asks for the matches of the public needs in turn: even
// requests as the officer over all of them, odd ones as the owning
// employer over the needs of the employers who signed in (as the officer
// if none did). It returns how many needs the employers rotate over.
func matchSource(base string, fx *fixture, concurrency int) (load.Source, int) {
	type call struct{ url, auth string }
	officer := make([]call, len(fx.match))
	var employer []call
	for i, n := range fx.match {
		u := base + "/api/v1/needs/" + url.PathEscape(n.ID) + "/matches?limit=20"
		officer[i] = call{u, "Bearer " + fx.officerToken}
		if tok := fx.employerTokens[n.EmployerID]; tok != "" {
			employer = append(employer, call{u, "Bearer " + tok})
		}
	}
	employerNeeds := len(employer)
	if employerNeeds == 0 {
		employer = officer
	}
	return func(worker, i int) *http.Request {
		k := i*concurrency + worker // consecutive requests of all workers ask for different needs
		c := officer[(k/2)%len(officer)]
		if k%2 == 1 {
			c = employer[(k/2)%len(employer)]
		}
		req, _ := http.NewRequest(http.MethodGet, c.url, nil)
		req.Header.Set("Authorization", c.auth)
		req.Header.Set("Accept", "application/json")
		return req
	}, employerNeeds
}

// searchSource sends the queries in turn, anonymously, as the public does.
func searchSource(base string, queries []string, concurrency int) load.Source {
	urls := make([]string, len(queries))
	for i, q := range queries {
		urls[i] = base + "/api/v1/needs?" + q
	}
	return func(worker, i int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, urls[(i*concurrency+worker)%len(urls)], nil)
		req.Header.Set("Accept", "application/json")
		return req
	}
}

// freshDir makes sure dir is absent or empty, and exists: a benchmark on
// yesterday's data measures yesterday's data.
func freshDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o700)
	case err != nil:
		return fmt.Errorf("servebench: data dir: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("servebench: data dir %s is not empty; want a fresh one", dir)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
