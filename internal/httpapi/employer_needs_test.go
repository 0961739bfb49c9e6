package httpapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/careget/skillsmatch/pkg/client"
)

// TestEmployerNeedsList: GET /api/v1/employers/{id}/needs through the Go
// client on the real server: every own need in every state (an open need
// past its apply-by date reads "expired"), the status filter, the counts of
// applications and referrals from the match workflow and of candidates
// from the ranking (counted for drafts and open needs only), and another
// employer refused.
func TestEmployerNeedsList(t *testing.T) {
	f := newFx(t)
	ctx := context.Background()
	open := f.newNeed("job")
	draftBody := f.needOf("job")
	draftBody["status"] = "draft"
	draft := f.a.must(201, "POST", "/api/v1/needs", f.tokens[member], draftBody)["id"].(string)
	closed := f.newNeed("internship")
	f.a.must(200, "PATCH", "/api/v1/needs/"+closed, f.tokens[member], map[string]any{"status": "closed"})
	expiredBody := f.needOf("job")
	expiredBody["applyBy"] = "2020-01-31"
	expiredBody["pay"] = map[string]any{"min": 1000, "max": 1200}
	expired := f.a.must(201, "POST", "/api/v1/needs", f.tokens[member], expiredBody)["id"].(string)
	matchID := f.newMatch(true) // a fresh open need with one application, referred
	applied := f.a.must(200, "GET", "/api/v1/matches/"+matchID, f.tokens[officer], nil)["needId"].(string)

	c := client.New(f.a.srv.URL)
	if _, err := c.Login(ctx, f.emails[member], password); err != nil {
		t.Fatal(err)
	}
	list, err := c.EmployerNeeds(ctx, f.employerID, "")
	if err != nil {
		t.Fatal(err)
	}
	if list.CandidateCap != 50 {
		t.Errorf("candidateCap = %d, want 50", list.CandidateCap)
	}
	byID := map[string]client.EmployerNeed{}
	for _, it := range list.Items {
		byID[it.Need.ID] = it
	}
	for id, want := range map[string]string{open: "open", draft: "draft", closed: "closed", expired: "expired", applied: "open"} {
		if got, ok := byID[id]; !ok || got.Status != want {
			t.Errorf("need %s: listed %v with status %q, want %q", id, ok, got.Status, want)
		}
	}
	if got := byID[applied]; got.Applications != 1 || got.Referrals != 1 {
		t.Errorf("the applied need counts %d applications, %d referrals, want 1 and 1", got.Applications, got.Referrals)
	}
	if got := byID[open]; got.Candidates == nil || *got.Candidates < 1 || got.Applications != 0 {
		t.Errorf("the open need: candidates %v, applications %d; want at least one candidate (the seekers hold its skill) and none applied",
			got.Candidates, got.Applications)
	}
	if got := byID[closed]; got.Candidates != nil {
		t.Errorf("the closed need's candidates = %d, want null (not counted)", *got.Candidates)
	}

	onlyExpired, err := c.EmployerNeeds(ctx, f.employerID, "expired")
	if err != nil {
		t.Fatal(err)
	}
	if len(onlyExpired.Items) != 1 || onlyExpired.Items[0].Need.ID != expired || onlyExpired.Items[0].Need.Pay == nil ||
		*onlyExpired.Items[0].Need.Pay != (client.Pay{Min: 1000, Max: 1200}) {
		t.Errorf("status=expired lists %+v, want only %s", onlyExpired.Items, expired)
	}
	var p *client.Problem
	if _, err := c.EmployerNeeds(ctx, f.employerID, "lost"); !errors.As(err, &p) || p.Status != 400 {
		t.Errorf("status=lost: %v, want a 400 problem", err)
	}

	other := client.New(f.a.srv.URL)
	if _, err := other.Login(ctx, f.emails[nonmember], password); err != nil {
		t.Fatal(err)
	}
	if _, err := other.EmployerNeeds(ctx, f.employerID, ""); !errors.As(err, &p) || p.Status != 403 || p.Code != "not_member" {
		t.Errorf("another employer lists the needs: %v, want 403 not_member", err)
	}
}
