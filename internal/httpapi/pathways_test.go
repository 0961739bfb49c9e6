package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

func carePathway(skill string) map[string]any {
	return map[string]any{
		"name": map[string]any{"bg": "Път към грижата", "en": "Care Career Path"},
		"stages": []map[string]any{
			{"key": "orientation", "name": map[string]any{"bg": "Ориентиране", "en": "Orientation"},
				"requirements": []map[string]any{{"key": "medical", "name": map[string]any{"bg": "Медицинско свидетелство", "en": "Medical certificate"}}}},
			{"key": "training", "name": map[string]any{"bg": "Обучение", "en": "Training"},
				"grantsSkills": []map[string]any{{"id": skill, "level": 3}}},
		},
	}
}

func TestCareCareerPath(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)[0]
	checkProblem(t, a.do("POST", "/api/v1/pathways", w.owner, carePathway(sk)), 403, "")
	bad := carePathway(sk)
	bad["stages"].([]map[string]any)[1]["grantsSkills"] = []map[string]any{{"id": "nope", "level": 3}}
	checkProblem(t, a.do("POST", "/api/v1/pathways", w.officer, bad), 400, "stages[1].grantsSkills[0].id")
	pw := a.must(201, "POST", "/api/v1/pathways", w.officer, carePathway(sk))["id"].(string)
	if list := a.must(200, "GET", "/api/v1/pathways", "", nil)["items"].([]any); len(list) != 1 {
		t.Fatalf("public pathway list = %v", list)
	}

	// Two candidates hold the skill at the same level; one will be certified.
	certified, certTok := seekerWith(t, a, "cert@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk, 3) })
	declared, _ := seekerWith(t, a, "decl@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk, 3) })
	base := "/api/v1/pathways/" + pw + "/participants"
	checkProblem(t, a.do("POST", base, certTok, map[string]any{"profileId": declared}), 403, "")
	part := a.must(201, "POST", base, certTok, map[string]any{"profileId": certified})
	if part["status"] != "pending" {
		t.Fatalf("self-enrolment status = %v, want pending", part["status"])
	}
	checkProblem(t, a.do("POST", base, certTok, map[string]any{"profileId": certified}), 409, "")
	me := base + "/" + certified
	checkProblem(t, a.do("POST", me+"/progress", w.officer, map[string]any{"stage": "training", "status": "started"}), 409, "")
	a.must(200, "POST", me+"/acceptance", w.officer, nil)
	a.must(200, "POST", me+"/checks", w.officer, map[string]any{"requirement": "medical", "checked": true, "on": time.Now().Format(time.DateOnly)})
	a.must(200, "POST", me+"/progress", w.officer, map[string]any{"stage": "orientation", "status": "completed"})
	a.must(200, "POST", me+"/progress", w.officer, map[string]any{"stage": "training", "status": "started", "mentor": "Сестра Иванова", "nextStep": "Практика в МБАЛ"})

	board := a.must(200, "GET", base, w.officer, nil)["items"].([]any)
	row := board[0].(map[string]any)
	if row["stage"] != "training" || row["status"] != "active" || row["mentor"] != "Сестра Иванова" || row["nextStep"] != "Практика в МБАЛ" {
		t.Errorf("cohort board row = %v", row)
	}
	checkProblem(t, a.do("GET", base, certTok, nil), 403, "")

	// Before completion the two candidates tie on skills; after it the certified one ranks first.
	need := needBody(t, w.employerID)
	need["skills"] = []map[string]any{{"id": sk, "level": 3, "required": true}}
	needID := a.must(201, "POST", "/api/v1/needs", w.owner, need)["id"].(string)
	done := a.must(200, "POST", me+"/progress", w.officer, map[string]any{"stage": "training", "status": "completed"})
	if done["status"] != "completed" || done["stage"] != "training" {
		t.Errorf("after the last stage participant status %v, stage %v; want completed, training", done["status"], done["stage"])
	}
	prof := a.must(200, "GET", "/api/v1/profiles/me", certTok, nil)
	if s := prof["skills"].([]any)[0].(map[string]any); s["evidence"] != "certified" || s["level"].(float64) != 3 {
		t.Fatalf("skill after completing the stage = %v, want certified level 3", s)
	}
	items := matchIDs(t, a, needID, w.officer)
	ranked := profileIDs(items)
	if len(ranked) != 2 || ranked[0] != certified || ranked[1] != declared {
		t.Fatalf("ranking = %v, want the certified candidate %s first", ranked, certified)
	}
	if items[0]["score"].(float64) <= items[1]["score"].(float64) {
		t.Errorf("certified scores %v, declared %v: want strictly higher, not a tie broken by id", items[0]["score"], items[1]["score"])
	}
	// The export shows the pathway, and the stored check is only a fact and a date.
	e := a.do("GET", "/api/v1/profiles/me/export", certTok, nil)
	if !strings.Contains(string(e.Body), `"pathways":[{`) || !strings.Contains(string(e.Body), `"medical":{"checked":true`) {
		t.Errorf("export lacks the pathway record: %s", e.Body)
	}
}
