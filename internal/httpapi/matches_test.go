package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// seekerWith registers a job-seeker and puts a profile edited by edit.
func seekerWith(t *testing.T, a *api, email string, edit func(map[string]any)) (id, token string) {
	t.Helper()
	id, token = a.user("jobseeker", email)
	b := profileBody(t)
	b["displayName"] = "Name of " + email
	edit(b)
	a.must(200, "PUT", "/api/v1/profiles/me", token, b)
	return id, token
}

func heldSkills(pairs ...any) []map[string]any {
	var out []map[string]any
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, map[string]any{"id": pairs[i], "level": pairs[i+1]})
	}
	return out
}

func matchIDs(t *testing.T, a *api, needID, token string) []map[string]any {
	t.Helper()
	res := a.must(200, "GET", "/api/v1/needs/"+needID+"/matches", token, nil)
	var out []map[string]any
	for _, it := range res["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func profileIDs(items []map[string]any) []string {
	var ids []string
	for _, it := range items {
		ids = append(ids, it["candidate"].(map[string]any)["profileId"].(string))
	}
	return ids
}

func TestNeedMatchesRankAndFilter(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 3)
	body := needBody(t, w.employerID)
	body["skills"] = []map[string]any{{"id": sk[0], "level": 3, "required": true}, {"id": sk[1], "level": 2, "required": false}}
	need := a.must(201, "POST", "/api/v1/needs", w.owner, body)["id"].(string)

	full, _ := seekerWith(t, a, "full@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3, sk[1], 2) })
	reqOnly, _ := seekerWith(t, a, "req@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3) })
	low, _ := seekerWith(t, a, "low@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 1) })
	prefOnly, _ := seekerWith(t, a, "pref@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[1], 2) })
	noConsent, _ := seekerWith(t, a, "nc@example.bg", func(b map[string]any) {
		b["skills"] = heldSkills(sk[0], 3, sk[1], 2)
		b["consent"] = map[string]any{"matching": false}
	})
	far, _ := seekerWith(t, a, "far@example.bg", func(b map[string]any) {
		b["skills"] = heldSkills(sk[0], 3, sk[1], 2)
		b["location"] = map[string]any{"lat": 42.7, "lon": 23.32} // Sofia, ~200 km
		b["maxTravelKm"] = 30
	})
	otherKind, _ := seekerWith(t, a, "kind@example.bg", func(b map[string]any) {
		b["skills"] = heldSkills(sk[0], 3, sk[1], 2)
		b["interests"] = map[string]any{"kinds": []string{"internship"}}
	})
	busy, _ := seekerWith(t, a, "busy@example.bg", func(b map[string]any) {
		b["skills"] = heldSkills(sk[0], 3, sk[1], 2)
		b["availableFrom"], b["availableTo"] = "2026-01-01", "2026-06-30"
	})

	got := profileIDs(matchIDs(t, a, need, w.officer))
	want := []string{full, reqOnly, low, prefOnly}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("ranked candidates = %v, want %v (full, required only, below level, preferred only)", got, want)
	}
	for _, excluded := range []string{noConsent, far, otherKind, busy} {
		for _, id := range got {
			if id == excluded {
				t.Errorf("hard filter broken: %s ranked", excluded)
			}
		}
	}
}

func TestCandidateCardsArePseudonymous(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	w.verify(t, w.otherEmpID, true)
	sk := skills(t, 1)
	nb := func(emp string) map[string]any {
		b := needBody(t, emp)
		b["skills"] = []map[string]any{{"id": sk[0], "level": 1, "required": true}}
		return b
	}
	n1 := a.must(201, "POST", "/api/v1/needs", w.owner, nb(w.employerID))["id"].(string)
	n1b := a.must(201, "POST", "/api/v1/needs", w.owner, nb(w.employerID))["id"].(string)
	n2 := a.must(201, "POST", "/api/v1/needs", w.other, nb(w.otherEmpID))["id"].(string)
	id, _ := seekerWith(t, a, "private@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })

	raw := a.do("GET", "/api/v1/needs/"+n1+"/matches", w.owner, nil)
	if raw.Status != 200 {
		t.Fatalf("matches = %d %s", raw.Status, raw.Body)
	}
	for _, leak := range []string{"Name of private", "+359888123456", "displayName", "birthYear", "phone", "summary", "грижата", id} {
		if strings.Contains(string(raw.Body), leak) {
			t.Errorf("employer's card shows %q: %s", leak, raw.Body)
		}
	}
	card := func(need, tok string) string {
		items := matchIDs(t, a, need, tok)
		if len(items) != 1 {
			t.Fatalf("need %s: %d candidates, want 1", need, len(items))
		}
		return items[0]["candidate"].(map[string]any)["id"].(string)
	}
	p1, p1b, p2 := card(n1, w.owner), card(n1b, w.owner), card(n2, w.other)
	if p1 != p1b {
		t.Errorf("pseudonym differs between two needs of one employer: %s, %s", p1, p1b)
	}
	if p1 == p2 {
		t.Errorf("two employers see the same pseudonym %s: they could link the person", p1)
	}
	// Officers see who it is.
	if got := matchIDs(t, a, n1, w.officer)[0]["candidate"].(map[string]any)["profileId"]; got != id {
		t.Errorf("officer's card profileId = %v, want %s", got, id)
	}
}

func TestNeedMatchesPermissions(t *testing.T) {
	w := newWorld(t)
	a := w.a
	need := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)
	path := "/api/v1/needs/" + need + "/matches"
	checkProblem(t, a.do("GET", path, "", nil), 401, "")
	checkProblem(t, a.do("GET", path, w.seeker, nil), 403, "")
	checkProblem(t, a.do("GET", path, w.other, nil), 404, "") // not public yet: invisible
	w.verify(t, w.employerID, true)
	checkProblem(t, a.do("GET", path, w.other, nil), 403, "") // public, not theirs
	a.must(200, "GET", path, w.owner, nil)
	checkProblem(t, a.do("GET", path+"?limit=1000", w.owner, nil), 400, "limit")
}

func TestMinorsAndForecasts(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)
	year := time.Now().Year()
	nb := func(edit func(map[string]any)) string {
		b := needBody(t, w.employerID)
		b["skills"] = []map[string]any{{"id": sk[0], "level": 1, "required": true}}
		b["startDate"] = fmt.Sprintf("%d-09-01", year+1)
		edit(b)
		return a.must(201, "POST", "/api/v1/needs", w.owner, b)["id"].(string)
	}
	day := nb(func(b map[string]any) { b["hours"] = "part_time" })
	night := nb(func(b map[string]any) { b["nightWork"] = true })
	hazard := nb(func(b map[string]any) { b["hazardous"] = true })
	forecast := nb(func(b map[string]any) { b["kind"] = "forecast" })
	minor, _ := seekerWith(t, a, "minor@example.bg", func(b map[string]any) {
		delete(b, "birthYear")
		b["birthDate"] = fmt.Sprintf("%d-06", year-16) // 17 on the start date
		b["skills"] = heldSkills(sk[0], 2)
		b["hours"] = "part_time"
	})
	adult, _ := seekerWith(t, a, "adult@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })

	dayMatches := matchIDs(t, a, day, w.officer)
	permits := map[string]bool{}
	for _, m := range dayMatches {
		permits[m["candidate"].(map[string]any)["profileId"].(string)] = m["permitRequired"].(bool)
	}
	if !permits[minor] || permits[adult] {
		t.Errorf("permitRequired = %v, want true for the minor %s only", permits, minor)
	}
	for _, n := range []string{night, hazard} {
		for _, id := range profileIDs(matchIDs(t, a, n, w.officer)) {
			if id == minor {
				t.Errorf("a minor was matched to night or hazardous need %s", n)
			}
		}
	}
	if got := matchIDs(t, a, forecast, w.officer); len(got) != 0 {
		t.Errorf("forecast need matched %d candidates, want none", len(got))
	}
}

func TestProfileMatchesExplainAndSuggest(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 4)
	post := func(title string, req ...string) string {
		b := needBody(t, w.employerID)
		b["title"] = title
		var s []map[string]any
		for _, id := range req {
			s = append(s, map[string]any{"id": id, "level": 2, "required": true})
		}
		s = append(s, map[string]any{"id": sk[3], "level": 2, "required": false})
		b["skills"] = s
		return a.must(201, "POST", "/api/v1/needs", w.owner, b)["id"].(string)
	}
	fits := post("Fits", sk[0])
	missOne := post("Needs one more", sk[0], sk[1])
	missOther := post("Needs the same one more", sk[0], sk[1])
	missTwo := post("Needs two more", sk[0], sk[1], sk[2])
	_, tok := seekerWith(t, a, "learner@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })

	res := a.must(200, "GET", "/api/v1/profiles/me/matches?lang=en", tok, nil)
	items := res["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["need"].(map[string]any)["id"] != fits {
		t.Fatalf("good matches = %v, want only %s", items, fits)
	}
	m := items[0].(map[string]any)
	if s := m["score"].(float64); s <= 0 || s > 1 {
		t.Errorf("score %v outside (0, 1]", s)
	}
	ex := m["explanation"].(map[string]any)
	matched := ex["matchedSkills"].([]any)
	if len(matched) != 1 || matched[0].(map[string]any)["id"] != sk[0] || matched[0].(map[string]any)["label"] == "" {
		t.Errorf("matchedSkills = %v", matched)
	}
	missing := ex["missingSkills"].([]any)
	if len(missing) != 1 || missing[0].(map[string]any)["id"] != sk[3] || missing[0].(map[string]any)["required"] != false {
		t.Errorf("missingSkills = %v, want the preferred %s", missing, sk[3])
	}
	if len(ex["parts"].([]any)) == 0 || ex["availabilityOk"] != true {
		t.Errorf("explanation lacks parts or availability: %v", ex)
	}
	// Few fit, so the nearest ones come with what is missing, required first.
	near := res["nearMisses"].([]any)
	if len(near) != 3 {
		t.Fatalf("nearMisses = %d, want 3 (%s %s %s)", len(near), missOne, missOther, missTwo)
	}
	firstMissing := near[0].(map[string]any)["explanation"].(map[string]any)["missingSkills"].([]any)[0].(map[string]any)
	if firstMissing["required"] != true {
		t.Errorf("missing skills not required-first: %v", firstMissing)
	}
	next := res["nextSkills"].([]any)
	if len(next) == 0 || next[0].(map[string]any)["id"] != sk[1] || next[0].(map[string]any)["opens"].(float64) != 2 {
		t.Errorf("nextSkills = %v, want %s opening 2 needs first", next, sk[1])
	}
}

func TestMatchesChangeAtOnce(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	need := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)
	sk := skills(t, 1)
	id, tok := seekerWith(t, a, "gone@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3) })
	if len(matchIDs(t, a, need, w.officer)) != 1 {
		t.Fatal("candidate not matched to begin with")
	}
	b := profileBody(t)
	b["skills"] = heldSkills(sk[0], 3)
	b["consent"] = map[string]any{"matching": false}
	a.must(200, "PUT", "/api/v1/profiles/me", tok, b)
	if len(matchIDs(t, a, need, w.officer)) != 0 {
		t.Error("withdrawn consent still matched")
	}
	b["consent"] = map[string]any{"matching": true}
	a.must(200, "PUT", "/api/v1/profiles/me", tok, b)
	a.do("DELETE", "/api/v1/profiles/me", tok, nil)
	if got := matchIDs(t, a, need, w.officer); len(got) != 0 {
		t.Errorf("erased profile %s still matched: %v", id, got)
	}
	// The other direction: a closed need leaves the job-seeker's matches.
	_, tok2 := seekerWith(t, a, "stay@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3) })
	before := a.must(200, "GET", "/api/v1/profiles/me/matches", tok2, nil)
	if len(before["items"].([]any))+len(before["nearMisses"].([]any)) == 0 {
		t.Fatal("need not matched to begin with")
	}
	a.must(200, "PATCH", "/api/v1/needs/"+need, w.owner, map[string]any{"status": "closed"})
	after := a.must(200, "GET", "/api/v1/profiles/me/matches", tok2, nil)
	if len(after["items"].([]any))+len(after["nearMisses"].([]any)) != 0 {
		t.Errorf("closed need still offered: %v", after)
	}
}
