package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func profileBody(t *testing.T) map[string]any {
	ids := skills(t, 2)
	return map[string]any{
		"displayName": "Мария Петрова", "birthYear": time.Now().Year() - 22, "phone": "+359888123456",
		"municipality": "Хасково", "location": map[string]any{"lat": 41.93, "lon": 25.55}, "maxTravelKm": 40,
		"workModes": []string{"onsite", "hybrid"}, "educationLevel": 3,
		"skills":        []map[string]any{{"id": ids[0], "level": 2}, {"id": ids[1], "level": 3}},
		"languages":     []map[string]any{{"code": "bg", "level": "C2"}, {"code": "en", "level": "B1"}},
		"interests":     map[string]any{"kinds": []string{"job", "care_pathway"}, "sectors": []string{"healthcare"}},
		"availableFrom": "2027-01-01", "summary": "Искам да работя в грижата за възрастни.",
		"consent": map[string]any{"matching": true},
	}
}

func TestProfileLifecycle(t *testing.T) {
	a := newAPI(t)
	id, seeker := a.user("jobseeker", "maria@example.bg")
	checkProblem(t, a.do("GET", "/api/v1/profiles/me", seeker, nil), 404, "")
	p := a.must(200, "PUT", "/api/v1/profiles/me", seeker, profileBody(t))
	if p["id"] != id || p["displayName"] != "Мария Петрова" {
		t.Fatalf("PUT = %v", p)
	}
	for _, s := range p["skills"].([]any) {
		if s.(map[string]any)["evidence"] != "declared" {
			t.Errorf("self-declared skill has evidence %v", s)
		}
	}
	got := a.must(200, "GET", "/api/v1/profiles/me", seeker, nil)
	if got["summary"] != "Искам да работя в грижата за възрастни." {
		t.Errorf("GET after PUT = %v", got)
	}
	// Replace, not merge: a second PUT without phone drops it.
	b := profileBody(t)
	delete(b, "phone")
	b["consent"] = map[string]any{"matching": false}
	p2 := a.must(200, "PUT", "/api/v1/profiles/me", seeker, b)
	if p2["phone"] != nil || p2["consent"].(map[string]any)["matching"] != false || p2["createdAt"] != p["createdAt"] {
		t.Errorf("second PUT = %v", p2)
	}
	if r := a.do("DELETE", "/api/v1/profiles/me", seeker, nil); r.Status != 204 {
		t.Fatalf("DELETE = %d", r.Status)
	}
	checkProblem(t, a.do("GET", "/api/v1/profiles/me", seeker, nil), 404, "")
	// Erasure is idempotent, and final: the profile cannot be put back.
	if r := a.do("DELETE", "/api/v1/profiles/me", seeker, nil); r.Status != 204 {
		t.Fatalf("second DELETE = %d %s, want 204", r.Status, r.Body)
	}
	checkProblem(t, a.do("PUT", "/api/v1/profiles/me", seeker, profileBody(t)), 404, "")
}

func TestErasureLeavesNoPersonalData(t *testing.T) {
	a := newAPI(t)
	id, seeker := a.user("jobseeker", "erase@example.bg")
	b := profileBody(t)
	b["displayName"] = "Canary Zlatka"
	a.must(200, "PUT", "/api/v1/profiles/me", seeker, b)
	a.do("DELETE", "/api/v1/profiles/me", seeker, nil)
	var doc bson.M
	if err := a.store.Collection("profiles", "profile").Get(context.Background(), id, &doc); err != nil {
		t.Fatal(err)
	}
	raw, _ := bson.MarshalExtJSON(doc, false, false)
	for _, canary := range []string{"Canary", "+359888123456", "Хасково", "грижата"} {
		if strings.Contains(string(raw), canary) {
			t.Errorf("erased profile still holds %q: %s", canary, raw)
		}
	}
}

func TestProfileValidation(t *testing.T) {
	a := newAPI(t)
	_, seeker := a.user("jobseeker", "v@example.bg")
	_, employer := a.user("employer", "e@example.bg")
	checkProblem(t, a.do("PUT", "/api/v1/profiles/me", employer, profileBody(t)), 403, "")
	checkProblem(t, a.do("PUT", "/api/v1/profiles/me", "", profileBody(t)), 401, "")
	year := time.Now().Year()
	cases := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"unknown skill", func(b map[string]any) { b["skills"] = []map[string]any{{"id": "nope", "level": 1}} }, "skills[0].id"},
		{"too young (12)", func(b map[string]any) { b["birthDate"] = fmt.Sprintf("%d-01", year-12) }, "birthDate"},
		{"level 0", func(b map[string]any) { b["skills"] = []map[string]any{{"id": skills(t, 1)[0], "level": 0}} }, "skills[0].level"},
		{"consent missing", func(b map[string]any) { delete(b, "consent") }, "consent"},
		{"bad work mode", func(b map[string]any) { b["workModes"] = []string{"space"} }, "workModes[0]"},
		{"forecast is no interest", func(b map[string]any) {
			b["interests"] = map[string]any{"kinds": []string{"forecast"}}
		}, "interests.kinds[0]"},
		{"available to before from", func(b map[string]any) { b["availableTo"] = "2026-01-01" }, "availableTo"},
		{"national id smuggled in", func(b map[string]any) { b["egn"] = "0000000000" }, "egn"},
		{"unknown source", func(b map[string]any) {
			ids := skills(t, 2)
			b["skills"] = []map[string]any{{"id": ids[0], "level": 2, "source": "work"}, {"id": ids[1], "level": 2, "source": "home"}}
		}, "skills[1].source"},
		{"evidence cannot be claimed", func(b map[string]any) {
			b["skills"] = []map[string]any{{"id": skills(t, 1)[0], "level": 2, "evidence": "certified"}}
		}, "evidence"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := profileBody(t)
			tt.edit(b)
			checkProblem(t, a.do("PUT", "/api/v1/profiles/me", seeker, b), 400, tt.field)
		})
	}
	checkProblem(t, a.do("GET", "/api/v1/profiles/me", seeker, nil), 404, "")
}

func TestOfficerReadIsAuditedAndExported(t *testing.T) {
	a := newAPI(t)
	id, seeker := a.user("jobseeker", "watched@example.bg")
	_, officer := a.staff("officer", "officer@example.bg")
	_, employer := a.user("employer", "boss@example.bg")
	_, other := a.user("jobseeker", "nosy@example.bg")
	a.must(200, "PUT", "/api/v1/profiles/me", seeker, profileBody(t))

	// Employers see nobody's full profile before a referral; job-seekers never.
	checkProblem(t, a.do("GET", "/api/v1/profiles/"+id, employer, nil), 404, "")
	checkProblem(t, a.do("GET", "/api/v1/profiles/"+id, other, nil), 403, "")
	checkProblem(t, a.do("GET", "/api/v1/profiles/"+id, "", nil), 401, "")
	if v := exportViews(t, a, seeker); len(v) != 0 {
		t.Fatalf("views after refused reads = %v, want none", v)
	}
	p := a.must(200, "GET", "/api/v1/profiles/"+id+"?purpose=referral", officer, nil)
	if p["phone"] != "+359888123456" {
		t.Errorf("officer's read lacks contact: %v", p)
	}
	a.must(200, "GET", "/api/v1/profiles/"+id, officer, nil)
	views := exportViews(t, a, seeker)
	if len(views) != 2 {
		t.Fatalf("export lists %d views, want 2: %v", len(views), views)
	}
	first := views[0].(map[string]any)
	if first["who"] != "Staff officer" || first["organisation"] != "Бюро по труда" || first["why"] != "referral" || first["when"] == "" {
		t.Errorf("first view = %v", first)
	}
	if views[1].(map[string]any)["why"] != "case_review" {
		t.Errorf("second view = %v", views[1])
	}
}

func exportViews(t *testing.T, a *api, token string) []any {
	t.Helper()
	e := a.must(200, "GET", "/api/v1/profiles/me/export", token, nil)
	if e["account"].(map[string]any)["email"] == nil {
		t.Fatalf("export lacks the account: %v", e)
	}
	return e["views"].([]any)
}

// If the audit log cannot be written, the officer gets no personal data.
func TestProfileReadFailsClosedWhenAuditFails(t *testing.T) {
	a := newAPI(t)
	id, seeker := a.user("jobseeker", "closed@example.bg")
	_, officer := a.staff("officer", "officer@example.bg")
	a.must(200, "PUT", "/api/v1/profiles/me", seeker, profileBody(t))
	// Occupy the key the next audit entry will take, so its insert fails in the real store.
	err := a.store.Collection("audit", "audit entry").Insert(context.Background(), bson.D{{Key: "_id", Value: id + "/00000001"}})
	if err != nil {
		t.Fatal(err)
	}
	r := a.do("GET", "/api/v1/profiles/"+id, officer, nil)
	checkProblem(t, r, 500, "")
	if strings.Contains(string(r.Body), "Мария") || strings.Contains(string(r.Body), "+359") {
		t.Fatalf("failed read leaked personal data: %s", r.Body)
	}
}

func TestExportWithoutProfile(t *testing.T) {
	a := newAPI(t)
	_, seeker := a.user("jobseeker", "empty@example.bg")
	e := a.must(200, "GET", "/api/v1/profiles/me/export", seeker, nil)
	if e["profile"] != nil || len(e["views"].([]any)) != 0 {
		t.Errorf("export of an account without profile = %v", e)
	}
	if strings.Contains(string(a.do("GET", "/api/v1/profiles/me/export", seeker, nil).Body), "argon2") {
		t.Error("export leaks the password hash")
	}
}

// TestProfileSkillSourceRoundTrips: where the person did a skill is an
// optional field of each skill; PUT stores it and GET gives it back, and a
// skill without it has none.
func TestProfileSkillSourceRoundTrips(t *testing.T) {
	a := newAPI(t)
	_, seeker := a.user("jobseeker", "src@example.bg")
	ids := skills(t, 2)
	b := profileBody(t)
	b["skills"] = []map[string]any{{"id": ids[0], "level": 2, "source": "training"}, {"id": ids[1], "level": 3}}
	for _, p := range []map[string]any{a.must(200, "PUT", "/api/v1/profiles/me", seeker, b), a.must(200, "GET", "/api/v1/profiles/me", seeker, nil)} {
		got := map[string]any{}
		for _, sk := range p["skills"].([]any) {
			sk := sk.(map[string]any)
			got[sk["id"].(string)] = sk["source"]
		}
		if got[ids[0]] != "training" || got[ids[1]] != nil || len(got) != 2 {
			t.Errorf("skills' sources = %v, want %s from training and %s without one", got, ids[0], ids[1])
		}
	}
}
