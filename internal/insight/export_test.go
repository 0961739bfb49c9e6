package insight

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/xuri/excelize/v2"
)

// readCSV checks the byte order mark and CRLF line ends and parses the
// rest with encoding/csv.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("CSV starts % x, want the UTF-8 byte order mark EF BB BF", b[:min(3, len(b))])
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("CSV ends %q, want CRLF line ends (RFC 4180)", b[max(0, len(b)-2):])
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatalf("read back CSV: %v", err)
	}
	return recs
}

func TestWriteCSVRoundTrip(t *testing.T) {
	when := time.Date(2026, 4, 5, 9, 30, 0, 0, sofia)
	table := Table{
		Name:   "x",
		Header: []string{"Наименование", "Стойност"},
		Rows: [][]any{
			{"Медицинска сестра, вътрешно отделение", -3},
			{`Тя каза "здравей"` + "\nнов ред", 0.5},
			{"=SUM(A1:A9)", "+359888111111"},
			{"-2", "@cmd"},
			{"\tTab", "\rCR"},
			{"a=b (not at the start)", nil},
			{when, true},
			{int64(7), fmt.Stringer(time.Duration(0))},
		},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, table); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	got := readCSV(t, buf.Bytes())
	want := [][]string{
		{"Наименование", "Стойност"},
		{"Медицинска сестра, вътрешно отделение", "-3"}, // a number stays a number
		{"Тя каза \"здравей\"\nнов ред", "0.5"},         // written as \r\n, read back as \n
		{"'=SUM(A1:A9)", "'+359888111111"},
		{"'-2", "'@cmd"},
		{"'\tTab", "'CR"}, // guarded; encoding/csv drops a lone CR when it writes CRLF line ends
		{"a=b (not at the start)", ""},
		{"2026-04-05 09:30:00", "true"},
		{"7", "0s"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WriteCSV round trip =\n%q\nwant\n%q", got, want)
	}
}

func TestWriteCSVNeedsBilingual(t *testing.T) {
	for _, tt := range []struct {
		lang, header, kind, open string
	}{
		{"bg", "Наименование", "работа", "да"},
		{"", "Наименование", "работа", "да"},
		{"en", "Title", "job", "yes"},
	} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, NeedsTable(fixture(), tt.lang)); err != nil {
			t.Fatalf("WriteCSV(needs, %q): %v", tt.lang, err)
		}
		recs := readCSV(t, buf.Bytes())
		if len(recs) != 1+len(fixture().Needs) {
			t.Fatalf("WriteCSV(needs, %q): %d records, want header and %d needs", tt.lang, len(recs), len(fixture().Needs))
		}
		if recs[0][5] != tt.header {
			t.Errorf("WriteCSV(needs, %q) title header = %q, want %q", tt.lang, recs[0][5], tt.header)
		}
		// Oldest first: n6 (31 March), n9 (1 April 00:00), n1 (5 April).
		if ids := []string{recs[1][0], recs[2][0], recs[3][0]}; !slices.Equal(ids, []string{"n6", "n9", "n1"}) {
			t.Errorf("WriteCSV(needs, %q) first ids = %v, want [n6 n9 n1]", tt.lang, ids)
		}
		n9 := recs[2]
		if n9[5] != `'=HYPERLINK("http://x")` {
			t.Errorf("WriteCSV(needs, %q) n9 title = %q, want the formula guarded", tt.lang, n9[5])
		}
		if n9[3] != "digital" || n9[4] != tt.kind || n9[11] != tt.open || n9[15] != "2026-04-01 00:00:00" {
			t.Errorf("WriteCSV(needs, %q) n9 = %q, want sector digital, kind %q, open %q, created 2026-04-01 00:00:00", tt.lang, n9, tt.kind, tt.open)
		}
	}
}

func TestMatchesTableIsPseudonymous(t *testing.T) {
	s := fixture()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, MatchesTable(s, "bg")); err != nil {
		t.Fatalf("WriteCSV(matches): %v", err)
	}
	out := buf.String()
	for _, p := range s.Profiles {
		for _, personal := range []string{p.DisplayName, p.Phone} {
			if personal != "" && strings.Contains(out, personal) {
				t.Errorf("matches export contains %q of profile %s", personal, p.ID)
			}
		}
	}
	recs := readCSV(t, buf.Bytes())
	if len(recs) != 1+len(s.Matches) {
		t.Fatalf("matches export: %d records, want %d", len(recs), 1+len(s.Matches))
	}
	// Oldest first: m2 (28 March), then m1 (2 April).
	if m1 := recs[2]; m1[0] != "m1" || m1[8] != "p1" || m1[11] != "назначен" || m1[14] != "2026-04-03 09:00:00" {
		t.Errorf("matches export row 2 = %q, want m1 of profile p1, placed, referred 2026-04-03 09:00:00", m1)
	}
}

func TestWriteXLSX(t *testing.T) {
	s := fixture()
	from, to := april(t)
	ind := Indicators(s, from, to)
	var buf bytes.Buffer
	err := WriteXLSX(&buf, NeedsTable(s, "bg"), MatchesTable(s, "en"), IndicatorsTable(ind, "en"), GapTable(SkillsGap(s, GapFilter{}), "bg"))
	if err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("excelize.OpenReader: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })

	if got, want := f.GetSheetList(), []string{"Потребности", "Matches", "Indicators", "Недостиг на умения"}; !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	rows, err := f.GetRows("Потребности")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(s.Needs) {
		t.Fatalf("needs sheet: %d rows, want %d", len(rows), 1+len(s.Needs))
	}
	if !slices.Equal(rows[0], NeedsTable(s, "bg").Header) {
		t.Errorf("needs header = %q, want %q", rows[0], NeedsTable(s, "bg").Header)
	}
	// B1..: row 3 is n9, whose title looks like a formula: it must stay text.
	if v, _ := f.GetCellValue("Потребности", "F3"); v != `=HYPERLINK("http://x")` {
		t.Errorf("needs F3 = %q, want the title as text", v)
	}
	if fm, _ := f.GetCellFormula("Потребности", "F3"); fm != "" {
		t.Errorf("needs F3 formula = %q, want none", fm)
	}
	if v, _ := f.GetCellValue("Потребности", "J4"); v != "3" { // n1's positions
		t.Errorf("needs J4 = %q, want 3", v)
	}
	if v, _ := f.GetCellValue("Недостиг на умения", "C2"); v != "Сестрински грижи" {
		t.Errorf("gap C2 = %q, want Сестрински грижи", v)
	}
	if v, _ := f.GetCellValue("Недостиг на умения", "J2"); v != "6" {
		t.Errorf("gap J2 = %q, want 6", v)
	}
	ir, _ := f.GetRows("Indicators")
	if !slices.ContainsFunc(ir, func(r []string) bool {
		return len(r) == 3 && r[0] == "Referrals" && r[2] == "4"
	}) {
		t.Errorf("indicators sheet has no row [Referrals, , 4]: %q", ir)
	}

	for _, sheet := range f.GetSheetList() {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("sheet %s panes = %+v, want the header row frozen", sheet, panes)
		}
		id, err := f.GetCellStyle(sheet, "A1")
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("sheet %s A1 style %+v, want bold", sheet, st)
		}
	}
	if w, _ := f.GetColWidth("Потребности", "F"); w != 40 {
		t.Errorf("needs column F width = %v, want 40", w)
	}
	// A time is a real date cell: its formatted value reads as a date.
	if v, _ := f.GetCellValue("Matches", "N2"); !strings.HasPrefix(v, "3/28/26") {
		t.Errorf("matches N2 = %q, want the date 3/28/26 ...", v)
	}
}

func TestGuard(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "1": "1", "a=b": "a=b", " =1": " =1", "Хасково": "Хасково",
	} {
		if got := guard(in); got != want {
			t.Errorf("guard(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSheetNames(t *testing.T) {
	got := sheetNames([]Table{{Name: "Needs/2026"}, {Name: "needs/2026"}, {Name: "'quoted'"},
		{Name: "Недостиг на умения по сектори и професии"}, {Name: ""}})
	want := []string{"Needs_2026", "needs_2026 (2)", "quoted", "Недостиг на умения по сектори и", "Sheet"}
	if !slices.Equal(got, want) {
		t.Errorf("sheetNames = %q, want %q", got, want)
	}
}

func TestWriteXLSXNoTables(t *testing.T) {
	if err := WriteXLSX(io.Discard); err == nil {
		t.Error("WriteXLSX() with no tables succeeded, want an error")
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestWritersReportWriteErrors(t *testing.T) {
	s := fixture()
	if err := WriteCSV(failingWriter{}, NeedsTable(s, "bg")); err == nil {
		t.Error("WriteCSV to a failing writer succeeded, want its error")
	}
	if err := WriteXLSX(failingWriter{}, NeedsTable(s, "bg")); err == nil {
		t.Error("WriteXLSX to a failing writer succeeded, want its error")
	}
}

// bigSnapshot has n needs of 100 employers, each with a few skills.
func bigSnapshot(n int) Snapshot {
	s := Snapshot{Today: time.Date(2026, 5, 15, 10, 0, 0, 0, sofia), Labels: labels}
	for e := range 100 {
		s.Employers = append(s.Employers, register.Employer{ID: fmt.Sprintf("e%03d", e), Name: fmt.Sprintf("Работодател %d", e),
			Sector: "healthcare", Verified: e%10 != 0})
	}
	skills := []string{"s.nurse", "s.care", "s.excel", "s.driving"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Needs = make([]register.Need, n)
	for i := range s.Needs {
		s.Needs[i] = register.Need{ID: fmt.Sprintf("need-%06d", i), EmployerID: fmt.Sprintf("e%03d", i%100), Kind: needKinds[i%5],
			Title: fmt.Sprintf("Медицинска сестра №%d, вътрешно отделение", i), Occupation: "occ.nurse", Sector: "healthcare",
			Positions: 1 + i%4, Status: "open", ApplyBy: "2026-12-31", StartDate: "2026-09-01",
			Location: register.Location{Municipality: "Хасково"}, CreatedAt: start.Add(time.Duration(i) * time.Minute),
			Skills: []register.SkillRequirement{req(skills[i%4], 1+i%4, true), req(skills[(i+1)%4], 2, false), req(skills[(i+2)%4], 1, false)}}
	}
	return s
}

// peakHeap runs fn and returns how far the live heap rose above where it
// stood before, sampling every millisecond (and at the end).
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		for {
			p := peak.Load()
			if ms.HeapAlloc <= p || peak.CompareAndSwap(p, ms.HeapAlloc) {
				return
			}
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	})
	fn()
	sample()
	close(done)
	wg.Wait()
	return max(peak.Load(), base) - base
}

// TestExportStreams100k exports 100,000 needs and checks that the heap
// never rises more than 50 MB above the snapshot it reads: the rows are
// made and written one at a time, never held together.
//
// HeapAlloc counts garbage the collector has not yet reclaimed, and by
// default (GOGC=100) the collector lets garbage grow to the size of the
// live heap, here the 55 MB snapshot, before it runs. Measured that way
// any export "uses" 55 MB, so the test runs the collector at GOGC=10,
// where HeapAlloc stays within a tenth of what is really live.
func TestExportStreams100k(t *testing.T) {
	if testing.Short() {
		t.Skip("exports 100,000 rows")
	}
	if raceEnabled {
		t.Skip("memory figures mean nothing under the race detector; TestWriteXLSX and TestWriteCSVWritesAsItGoes race-check the same paths")
	}
	const n, limit = 100_000, 50 << 20
	s := bigSnapshot(n)
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	for _, tt := range []struct {
		name  string
		write func(io.Writer, Table) error
	}{
		{"csv", WriteCSV},
		{"xlsx", func(w io.Writer, t Table) error { return WriteXLSX(w, t) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var rows, err = 0, error(nil)
			table := NeedsTable(s, "bg")
			each := table.Each
			table.Each = func(yield func([]any) bool) {
				for r := range each {
					rows++
					if !yield(r) {
						return
					}
				}
			}
			var w countingWriter
			grew := peakHeap(func() { err = tt.write(&w, table) })
			if err != nil {
				t.Fatalf("write %s: %v", tt.name, err)
			}
			if rows != n {
				t.Errorf("write %s: %d rows made, want %d", tt.name, rows, n)
			}
			t.Logf("%s: %d bytes, heap rose %.1f MB", tt.name, w.n.Load(), float64(grew)/(1<<20))
			if grew > limit {
				t.Errorf("write %s of %d rows: heap rose %.1f MB, want under %d MB", tt.name, n, float64(grew)/(1<<20), limit>>20)
			}
		})
	}
}

// countingWriter discards what it is given and counts it.
type countingWriter struct{ n atomic.Int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n.Add(int64(len(p))); return len(p), nil }

// TestWriteCSVWritesAsItGoes: the first bytes reach the writer long before
// the last row is made.
func TestWriteCSVWritesAsItGoes(t *testing.T) {
	var w countingWriter
	var seenAtHalf int64
	rows := func(yield func([]any) bool) {
		for i := range 10_000 {
			if i == 5_000 {
				seenAtHalf = w.n.Load()
			}
			if !yield([]any{i, "ред"}) {
				return
			}
		}
	}
	if err := WriteCSV(&w, Table{Header: []string{"n", "текст"}, Each: rows}); err != nil {
		t.Fatal(err)
	}
	if seenAtHalf == 0 || seenAtHalf >= w.n.Load() {
		t.Errorf("WriteCSV: %d of %d bytes written by row 5,000, want a part of them", seenAtHalf, w.n.Load())
	}
}
