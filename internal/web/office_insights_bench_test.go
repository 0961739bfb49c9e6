package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
)

// BenchmarkOfficeInsightsPage is the server time to render
// /office/insights for an officer at city scale (perf.City), through the
// whole server, for each dimension of the skills gap: two snapshots of
// memory (the gap and the indicators), the figures, the charts, the page.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkOfficeInsightsPage -benchtime 20x
func BenchmarkOfficeInsightsPage(b *testing.B) {
	ctx := context.Background()
	c := cityScale(b)
	svc := c.svc
	u, err := svc.Auth.CreateStaff(ctx, auth.NewAccount{Email: "bench-officer@example.bg", Password: password, Name: "Мария",
		Role: auth.RoleOfficer})
	if err != nil {
		b.Fatal(err)
	}
	sid, _, err := svc.WebSessions.Start(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	for _, by := range []string{"skill", "group", "occupation", "sector"} {
		b.Run(by, func(b *testing.B) {
			get := func() *httptest.ResponseRecorder { return c.page(sid, "/office/insights?by="+by) }
			first := get()
			if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), `id="figure-gap"`) {
				b.Fatalf("GET /office/insights?by=%s = %d, want the charts", by, first.Code)
			}
			b.ResetTimer()
			for b.Loop() {
				if rec := get(); rec.Code != http.StatusOK {
					b.Fatalf("GET /office/insights = %d", rec.Code)
				}
			}
			b.ReportMetric(float64(first.Body.Len()), "html-bytes")
		})
	}
}
