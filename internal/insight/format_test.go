package insight

import (
	"bytes"
	"testing"
)

func TestWriteByFormat(t *testing.T) {
	table := Table{Name: "t", Header: []string{"a"}, Rows: [][]any{{"=1"}, {2}}}
	var got, want bytes.Buffer
	if err := Write(&got, "csv", table); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&want, table); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("Write csv = %q, want WriteCSV's %q", got.String(), want.String())
	}
	got.Reset()
	if err := Write(&got, "xlsx", table); err != nil || !bytes.HasPrefix(got.Bytes(), []byte("PK")) {
		t.Errorf("Write xlsx = %v, %q…, want a workbook", err, got.Bytes()[:min(4, got.Len())])
	}
	for _, f := range []string{"pdf", ""} {
		if err := Write(&got, f, table); err == nil {
			t.Errorf("Write %q = nil, want an error", f)
		}
		if _, ok := Formats[f]; ok {
			t.Errorf("Formats offers %q", f)
		}
	}
}
