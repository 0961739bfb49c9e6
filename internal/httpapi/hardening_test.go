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
