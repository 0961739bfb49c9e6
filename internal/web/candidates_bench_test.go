package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/register"
)

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
	cb := cityScale(b, func(s *app.Services) {
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
	first := cb.page(sid, path)
	if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), `id="card-`) {
		b.Fatalf("GET %s = %d, want a page of cards:\n%.2000s", path, first.Code, first.Body.String())
	}
	b.ResetTimer()
	for b.Loop() {
		if rec := cb.page(sid, path); rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", path, rec.Code)
		}
	}
	b.ReportMetric(float64(strings.Count(first.Body.String(), `id="card-`)), "cards")
	b.ReportMetric(float64(referred), "referred")
	b.ReportMetric(float64(first.Body.Len()), "html-bytes")
}
