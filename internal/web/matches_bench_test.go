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
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/perf"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkMatchesPage is the server time to render /me/matches for a
// demo job-seeker at city scale (perf.City: 10,000 job-seekers, 3,000
// needs, city scope), through the whole server (session, language, CSP
// middleware, the ranking, the page) but without a network:
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkMatchesPage -benchtime 50x
//
// The person is the one of the first 100 demo job-seekers with the most
// matches, then near misses, so the page is as full as a demo page gets
// (the ranking asks for opportunity.MaxLimit; the page shows ten of each).
func BenchmarkMatchesPage(b *testing.B) {
	ctx := context.Background()
	data, svc, h := cityServer(b)
	best, most, items, near := data.Users[0], -1, 0, 0
	for _, u := range data.Users[:100] {
		ms, err := svc.Opportunities.ForMe(ctx, auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker},
			opportunity.Query{Limit: opportunity.MaxLimit, Lang: "bg"})
		if n := len(ms.Items)*1000 + len(ms.NearMisses); err == nil && n > most {
			best, most, items, near = u, n, len(ms.Items), len(ms.NearMisses)
		}
	}
	sid, _, err := svc.WebSessions.Start(ctx, best)
	if err != nil {
		b.Fatal(err)
	}
	get := pageGetter(h, sid, "/me/matches")
	first := get()
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), `class="match"`) {
		b.Fatalf("GET /me/matches = %d, want a page of matches:\n%s", first.Code, first.Body.String())
	}
	b.ResetTimer()
	for b.Loop() {
		if rec := get(); rec.Code != http.StatusOK {
			b.Fatalf("GET /me/matches = %d", rec.Code)
		}
	}
	b.ReportMetric(float64(items), "matches")
	b.ReportMetric(float64(near), "near-misses")
	b.ReportMetric(float64(first.Body.Len()), "html-bytes")
}

// cityServer is the whole server over the demo data at city scale
// (perf.City), on a fresh embedded store and index, with the clock at now.
func cityServer(b *testing.B) (demo.Data, app.Services, http.Handler) {
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
	h, err := httpapi.New(svc.Deps(slog.New(slog.DiscardHandler), st, tx, ix, prometheus.NewRegistry(),
		[]byte("test pseudonym key, 32 bytes...."), nil))
	if err != nil {
		b.Fatal(err)
	}
	return data, svc, h
}

// pageGetter fetches path from h with the session sid, without a network.
func pageGetter(h http.Handler, sid, path string) func() *httptest.ResponseRecorder {
	return func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: "sid", Value: sid})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
}
