package taxonomy

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func TestSplitBatches(t *testing.T) {
	input := "{\"t\":\"a\"}\n\n{\"t\":\"a much longer line than one batch\"}\n{}\nlast-without-newline"
	for _, size := range []int{1, 7, 16, 1 << 10} {
		out := make(chan batch, 100)
		if err := splitBatches(strings.NewReader(input), size, out); err != nil {
			t.Fatalf("splitBatches(size %d) error = %v", size, err)
		}
		close(out)
		var got strings.Builder
		line := 1
		for b := range out {
			if b.first != line {
				t.Errorf("size %d: batch starts at line %d, want %d", size, b.first, line)
			}
			if !bytes.HasSuffix(b.data, []byte("\n")) && !strings.HasSuffix(input, string(b.data)) {
				t.Errorf("size %d: batch %q cuts a line", size, b.data)
			}
			line += bytes.Count(b.data, []byte("\n"))
			got.Write(b.data)
		}
		if got.String() != input {
			t.Errorf("size %d: batches joined = %q, want the input", size, got.String())
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	gz := func(s string) *bytes.Reader {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(s))
		zw.Close()
		return bytes.NewReader(buf.Bytes())
	}
	meta := `{"t":"meta","attribution":"x"}` + "\n"
	tests := []struct {
		name, data, wantErr string
	}{
		{"bad json", meta + `{"t":"skill",` + "\n", "line 2"},
		{"no meta", `{"t":"skill","uri":"a/b"}` + "\n", "attribution"},
		{"duplicate", meta + `{"t":"skill","uri":"a/b"}` + "\n" + `{"t":"occ","uri":"c/b"}` + "\n", "duplicate id"},
	}
	for _, tt := range tests {
		_, err := decode(gz(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("decode(%s) error = %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
	if _, err := decode(strings.NewReader("not gzip")); err == nil {
		t.Error("decode(not gzip) = nil error")
	}
	tx, err := decode(gz(meta + `{"t":"skill","uri":"a/b","label":{"en":"weld"}}`)) // no final newline
	if err != nil || tx.SkillCount() != 1 {
		t.Errorf("decode(last line without newline) = %v, %v; want 1 skill", tx, err)
	}
}
