package httpapi_test

import (
	"net/url"
	"slices"
	"testing"
)

// The public search keeps its answers until the needs index next changes
// (search/searchcache.go). Through the real API: every search is asked
// twice before each write, so that its answer is kept; after a need is
// withdrawn, retitled or deleted, or its employer loses verification, the
// same searches must not show it, nor count it in the total or the facets.
func TestSearchKeptAnswersNeverOutliveAWrite(t *testing.T) {
	w, id := searchWorld(t)
	a := w.a
	queries := []string{"", "kind=job", "municipality=Haskovo", "sector=healthcare", "q=" + url.QueryEscape("nurse"),
		"q=" + url.QueryEscape("elderly"), "pageSize=2&page=2"}
	search := func(query string) (ids []string, total float64, jobs float64) {
		t.Helper()
		var res map[string]any
		for range 2 { // the second answer is the kept one
			res = a.must(200, "GET", "/api/v1/needs?"+query, "", nil)
		}
		for _, it := range res["items"].([]any) {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		jobs, _ = res["facets"].(map[string]any)["kind"].(map[string]any)["job"].(float64)
		return ids, res["total"].(float64), jobs
	}
	prime := func() {
		for _, q := range queries {
			search(q)
		}
	}
	gone := func(what, name string) {
		t.Helper()
		for _, q := range queries {
			if got, _, _ := search(q); slices.Contains(got, id[name]) {
				t.Errorf("after %s: GET /needs?%s still shows %s", what, q, name)
			}
		}
	}

	prime()
	if _, total, jobs := search(""); total != 4 || jobs != 3 {
		t.Fatalf("at first: total %v, job facet %v; want 4 and 3", total, jobs)
	}
	a.must(200, "PATCH", "/api/v1/needs/"+id["teacher"], w.owner, map[string]any{"status": "closed"})
	gone("withdrawing", "teacher")
	if _, total, jobs := search(""); total != 3 || jobs != 2 {
		t.Errorf("after withdrawing: total %v, job facet %v; want 3 and 2", total, jobs)
	}

	prime()
	a.must(200, "PATCH", "/api/v1/needs/"+id["nurse-en"], w.owner, map[string]any{"title": "Nurse for a care home"})
	if got, _, _ := search("q=elderly"); slices.Contains(got, id["nurse-en"]) {
		t.Error("after retitling: q=elderly still finds the need by its old title")
	}

	prime()
	a.do("DELETE", "/api/v1/needs/"+id["nurse-en"], w.owner, nil)
	gone("deleting", "nurse-en")

	prime()
	w.verify(t, w.employerID, false)
	for _, q := range queries {
		if got, total, _ := search(q); len(got) != 0 || total != 0 {
			t.Errorf("after unverifying the employer: GET /needs?%s = %v, total %v; want nothing", q, got, total)
		}
	}
}
