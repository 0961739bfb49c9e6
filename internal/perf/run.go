package perf

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/perf/servebench"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// Config is a run of the table.
type Config struct {
	Scales  []Scale
	Queries int    // ranking queries per direction; default 300
	Commit  string // the commit measured, for the report
	// Binary is a built skillsmatch for the HTTP rows; empty skips them.
	Binary string
	// HTTPPhase is each HTTP load phase's length; default 30 s.
	HTTPPhase time.Duration
	// HTTPScales names the scales with HTTP rows (serve's memory is
	// measured there too); default the city.
	HTTPScales map[string]bool
	WorkDir    string // where indexes and databases go; default a temporary directory
	// HTTPOnly skips the indexing, ranking and search rows: only the
	// served binary is measured (quicker, for changes to the served path).
	HTTPOnly bool
	// HTTPPhases are the HTTP load phases to run (servebench.AllPhases);
	// empty runs all.
	HTTPPhases []string
	// ProfileDir, if set, receives a CPU profile of the server per HTTP
	// phase (servebench.Config.ProfileDir), under a directory per scale.
	ProfileDir string
	Progress   io.Writer // one line per step; nil discards
}

// Run measures every row of every scale.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Queries <= 0 {
		cfg.Queries = 300
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	work := cfg.WorkDir
	if work == "" {
		dir, err := os.MkdirTemp("", "skillsmatch-bench-")
		if err != nil {
			return nil, fmt.Errorf("work dir: %w", err)
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	// PostgreSQL runs as its own user, who must be able to reach its
	// directory under work.
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, fmt.Errorf("work dir: %w", err)
	}
	if err := os.Chmod(work, 0o755); err != nil {
		return nil, fmt.Errorf("work dir: %w", err)
	}
	tx, err := taxonomy.Load()
	if err != nil {
		return nil, err
	}
	r := newReport(cfg.Commit)
	for _, sc := range cfg.Scales {
		s, err := runScale(ctx, cfg, tx, sc, filepath.Join(work, sc.Name))
		if err != nil {
			return nil, fmt.Errorf("%s scale: %w", sc.Name, err)
		}
		r.Scales = append(r.Scales, *s)
	}
	return r, nil
}

func runScale(ctx context.Context, cfg Config, tx *taxonomy.Taxonomy, sc Scale, dir string) (*ScaleReport, error) {
	say := func(format string, args ...any) {
		fmt.Fprintf(cfg.Progress, "[%s] "+format+"\n", append([]any{sc.Name}, args...)...)
	}
	out := &ScaleReport{Scale: sc}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("scale dir: %w", err)
	}
	say("generating %d profiles, %d needs", sc.Profiles, sc.Needs)
	start := time.Now()
	d := demo.Generate(tx, demo.Config{Profiles: sc.Profiles, Needs: sc.Needs, Seed: sc.Seed, Scope: scopeOf(sc)})
	out.GenerateSeconds = time.Since(start).Seconds()
	if cfg.HTTPOnly {
		return out, serveRows(ctx, cfg, sc, dir, out, say)
	}

	say("indexing (product)")
	ix, st, err := buildProduct(ctx, filepath.Join(dir, "product"), tx, &d)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	out.Indexing = st

	say("indexing (plain Bleve)")
	plain, took, err := buildPlain(filepath.Join(dir, "plain"), tx, &d)
	if err != nil {
		return nil, err
	}
	defer plain.Close()
	out.PeerIndexing = append(out.PeerIndexing, PeerBuild{System: "plain Bleve", Seconds: took.Seconds()})

	say("loading PostgreSQL")
	pg, took, err := startPostgres(ctx, filepath.Join(dir, "postgres"), tx, &d)
	if err != nil {
		return nil, err
	}
	defer pg.close(ctx)
	out.PeerIndexing = append(out.PeerIndexing, PeerBuild{System: "PostgreSQL", Seconds: took.Seconds()})

	today := demo.DefaultToday.Format(time.DateOnly)
	say("ranking %d needs and %d job-seekers with each system, interleaved", cfg.Queries, cfg.Queries)
	if out.Ranking, err = rankAll(ctx, ix, plain, pg, &d, cfg.Queries, today); err != nil {
		return nil, err
	}
	say("searching")
	if out.Search, err = searchRow(ctx, ix, today, 4*cfg.Queries); err != nil {
		return nil, err
	}
	return out, serveRows(ctx, cfg, sc, dir, out, say)
}

// serveRows measures the served binary at the scale, if the config asks
// for it. A failure is a note: the rows measured so far still stand.
func serveRows(ctx context.Context, cfg Config, sc Scale, dir string, out *ScaleReport, say func(string, ...any)) error {
	if cfg.Binary == "" || !cfg.HTTPScales[sc.Name] {
		return nil
	}
	say("HTTP: demo load, serve, %v per phase", cfg.HTTPPhase)
	profiles := ""
	if cfg.ProfileDir != "" {
		profiles = filepath.Join(cfg.ProfileDir, sc.Name)
	}
	res, err := servebench.Run(ctx, servebench.Config{Binary: cfg.Binary, DataDir: filepath.Join(dir, "serve"),
		Profiles: sc.Profiles, Needs: sc.Needs, Seed: sc.Seed, Phase: cfg.HTTPPhase, Progress: cfg.Progress,
		Phases: cfg.HTTPPhases, ProfileDir: profiles, Burst: burstOf(cfg),
		ReadyTimeout: 45 * time.Minute}) // the national catch-up indexes 600,000 documents
	if err != nil {
		out.Notes = append(out.Notes, fmt.Sprintf("HTTP rows failed: %v", err))
		say("HTTP failed: %v", err)
		return nil
	}
	out.HTTP = &res
	return nil
}

// burstOf skips the auth burst when only some phases are asked for (a
// quick look at the served path), and runs the default one otherwise.
func burstOf(cfg Config) int {
	if len(cfg.HTTPPhases) > 0 {
		return -1
	}
	return 0
}

// system is one ranker under measurement.
type system struct {
	name       string
	candidates func(ctx context.Context, n register.Need) ([]string, error)
	needs      func(ctx context.Context, p profile.Profile) ([]string, error)
	extraCPU   func() time.Duration
	rc, rp     recorder
	sameC      int
	sameP      int
}

// rankAll runs the ranking rows: every system answers the same queries,
// one query at a time, each query by each system in turn (the first
// system changes from query to query), so that a noisy moment costs every
// system alike.
func rankAll(ctx context.Context, ix *search.Index, plain interface {
	Candidates(context.Context, register.Need, bool) ([]string, error)
	Needs(context.Context, profile.Profile, time.Time, bool) ([]string, error)
}, pg *postgres, d *demo.Data, queries int, today string) ([]RankingRow, error) {
	day, _ := time.Parse(time.DateOnly, today)
	systems := []*system{
		{name: "product",
			candidates: func(ctx context.Context, n register.Need) ([]string, error) { return productCandidates(ctx, ix, n) },
			needs:      func(ctx context.Context, p profile.Profile) ([]string, error) { return productNeeds(ctx, ix, p, today) }},
		{name: "plain Bleve",
			candidates: func(ctx context.Context, n register.Need) ([]string, error) {
				return rankNeedsPeer(ctx, ix, plain.Candidates, n)
			},
			needs: func(ctx context.Context, p profile.Profile) ([]string, error) {
				return rankProfilesPeer(ctx, ix, func(ctx context.Context, p profile.Profile, related bool) ([]string, error) {
					return plain.Needs(ctx, p, day, related)
				}, p)
			}},
		{name: "PostgreSQL", extraCPU: pg.backendCPU,
			candidates: func(ctx context.Context, n register.Need) ([]string, error) {
				return rankNeedsPeer(ctx, ix, pg.candidates, n)
			},
			needs: func(ctx context.Context, p profile.Profile) ([]string, error) {
				return rankProfilesPeer(ctx, ix, pg.needs(today), p)
			}},
	}
	needs, people := queryNeeds(d, queries), queryProfiles(d, queries)
	for i, n := range needs {
		if err := interleave(systems, i, func(s *system) (*recorder, *int, func() ([]string, error)) {
			return &s.rc, &s.sameC, func() ([]string, error) { return s.candidates(ctx, n) }
		}); err != nil {
			return nil, fmt.Errorf("need %s: %w", n.ID, err)
		}
	}
	for i, p := range people {
		if err := interleave(systems, i, func(s *system) (*recorder, *int, func() ([]string, error)) {
			return &s.rp, &s.sameP, func() ([]string, error) { return s.needs(ctx, p) }
		}); err != nil {
			return nil, fmt.Errorf("profile %s: %w", p.ID, err)
		}
	}
	var rows []RankingRow
	for dir, pick := range map[string]func(*system) (*recorder, int){
		"need→candidates": func(s *system) (*recorder, int) { return &s.rc, s.sameC },
		"profile→needs":   func(s *system) (*recorder, int) { return &s.rp, s.sameP },
	} {
		base, _ := pick(systems[0])
		baseCPU := base.latency().CPUms
		for _, s := range systems {
			rec, same := pick(s)
			l := rec.latency()
			row := RankingRow{Direction: dir, System: s.name, Latency: l, SameTop10: float64(same) / float64(max(l.Queries, 1))}
			if baseCPU > 0 {
				row.CPURatio = l.CPUms / baseCPU
			}
			rows = append(rows, row)
		}
	}
	sortRows(rows)
	return rows, nil
}

// interleave runs query i with every system, starting with system i mod
// n, and counts agreement with the product's first ten.
func interleave(systems []*system, i int, pick func(*system) (*recorder, *int, func() ([]string, error))) error {
	tops := make([][]string, len(systems))
	for k := range systems {
		j := (i + k) % len(systems)
		rec, _, run := pick(systems[j])
		err := rec.time(func() error {
			var err error
			tops[j], err = run()
			return err
		}, systems[j].extraCPU)
		if err != nil {
			return fmt.Errorf("%s: %w", systems[j].name, err)
		}
	}
	for j, s := range systems {
		if _, same, _ := pick(s); sameTop(tops[0], tops[j], 10) {
			*same++
		}
	}
	return nil
}

func productCandidates(ctx context.Context, ix *search.Index, n register.Need) ([]string, error) {
	ms, err := ix.MatchCandidates(ctx, n, topN, "bg")
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Profile.ID
	}
	return out, err
}

func productNeeds(ctx context.Context, ix *search.Index, p profile.Profile, today string) ([]string, error) {
	ms, err := ix.MatchNeeds(ctx, p, "", topN, "bg", today)
	out := make([]string, len(ms.Items))
	for i, m := range ms.Items {
		out[i] = m.Need.ID
	}
	return out, err
}

func scopeOf(sc Scale) demo.Scope {
	if sc.Name == National.Name {
		return demo.ScopeNational
	}
	return demo.ScopeCity
}

// sortRows keeps the table's order: direction, then product first.
func sortRows(rows []RankingRow) {
	slices.SortStableFunc(rows, func(a, b RankingRow) int { return strings.Compare(b.Direction, a.Direction) })
}
