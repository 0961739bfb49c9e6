package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/careget/skillsmatch/pkg/client"
)

// TestReferralsThroughTheClient: an employer asks for a card's candidate,
// an officer accepts, the employer's need lists the request as accepted;
// a second request is declined with a reason; and after a restart the
// office's queue still holds both (the requests are loaded at start).
func TestReferralsThroughTheClient(t *testing.T) {
	dir := t.TempDir()
	const officerEmail = "ivanova@labour.example.bg"
	addStaff(t, dir, "officer", officerEmail, "Elena Ivanova")
	srv := start(t, dir)
	ctx := t.Context()
	boss, _ := signUp(t, srv.URL, "employer", "hr@care.example.bg", "Georgi Dimitrov")
	officer := signIn(t, srv.URL, officerEmail)
	skill1, skill2 := nursingSkills(t, boss)
	emp, err := boss.CreateEmployer(ctx, newEmployer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := officer.VerifyEmployer(ctx, emp.ID, true, "checked"); err != nil {
		t.Fatal(err)
	}
	need, err := boss.CreateNeed(ctx, newNeed(emp.ID, skill1, skill2))
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"ana@example.bg", "bob@example.bg"} {
		seeker, _ := signUp(t, srv.URL, "jobseeker", email, "Seeker")
		if _, err := seeker.PutProfile(ctx, client.ProfileInput{DisplayName: email, BirthDate: "1995-04", Phone: "+359888123456",
			Municipality: "Haskovo", Location: client.GeoPoint{Lat: 41.93, Lon: 25.56}, MaxTravelKm: 30,
			WorkModes: []string{"onsite"}, Skills: []client.SkillLevel{{ID: skill1, Level: 3}},
			Languages: []client.Language{{Code: "bg", Level: "C2"}}, EducationLevel: 4,
			Interests:     client.Interests{Kinds: []string{"job"}, Sectors: []string{"care"}},
			AvailableFrom: time.Now().Format(time.DateOnly), Hours: "full_time", Consent: client.Consent{Matching: true}}); err != nil {
			t.Fatal(err)
		}
	}
	cards, err := boss.NeedMatches(ctx, need.ID, 10)
	if err != nil || len(cards) != 2 {
		t.Fatalf("NeedMatches = %d cards, %v, want 2", len(cards), err)
	}
	first, created, err := boss.AskReferral(ctx, need.ID, cards[0].Candidate.ID)
	if err != nil || !created || first.State != "pending" || first.ProfileID != "" {
		t.Fatalf("AskReferral = %+v, %v, %v, want a new pending request without a profile id", first, created, err)
	}
	if again, created, err := boss.AskReferral(ctx, need.ID, cards[0].Candidate.ID); err != nil || created || again.ID != first.ID {
		t.Errorf("AskReferral again = %+v, %v, %v, want the pending one", again, created, err)
	}
	second, _, err := boss.AskReferral(ctx, need.ID, cards[1].Candidate.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = boss.ReferralRequests(ctx, "")
	wantStatus(t, "employer ReferralRequests()", err, http.StatusForbidden)
	queue, err := officer.ReferralRequests(ctx, "")
	if err != nil || len(queue) != 2 || queue[0].ProfileID == "" {
		t.Fatalf("officer ReferralRequests() = %+v, %v, want both with profile ids", queue, err)
	}
	req, m, err := officer.AcceptReferral(ctx, first.ID, client.ReferralNote{Note: "Call her first", Visibility: "internal"})
	if err != nil || req.State != "accepted" || m.State != "referred" || m.OutcomeDue == "" || req.MatchID != m.ID {
		t.Fatalf("AcceptReferral = %+v, %+v, %v, want accepted and a referred match with a due date", req, m, err)
	}
	if _, err := officer.DeclineReferral(ctx, second.ID, "Not available before spring"); err != nil {
		t.Fatal(err)
	}
	_, err = officer.ReferDirectly(ctx, need.ID, m.ProfileID, client.ReferralNote{})
	wantStatus(t, "ReferDirectly of a person referred already", err, http.StatusConflict)
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}

	srv = start(t, dir)
	boss, officer = signIn(t, srv.URL, "hr@care.example.bg"), signIn(t, srv.URL, officerEmail)
	mine, err := boss.NeedReferralRequests(ctx, need.ID)
	if err != nil || len(mine) != 2 {
		t.Fatalf("NeedReferralRequests after a restart = %+v, %v, want both", mine, err)
	}
	for _, r := range mine {
		if r.ID == second.ID && (r.State != "declined" || r.Reason != "Not available before spring") {
			t.Errorf("the declined request after a restart = %+v, want declined with its reason", r)
		}
	}
	if got, err := officer.ReferralRequests(ctx, "accepted"); err != nil || len(got) != 1 || got[0].ID != first.ID {
		t.Errorf("officer ReferralRequests(accepted) after a restart = %+v, %v, want the first", got, err)
	}
}
