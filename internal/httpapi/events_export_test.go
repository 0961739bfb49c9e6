package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestEventsExport: GET /api/v1/exports/events.{csv,xlsx} is the office's
// table of Career & Skills Days (insight.EventsTable): officers only, a
// row of totals and one per age group for an event nobody registered for
// yet, in the asked language.
func TestEventsExport(t *testing.T) {
	w := newWorld(t)
	a := w.a
	id := a.must(201, "POST", "/api/v1/events", w.officer, eventBody())["id"].(string)
	res := a.do("GET", "/api/v1/exports/events.csv?lang=en", w.officer, nil)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\xef\xbb\xbf")))).ReadAll()
	if res.Status != 200 || err != nil || len(rows) != 1+1+5 {
		t.Fatalf("events.csv = %d, %d rows (%v): %s", res.Status, len(rows), err, res.Body)
	}
	if got := rows[1]; got[0] != id || got[1] != "Career & Skills Day" || got[4] != "all" || got[6] != "0" || rows[0][10] != "Placed later" {
		t.Errorf("events.csv header %q, totals %q; want the event's zero totals", rows[0], got)
	}
	x := a.do("GET", "/api/v1/exports/events.xlsx", w.officer, nil)
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatalf("events.xlsx does not open: %v", err)
	}
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "Дни на кариерата" {
		t.Errorf("events.xlsx sheets = %v, want the Bulgarian sheet", sheets)
	}
	checkProblem(t, a.do("GET", "/api/v1/exports/events.csv", w.owner, nil), 403, "")
}
