package perf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/perf/pgpeer"
	"github.com/careget/skillsmatch/internal/perf/plainbleve"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/score"
)

// postgres is the second peer: a throwaway PostgreSQL cluster holding the
// same data, skills as text arrays with a GIN index.
type postgres struct {
	srv   *pgpeer.Server
	db    *pgpeer.DB
	tx    search.Taxonomy
	maxKm float64
}

// startPostgres starts a cluster under dir and loads d into it.
func startPostgres(ctx context.Context, dir string, tx search.Taxonomy, d *demo.Data) (*postgres, time.Duration, error) {
	srv, err := pgpeer.Start(ctx, dir)
	if err != nil {
		return nil, 0, err
	}
	db, err := pgpeer.Open(ctx, srv.DSN())
	if err != nil {
		_ = srv.Stop()
		return nil, 0, err
	}
	pg := &postgres{srv: srv, db: db, tx: tx}
	start := time.Now()
	if err := pg.load(ctx, d); err != nil {
		pg.close(ctx)
		return nil, 0, err
	}
	return pg, time.Since(start), nil
}

func (pg *postgres) close(ctx context.Context) {
	_ = pg.db.Close(ctx)
	_ = pg.srv.Stop()
}

func (pg *postgres) load(ctx context.Context, d *demo.Data) error {
	verified := map[string]bool{}
	for _, e := range d.Employers {
		verified[e.ID] = e.Verified
	}
	profiles := make([]pgpeer.ProfileRow, len(d.Profiles))
	for i, p := range d.Profiles {
		pg.maxKm = max(pg.maxKm, float64(p.MaxTravelKm))
		ids := make([]string, len(p.Skills))
		for j, s := range p.Skills {
			ids[j] = s.ID
		}
		profiles[i] = pgpeer.ProfileRow{ID: p.ID, Keys: pg.keys(ids, true), Lat: p.Lat, Lon: p.Lon,
			MaxKm: float64(p.MaxTravelKm), Remote: slices.Contains(p.WorkModes, score.ModeRemote),
			Consent: p.Consent.Matching, Kinds: p.Interests.Kinds, From: p.AvailableFrom, To: p.AvailableTo}
	}
	needs := make([]pgpeer.NeedRow, len(d.Needs))
	for i, n := range d.Needs {
		needs[i] = pgpeer.NeedRow{ID: n.ID, Keys: pg.keys(needSkillIDs(n), true), Lat: n.Location.Lat, Lon: n.Location.Lon,
			Remote: n.WorkMode == score.ModeRemote, Kind: n.Kind, Visible: n.Status == register.StatusOpen && verified[n.EmployerID],
			ApplyBy: n.ApplyBy, Start: n.StartDate, End: n.EndDate}
	}
	if err := pg.db.LoadProfiles(ctx, profiles); err != nil {
		return err
	}
	return pg.db.LoadNeeds(ctx, needs)
}

func needSkillIDs(n register.Need) []string {
	ids := make([]string, len(n.Skills))
	for i, s := range n.Skills {
		ids[i] = s.ID
	}
	return ids
}

// keys are the array elements for skill ids: the ids themselves and, with
// related, "g:" and each one's related concepts (the product's groups
// field), plus the concepts as skills (a broader skill held itself).
func (pg *postgres) keys(ids []string, related bool) []string {
	out := slices.Clone(ids)
	if !related {
		return out
	}
	seen := map[string]bool{}
	add := func(g string) {
		if g != "" && !seen[g] {
			seen[g] = true
			out = append(out, "g:"+g)
		}
	}
	for _, id := range ids {
		add(pg.tx.GroupOf(id))
		for _, b := range pg.tx.Broader(id) {
			add(b)
		}
	}
	return out
}

// queryKeys are what a query asks for: the skills, and with related the
// product's related terms (the stored keys already hold each row's own
// groups; asking for the skill ids as groups finds narrower skills).
func (pg *postgres) queryKeys(ids []string, related bool) []string {
	if !related {
		return ids
	}
	out := pg.keys(ids, true)
	for _, id := range ids {
		out = append(out, "g:"+id)
	}
	for _, k := range pg.keys(ids, true)[len(ids):] {
		out = append(out, k[len("g:"):]) // the broader concept held as a skill
	}
	return out
}

func (pg *postgres) candidates(ctx context.Context, n register.Need, related bool) ([]string, error) {
	return pg.db.Candidates(ctx, pgpeer.CandidateQuery{Keys: pg.queryKeys(needSkillIDs(n), related),
		Lat: n.Location.Lat, Lon: n.Location.Lon, Remote: n.WorkMode == score.ModeRemote, Kind: n.Kind,
		Start: n.StartDate, End: n.EndDate, RadiusKm: pg.maxKm})
}

func (pg *postgres) needs(today string) needRetriever {
	return func(ctx context.Context, p profile.Profile, related bool) ([]string, error) {
		ids := make([]string, len(p.Skills))
		for i, s := range p.Skills {
			ids[i] = s.ID
		}
		return pg.db.Needs(ctx, pgpeer.NeedsQuery{Keys: pg.queryKeys(ids, related), Lat: p.Lat, Lon: p.Lon,
			RadiusKm: float64(p.MaxTravelKm), Remote: slices.Contains(p.WorkModes, score.ModeRemote),
			Kinds: search.WantedKinds(p, ""), Today: today})
	}
}

// backendCPU is the PostgreSQL backend's CPU so far, for the CPU per
// query; a failed read counts as none.
func (pg *postgres) backendCPU() time.Duration {
	d, err := pg.db.BackendCPU()
	if err != nil {
		return 0
	}
	return d
}

// buildPlain indexes d for the plain Bleve peer under dir.
func buildPlain(dir string, tx search.Taxonomy, d *demo.Data) (*plainbleve.Index, time.Duration, error) {
	verified := map[string]bool{}
	for _, e := range d.Employers {
		verified[e.ID] = e.Verified
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, 0, fmt.Errorf("plain bleve dir: %w", err)
	}
	start := time.Now()
	ix, err := plainbleve.Build(filepath.Clean(dir), tx, d.Needs, d.Profiles, func(id string) bool { return verified[id] })
	return ix, time.Since(start), err
}
