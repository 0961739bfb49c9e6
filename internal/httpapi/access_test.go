package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// referred applies the world's job-seeker to need and has the officer
// refer them; it returns the match id.
func referred(t *testing.T, w *world, need string) string {
	t.Helper()
	id := w.a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	w.a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", w.officer, map[string]any{"to": "referred"})
	return id
}

// exportMatches returns the matches of the job-seeker's export.
func exportMatches(t *testing.T, a *api, token string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range a.must(200, "GET", "/api/v1/profiles/me/export", token, nil)["matches"].([]any) {
		out = append(out, m.(map[string]any))
	}
	return out
}

// TestEmployerAccessEndsWithTheMatch: a referred employer reads the
// person's name and contact while the match runs, and no longer once the
// person withdrew or the employer rejected them (404, as if never
// referred); the person's export shows when each employer had access.
func TestEmployerAccessEndsWithTheMatch(t *testing.T) {
	for _, end := range []struct{ who, to, reason string }{
		{"seeker", "withdrawn", ""},
		{"owner", "rejected", "skills"},
	} {
		t.Run(end.to, func(t *testing.T) {
			w, need, seeker := reviewWorld(t)
			a := w.a
			id := referred(t, w, need)
			a.must(200, "GET", "/api/v1/profiles/"+seeker, w.owner, nil)
			a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", w.owner, map[string]any{"to": "interview"})
			a.must(200, "GET", "/api/v1/profiles/"+seeker, w.owner, nil)
			tok := map[string]string{"seeker": w.seeker, "owner": w.owner}[end.who]
			body := map[string]any{"to": end.to}
			if end.reason != "" {
				body["reason"] = end.reason
			}
			a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", tok, body)
			r := a.do("GET", "/api/v1/profiles/"+seeker, w.owner, nil)
			checkProblem(t, r, 404, "")
			if strings.Contains(string(r.Body), "+359888123456") {
				t.Errorf("the ended match's employer still reads the phone: %s", r.Body)
			}
			a.must(200, "GET", "/api/v1/profiles/"+seeker, w.officer, nil) // the office still may

			ms := exportMatches(t, a, w.seeker)
			if len(ms) != 1 {
				t.Fatalf("export has %d matches, want 1", len(ms))
			}
			acc, _ := ms[0]["employerAccess"].(map[string]any)
			from, err1 := time.Parse(time.RFC3339, stringOf(acc["from"]))
			until, err2 := time.Parse(time.RFC3339, stringOf(acc["until"]))
			if err1 != nil || err2 != nil || stringOf(acc["from"]) != stringOf(ms[0]["referredAt"]) || !until.After(from) {
				t.Errorf("export employerAccess = %v, want from the referral (%v) until the %s", acc, ms[0]["referredAt"], end.to)
			}
			hist := ms[0]["history"].([]any)
			if last := hist[len(hist)-1].(map[string]any); stringOf(last["at"]) != stringOf(acc["until"]) {
				t.Errorf("access until %v, want the time of the move to %s (%v)", acc["until"], end.to, last["at"])
			}
		})
	}
}

// TestEmployerAccessGoesWithVerification: an employer whose verification
// the office withdrew no longer reads a referred person's full profile.
func TestEmployerAccessGoesWithVerification(t *testing.T) {
	w, need, seeker := reviewWorld(t)
	a := w.a
	referred(t, w, need)
	a.must(200, "GET", "/api/v1/profiles/"+seeker, w.owner, nil)
	w.verify(t, w.employerID, false)
	checkProblem(t, a.do("GET", "/api/v1/profiles/"+seeker, w.owner, nil), 404, "")
}

// TestNotesHaveAVisibility: an officer's note is internal unless shared;
// employers and job-seekers see shared notes and their own, never an
// officer's id; officers see every note, its visibility and who wrote it.
func TestNotesHaveAVisibility(t *testing.T) {
	w, need, _ := reviewWorld(t)
	a := w.a
	officerID := a.must(200, "GET", "/api/v1/me", w.officer, nil)["id"].(string)
	ownerID := a.must(200, "GET", "/api/v1/me", w.owner, nil)["id"].(string)
	id := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", w.seeker, nil)["id"].(string)
	a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", w.officer,
		map[string]any{"to": "referred", "note": "SECRET-NOTE: the mother called about her health"})
	// A note is internal unless shared: the employer and the person see the
	// referral, not the note nor who at the office made it.
	for who, tok := range map[string]string{"employer": w.owner, "job-seeker": w.seeker} {
		body := string(a.must200(t, "/api/v1/matches/"+id, tok))
		if strings.Contains(body, "SECRET-NOTE") || strings.Contains(body, officerID) {
			t.Errorf("%s sees the officer's internal note or id: %s", who, body)
		}
	}
	a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", w.owner,
		map[string]any{"to": "interview", "note": "Interview on Monday at 10:00", "visibility": "shared"})
	a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", w.owner,
		map[string]any{"to": "offered", "note": "OWNER-ONLY: salary band B"})
	checkProblem(t, a.do("POST", "/api/v1/matches/"+id+"/transitions", w.owner,
		map[string]any{"to": "placed", "note": "x", "visibility": "public"}), 400, "visibility")

	for _, v := range []struct {
		who, token string
		hidden     []string
		shown      []string
	}{
		{"job-seeker", w.seeker, []string{"SECRET-NOTE", "OWNER-ONLY", officerID, ownerID}, []string{"Interview on Monday"}},
		{"employer", w.owner, []string{"SECRET-NOTE", officerID}, []string{"Interview on Monday", "OWNER-ONLY", ownerID}},
		{"officer", w.officer, nil, []string{"SECRET-NOTE", "OWNER-ONLY", "Interview on Monday", officerID, ownerID, `"visibility":"internal"`}},
	} {
		for _, path := range []string{"/api/v1/matches/" + id, "/api/v1/matches"} {
			body := string(a.do("GET", path, v.token, nil).Body)
			for _, h := range v.hidden {
				if strings.Contains(body, h) {
					t.Errorf("%s sees %q in GET %s: %s", v.who, h, path, body)
				}
			}
			for _, s := range v.shown {
				if !strings.Contains(body, s) {
					t.Errorf("%s does not see %q in GET %s: %s", v.who, s, path, body)
				}
			}
		}
	}
	export := string(a.do("GET", "/api/v1/profiles/me/export", w.seeker, nil).Body)
	if strings.Contains(export, "SECRET-NOTE") || strings.Contains(export, officerID) || !strings.Contains(export, "Interview on Monday") {
		t.Errorf("export shows an internal note or an officer id, or not the shared note: %s", export)
	}
}

func stringOf(v any) string { s, _ := v.(string); return s }

func (a *api) must200(t *testing.T, path, token string) []byte {
	t.Helper()
	r := a.do("GET", path, token, nil)
	if r.Status != 200 {
		t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
	}
	return r.Body
}
