package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
)

// BenchmarkEmployerPage is the server time to render /employer ("My needs"
// with every count) for the demo employer with the most needs at city
// scale (perf.City), through the whole server without a network:
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkEmployerPage -benchtime 50x
//
// Each open need or draft is ranked once (candidates up to
// employerneeds.CandidateCap); applications and referrals come from memory.
func BenchmarkEmployerPage(b *testing.B) {
	ctx := b.Context()
	c := cityScale(b)
	data, svc := c.data, c.svc
	verified := map[string]bool{}
	for _, e := range data.Employers {
		verified[e.ID] = e.Verified
	}
	count := map[string]int{}
	for _, n := range data.Needs {
		count[n.EmployerID]++
	}
	var best auth.User
	for _, u := range data.Users {
		if u.Role == auth.RoleEmployer && len(u.EmployerIDs) > 0 && verified[u.EmployerIDs[0]] &&
			(best.ID == "" || count[u.EmployerIDs[0]] > count[best.EmployerIDs[0]]) {
			best = u
		}
	}
	if best.ID == "" {
		b.Fatal("the demo has no member of a verified employer")
	}
	sid, _, err := svc.WebSessions.Start(ctx, best)
	if err != nil {
		b.Fatal(err)
	}
	get := func() *httptest.ResponseRecorder { return c.page(sid, "/employer") }
	first := get()
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), `id="my-needs"`) {
		b.Fatalf("GET /employer = %d, want My needs:\n%s", first.Code, first.Body.String())
	}
	b.ResetTimer()
	for b.Loop() {
		if rec := get(); rec.Code != http.StatusOK {
			b.Fatalf("GET /employer = %d", rec.Code)
		}
	}
	b.ReportMetric(float64(count[best.EmployerIDs[0]]), "needs")
	b.ReportMetric(float64(first.Body.Len()), "html-bytes")
}
