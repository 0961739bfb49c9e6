package httpapi_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/failure"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// The race trials of issue 9 (items 3 and 4): each runs a race of two
// requests raceTrials times through the real HTTP server on the real
// embedded store, and every trial must hold. On the code before versions
// and final tombstones, 6 to 9 of 10 trials broke.
const raceTrials = 20

// editsPerDelete is how many edits race each deletion of a need. Each edit
// retries its compare-and-set only after another write won, so with five
// writers none retries more than four times: none may end in
// "edit_conflict".
const editsPerDelete = 4

// together sends the requests at once and returns their responses, in
// order.
func together(a *api, reqs ...func() response) []response {
	out := make([]response, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			<-start
			out[i] = r()
		})
	}
	close(start)
	wg.Wait()
	return out
}

// trials runs trial n times and fails the test unless every one held;
// trial returns why it did not hold, or "".
func trials(t *testing.T, n int, trial func(i int) string) {
	t.Helper()
	held := 0
	for i := range n {
		if why := trial(i); why != "" {
			t.Errorf("trial %d: %s", i, why)
		} else {
			held++
		}
	}
	t.Logf("%d of %d held", held, n)
	if held != n {
		t.Fatalf("%d of %d trials held; want all", held, n)
	}
}

// TestErasureRacingStageCompletionStaysErased races the completion of a
// pathway stage that certifies skills (a rewrite of the profile) against
// the person's erasure: the profile must stay erased, with every trace
// gone (pathway record, open match, account, search entry), and a second
// erasure must answer 204.
func TestErasureRacingStageCompletionStaysErased(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)[0]
	pw := a.must(201, "POST", "/api/v1/pathways", w.officer, carePathway(sk))["id"].(string)
	need := needBody(t, w.employerID)
	need["skills"] = []map[string]any{{"id": sk, "level": 1, "required": true}}
	needID := a.must(201, "POST", "/api/v1/needs", w.owner, need)["id"].(string)
	ctx := context.Background()
	var erased []string
	trials(t, raceTrials, func(i int) string {
		id, tok := seekerWith(t, a, fmt.Sprintf("race%d@example.bg", i), func(b map[string]any) { b["skills"] = heldSkills(sk, 2) })
		a.must(201, "POST", "/api/v1/needs/"+needID+"/applications", tok, nil)
		base := "/api/v1/pathways/" + pw + "/participants"
		a.must(201, "POST", base, w.officer, map[string]any{"profileId": id})
		a.must(200, "POST", base+"/"+id+"/progress", w.officer, map[string]any{"stage": "training", "status": "started"})
		erased = append(erased, id)
		got := together(a,
			func() response {
				return a.do("POST", base+"/"+id+"/progress", w.officer, map[string]any{"stage": "training", "status": "completed"})
			},
			func() response { return a.do("DELETE", "/api/v1/profiles/me", tok, nil) })
		if got[1].Status != 204 {
			return fmt.Sprintf("DELETE /profiles/me = %d %s, want 204", got[1].Status, got[1].Body)
		}
		var doc bson.M
		if err := a.store.Collection("profiles", "profile").Get(ctx, id, &doc); err != nil {
			return fmt.Sprintf("read the profile document: %v", err)
		}
		if doc["erased"] != true || doc["displayName"] != nil || doc["phone"] != nil || doc["summary"] != nil {
			return fmt.Sprintf("the profile came back after the race (completion answered %d): %v", got[0].Status, doc)
		}
		if r := a.do("GET", "/api/v1/profiles/"+id, w.officer, nil); r.Status != 404 {
			return fmt.Sprintf("officer GET /profiles/%s = %d, want 404", id, r.Status)
		}
		if msg := pathwayRecordForgotten(ctx, a, pw, id); msg != "" {
			return "after erasure: " + msg
		}
		if _, err := a.store.Users().User(ctx, id); !failure.Is(err, failure.NotFound) {
			return fmt.Sprintf("account after erasure: %v, want not found", err)
		}
		if r := a.do("DELETE", "/api/v1/profiles/me", tok, nil); r.Status != 204 {
			return fmt.Sprintf("second DELETE /profiles/me = %d %s, want 204", r.Status, r.Body)
		}
		return ""
	})
	// Nothing of the erased people is left in the office's views.
	for _, it := range matchIDs(t, a, needID, w.officer) {
		for _, id := range erased {
			if it["profileId"] == id {
				t.Errorf("the erased %s is still a candidate of need %s", id, needID)
			}
		}
	}
	board := a.must(200, "GET", "/api/v1/pathways/"+pw+"/participants", w.officer, nil)["items"].([]any)
	if len(board) != 0 {
		t.Errorf("cohort board after every participant erased = %v, want empty", board)
	}
	list := a.must(200, "GET", "/api/v1/matches?needId="+needID, w.officer, nil)["items"].([]any)
	for _, m := range list {
		if st := m.(map[string]any)["state"]; st != "withdrawn" {
			t.Errorf("match of an erased person in state %v, want withdrawn", st)
		}
	}
}

// TestVerificationSurvivesRacingEdit races an employer's edit of its
// details against an officer withdrawing its verification: the
// withdrawal must stand, and the edit too.
func TestVerificationSurvivesRacingEdit(t *testing.T) {
	w := newWorld(t)
	a := w.a
	trials(t, raceTrials, func(i int) string {
		id := a.must(201, "POST", "/api/v1/employers", w.owner, employerBody(validEIK()))["id"].(string)
		w.verify(t, id, true)
		name := fmt.Sprintf("МБАЛ Хасково %d", i)
		got := together(a,
			func() response { return a.do("PATCH", "/api/v1/employers/"+id, w.owner, map[string]any{"name": name}) },
			func() response {
				return a.do("POST", "/api/v1/employers/"+id+"/verification", w.officer, map[string]any{"verified": false, "note": "struck off", "reason": "struck off the Commercial Register"})
			})
		if got[0].Status != 200 || got[1].Status != 200 {
			return fmt.Sprintf("PATCH = %d %s, verification = %d %s; want 200 and 200", got[0].Status, got[0].Body, got[1].Status, got[1].Body)
		}
		e := a.must(200, "GET", "/api/v1/employers/"+id, w.officer, nil)
		if e["verified"] != false {
			return fmt.Sprintf("the employer ended verified again after the race: %v", e)
		}
		if e["name"] != name {
			return fmt.Sprintf("the edit was lost: name %v, want %s", e["name"], name)
		}
		return ""
	})
}

// TestDeletedNeedStaysDeletedRacingEdit races an edit of a need against
// its deletion: the need must stay deleted.
func TestDeletedNeedStaysDeletedRacingEdit(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	ctx := context.Background()
	trials(t, raceTrials, func(i int) string {
		id := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)
		// One deletion against several edits, so that an edit that read
		// the need before the deletion often writes after it.
		reqs := []func() response{func() response { return a.do("DELETE", "/api/v1/needs/"+id, w.owner, nil) }}
		for j := range editsPerDelete {
			reqs = append(reqs, func() response {
				return a.do("PATCH", "/api/v1/needs/"+id, w.owner, map[string]any{"title": fmt.Sprint("Санитар ", i, j)})
			})
		}
		got := together(a, reqs...)
		if got[0].Status != 204 {
			return fmt.Sprintf("DELETE = %d %s, want 204", got[0].Status, got[0].Body)
		}
		for _, r := range got[1:] {
			if r.Status != 200 && r.Status != 404 {
				return fmt.Sprintf("PATCH = %d %s, want 200 (before the deletion) or 404 (after)", r.Status, r.Body)
			}
		}
		if r := a.do("GET", "/api/v1/needs/"+id, w.owner, nil); r.Status != 404 {
			return fmt.Sprintf("the deleted need came back after the race: GET = %d %s", r.Status, r.Body)
		}
		var doc bson.M
		if err := a.store.Collection("needs", "need").Get(ctx, id, &doc); err != nil || doc["deleted"] != true || doc["title"] != nil {
			return fmt.Sprintf("need document after the race = %v, %v; want a tombstone", doc, err)
		}
		return ""
	})
}

// TestErasureFinishesHalfDoneErasure: an erasure interrupted after the
// tombstone (here: the tombstone written alone) is finished by calling it
// again with the same, still valid, access token.
func TestErasureFinishesHalfDoneErasure(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)[0]
	pw := a.must(201, "POST", "/api/v1/pathways", w.officer, carePathway(sk))["id"].(string)
	needID := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)
	id, tok := seekerWith(t, a, "half@example.bg", func(map[string]any) {})
	m := a.must(201, "POST", "/api/v1/needs/"+needID+"/applications", tok, nil)
	a.must(201, "POST", "/api/v1/pathways/"+pw+"/participants", w.officer, map[string]any{"profileId": id})
	refresh := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": "half@example.bg", "password": password})["refreshToken"]
	ctx := context.Background()
	if _, err := a.store.Profiles().EraseProfile(ctx, id); err != nil {
		t.Fatal(err)
	}
	if r := a.do("DELETE", "/api/v1/profiles/me", tok, nil); r.Status != 204 {
		t.Fatalf("DELETE /profiles/me after a half-done erasure = %d %s, want 204", r.Status, r.Body)
	}
	if got := a.must(200, "GET", "/api/v1/matches/"+m["id"].(string), w.officer, nil); got["state"] != "withdrawn" {
		t.Errorf("open match after the erasure was finished: state %v, want withdrawn", got["state"])
	}
	if msg := pathwayRecordForgotten(ctx, a, pw, id); msg != "" {
		t.Errorf("after the erasure was finished: %s", msg)
	}
	if _, err := a.store.Users().User(ctx, id); !failure.Is(err, failure.NotFound) {
		t.Errorf("account after the erasure was finished: %v, want not found", err)
	}
	if r := a.do("GET", "/api/v1/me", tok, nil); r.Status == 200 {
		t.Errorf("GET /me after erasure = 200 %s; want the account gone", r.Body)
	}
	if r := a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": refresh}); r.Status == 200 {
		t.Errorf("POST /auth/refresh after erasure = 200; want the session to end with the account")
	}
	if r := a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "half@example.bg", "password": password}); r.Status == 200 {
		t.Errorf("POST /auth/login after erasure = 200; want the account gone")
	}
	checkProblem(t, a.do("PUT", "/api/v1/profiles/me", tok, profileBody(t)), 404, "")
	if r := a.do("DELETE", "/api/v1/profiles/me", tok, nil); r.Status != 204 {
		t.Errorf("DELETE /profiles/me once more = %d %s, want 204", r.Status, r.Body)
	}
}

// TestErasureRacingApplicationAndEnrolment races an application and an
// enrolment against the person's erasure: neither may leave an open match
// or a pathway record behind.
func TestErasureRacingApplicationAndEnrolment(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)[0]
	pw := a.must(201, "POST", "/api/v1/pathways", w.officer, carePathway(sk))["id"].(string)
	needID := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)
	ctx := context.Background()
	trials(t, raceTrials, func(i int) string {
		id, tok := seekerWith(t, a, fmt.Sprintf("enrol%d@example.bg", i), func(map[string]any) {})
		got := together(a,
			func() response { return a.do("POST", "/api/v1/needs/"+needID+"/applications", tok, nil) },
			func() response {
				return a.do("POST", "/api/v1/pathways/"+pw+"/participants", w.officer, map[string]any{"profileId": id})
			},
			func() response { return a.do("DELETE", "/api/v1/profiles/me", tok, nil) })
		if got[2].Status != 204 {
			return fmt.Sprintf("DELETE /profiles/me = %d %s, want 204", got[2].Status, got[2].Body)
		}
		for _, m := range a.must(200, "GET", "/api/v1/matches?profileId="+id, w.officer, nil)["items"].([]any) {
			if st := m.(map[string]any)["state"]; st != "withdrawn" {
				return fmt.Sprintf("a match of the erased person is %v (application answered %d)", st, got[0].Status)
			}
		}
		if msg := pathwayRecordForgotten(ctx, a, pw, id); msg != "" {
			return fmt.Sprintf("%s (enrolment answered %d)", msg, got[1].Status)
		}
		return ""
	})
	if board := a.must(200, "GET", "/api/v1/pathways/"+pw+"/participants", w.officer, nil)["items"].([]any); len(board) != 0 {
		t.Errorf("cohort board after every participant erased = %v, want empty", board)
	}
}

// pathwayRecordForgotten says what is wrong with the erased person's record
// on the pathway ("" if nothing): it must be gone for every reader, and
// what stays in the store is the tombstone the other replicas follow — its
// key and nothing of the person's path.
func pathwayRecordForgotten(ctx context.Context, a *api, pathwayID, profileID string) string {
	if part, err := a.store.Participants().Participant(ctx, pathwayID, profileID); !failure.Is(err, failure.NotFound) {
		return fmt.Sprintf("pathway record: %+v, %v; want not found", part, err)
	}
	var raw bson.M
	if err := a.store.Collection("pathway_participants", "participant").Get(ctx, pathwayID+"/"+profileID, &raw); err == nil {
		for k := range raw {
			if !slices.Contains([]string{"_id", "pathwayId", "profileId", "forgotten", "v", "seq"}, k) {
				return fmt.Sprintf("the forgotten pathway record keeps %q: %v", k, raw)
			}
		}
	}
	return ""
}
