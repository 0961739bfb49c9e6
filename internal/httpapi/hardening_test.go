package httpapi_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// /metrics names routes and counts requests: it is served on its own
// listener (internal/app), not to whoever reaches the API.
func TestMetricsAreNotOnTheAPI(t *testing.T) {
	a := newAPI(t)
	a.do("GET", "/healthz", "", nil) // something to count
	if r := a.do("GET", "/metrics", "", nil); r.Status != 404 {
		t.Errorf("GET /metrics on the API listener = %d, want 404\n%.300s", r.Status, r.Body)
	}
}

// An employer's website is shown to job-seekers as a link: only http and
// https addresses are accepted, on create and on edit.
func TestEmployerWebsiteIsHTTPOnly(t *testing.T) {
	w := newWorld(t)
	for _, bad := range []string{"javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>alert(1)</script>",
		"file:///etc/passwd", "https://bank.bg@evil.example"} {
		body := employerBody(validEIK())
		body["website"] = bad
		checkProblem(t, w.a.do("POST", "/api/v1/employers", w.owner, body), 400, "website")
		checkProblem(t, w.a.do("PATCH", "/api/v1/employers/"+w.employerID, w.owner, map[string]any{"website": bad}), 400, "website")
	}
	body := employerBody(validEIK())
	body["website"] = "https://clinic.example.bg/careers"
	w.a.must(201, "POST", "/api/v1/employers", w.owner, body)
	e := w.a.must(200, "PATCH", "/api/v1/employers/"+w.employerID, w.owner, map[string]any{"website": "http://clinic.example.bg"})
	if e["website"] != "http://clinic.example.bg" {
		t.Errorf("website after PATCH = %v", e["website"])
	}
}

// Every query parameter any handler reads, and every path parameter, is
// capped in length; a longer value is a 400 problem naming it, before any
// handler (or the sign-in check) sees it.
func TestEveryParameterIsCapped(t *testing.T) {
	a := newAPI(t)
	_, officer := a.staff("officer", "officer@example.bg")
	long := func(n int) string { return url.QueryEscape(strings.Repeat("ж", n)) }
	cases := []struct{ path, param string }{
		{"/api/v1/skills?q=" + long(201), "q"},
		{"/api/v1/skills?lang=" + long(101), "lang"},
		{"/api/v1/skills?limit=" + long(101), "limit"},
		{"/api/v1/occupations?q=" + long(201), "q"},
		{"/api/v1/occupations?lang=" + long(101), "lang"},
		{"/api/v1/occupations?limit=" + long(101), "limit"},
		{"/api/v1/needs?q=" + long(201), "q"},
		{"/api/v1/needs?kind=" + long(101), "kind"},
		{"/api/v1/needs?sector=" + long(101), "sector"},
		{"/api/v1/needs?municipality=" + long(101), "municipality"},
		{"/api/v1/needs?skill=a&skill=" + long(101), "skill"},
		{"/api/v1/needs?near=" + long(101), "near"},
		{"/api/v1/needs?radiusKm=" + long(101), "radiusKm"},
		{"/api/v1/needs?page=" + long(101), "page"},
		{"/api/v1/needs?pageSize=" + long(101), "pageSize"},
		{"/api/v1/needs/x/matches?limit=" + long(101), "limit"},
		{"/api/v1/profiles/me/matches?kind=" + long(101), "kind"},
		{"/api/v1/profiles/me/matches?limit=" + long(101), "limit"},
		{"/api/v1/profiles/x?purpose=" + long(101), "purpose"},
		{"/api/v1/matches?state=" + long(101), "state"},
		{"/api/v1/matches?needId=" + long(101), "needId"},
		{"/api/v1/matches?profileId=" + long(101), "profileId"},
		{"/api/v1/matches?employerId=" + long(101), "employerId"},
		{"/api/v1/matches?programme=" + long(101), "programme"},
		{"/api/v1/matches?ageGroup=" + long(101), "ageGroup"},
		{"/api/v1/matches?overdue=" + long(101), "overdue"},
		{"/api/v1/insights/skills-gap?by=" + long(101), "by"},
		{"/api/v1/insights/skills-gap?sector=" + long(101), "sector"},
		{"/api/v1/insights/skills-gap?kind=" + long(101), "kind"},
		{"/api/v1/insights/skills-gap?lang=" + long(101), "lang"},
		{"/api/v1/insights/indicators?from=" + long(101), "from"},
		{"/api/v1/insights/indicators?to=" + long(101), "to"},
		{"/api/v1/exports/gap.csv?kind=" + long(101), "kind"},
		{"/api/v1/exports/gap.csv?sector=" + long(101), "sector"},
		{"/api/v1/exports/gap.csv?lang=" + long(101), "lang"},
		{"/api/v1/needs/" + long(101), "id"},
		{"/api/v1/exports/" + long(101), "file"},
		{"/api/v1/pathways/" + long(101) + "/participants", "id"},
		{"/api/v1/needs?skill=" + strings.Repeat("a&skill=", 20) + "a", "skill"},
		{"/api/v1/needs?q=%FF", "q"},
	}
	for _, tc := range cases {
		checkProblem(t, a.do("GET", tc.path, officer, nil), 400, tc.param)
	}
	// At the cap a value passes.
	a.must(200, "GET", "/api/v1/occupations?q="+long(200), "", nil)
	a.must(200, "GET", "/api/v1/needs?municipality="+long(100), "", nil)
	// The whole query string and the number of parameters are capped too.
	var many []string
	for i := range 33 {
		many = append(many, fmt.Sprintf("p%d=1", i))
	}
	checkProblem(t, a.do("GET", "/api/v1/needs?"+strings.Join(many, "&"), "", nil), 400, "")
	checkProblem(t, a.do("GET", "/api/v1/needs?"+strings.Repeat("a=1&", 1100), "", nil), 400, "")
	checkProblem(t, a.do("GET", "/api/v1/needs?"+strings.Repeat("n", 40)+"=1", "", nil), 400, "")
}
