package httpapi_test

import (
	"fmt"
	"github.com/careget/skillsmatch/internal/httpapi"
	"testing"
	"time"
)

// skills returns n real ESCO skill ids for fixtures.
func skills(t *testing.T, n int) []string {
	t.Helper()
	var ids []string
	for _, h := range loadTaxonomy(t).SuggestSkills("care", "en", n) {
		ids = append(ids, h.ID)
	}
	if len(ids) < n {
		t.Fatalf("taxonomy gave %d skills for 'care', want %d", len(ids), n)
	}
	return ids
}

var nextEIK = 0

// validEIK returns a fresh 9-digit EIK with a correct check digit.
func validEIK() string {
	nextEIK++
	head := fmt.Sprintf("%08d", 10000000+nextEIK*7919)
	sum := 0
	for i := range 8 {
		sum += int(head[i]-'0') * (i + 1)
	}
	r := sum % 11
	if r == 10 {
		sum = 0
		for i := range 8 {
			sum += int(head[i]-'0') * (i + 3)
		}
		if r = sum % 11; r == 10 {
			r = 0
		}
	}
	return head + fmt.Sprint(r)
}

func employerBody(eik string) map[string]any {
	return map[string]any{"name": "МБАЛ Хасково", "eik": eik, "sector": "healthcare", "municipality": "Хасково",
		"location": map[string]any{"lat": 41.934, "lon": 25.555}}
}

func needBody(t *testing.T, employerID string) map[string]any {
	ids := skills(t, 3)
	return map[string]any{
		"employerId": employerID, "kind": "job", "title": "Медицинска сестра", "description": "Грижа за пациенти в отделение.",
		"sector": "healthcare", "workMode": "onsite", "positions": 2, "hours": "full_time", "startDate": "2027-01-15",
		"skills":    []map[string]any{{"id": ids[0], "level": 3, "required": true}, {"id": ids[1], "level": 2, "required": false}},
		"languages": []map[string]any{{"code": "bg", "level": "C1"}},
		"location":  map[string]any{"municipality": "Хасково", "lat": 41.934, "lon": 25.555},
	}
}

// world is a set of actors for permission tests.
type world struct {
	a                      *api
	officer, owner, other  string // tokens
	seeker                 string
	employerID, otherEmpID string
}

func newWorld(t *testing.T, opts ...func(*httpapi.Deps)) *world {
	w := &world{a: newAPI(t, opts...)}
	_, w.officer = w.a.staff("officer", "officer@example.bg")
	_, w.owner = w.a.user("employer", "owner@example.bg")
	_, w.other = w.a.user("employer", "other@example.bg")
	_, w.seeker = w.a.user("jobseeker", "seeker@example.bg")
	w.employerID = w.a.must(201, "POST", "/api/v1/employers", w.owner, employerBody(validEIK()))["id"].(string)
	w.otherEmpID = w.a.must(201, "POST", "/api/v1/employers", w.other, employerBody(validEIK()))["id"].(string)
	return w
}

func (w *world) verify(t *testing.T, id string, ok bool) {
	t.Helper()
	body := map[string]any{"verified": ok, "note": "checked in the Commercial Register"}
	if !ok {
		body["reason"] = "struck off the Commercial Register" // a withdrawal says why
	}
	w.a.must(200, "POST", "/api/v1/employers/"+id+"/verification", w.officer, body)
}

func TestCreateEmployerRules(t *testing.T) {
	w := newWorld(t)
	a := w.a
	checkProblem(t, a.do("POST", "/api/v1/employers", w.seeker, employerBody(validEIK())), 403, "")
	checkProblem(t, a.do("POST", "/api/v1/employers", w.officer, employerBody(validEIK())), 403, "")
	checkProblem(t, a.do("POST", "/api/v1/employers", "", employerBody(validEIK())), 401, "")
	checkProblem(t, a.do("POST", "/api/v1/employers", w.owner, employerBody("000695236")), 400, "eik")
	checkProblem(t, a.do("POST", "/api/v1/employers", w.owner, employerBody("12345")), 400, "eik")
	withVerified := employerBody(validEIK())
	withVerified["verified"] = true
	checkProblem(t, a.do("POST", "/api/v1/employers", w.owner, withVerified), 400, "verified")
	eik := validEIK()
	e := a.must(201, "POST", "/api/v1/employers", w.owner, employerBody(eik))
	if e["verified"] != false {
		t.Errorf("new employer verified = %v, want false", e["verified"])
	}
	checkProblem(t, a.do("POST", "/api/v1/employers", w.other, employerBody(eik)), 409, "")
	me := a.must(200, "GET", "/api/v1/me", w.owner, nil)
	if ids, _ := me["employerIds"].([]any); len(ids) != 2 {
		t.Errorf("owner's employerIds = %v, want the two employers it created", me["employerIds"])
	}
}

func TestEmployerVisibilityAndVerification(t *testing.T) {
	w := newWorld(t)
	a, path := w.a, "/api/v1/employers/"+w.employerID
	// Unverified: members and officers only; everyone else 404.
	a.must(200, "GET", path, w.owner, nil)
	a.must(200, "GET", path, w.officer, nil)
	checkProblem(t, a.do("GET", path, "", nil), 404, "")
	checkProblem(t, a.do("GET", path, w.other, nil), 404, "")
	checkProblem(t, a.do("PATCH", path, w.other, map[string]any{"name": "Hijack"}), 404, "")
	// Only officers verify; a member sees it, so it is 403; others 404.
	checkProblem(t, a.do("POST", path+"/verification", w.owner, map[string]any{"verified": true}), 403, "")
	checkProblem(t, a.do("POST", path+"/verification", w.other, map[string]any{"verified": true}), 404, "")
	w.verify(t, w.employerID, true)
	e := a.must(200, "GET", path, "", nil)
	if e["verified"] != true {
		t.Fatalf("after verification verified = %v", e["verified"])
	}
	// Verified: visible to all, still changed only by members and officers.
	checkProblem(t, a.do("PATCH", path, w.other, map[string]any{"name": "Hijack"}), 403, "")
	checkProblem(t, a.do("PATCH", path, w.seeker, map[string]any{"name": "Hijack"}), 403, "")
	checkProblem(t, a.do("PATCH", path, w.owner, map[string]any{"verified": false}), 400, "verified")
	if got := a.must(200, "GET", path, "", nil)["name"]; got != "МБАЛ Хасково" {
		t.Fatalf("name after refused changes = %v", got)
	}
	got := a.must(200, "PATCH", path, w.owner, map[string]any{"website": "https://mbal-haskovo.bg"})
	if got["website"] != "https://mbal-haskovo.bg" || got["name"] != "МБАЛ Хасково" {
		t.Errorf("PATCH website = %v", got)
	}
	a.must(200, "PATCH", path, w.officer, map[string]any{"municipality": "Хасково"})
}

func TestNeedValidation(t *testing.T) {
	w := newWorld(t)
	a := w.a
	ids := skills(t, 1)
	cases := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"unknown skill", func(b map[string]any) { b["skills"] = []map[string]any{{"id": "no-such-skill", "level": 2}} }, "skills[0].id"},
		{"level too high", func(b map[string]any) { b["skills"] = []map[string]any{{"id": ids[0], "level": 5}} }, "skills[0].level"},
		{"no skills", func(b map[string]any) { b["skills"] = []map[string]any{} }, "skills"},
		{"51 skills", func(b map[string]any) {
			s := make([]map[string]any, 51)
			for i := range s {
				s[i] = map[string]any{"id": ids[0], "level": 1}
			}
			b["skills"] = s
		}, "skills"},
		{"duplicate skill", func(b map[string]any) {
			b["skills"] = []map[string]any{{"id": ids[0], "level": 1}, {"id": ids[0], "level": 2}}
		}, "skills[1].id"},
		{"bad kind", func(b map[string]any) { b["kind"] = "gig" }, "kind"},
		{"zero positions", func(b map[string]any) { b["positions"] = 0 }, "positions"},
		{"bad date", func(b map[string]any) { b["startDate"] = "15.01.2027" }, "startDate"},
		{"end before start", func(b map[string]any) { b["endDate"] = "2026-01-01" }, "endDate"},
		{"bad language level", func(b map[string]any) { b["languages"] = []map[string]any{{"code": "bg", "level": "D1"}} }, "languages[0].level"},
		{"bad language code", func(b map[string]any) { b["languages"] = []map[string]any{{"code": "bul", "level": "B1"}} }, "languages[0].code"},
		{"latitude out of range", func(b map[string]any) {
			b["location"] = map[string]any{"municipality": "Хасково", "lat": 141.0, "lon": 25.5}
		}, "location.lat"},
		{"unknown occupation", func(b map[string]any) { b["occupation"] = "nope" }, "occupation"},
		{"id in body", func(b map[string]any) { b["id"] = "mine" }, "id"},
		{"score in body", func(b map[string]any) { b["score"] = 1 }, "score"},
		{"operator in title", func(b map[string]any) { b["title"] = map[string]any{"$ne": ""} }, "title"},
		{"unknown employer", func(b map[string]any) { b["employerId"] = "nope" }, "employerId"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := needBody(t, w.employerID)
			tt.edit(b)
			checkProblem(t, a.do("POST", "/api/v1/needs", w.owner, b), 400, tt.field)
		})
	}
}

func TestNeedPermissions(t *testing.T) {
	w := newWorld(t)
	a := w.a
	checkProblem(t, a.do("POST", "/api/v1/needs", w.seeker, needBody(t, w.employerID)), 403, "")
	checkProblem(t, a.do("POST", "/api/v1/needs", "", needBody(t, w.employerID)), 401, "")
	// Another employer's unverified organisation is invisible: a field error, not a 403.
	checkProblem(t, a.do("POST", "/api/v1/needs", w.other, needBody(t, w.employerID)), 400, "employerId")
	n := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))
	id := n["id"].(string)
	path := "/api/v1/needs/" + id
	if n["status"] != "open" {
		t.Errorf("default status = %v, want open", n["status"])
	}
	// Open need of an unverified employer: not public.
	checkProblem(t, a.do("GET", path, "", nil), 404, "")
	checkProblem(t, a.do("GET", path, w.other, nil), 404, "")
	checkProblem(t, a.do("PATCH", path, w.other, map[string]any{"title": "Hijacked"}), 404, "")
	checkProblem(t, a.do("DELETE", path, w.other, nil), 404, "")
	a.must(200, "GET", path, w.owner, nil)
	a.must(200, "GET", path, w.officer, nil)

	w.verify(t, w.employerID, true)
	a.must(200, "GET", path, "", nil)
	a.must(200, "GET", path, w.seeker, nil)
	// Visible but not theirs: 403, and nothing changes.
	checkProblem(t, a.do("POST", "/api/v1/needs", w.other, needBody(t, w.employerID)), 403, "")
	checkProblem(t, a.do("PATCH", path, w.other, map[string]any{"title": "Hijacked"}), 403, "")
	checkProblem(t, a.do("PATCH", path, w.seeker, map[string]any{"title": "Hijacked"}), 403, "")
	checkProblem(t, a.do("DELETE", path, w.other, nil), 403, "")
	if got := a.must(200, "GET", path, "", nil)["title"]; got != "Медицинска сестра" {
		t.Fatalf("title after refused changes = %v", got)
	}
	// An officer may post for any employer.
	a.must(201, "POST", "/api/v1/needs", w.officer, needBody(t, w.otherEmpID))

	// Losing verification hides the need again at once.
	w.verify(t, w.employerID, false)
	checkProblem(t, a.do("GET", path, "", nil), 404, "")
}

func TestNeedStatusAndApplyByDecidePublicity(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	draft := needBody(t, w.employerID)
	draft["status"] = "draft"
	d := a.must(201, "POST", "/api/v1/needs", w.owner, draft)["id"].(string)
	checkProblem(t, a.do("GET", "/api/v1/needs/"+d, "", nil), 404, "")
	a.must(200, "PATCH", "/api/v1/needs/"+d, w.owner, map[string]any{"status": "open"})
	a.must(200, "GET", "/api/v1/needs/"+d, "", nil)

	past := needBody(t, w.employerID)
	past["applyBy"] = time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	p := a.must(201, "POST", "/api/v1/needs", w.owner, past)["id"].(string)
	checkProblem(t, a.do("GET", "/api/v1/needs/"+p, "", nil), 404, "")
	a.must(200, "GET", "/api/v1/needs/"+p, w.owner, nil)

	closed := a.must(200, "PATCH", "/api/v1/needs/"+d, w.owner, map[string]any{"status": "closed"})
	if closed["status"] != "closed" {
		t.Fatalf("status = %v", closed["status"])
	}
	checkProblem(t, a.do("GET", "/api/v1/needs/"+d, "", nil), 404, "")
}

func TestNeedPatchIsPartialAndValidated(t *testing.T) {
	w := newWorld(t)
	a := w.a
	n := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))
	path := "/api/v1/needs/" + n["id"].(string)
	got := a.must(200, "PATCH", path, w.owner, map[string]any{"positions": 5, "nightWork": true})
	if got["positions"].(float64) != 5 || got["nightWork"] != true || got["title"] != n["title"] || len(got["skills"].([]any)) != 2 {
		t.Fatalf("PATCH changed more or less than asked: %v", got)
	}
	checkProblem(t, a.do("PATCH", path, w.owner, map[string]any{"endDate": "2020-01-01"}), 400, "endDate")
	checkProblem(t, a.do("PATCH", path, w.owner, map[string]any{"employerId": w.otherEmpID}), 400, "employerId")
	checkProblem(t, a.do("PATCH", path, w.owner, map[string]any{"skills": []map[string]any{{"id": "bogus", "level": 1}}}), 400, "skills[0].id")
	after := a.must(200, "GET", path, w.owner, nil)
	if after["endDate"] != nil || after["employerId"] != w.employerID || len(after["skills"].([]any)) != 2 {
		t.Fatalf("a refused PATCH changed the need: %v", after)
	}
}

func TestDeleteNeed(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	id := a.must(201, "POST", "/api/v1/needs", w.owner, needBody(t, w.employerID))["id"].(string)
	if r := a.do("DELETE", "/api/v1/needs/"+id, w.owner, nil); r.Status != 204 {
		t.Fatalf("DELETE = %d, want 204", r.Status)
	}
	for _, tok := range []string{"", w.owner, w.officer} {
		checkProblem(t, a.do("GET", "/api/v1/needs/"+id, tok, nil), 404, "")
	}
	checkProblem(t, a.do("DELETE", "/api/v1/needs/"+id, w.owner, nil), 404, "")
}
