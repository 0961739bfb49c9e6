package client_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/careget/skillsmatch/pkg/client"
)

// TestOfficeCalls pins the office's calls: the employer list's query, the
// withdrawal's body and the in-person profile's body (its consent replaces
// the person's own, with recordedBy).
func TestOfficeCalls(t *testing.T) {
	f, srv := newFake(t)
	f.answers["GET /api/v1/employers"] = jsonAnswer(200, `{"items":[{"id":"e1","name":"Щастие"}],"total":1,"page":2,"pageSize":20}`)
	f.answers["POST /api/v1/employers/e 1/verification"] = jsonAnswer(200, `{"id":"e 1","verified":false,"verification":{"verified":false,"reason":"struck off","at":"2026-01-01T00:00:00Z"}}`)
	ctx := context.Background()
	c := client.New(srv.URL)

	no := false
	page, err := c.ListEmployers(ctx, client.EmployerQuery{Verified: &no, Q: "щастие", Page: 2})
	if err != nil || page.Total != 1 || page.Items[0].ID != "e1" {
		t.Fatalf("ListEmployers() = %+v, %v", page, err)
	}
	if got, want := f.last.URL.Query().Encode(), "page=2&q=%D1%89%D0%B0%D1%81%D1%82%D0%B8%D0%B5&verified=false"; got != want {
		t.Errorf("ListEmployers() query = %s, want %s", got, want)
	}
	e, err := c.WithdrawVerification(ctx, "e 1", "struck off")
	if err != nil || e.Verification == nil || e.Verification.Reason != "struck off" {
		t.Fatalf("WithdrawVerification() = %+v, %v, want the reason back", e, err)
	}

	b, err := json.Marshal(client.InPersonProfile{ProfileInput: client.ProfileInput{DisplayName: "A", BirthYear: 2000,
		Municipality: "Haskovo", WorkModes: []string{"onsite"}, AvailableFrom: "2026-01-01"},
		Consent: client.InPersonConsent{Matching: true, RecordedBy: "M. Ivanova"}})
	want := `{"displayName":"A","birthYear":2000,"municipality":"Haskovo","location":{"lat":0,"lon":0},"maxTravelKm":0,` +
		`"workModes":["onsite"],"educationLevel":0,"interests":{},"availableFrom":"2026-01-01",` +
		`"consent":{"matching":true,"recordedBy":"M. Ivanova"}}`
	if err != nil || string(b) != want {
		t.Errorf("json.Marshal(InPersonProfile) = %s, %v, want %s", b, err, want)
	}
}
