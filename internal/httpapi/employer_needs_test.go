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
	// Every page, ten needs a page.
	byID := map[string]client.EmployerNeed{}
	var order []string
	for page := 1; ; page++ {
		list, err := c.EmployerNeeds(ctx, f.employerID, "", page)
		if err != nil {
			t.Fatal(err)
		}
		if list.CandidateCap != 50 || list.PageSize != 10 || len(list.Items) > 10 || list.Page != page {
			t.Fatalf("page %d: cap %d, size %d, %d items; want 50, 10, at most 10", page, list.CandidateCap, list.PageSize, len(list.Items))
		}
		for _, it := range list.Items {
			byID[it.Need.ID] = it
			order = append(order, it.Need.ID)
		}
		if len(list.Items) == 0 || len(order) >= list.Total {
			if len(order) != list.Total {
				t.Errorf("the pages hold %d needs, total says %d", len(order), list.Total)
			}
			break
		}
	}
	if len(order) < 5 {
		t.Errorf("the pages hold %d needs, want at least the five above", len(order))
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

	onlyExpired, err := c.EmployerNeeds(ctx, f.employerID, "expired", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(onlyExpired.Items) != 1 || onlyExpired.Items[0].Need.ID != expired || onlyExpired.Items[0].Need.Pay == nil ||
		*onlyExpired.Items[0].Need.Pay != (client.Pay{Min: 1000, Max: 1200}) {
		t.Errorf("status=expired lists %+v, want only %s", onlyExpired.Items, expired)
	}
	var p *client.Problem
	if _, err := c.EmployerNeeds(ctx, f.employerID, "lost", 0); !errors.As(err, &p) || p.Status != 400 {
		t.Errorf("status=lost: %v, want a 400 problem", err)
	}

	other := client.New(f.a.srv.URL)
	if _, err := other.Login(ctx, f.emails[nonmember], password); err != nil {
		t.Fatal(err)
	}
	if _, err := other.EmployerNeeds(ctx, f.employerID, "", 0); !errors.As(err, &p) || p.Status != 403 || p.Code != "not_member" {
		t.Errorf("another employer lists the needs: %v, want 403 not_member", err)
	}
}
