package servebench

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/pkg/client"
)

// fixture is what the load phases take from the running server: the
// public needs, the tokens of the people who ask for matches, and an
// employer who writes.
type fixture struct {
	needs          []client.Need             // every public need, from the search listing
	facets         map[string]map[string]int // of the whole listing
	match          []client.Need             // the public needs that are matched (not forecasts)
	officerToken   string
	employerTokens map[string]string // demo employer id → its account's access token
	writer         *client.Client    // signed in as the member of a verified employer made for the run
	writerEmployer string
}

// The benchmark's own accounts. The data directory is fresh, so the
// addresses are free.
const (
	officerEmail    = "bench.officer@example.bg"
	writerEmail     = "bench.writer@example.bg"
	benchPassword   = "bench-parola-2026-load"
	listingPageSize = 100
)

// prepare signs in, lists the public needs and makes the writer's employer.
func prepare(ctx context.Context, base string, hc *http.Client, cfg Config) (*fixture, error) {
	f := &fixture{employerTokens: map[string]string{}}
	officer := client.New(base, client.WithHTTPClient(hc))
	tok, err := officer.Login(ctx, officerEmail, benchPassword)
	if err != nil {
		return nil, fmt.Errorf("sign in as the officer: %w", err)
	}
	f.officerToken = tok.AccessToken
	if f.needs, f.facets, err = listPublicNeeds(ctx, client.New(base, client.WithHTTPClient(hc))); err != nil {
		return nil, err
	}
	for _, n := range f.needs {
		if n.Kind != "forecast" { // forecasts are counted, never matched: their matches cost nothing
			f.match = append(f.match, n)
		}
	}
	if len(f.match) == 0 {
		return nil, fmt.Errorf("no public needs to match among %d public needs: is the demo data set too small?", len(f.needs))
	}
	if err := f.signInEmployers(ctx, base, hc, cfg); err != nil {
		return nil, err
	}
	if err := f.makeWriter(ctx, base, hc, officer); err != nil {
		return nil, err
	}
	return f, nil
}

// listPublicNeeds pages through the public search without a query: every
// open need of a verified employer, as anyone sees them.
func listPublicNeeds(ctx context.Context, anon *client.Client) ([]client.Need, map[string]map[string]int, error) {
	var needs []client.Need
	var facets map[string]map[string]int
	for page := 1; page <= 1000; page++ {
		p, err := anon.SearchNeeds(ctx, client.NeedQuery{Page: page, PageSize: listingPageSize})
		if err != nil {
			return nil, nil, fmt.Errorf("list public needs, page %d: %w", page, err)
		}
		if page == 1 {
			facets = p.Facets
		}
		needs = append(needs, p.Items...)
		if len(p.Items) < listingPageSize || len(needs) >= p.Total {
			break
		}
	}
	return needs, facets, nil
}

// signInEmployers signs in as the demo employers with the most public
// needs, up to cfg.Employers, so that matches are also asked for by the
// owning employer. The API lists no one's e-mail, so the accounts come
// from the demo generator itself: the same seed and size give the same
// employers. An account that does not sign in (a binary built from other
// sources) is skipped; the officer then asks for those needs' matches.
func (f *fixture) signInEmployers(ctx context.Context, base string, hc *http.Client, cfg Config) error {
	if cfg.Employers <= 0 {
		return nil
	}
	emails, err := demoEmployerEmails(cfg)
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, n := range f.match {
		count[n.EmployerID]++
	}
	ids := make([]string, 0, len(count))
	for id := range count {
		if emails[id] != "" {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(count[b]-count[a], strings.Compare(a, b)) })
	for _, id := range ids[:min(len(ids), cfg.Employers)] {
		tok, err := client.New(base, client.WithHTTPClient(hc)).Login(ctx, emails[id], demo.DemoPassword)
		if client.IsStatus(err, http.StatusUnauthorized) {
			continue
		}
		if client.IsStatus(err, http.StatusTooManyRequests) {
			break // the sign-in throttle: the officer asks for the rest
		}
		if err != nil {
			return fmt.Errorf("sign in as demo employer %s: %w", emails[id], err)
		}
		f.employerTokens[id] = tok.AccessToken
	}
	return nil
}

// demoEmployerEmails returns each demo employer's account e-mail by
// employer id. Employers are drawn from their own random stream, before
// needs and people, so generating no profiles gives the same employers.
func demoEmployerEmails(cfg Config) (map[string]string, error) {
	tx, err := taxonomy.Load()
	if err != nil {
		return nil, err
	}
	// The scope follows the number of profiles (demo.Config.Resolve), and
	// employers depend on it: resolve it as the full data set would.
	scope := demo.Config{Profiles: cfg.Profiles, Needs: cfg.Needs}.Resolve()
	data := demo.Generate(tx, demo.Config{Needs: cfg.Needs, Seed: cfg.Seed, Today: time.Now().UTC(), Scope: scope})
	out := map[string]string{}
	for _, u := range data.Users {
		if u.Role == auth.RoleEmployer && len(u.EmployerIDs) == 1 {
			out[u.EmployerIDs[0]] = u.Email
		}
	}
	return out, nil
}

// makeWriter registers an employer account and its company through the
// API, as a new employer would, and has the officer verify the company:
// only a verified employer's needs are public.
func (f *fixture) makeWriter(ctx context.Context, base string, hc *http.Client, officer *client.Client) error {
	w := client.New(base, client.WithHTTPClient(hc))
	if _, err := w.Register(ctx, client.NewUser{Email: writerEmail, Password: benchPassword, Role: "employer", Name: "Benchmark Writer"}); err != nil {
		return fmt.Errorf("register the writer: %w", err)
	}
	if _, err := w.Login(ctx, writerEmail, benchPassword); err != nil {
		return fmt.Errorf("sign in as the writer: %w", err)
	}
	at := f.match[0] // a real need's place and sector
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var emp client.Employer
	var err error
	for range 5 { // a random EIK may be a demo employer's: draw again
		emp, err = w.CreateEmployer(ctx, client.NewEmployer{Name: "Бенчмарк Записи ЕООД", EIK: randomEIK(rng), Sector: at.Sector,
			Municipality: at.Location.Municipality, Location: client.GeoPoint{Lat: at.Location.Lat, Lon: at.Location.Lon}})
		if !client.IsStatus(err, http.StatusConflict) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("create the writer's employer: %w", err)
	}
	if _, err := officer.VerifyEmployer(ctx, emp.ID, true, "benchmark"); err != nil {
		return fmt.Errorf("verify the writer's employer: %w", err)
	}
	f.writer, f.writerEmployer = w, emp.ID
	return nil
}

// randomEIK returns a valid 9-digit company UIC: the Registry Agency's
// check digit over eight random digits (the first 1 or 2).
func randomEIK(rng *rand.Rand) string {
	d := make([]int, 9)
	d[0] = 1 + rng.IntN(2)
	for i := 1; i < 8; i++ {
		d[i] = rng.IntN(10)
	}
	sum := func(w0 int) int {
		s := 0
		for i, x := range d[:8] {
			s += x * (w0 + i)
		}
		return s % 11
	}
	switch {
	case sum(1) != 10:
		d[8] = sum(1)
	case sum(3) != 10:
		d[8] = sum(3)
	}
	var b strings.Builder
	for _, x := range d {
		b.WriteByte(byte('0' + x))
	}
	return b.String()
}
