package httpapi_test

import (
	"encoding/json"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cardNeed creates a need of employer asking for skill, edited by edit.
func cardNeed(t *testing.T, a *api, token, employerID, skill string, edit func(map[string]any)) string {
	t.Helper()
	b := needBody(t, employerID)
	b["skills"] = []map[string]any{{"id": skill, "level": 1, "required": true}}
	if edit != nil {
		edit(b)
	}
	return a.must(201, "POST", "/api/v1/needs", token, b)["id"].(string)
}

// problemCode checks a problem's status and code and returns its title.
func wantProblemCode(t *testing.T, r response, status int, code string) string {
	t.Helper()
	checkProblem(t, r, status, "")
	p := r.json(t)
	if p["code"] != code {
		t.Fatalf("problem code = %v, want %s: %s", p["code"], code, r.Body)
	}
	title, _ := p["title"].(string)
	return title
}

// metric returns the value of one series of /metrics (0 if absent).
func metric(t *testing.T, a *api, series string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(a.metrics, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("metric %s = %q", series, m[1])
	}
	return v
}

// TestCandidatesOnlyForPublicNeedsOfVerifiedEmployers: an employer sees a
// need's candidate cards only when the office verified it and the need is
// open and not past its apply-by date; otherwise a 403 that says which, in
// Bulgarian or English. Officers preview them (they are trusted and
// audited). Refusals and reads are counted in /metrics.
func TestCandidatesOnlyForPublicNeedsOfVerifiedEmployers(t *testing.T) {
	w := newWorld(t)
	a := w.a
	sk := skills(t, 1)
	seekerWith(t, a, "minor-or-not@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })
	open := cardNeed(t, a, w.owner, w.employerID, sk[0], nil)
	path := "/api/v1/needs/" + open + "/matches"

	bg := wantProblemCode(t, a.do("GET", path, w.owner, nil), 403, "employer_not_verified")
	en := wantProblemCode(t, a.do("GET", path, w.owner, nil, "Accept-Language", "en"), 403, "employer_not_verified")
	if !strings.Contains(en, "not yet verified") || !strings.Contains(bg, "потвърден") {
		t.Errorf("titles %q / %q do not say the employer is not verified", bg, en)
	}
	if n := len(matchIDs(t, a, open, w.officer)); n != 1 {
		t.Errorf("officer's preview of an unverified employer's need: %d candidates, want 1", n)
	}

	w.verify(t, w.employerID, true)
	if n := len(matchIDs(t, a, open, w.owner)); n != 1 {
		t.Errorf("verified employer's open need: %d candidates, want 1", n)
	}
	draft := cardNeed(t, a, w.owner, w.employerID, sk[0], func(b map[string]any) { b["status"] = "draft" })
	wantProblemCode(t, a.do("GET", "/api/v1/needs/"+draft+"/matches", w.owner, nil), 403, "need_not_open")
	if n := len(matchIDs(t, a, draft, w.officer)); n != 1 {
		t.Errorf("officer's preview of a draft need: %d candidates, want 1", n)
	}
	expired := cardNeed(t, a, w.owner, w.employerID, sk[0], func(b map[string]any) { b["applyBy"] = "2020-01-31" })
	title := wantProblemCode(t, a.do("GET", "/api/v1/needs/"+expired+"/matches", w.owner, nil, "Accept-Language", "en"), 403, "need_expired")
	if !strings.Contains(title, "apply-by date has passed") {
		t.Errorf("title %q does not say the need expired", title)
	}

	for series, want := range map[string]float64{
		`skillsmatch_candidate_card_reads_total{outcome="refused",role="employer"}`: 4,
		`skillsmatch_candidate_card_reads_total{outcome="served",role="employer"}`:  1,
		`skillsmatch_candidate_card_reads_total{outcome="served",role="officer"}`:   2,
		`skillsmatch_candidate_cards_shown_total{role="employer"}`:                  1,
	} {
		if got := metric(t, a, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}

// TestCandidateReadsAreBoundedPerNeedPerDay: the 51st read of one need's
// candidates in a day is a 429 with Retry-After until the next day; the
// employer's other needs and the office are not held up by it.
func TestCandidateReadsAreBoundedPerNeedPerDay(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)
	seekerWith(t, a, "walked@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })
	need := cardNeed(t, a, w.owner, w.employerID, sk[0], nil)
	for i := range 50 {
		if r := a.do("GET", "/api/v1/needs/"+need+"/matches", w.owner, nil); r.Status != 200 {
			t.Fatalf("read %d = %d %s, want 200", i+1, r.Status, r.Body)
		}
	}
	r := a.do("GET", "/api/v1/needs/"+need+"/matches", w.owner, nil)
	wantProblemCode(t, r, 429, "card_reads_exceeded")
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 86400 {
		t.Errorf("Retry-After = %q, want seconds until the next day", r.Header.Get("Retry-After"))
	}
	other := cardNeed(t, a, w.owner, w.employerID, sk[0], nil)
	a.must(200, "GET", "/api/v1/needs/"+other+"/matches", w.owner, nil)
	a.must(200, "GET", "/api/v1/needs/"+need+"/matches", w.officer, nil)
	if got := metric(t, a, `skillsmatch_candidate_card_reads_total{outcome="limited",role="employer"}`); got != 1 {
		t.Errorf("limited reads in /metrics = %v, want 1", got)
	}
}

// TestCandidateScoreIgnoresTheSummary: two candidates who differ only by a
// word in their summaries, which the employer may not read, get the same
// score and explanation for a need whose title and description hold that
// word: the employer cannot test a summary for a word.
func TestCandidateScoreIgnoresTheSummary(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)
	for _, s := range []struct{ email, summary string }{
		{"plain@example.bg", "Медицинска сестра с опит в отделение."},
		{"secret@example.bg", "Медицинска сестра с опит в отделение. Бременна."},
	} {
		seekerWith(t, a, s.email, func(b map[string]any) { b["skills"], b["summary"] = heldSkills(sk[0], 2), s.summary })
	}
	need := cardNeed(t, a, w.owner, w.employerID, sk[0], func(b map[string]any) {
		b["title"], b["description"] = "Медицинска сестра, бременна смяна", "Работа с бременни: бременна, бременни."
	})
	items := matchIDs(t, a, need, w.owner)
	if len(items) != 2 {
		t.Fatalf("%d candidates, want 2", len(items))
	}
	seen := func(it map[string]any) string {
		b, _ := json.Marshal(map[string]any{"score": it["score"], "explanation": it["explanation"]})
		return string(b)
	}
	if x, y := seen(items[0]), seen(items[1]); x != y {
		t.Errorf("the employer sees the two differently:\n%s\n%s", x, y)
	}
	for _, p := range items[0]["explanation"].(map[string]any)["parts"].([]any) {
		if p := p.(map[string]any); p["name"] == "text" && p["weight"].(float64) != 0 {
			t.Errorf("text part %v weighs in a candidate's score", p)
		}
	}
}

// TestRacingCandidateReadsCountExactly: 60 reads of one need at once get
// exactly 50 answers and 10 refusals: the count is one atomic increment in
// the store, so racing requests cannot slip past the bound.
func TestRacingCandidateReadsCountExactly(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)
	seekerWith(t, a, "raced@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })
	need := cardNeed(t, a, w.owner, w.employerID, sk[0], nil)
	statuses := a.race(60, "GET", "/api/v1/needs/"+need+"/matches", w.owner, nil)
	if statuses[200] != 50 || statuses[429] != 10 {
		t.Errorf("60 racing reads: %v, want 50 × 200 and 10 × 429", statuses)
	}
}
