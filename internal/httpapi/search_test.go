package httpapi_test

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

// searchWorld posts a small register: needs in Bulgarian and English, in
// Haskovo and Plovdiv, of several kinds.
func searchWorld(t *testing.T) (*world, map[string]string) {
	w := newWorld(t)
	w.verify(t, w.employerID, true)
	ids := skills(t, 3)
	haskovo := map[string]any{"municipality": "Хасково", "lat": 41.934, "lon": 25.555}
	plovdiv := map[string]any{"municipality": "Пловдив", "lat": 42.15, "lon": 24.75}
	posts := map[string]map[string]any{
		"nurse-bg":  {"title": "Медицинска сестра в болницата", "description": "Грижа за пациентите в МБАЛ Хасково.", "kind": "job", "sector": "healthcare", "location": haskovo, "skill": ids[0]},
		"nurse-en":  {"title": "Nurse for an elderly care home", "description": "Nursing care for residents.", "kind": "job", "sector": "care", "location": plovdiv, "skill": ids[1]},
		"intern-bg": {"title": "Стажант санитар", "description": "Стаж в болници и домове за възрастни хора.", "kind": "internship", "sector": "healthcare", "location": haskovo, "skill": ids[2]},
		"teacher":   {"title": "Учител по информатика", "description": "Преподаване на програмиране на ученици.", "kind": "job", "sector": "education", "location": plovdiv, "skill": ids[2]},
	}
	got := map[string]string{}
	for name, p := range posts {
		b := needBody(t, w.employerID)
		for k, v := range p {
			if k != "skill" {
				b[k] = v
			}
		}
		b["skills"] = []map[string]any{{"id": p["skill"], "level": 2, "required": true}}
		got[name] = w.a.must(201, "POST", "/api/v1/needs", w.owner, b)["id"].(string)
	}
	return w, got
}

func searchIDs(t *testing.T, a *api, query string) []string {
	t.Helper()
	res := a.must(200, "GET", "/api/v1/needs?"+query, "", nil)
	var ids []string
	for _, it := range res["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return ids
}

func TestSearchNeedsText(t *testing.T) {
	w, id := searchWorld(t)
	tests := []struct {
		q    string
		want []string // must be found
		not  []string // must not be found
	}{
		{"болница", []string{"nurse-bg", "intern-bg"}, []string{"teacher", "nurse-en"}}, // болницата, болници
		{"болниците", []string{"nurse-bg", "intern-bg"}, []string{"teacher"}},           // inflected query
		{"bolnica", []string{"nurse-bg", "intern-bg"}, []string{"teacher"}},             // Latin, phone spelling
		{"bolnicata", []string{"nurse-bg"}, []string{"teacher"}},                        // Latin, inflected
		{"pacientite", []string{"nurse-bg"}, []string{"teacher", "intern-bg"}},          // Latin for пациентите
		{"medicinska sestra", []string{"nurse-bg"}, []string{"teacher"}},                // transliterated phrase
		{"медицински сестри", []string{"nurse-bg"}, []string{"teacher"}},                // plural
		{"nurses", []string{"nurse-en"}, []string{"teacher", "intern-bg"}},              // English stemming
		{"u4itel", []string{"teacher"}, []string{"nurse-bg"}},                           // digit for ч
		{"Хасково", []string{"nurse-bg"}, []string{"teacher"}},                          // in the description
		{"elderly", []string{"nurse-en"}, []string{"nurse-bg"}},
		{"programirane", []string{"teacher"}, []string{"nurse-en"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := searchIDs(t, w.a, "q="+url.QueryEscape(tt.q))
			for _, name := range tt.want {
				if !slices.Contains(got, id[name]) {
					t.Errorf("q=%q did not find %s", tt.q, name)
				}
			}
			for _, name := range tt.not {
				if slices.Contains(got, id[name]) {
					t.Errorf("q=%q found %s", tt.q, name)
				}
			}
		})
	}
	// A title hit ranks above a description-only hit.
	got := searchIDs(t, w.a, "q="+url.QueryEscape("болница"))
	if got[0] != id["nurse-bg"] {
		t.Errorf("q=болница ranks %v first, want the need with it in the title", got[0])
	}
}

func TestSearchNeedsFiltersAndFacets(t *testing.T) {
	w, id := searchWorld(t)
	a := w.a
	tests := []struct {
		query string
		want  []string
	}{
		{"kind=internship", []string{"intern-bg"}},
		{"sector=healthcare", []string{"intern-bg", "nurse-bg"}},
		{"municipality=Haskovo", []string{"intern-bg", "nurse-bg"}},
		{"municipality=" + url.QueryEscape("Пловдив") + "&kind=job", []string{"nurse-en", "teacher"}},
		{"near=41.93,25.55&radiusKm=20", []string{"intern-bg", "nurse-bg"}},
		{"near=41.93,25.55&radiusKm=120", []string{"intern-bg", "nurse-bg", "nurse-en", "teacher"}},
		{"q=bolnica&kind=job", []string{"nurse-bg"}},
	}
	for _, tt := range tests {
		got := searchIDs(t, a, tt.query)
		var want []string
		for _, n := range tt.want {
			want = append(want, id[n])
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("GET /needs?%s = %v, want %v", tt.query, got, tt.want)
		}
	}
	skill := skills(t, 3)[2]
	if got := searchIDs(t, a, "skill="+skill); len(got) != 2 {
		t.Errorf("skill filter found %d, want 2 (intern-bg, teacher)", len(got))
	}
	res := a.must(200, "GET", "/api/v1/needs", "", nil)
	facets := res["facets"].(map[string]any)
	kinds := facets["kind"].(map[string]any)
	if kinds["job"].(float64) != 3 || kinds["internship"].(float64) != 1 {
		t.Errorf("kind facet = %v, want job:3 internship:1", kinds)
	}
	if facets["municipality"].(map[string]any)["Хасково"].(float64) != 2 {
		t.Errorf("municipality facet = %v", facets["municipality"])
	}
	if res["total"].(float64) != 4 || res["pageSize"].(float64) != 20 || res["page"].(float64) != 1 {
		t.Errorf("paging = total %v page %v size %v", res["total"], res["page"], res["pageSize"])
	}
	page2 := a.must(200, "GET", "/api/v1/needs?pageSize=3&page=2", "", nil)
	if len(page2["items"].([]any)) != 1 || page2["total"].(float64) != 4 {
		t.Errorf("page 2 of 3 = %d items, total %v", len(page2["items"].([]any)), page2["total"])
	}
	// Ties (no text) are ordered by id, the same every time.
	first, second := searchIDs(t, a, ""), searchIDs(t, a, "")
	if !slices.Equal(first, second) || !slices.IsSorted(first) {
		t.Errorf("unranked order not deterministic by id: %v then %v", first, second)
	}
}

func TestSearchNeedsBadParameters(t *testing.T) {
	a := newAPI(t)
	for query, field := range map[string]string{
		"pageSize=101":             "pageSize",
		"pageSize=0":               "pageSize",
		"page=0":                   "page",
		"kind=gig":                 "kind",
		"near=north":               "near",
		"near=91,25":               "near",
		"near=41,25&radiusKm=5000": "radiusKm",
	} {
		checkProblem(t, a.do("GET", "/api/v1/needs?"+query, "", nil), 400, field)
	}
}

func TestSearchShowsOnlyPublicNeedsAndChangesAtOnce(t *testing.T) {
	w, id := searchWorld(t)
	a := w.a
	// Another employer, not verified: its open need is not public.
	hidden := a.must(201, "POST", "/api/v1/needs", w.other, needBody(t, w.otherEmpID))["id"].(string)
	past := needBody(t, w.employerID)
	past["applyBy"] = time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	expired := a.must(201, "POST", "/api/v1/needs", w.owner, past)["id"].(string)
	all := searchIDs(t, a, "")
	if slices.Contains(all, hidden) || slices.Contains(all, expired) || len(all) != 4 {
		t.Fatalf("search shows %v; want the four public needs only", all)
	}
	// Closing, deleting and losing verification remove needs in the same moment.
	a.must(200, "PATCH", "/api/v1/needs/"+id["teacher"], w.owner, map[string]any{"status": "closed"})
	if slices.Contains(searchIDs(t, a, ""), id["teacher"]) {
		t.Error("closed need still found")
	}
	a.do("DELETE", "/api/v1/needs/"+id["nurse-en"], w.owner, nil)
	if slices.Contains(searchIDs(t, a, "q=nurse"), id["nurse-en"]) {
		t.Error("deleted need still found")
	}
	w.verify(t, w.otherEmpID, true)
	if !slices.Contains(searchIDs(t, a, ""), hidden) {
		t.Error("need of a newly verified employer not found")
	}
	w.verify(t, w.employerID, false)
	if got := searchIDs(t, a, ""); len(got) != 1 || got[0] != hidden {
		t.Errorf("after unverifying the first employer search shows %v, want only %s", got, hidden)
	}
}
