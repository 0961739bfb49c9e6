package insight

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// bom is the UTF-8 byte order mark. Excel opens a CSV file without it in
// the Windows code page of the machine (windows-1251 on Bulgarian systems)
// and shows UTF-8 Cyrillic as mojibake; with it, Excel reads UTF-8.
// Programs that follow RFC 4180 strictly see it as part of the first
// header, which is why the exports put it before a header, never before
// data.
const bom = "\uFEFF"

// csvTime is how times appear in CSV: a form Excel and LibreOffice read as
// a date and time.
const csvTime = "2006-01-02 15:04:05"

// WriteCSV writes the table to w as CSV (RFC 4180: comma separated, CRLF
// line ends, fields quoted when they hold a comma, quote or line break),
// UTF-8 with a byte order mark. Rows are written as they come, through a
// small buffer, so an export of any size takes little memory.
//
// Text cells that begin with = + - @, a tab or a carriage return get a
// leading apostrophe, as OWASP advises against CSV injection: a
// spreadsheet would otherwise run such a cell (a need's title, say) as a
// formula on the officer's machine. Numbers are written as they are, so a
// negative gap stays a number.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(guardAll(t.Header)); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	var rec []string
	for row := range t.All() {
		rec = rec[:0]
		for _, v := range row {
			rec = append(rec, csvCell(v))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv row: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// guard neutralises a text cell a spreadsheet would take for a formula.
func guard(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func guardAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = guard(s)
	}
	return out
}

func csvCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return guard(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.Format(csvTime)
	default:
		return guard(fmt.Sprint(v))
	}
}

// WriteXLSX writes the tables to w as one workbook, a sheet per table in
// order: the header row bold and frozen, columns sized by Table.Widths.
// Each sheet goes through excelize's stream writer, which keeps up to
// 16 MiB of a sheet's XML in memory (in a buffer that may grow to twice
// that) and spills the rest to a temporary file, removed before returning;
// the workbook is then zipped straight into w. 100,000 needs take about
// 40 MB of heap and two seconds. Nothing reaches w before the last row is
// made: an XLSX file is a zip whose parts are written whole.
//
// Sheet names are made acceptable to Excel: characters it forbids become
// "_", names are cut to 31 characters and made unique. Text is written as
// text cells, which Excel never evaluates, so no formula guard is needed.
func WriteXLSX(w io.Writer, tables ...Table) (err error) {
	if len(tables) == 0 {
		return errors.New("write xlsx: no tables")
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write xlsx: remove temporary files: %w", cerr)
		}
	}()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	dateTime, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm, shown in the reader's locale
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	names := sheetNames(tables)
	if err := f.SetSheetName(f.GetSheetName(0), names[0]); err != nil {
		return fmt.Errorf("write xlsx: name sheet %q: %w", names[0], err)
	}
	for i, t := range tables {
		if i > 0 {
			if _, err := f.NewSheet(names[i]); err != nil {
				return fmt.Errorf("write xlsx: add sheet %q: %w", names[i], err)
			}
		}
		if err := writeSheet(f, names[i], t, bold, dateTime); err != nil {
			return fmt.Errorf("write xlsx: sheet %q: %w", names[i], err)
		}
	}
	f.SetActiveSheet(0)
	// File.Write assembles the whole zip in a bytes.Buffer before copying
	// it to w; a zip writer on w itself leaves that buffer empty. Should a
	// later excelize put bytes in the buffer after all, outsideZip turns
	// the corrupt file that would make into an error.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if err := f.Write(outsideZip{}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// outsideZip receives what excelize writes besides the zip: nothing.
type outsideZip struct{}

func (outsideZip) Write(p []byte) (int, error) {
	return 0, fmt.Errorf("excelize wrote %d bytes outside the zip writer", len(p))
}

func writeSheet(f *excelize.File, name string, t Table, bold, dateTime int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, h := range t.Header {
		width := float64(min(utf8.RuneCountInString(h)+4, 60))
		if i < len(t.Widths) && t.Widths[i] > 0 {
			width = min(t.Widths[i], excelize.MaxColumnWidth)
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	cells := make([]any, len(t.Header))
	for i, h := range t.Header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	r := 1
	for row := range t.All() {
		r++
		cells = cells[:0]
		for _, v := range row {
			cells = append(cells, xlsxCell(v, dateTime))
		}
		if err := sw.SetRow("A"+strconv.Itoa(r), cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func xlsxCell(v any, dateTime int) any {
	switch v := v.(type) {
	case nil, string, int, int32, int64, uint64, float64, bool:
		return v
	case time.Time:
		if v.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: dateTime, Value: v}
	default:
		return fmt.Sprint(v)
	}
}

// sheetNames makes the tables' names acceptable as sheet names: Excel
// forbids : \ / ? * [ ], a leading or trailing apostrophe, names over 31
// UTF-16 units and two names equal but for case.
func sheetNames(tables []Table) []string {
	names := make([]string, len(tables))
	for i, t := range tables {
		base := strings.Map(func(r rune) rune {
			if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' {
				return '_'
			}
			return r
		}, t.Name)
		base = strings.Trim(base, "' ")
		if base == "" {
			base = "Sheet"
		}
		name := cut(base, 31)
		for n := 2; taken(names[:i], name); n++ {
			suffix := " (" + strconv.Itoa(n) + ")"
			name = cut(base, 31-len(suffix)) + suffix
		}
		names[i] = name
	}
	return names
}

// cut shortens s to at most n UTF-16 units, the unit Excel counts.
func cut(s string, n int) string {
	units := 0
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > n {
			return strings.TrimRight(s[:i], "' ")
		}
		units += u
	}
	return s
}

func taken(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}
