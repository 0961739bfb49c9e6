package taxonomy

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzESCOCSV: any file is either refused with an error or read into label
// sets that are clean (a URI, trimmed text, one label per line, no empty or
// repeated labels, the file's language), that ReadESCOCSV reads the same
// from disk, and that read back unchanged after being written out again.
func FuzzESCOCSV(f *testing.F) {
	for _, name := range []string{"skills_bg.csv", "occupations_bg.csv", "skillGroups_bg.csv", "skillsHierarchy_bg.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "esco-bg", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "conceptUri,preferredLabel\n", "conceptUri,preferredLabel\nu,p\n", "\uFEFFCONCEPTURI , PreferredLabel\n u ,\" p \"\n",
		"conceptUri,preferredLabel,altLabels\nu,p,\"a\nb\na\n \n\"\n", "conceptUri,preferredLabel\n\"unterminated\n", "conceptUri\nu\n",
		"conceptUri,preferredLabel,description\nu,p,d,extra\nv\n", "conceptUri,preferredLabel\r\nu,\"p\r\nq\"\r\n", "a,\"b\"c\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sets, err := parseESCOCSV(bytes.NewReader(data), "bg")
		dir := t.TempDir()
		if werr := os.WriteFile(filepath.Join(dir, "skills_bg.csv"), data, 0o600); werr != nil {
			t.Fatal(werr)
		}
		fromDisk, derr := ReadESCOCSV(dir)
		if (err == nil) != (derr == nil) || (err == nil && !reflect.DeepEqual(sets, fromDisk)) {
			t.Fatalf("ReadESCOCSV and parseESCOCSV disagree: %v / %v", err, derr)
		}
		if err != nil {
			return
		}
		for _, s := range sets {
			if s.URI == "" || s.URI != strings.TrimSpace(s.URI) || s.Lang != "bg" ||
				s.Preferred != strings.TrimSpace(s.Preferred) || s.Description != strings.TrimSpace(s.Description) {
				t.Fatalf("unclean label set %+v", s)
			}
			for _, list := range [][]string{s.Alt, s.Hidden} {
				for i, l := range list {
					if l == "" || l != strings.TrimSpace(l) || strings.ContainsAny(l, "\n") || slices.Contains(list[:i], l) {
						t.Fatalf("label set %+v has the label %q (empty, untrimmed, multi-line or repeated)", s, l)
					}
				}
			}
		}
		// Written out as ESCO would, the sets read back the same.
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		_ = w.Write([]string{"conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description"})
		for _, s := range sets {
			_ = w.Write([]string{s.URI, s.Preferred, strings.Join(s.Alt, "\n"), strings.Join(s.Hidden, "\n"), s.Description})
		}
		w.Flush()
		again, err := parseESCOCSV(&out, "bg")
		if err != nil {
			t.Fatalf("re-reading written sets: %v", err)
		}
		if !reflect.DeepEqual(sets, again) {
			t.Fatalf("sets change after a round trip:\n%#v\n%#v", sets, again)
		}
	})
}
