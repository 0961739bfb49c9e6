package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestInsightsAndExports(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 2)
	need := needBody(t, w.employerID)
	need["positions"] = 3
	need["skills"] = []map[string]any{{"id": sk[0], "level": 2, "required": true}}
	needID := a.must(201, "POST", "/api/v1/needs", w.owner, need)["id"].(string)
	forecast := needBody(t, w.employerID)
	forecast["kind"], forecast["positions"] = "forecast", 5
	forecast["skills"] = []map[string]any{{"id": sk[0], "level": 2, "required": true}}
	a.must(201, "POST", "/api/v1/needs", w.owner, forecast)
	seekerWith(t, a, "holder@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3) })
	seekerWith(t, a, "below@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 1) })
	seekerWith(t, a, "private@example.bg", func(b map[string]any) {
		b["skills"] = heldSkills(sk[0], 4)
		b["consent"] = map[string]any{"matching": false}
	})
	_, applicantTok := seekerWith(t, a, "applicant@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[1], 2) })
	m := a.must(201, "POST", "/api/v1/needs/"+needID+"/applications", applicantTok, nil)["id"].(string)
	a.must(200, "POST", "/api/v1/matches/"+m+"/transitions", w.officer, map[string]any{"to": "rejected", "reason": "skills"})

	checkProblem(t, a.do("GET", "/api/v1/insights/skills-gap", w.owner, nil), 403, "")
	gap := a.must(200, "GET", "/api/v1/insights/skills-gap", w.officer, nil)["items"].([]any)
	var row map[string]any
	for _, r := range gap {
		if r.(map[string]any)["id"] == sk[0] {
			row = r.(map[string]any)
		}
	}
	// Demand: 3 positions plus a forecast of 5; supply: one consenting holder at level ≥ 2.
	if row == nil || row["demand"].(float64) != 8 || row["supply"].(float64) != 1 || row["gap"].(float64) != 7 {
		t.Fatalf("skills gap row for %s = %v, want demand 8, supply 1, gap 7", sk[0], row)
	}
	ind := a.must(200, "GET", "/api/v1/insights/indicators", w.officer, nil)
	raw := a.do("GET", "/api/v1/insights/indicators", w.officer, nil).Body
	if !strings.Contains(string(raw), `"skills":1`) {
		t.Errorf("indicators lack one refusal for skills: %s", raw)
	}
	if ind["profiles"] == nil || ind["matches"] == nil || ind["needs"] == nil {
		t.Errorf("indicators = %v", ind)
	}
	checkProblem(t, a.do("GET", "/api/v1/insights/indicators?from=yesterday", w.officer, nil), 400, "from")

	res := a.do("GET", "/api/v1/exports/needs.csv", w.officer, nil, "Accept-Language", "en")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("needs.csv = %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil || len(rows) != 3 || !strings.Contains(string(res.Body), "Медицинска сестра") {
		t.Fatalf("needs.csv has %d rows (err %v): %s", len(rows), err, res.Body)
	}
	x := a.do("GET", "/api/v1/exports/matches.xlsx", w.officer, nil)
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatalf("matches.xlsx does not open: %v", err)
	}
	if sheets := f.GetSheetList(); len(sheets) != 1 {
		t.Errorf("matches.xlsx sheets = %v", sheets)
	}
	if strings.Contains(string(a.do("GET", "/api/v1/exports/matches.csv", w.officer, nil).Body), "applicant@example.bg") {
		t.Error("the matches export names a person")
	}
	checkProblem(t, a.do("GET", "/api/v1/exports/passwords.csv", w.officer, nil), 404, "")
	checkProblem(t, a.do("GET", "/api/v1/exports/needs.pdf", w.officer, nil), 404, "")
	checkProblem(t, a.do("GET", "/api/v1/exports/needs.csv", w.seeker, nil), 403, "")
}
