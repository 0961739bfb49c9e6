package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/perf"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/prometheus/client_golang/prometheus"
)

// cityBench is the product at city scale (perf.City of the demo data: 10,000
// job-seekers, 3,000 needs, city scope) on a fresh embedded store and index,
// served without a network.
type cityBench struct {
	data demo.Data
	svc  app.Services
	deps httpapi.Deps
	h    http.Handler
}

// newCityBench loads the demo data, indexes it and wires the product;
// tune changes the services before the HTTP side is built.
func newCityBench(b *testing.B, tune func(*app.Services)) cityBench {
	b.Helper()
	ctx := context.Background()
	tx, err := taxonomy.Load()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	data := demo.Generate(tx, demo.Config{Profiles: perf.City.Profiles, Needs: perf.City.Needs, Seed: perf.City.Seed,
		Today: now, Scope: demo.ScopeCity})
	st := storetest.Open(b)
	if err := st.EnsureIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	if err := st.BulkLoad(ctx, store.BulkData{Users: data.Users, Employers: data.Employers, Needs: data.Needs, Profiles: data.Profiles}, nil); err != nil {
		b.Fatal(err)
	}
	ix, err := search.Open(b.TempDir(), tx, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ix.Close() })
	if err := ix.CatchUp(ctx, st.Source(), nil); err != nil {
		b.Fatal(err)
	}
	clock := func() time.Time { return now }
	signer, err := auth.NewSigner(bytes.Repeat([]byte{7}, 32), "skillsmatch", 15*time.Minute, clock)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := app.Wire(ctx, st, tx, ix, signer, time.Hour, clock)
	if err != nil {
		b.Fatal(err)
	}
	if tune != nil {
		tune(&svc)
	}
	deps := svc.Deps(slog.New(slog.DiscardHandler), st, tx, ix, prometheus.NewRegistry(),
		[]byte("test pseudonym key, 32 bytes...."), nil)
	h, err := httpapi.New(deps)
	if err != nil {
		b.Fatal(err)
	}
	return cityBench{data: data, svc: svc, deps: deps, h: h}
}

// get serves path to the session sid.
func (cb cityBench) get(path, sid string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: "sid", Value: sid})
	rec := httptest.NewRecorder()
	cb.h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkCandidatesPage is the server time to render an employer's
// /employer/needs/{id}/candidates at city scale: the ranking of the need's
// candidates (20 cards, put into words), the employer's referral requests,
// and three referred candidates with their contact details (each read
// audited), through the whole server but without a network:
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCandidatesPage -benchtime 50x
//
// The need is the open need of a verified employer, among the first 200,
// whose ranking returns the most cards. The day's bound on card reads is
// lifted, as `make bench` does.
func BenchmarkCandidatesPage(b *testing.B) {
	ctx := context.Background()
	cb := newCityBench(b, func(s *app.Services) {
		s.CardLimits = candidate.Limits{PerNeed: 1 << 40, PerEmployer: 1 << 40}
	})
	verified := map[string]bool{}
	member := map[string]auth.User{}
	for _, e := range cb.data.Employers {
		verified[e.ID] = e.Verified
	}
	for _, u := range cb.data.Users {
		if u.Role == auth.RoleEmployer && len(u.EmployerIDs) == 1 {
			member[u.EmployerIDs[0]] = u
		}
	}
	officer := auth.Principal{UserID: "bench-officer", Role: auth.RoleOfficer}
	var best register.Need
	most := -1
	for _, n := range cb.data.Needs[:min(200, len(cb.data.Needs))] {
		if n.Status != register.StatusOpen || n.Kind == register.KindForecast || !verified[n.EmployerID] {
			continue
		}
		cards, err := cb.deps.Candidates.Cards(ctx, officer, n.ID, candidate.Query{Limit: 20, Lang: "bg"})
		if err == nil && len(cards) > most {
			best, most = n, len(cards)
		}
	}
	if most < 1 {
		b.Fatal("no open need of a verified employer has candidates")
	}
	// Three of its candidates referred, as an officer would.
	cards, _ := cb.deps.Candidates.Cards(ctx, officer, best.ID, candidate.Query{Limit: 20, Lang: "bg"})
	referred := 0
	for _, c := range cards {
		if referred == 3 {
			break
		}
		if _, err := cb.svc.Matches.Refer(ctx, officer, match.Referral{NeedID: best.ID, ProfileID: c.Card.ProfileID}); err == nil {
			referred++
		}
	}
	sid, _, err := cb.svc.WebSessions.Start(ctx, member[best.EmployerID])
	if err != nil {
		b.Fatal(err)
	}
	path := "/employer/needs/" + best.ID + "/candidates"
	first := cb.get(path, sid)
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), `id="card-`) {
		b.Fatalf("GET %s = %d, want a page of cards:\n%.2000s", path, first.Code, first.Body.String())
	}
	b.ResetTimer()
	for b.Loop() {
		if rec := cb.get(path, sid); rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", path, rec.Code)
		}
	}
	b.ReportMetric(float64(strings.Count(first.Body.String(), `id="card-`)), "cards")
	b.ReportMetric(float64(referred), "referred")
	b.ReportMetric(float64(first.Body.Len()), "html-bytes")
}
