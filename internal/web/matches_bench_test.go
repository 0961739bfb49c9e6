package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/opportunity"
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
	cb := newCityBench(b, nil)
	data, svc := cb.data, cb.svc
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
	get := func() *httptest.ResponseRecorder { return cb.get("/me/matches", sid) }
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
