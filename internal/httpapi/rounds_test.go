package httpapi_test

import (
	"testing"
	"time"
)

func TestPlacementRound(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 2)
	intern := func(title string, level int) string {
		b := needBody(t, w.employerID)
		b["kind"], b["title"], b["positions"] = "internship", title, 1
		b["skills"] = []map[string]any{{"id": sk[0], "level": level, "required": true}}
		return a.must(201, "POST", "/api/v1/needs", w.owner, b)["id"].(string)
	}
	// The ward wants level 4, so match scores rank strong > middle > weak.
	ward, lab := intern("Стаж в отделение", 4), intern("Стаж в лаборатория", 1)
	job := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)

	people := map[string]string{} // name → token
	ids := map[string]string{}
	for name, level := range map[string]int{"strong": 4, "middle": 2, "weak": 1} {
		ids[name], people[name] = seekerWith(t, a, name+"@example.bg", func(b map[string]any) {
			b["skills"] = heldSkills(sk[0], level)
			b["interests"] = map[string]any{"kinds": []string{"internship"}}
		})
	}
	closes := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	body := map[string]any{"name": "Стажове есен 2027", "programme": "internship", "needIds": []string{ward, lab}, "closesAt": closes}
	checkProblem(t, a.do("POST", "/api/v1/rounds", w.owner, body), 403, "")
	wrongKind := map[string]any{"name": "Mixed", "programme": "internship", "needIds": []string{ward, job}, "closesAt": closes}
	checkProblem(t, a.do("POST", "/api/v1/rounds", w.officer, wrongKind), 400, "needIds[1]")
	twice := map[string]any{"name": "Twice", "programme": "internship", "needIds": []string{ward, lab, ward}, "closesAt": closes}
	checkProblem(t, a.do("POST", "/api/v1/rounds", w.officer, twice), 400, "needIds[2]")
	r := a.must(201, "POST", "/api/v1/rounds", w.officer, body)
	id := r["id"].(string)

	// Everyone wants the ward first; the ward's employer ranks by score (default).
	for _, name := range []string{"strong", "middle", "weak"} {
		a.must(200, "PUT", "/api/v1/rounds/"+id+"/preferences/me", people[name], map[string]any{"needIds": []string{ward, lab}})
	}
	checkProblem(t, a.do("PUT", "/api/v1/rounds/"+id+"/preferences/me", people["weak"], map[string]any{"needIds": []string{job}}), 400, "needIds[0]")
	// The lab's employer prefers the weak candidate explicitly.
	a.must(200, "PUT", "/api/v1/rounds/"+id+"/preferences/needs/"+lab, w.owner, map[string]any{"profileIds": []string{ids["weak"], ids["middle"]}})
	checkProblem(t, a.do("PUT", "/api/v1/rounds/"+id+"/preferences/needs/"+lab, w.other, map[string]any{"profileIds": []string{ids["weak"]}}), 403, "")

	// A job-seeker sees only their own preferences.
	mine := a.must(200, "GET", "/api/v1/rounds/"+id, people["middle"], nil)
	if prefs := mine["preferences"].(map[string]any); len(prefs) != 1 || prefs[ids["middle"]] == nil {
		t.Errorf("job-seeker sees preferences %v, want only their own", prefs)
	}

	run := a.must(200, "POST", "/api/v1/rounds/"+id+"/run", w.officer, nil)
	if run["blockingPairs"].(float64) != 0 {
		t.Fatalf("blocking pairs = %v", run["blockingPairs"])
	}
	got := assignments(run)
	if got[ward] != ids["strong"] || got[lab] != ids["weak"] {
		t.Fatalf("assignments = %v, want ward: strong (highest score), lab: weak (employer's choice)", got)
	}
	un := run["unassigned"].([]any)
	if len(un) != 1 || un[0].(map[string]any)["profileId"] != ids["middle"] || un[0].(map[string]any)["reason"] != "all_choices_full" {
		t.Errorf("unassigned = %v, want middle with all_choices_full", un)
	}
	// The officer pins middle to the ward and reruns.
	rerun := a.must(200, "POST", "/api/v1/rounds/"+id+"/run", w.officer, map[string]any{
		"pins": []map[string]any{{"profileId": ids["middle"], "needId": ward}}})
	if pinned := rerun["assignments"].([]any)[indexOf(rerun, ward)].(map[string]any)["pinned"].([]any); len(pinned) != 1 || pinned[0] != ids["middle"] {
		t.Errorf("pinned on the ward = %v, want middle", pinned)
	}
	checkProblem(t, a.do("POST", "/api/v1/rounds/"+id+"/run", w.owner, nil), 403, "")

	pub := a.must(200, "POST", "/api/v1/rounds/"+id+"/publish", w.officer, nil)
	if pub["status"] != "published" || pub["matchesCreated"].(float64) != 2 {
		t.Fatalf("publish = %v", pub)
	}
	proposed := a.must(200, "GET", "/api/v1/matches?state=proposed", w.officer, nil)
	if proposed["total"].(float64) != 2 {
		t.Errorf("proposed matches = %v, want 2", proposed["total"])
	}
	checkProblem(t, a.do("POST", "/api/v1/rounds/"+id+"/publish", w.officer, nil), 409, "")
	checkProblem(t, a.do("PUT", "/api/v1/rounds/"+id+"/preferences/me", people["weak"], map[string]any{"needIds": []string{lab}}), 409, "")
}

func assignments(run map[string]any) map[string]string {
	out := map[string]string{}
	for _, x := range run["assignments"].([]any) {
		as := x.(map[string]any)
		if ps := as["profileIds"].([]any); len(ps) > 0 {
			out[as["needId"].(string)] = ps[0].(string)
		}
	}
	return out
}

func indexOf(run map[string]any, need string) int {
	for i, x := range run["assignments"].([]any) {
		if x.(map[string]any)["needId"] == need {
			return i
		}
	}
	return -1
}
