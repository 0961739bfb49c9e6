package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/match"
)

// reviewWorld has a public need and a job-seeker with a profile.
func reviewWorld(t *testing.T) (w *world, needID, seekerID string) {
	w = newWorld(t)
	w.verify(t, w.employerID, true)
	needID = w.a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)
	seekerID = w.a.must(200, "PUT", "/api/v1/profiles/me", w.seeker, profileBody(t))["id"].(string)
	return w, needID, seekerID
}

func TestApplyOnce(t *testing.T) {
	w, need, seeker := reviewWorld(t)
	a := w.a
	apply := "/api/v1/needs/" + need + "/applications"
	checkProblem(t, a.do("POST", apply, w.owner, nil), 403, "")
	checkProblem(t, a.do("POST", apply, "", nil), 401, "")
	_, noProfile := a.user("jobseeker", "noprofile@example.bg")
	checkProblem(t, a.do("POST", apply, noProfile, nil), 409, "")
	m := a.must(201, "POST", apply, w.seeker, nil)
	if m["state"] != "applied" || m["profileId"] != seeker || m["needId"] != need {
		t.Fatalf("application = %v", m)
	}
	checkProblem(t, a.do("POST", apply, w.seeker, nil), 409, "")
	hidden := a.must(201, "POST", "/api/v1/needs", w.other, needBody(t, w.otherEmpID))["id"].(string)
	checkProblem(t, a.do("POST", "/api/v1/needs/"+hidden+"/applications", w.seeker, nil), 404, "")
}

func TestConcurrentApplicationsHaveOneWinner(t *testing.T) {
	w, need, _ := reviewWorld(t)
	statuses := w.a.race(8, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)
	if statuses[201] != 1 || statuses[409] != 7 {
		t.Fatalf("8 racing applications: %v, want one 201 and seven 409", statuses)
	}
}

func TestReferralDisclosesAndNothingElseDoes(t *testing.T) {
	w, need, seeker := reviewWorld(t)
	a := w.a
	id := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	// Before referral the employer sees neither the match nor the person.
	checkProblem(t, a.do("GET", "/api/v1/matches/"+id, w.owner, nil), 404, "")
	if l := a.must(200, "GET", "/api/v1/matches", w.owner, nil); l["total"].(float64) != 0 {
		t.Errorf("employer lists %v matches before referral", l["total"])
	}
	checkProblem(t, a.do("GET", "/api/v1/profiles/"+seeker, w.owner, nil), 404, "")
	// The officer refers.
	ref := a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", w.officer, map[string]any{"to": "referred", "note": "good fit"})
	want := match.AddWorkingDays(time.Now().UTC(), match.OutcomeDays).Format(time.DateOnly)
	if ref["outcomeDue"] != want || ref["overdue"] != false {
		t.Errorf("referral outcomeDue = %v overdue %v, want %s, false", ref["outcomeDue"], ref["overdue"], want)
	}
	a.must(200, "GET", "/api/v1/matches/"+id, w.owner, nil)
	p := a.must(200, "GET", "/api/v1/profiles/"+seeker, w.owner, nil)
	if p["phone"] != "+359888123456" || p["displayName"] != "Мария Петрова" {
		t.Errorf("referred employer's read = %v, want name and contact", p)
	}
	// Another employer still sees nothing.
	checkProblem(t, a.do("GET", "/api/v1/matches/"+id, w.other, nil), 404, "")
	checkProblem(t, a.do("GET", "/api/v1/profiles/"+seeker, w.other, nil), 404, "")
	// The read is in the person's export, naming the organisation.
	views := exportViews(t, a, w.seeker)
	if len(views) != 1 || views[0].(map[string]any)["organisation"] != "МБАЛ Хасково" || views[0].(map[string]any)["role"] != "employer" {
		t.Errorf("export views = %v, want the employer's read", views)
	}
}

func TestTransitionsFollowTheTable(t *testing.T) {
	w, need, _ := reviewWorld(t)
	a := w.a
	id := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	move := func(tok, to string, extra ...string) response {
		body := map[string]any{"to": to}
		if len(extra) > 0 {
			body["reason"] = extra[0]
		}
		return a.do("POST", "/api/v1/matches/"+id+"/transitions", tok, body)
	}
	checkProblem(t, move(w.officer, "placed"), 409, "")    // no such move from applied
	checkProblem(t, move(w.officer, "interview"), 409, "") // nor this
	checkProblem(t, move(w.seeker, "referred"), 403, "")   // the move exists, not for job-seekers
	checkProblem(t, move(w.owner, "referred"), 404, "")    // the employer cannot see it yet
	if r := move(w.officer, "referred"); r.Status != 200 {
		t.Fatalf("refer = %d %s", r.Status, r.Body)
	}
	checkProblem(t, move(w.officer, "interview"), 403, "") // employers invite
	if r := move(w.owner, "interview"); r.Status != 200 {
		t.Fatalf("interview = %d %s", r.Status, r.Body)
	}
	if r := move(w.owner, "offered"); r.Status != 200 {
		t.Fatalf("offer = %d %s", r.Status, r.Body)
	}
	if r := move(w.owner, "placed"); r.Status != 200 {
		t.Fatalf("place = %d %s", r.Status, r.Body)
	}
	checkProblem(t, move(w.seeker, "withdrawn"), 409, "") // placed is final
	m := a.must(200, "GET", "/api/v1/matches/"+id, w.officer, nil)
	h := m["history"].([]any)
	if len(h) != 5 {
		t.Fatalf("history has %d entries, want 5: %v", len(h), h)
	}
	last := h[4].(map[string]any)
	if last["from"] != "offered" || last["to"] != "placed" || last["role"] != "employer" || last["by"] == "" || last["at"] == "" {
		t.Errorf("last history entry = %v", last)
	}
}

func TestRejectionNeedsAStandardReason(t *testing.T) {
	w, need, _ := reviewWorld(t)
	a := w.a
	id := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	path := "/api/v1/matches/" + id + "/transitions"
	checkProblem(t, a.do("POST", path, w.officer, map[string]any{"to": "rejected"}), 400, "reason")
	checkProblem(t, a.do("POST", path, w.officer, map[string]any{"to": "rejected", "reason": "too young"}), 400, "reason")
	checkProblem(t, a.do("POST", path, w.officer, map[string]any{"to": "rejected", "state": "placed", "reason": "skills"}), 400, "state")
	r := a.must(200, "POST", path, w.officer, map[string]any{"to": "rejected", "reason": "distance"})
	if r["state"] != "rejected" || r["reason"] != "distance" {
		t.Errorf("rejection = %v", r)
	}
}

func TestRacingMovesHaveOneWinner(t *testing.T) {
	w, need, _ := reviewWorld(t)
	id := w.a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	statuses := w.a.race(6, "POST", "/api/v1/matches/"+id+"/transitions", w.officer, map[string]any{"to": "referred"})
	if statuses[200] != 1 || statuses[409] != 5 {
		t.Fatalf("6 racing referrals: %v, want one 200 and five 409", statuses)
	}
	h := w.a.must(200, "GET", "/api/v1/matches/"+id, w.officer, nil)["history"].([]any)
	if len(h) != 2 {
		t.Errorf("history after the race has %d entries, want 2", len(h))
	}
}

func TestMatchListsAreScopedAndFiltered(t *testing.T) {
	w, need, _ := reviewWorld(t)
	a := w.a
	_, other := a.user("jobseeker", "second@example.bg")
	a.must(200, "PUT", "/api/v1/profiles/me", other, profileBody(t))
	first := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	a.must(201, "POST", "/api/v1/needs/"+need+"/applications", other, nil)
	a.must(200, "POST", "/api/v1/matches/"+first+"/transitions", w.officer, map[string]any{"to": "referred"})
	count := func(tok, query string) float64 {
		return a.must(200, "GET", "/api/v1/matches?"+query, tok, nil)["total"].(float64)
	}
	checks := []struct {
		who, tok, query string
		want            float64
	}{
		{"officer", w.officer, "", 2},
		{"officer", w.officer, "state=referred", 1},
		{"officer", w.officer, "state=applied&needId=" + need, 1},
		{"officer", w.officer, "programme=job", 2},
		{"officer", w.officer, "programme=internship", 0},
		{"officer", w.officer, "ageGroup=18-24", 2},
		{"officer", w.officer, "overdue=true", 0},
		{"owner", w.owner, "", 1},
		{"other employer", w.other, "", 0},
		{"first seeker", w.seeker, "", 1},
		{"second seeker", other, "", 1},
	}
	for _, c := range checks {
		if got := count(c.tok, c.query); got != c.want {
			t.Errorf("%s GET /matches?%s total = %v, want %v", c.who, c.query, got, c.want)
		}
	}
	checkProblem(t, a.do("GET", "/api/v1/matches?state=bogus", w.officer, nil), 400, "state")
	checkProblem(t, a.do("GET", "/api/v1/matches", "", nil), 401, "")
	if strings.Contains(string(a.do("GET", "/api/v1/matches", w.owner, nil).Body), "second@example.bg") {
		t.Error("employer's list leaks another applicant")
	}
}

func TestErasureWithdrawsOpenMatches(t *testing.T) {
	w, need, _ := reviewWorld(t)
	a := w.a
	id := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", w.officer, map[string]any{"to": "referred"})
	if r := a.do("DELETE", "/api/v1/profiles/me", w.seeker, nil); r.Status != 204 {
		t.Fatalf("erase = %d", r.Status)
	}
	m := a.must(200, "GET", "/api/v1/matches/"+id, w.officer, nil)
	if m["state"] != "withdrawn" {
		t.Errorf("after erasure the match is %v, want withdrawn", m["state"])
	}
	checkProblem(t, a.do("GET", "/api/v1/profiles/"+m["profileId"].(string), w.owner, nil), 404, "")
}
