package web_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/auth"
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

// city is the product at city scale (perf.City of internal/demo) on a
// real embedded store, with a clock the benchmark moves.
type city struct {
	data demo.Data
	svc  app.Services
	deps httpapi.Deps
	h    http.Handler
	now  *atomic.Pointer[time.Time]
}

// cityScale builds it; tune, if given, changes the services before the
// HTTP side is built (a benchmark lifts the daily card bound, say).
func cityScale(b *testing.B, tune ...func(*app.Services)) city {
	ctx := context.Background()
	tx, err := taxonomy.Load()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now().UTC()
	now := &atomic.Pointer[time.Time]{}
	now.Store(&start)
	data := demo.Generate(tx, demo.Config{Profiles: perf.City.Profiles, Needs: perf.City.Needs, Seed: perf.City.Seed,
		Today: start, Scope: demo.ScopeCity})
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
	clock := func() time.Time { return *now.Load() }
	signer, err := auth.NewSigner(bytes.Repeat([]byte{7}, 32), "skillsmatch", 15*time.Minute, clock)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := app.Wire(ctx, st, tx, ix, signer, time.Hour, clock)
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range tune {
		t(&svc)
	}
	deps := svc.Deps(slog.New(slog.DiscardHandler), st, tx, ix, prometheus.NewRegistry(),
		[]byte("test pseudonym key, 32 bytes...."), nil)
	h, err := httpapi.New(deps)
	if err != nil {
		b.Fatal(err)
	}
	return city{data: data, svc: svc, deps: deps, h: h, now: now}
}

// page renders path for the session sid through the whole server.
func (c city) page(sid, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: "sid", Value: sid})
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkOfficeToday is the server time to render /office, the labour
// office's Today, at city scale (perf.City: 10,000 job-seekers, 3,000
// needs) with the queues full: every tenth job-seeker applied to a public
// need, half of those referred and now overdue, and 200 organisations
// waiting for verification:
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkOfficeToday -benchtime 50x
func BenchmarkOfficeToday(b *testing.B) {
	ctx := context.Background()
	c := cityScale(b)
	officer := auth.Principal{UserID: "bench-officer", Role: auth.RoleOfficer}
	var public []register.Need
	for _, n := range c.data.Needs {
		if n.Status == register.StatusOpen && n.Kind != register.KindForecast {
			public = append(public, n)
		}
	}
	owner := c.data.Users[len(c.data.Profiles)] // the first employer account
	for i := range 200 {
		if _, err := c.svc.Register.CreateEmployer(ctx, auth.Principal{UserID: owner.ID, Role: auth.RoleEmployer},
			register.Employer{Name: fmt.Sprintf("Организация %d", i), EIK: benchEIK(i), Municipality: "Хасково"}); err != nil {
			b.Fatal(err)
		}
	}
	applied, referred := 0, 0
	for i := 0; i < len(c.data.Profiles); i += 10 {
		by := auth.Principal{UserID: c.data.Profiles[i].ID, Role: auth.RoleJobseeker}
		m, err := c.svc.Matches.Apply(ctx, by, public[i%len(public)].ID, "")
		if err != nil {
			continue // not public to them, or the young-worker rules: as in life
		}
		applied++
		if applied%2 == 0 {
			if _, err := c.svc.Matches.Transition(ctx, officer, m.ID, match.Referred, "", ""); err == nil {
				referred++
			}
		}
	}
	later := c.now.Load().AddDate(0, 0, 20) // past every referral's 7 working days
	c.now.Store(&later)
	staff, err := c.svc.Auth.CreateStaff(ctx, auth.NewAccount{Email: "bench-officer@example.bg", Password: "correct horse battery",
		Name: "Officer", Role: auth.RoleOfficer})
	if err != nil {
		b.Fatal(err)
	}
	sid, _, err := c.svc.WebSessions.Start(ctx, staff)
	if err != nil {
		b.Fatal(err)
	}
	first := c.page(sid, "/office")
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), `id="queue-overdue"`) {
		b.Fatalf("GET /office = %d, want the dashboard:\n%s", first.Code, first.Body.String())
	}
	// The use case alone, beside the page: what the queues cost without the
	// session, the templates and the middleware.
	started := time.Now()
	for range 50 {
		if _, err := c.svc.Office.Today(ctx, officer, "bg"); err != nil {
			b.Fatal(err)
		}
	}
	useCase := time.Since(started) / 50
	// A page with the same session and layout but no queues (the officer
	// is refused /employer): the floor every signed-in page pays.
	started = time.Now()
	for range 50 {
		if rec := c.page(sid, "/employer/verification"); rec.Code != http.StatusForbidden {
			b.Fatalf("GET /employer/verification as an officer = %d", rec.Code)
		}
	}
	floor := time.Since(started) / 50
	b.ResetTimer()
	for b.Loop() {
		if rec := c.page(sid, "/office"); rec.Code != http.StatusOK {
			b.Fatalf("GET /office = %d", rec.Code)
		}
	}
	b.ReportMetric(float64(applied), "applications")
	b.ReportMetric(float64(referred), "overdue")
	b.ReportMetric(float64(first.Body.Len()), "html-bytes")
	b.ReportMetric(float64(useCase.Microseconds()), "today-µs")
	b.ReportMetric(float64(floor.Microseconds()), "floor-µs")
}

// benchEIK is a valid EIK outside the demo's range.
func benchEIK(i int) string {
	for h := 90000000 + i*97; ; h++ {
		for d := '0'; d <= '9'; d++ {
			if eik := fmt.Sprint(h) + string(d); register.ValidEIK(eik) {
				return eik
			}
		}
	}
}
