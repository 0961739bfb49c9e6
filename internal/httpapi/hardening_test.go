package httpapi_test

import (
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
