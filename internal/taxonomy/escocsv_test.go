package taxonomy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const fixtureDir = "testdata/esco-bg"

func TestReadESCOCSV(t *testing.T) {
	sets, err := ReadESCOCSV(fixtureDir)
	if err != nil {
		t.Fatalf("ReadESCOCSV(%q) error = %v", fixtureDir, err)
	}
	// occupations, skillGroups, skills (sorted file names); skillsHierarchy and README ignored.
	if len(sets) != 5 {
		t.Fatalf("ReadESCOCSV(%q) = %d sets, want 5: %+v", fixtureDir, len(sets), sets)
	}
	byURI := map[string]LabelSet{}
	for _, s := range sets {
		if s.Lang != "bg" {
			t.Errorf("set %s Lang = %q, want bg (from the file name)", s.URI, s.Lang)
		}
		byURI[s.URI] = s
	}
	elderly := byURI["http://data.europa.eu/esco/skill/"+idTendElderly]
	if elderly.Preferred != "полагане на грижи за възрастни хора" {
		t.Errorf("Preferred = %q (the BOM-prefixed header must still be found)", elderly.Preferred)
	}
	if want := []string{"грижи за възрастните", "обгрижване на стари хора"}; !slices.Equal(elderly.Alt, want) {
		t.Errorf("Alt = %q, want %q (one per line)", elderly.Alt, want)
	}
	if want := []string{"старчески грижи"}; !slices.Equal(elderly.Hidden, want) {
		t.Errorf("Hidden = %q, want %q", elderly.Hidden, want)
	}
	nurse := byURI["http://data.europa.eu/esco/occupation/"+idHealthcareAsst]
	if !strings.Contains(nurse.Description, `"в болници"`) || len(nurse.Alt) != 2 {
		t.Errorf("occupation set = %+v, want quoted description and 2 alt labels", nurse)
	}
	if g := byURI["http://data.europa.eu/esco/isced-f/00"]; g.Preferred != "общи програми и квалификации" {
		t.Errorf("group set = %+v (file without BOM)", g)
	}
}

func TestReadESCOCSVErrors(t *testing.T) {
	empty := t.TempDir()
	if _, err := ReadESCOCSV(empty); err == nil {
		t.Error("ReadESCOCSV(dir without ESCO files) = nil error")
	}
	if _, err := ReadESCOCSV(filepath.Join(empty, "missing")); err == nil {
		t.Error("ReadESCOCSV(missing dir) = nil error")
	}
	noURI := t.TempDir()
	if err := os.WriteFile(filepath.Join(noURI, "skills_de.csv"), []byte("preferredLabel,altLabels\nx,y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadESCOCSV(noURI); err == nil || !strings.Contains(err.Error(), "skills_de.csv") {
		t.Errorf("ReadESCOCSV(file without conceptUri) error = %v, want one naming the file", err)
	}
	badQuote := t.TempDir()
	if err := os.WriteFile(filepath.Join(badQuote, "skills_de.csv"), []byte("conceptUri,preferredLabel\n\"x,y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadESCOCSV(badQuote); err == nil {
		t.Error("ReadESCOCSV(unterminated quote) = nil error")
	}
}

func TestApply(t *testing.T) {
	tx, err := Load() // Apply changes the taxonomy: not the shared one
	if err != nil {
		t.Fatal(err)
	}
	sets, err := ReadESCOCSV(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	rep := tx.Apply(sets)
	if rep != (ApplyReport{Applied: 4, UnknownURI: 1}) {
		t.Errorf("Apply() = %+v, want 4 applied, 1 unknown", rep)
	}

	s, _ := tx.Skill(idTendElderly)
	if s.Labels["bg"] != "полагане на грижи за възрастни хора" || s.LabelSources["bg"] != SourceImport {
		t.Errorf("after Apply, bg = %q from %q; want the imported label", s.Labels["bg"], s.LabelSources["bg"])
	}
	if s.Labels["en"] != "tend to elderly people" || s.LabelSources["en"] != SourceESCO {
		t.Errorf("after Apply, en = %q from %q; want ESCO's, untouched", s.Labels["en"], s.LabelSources["en"])
	}
	if slices.Contains(s.AltLabels["bg"], "гледане на възрастни хора") {
		t.Errorf("after Apply, bg alt labels %q still hold the project's", s.AltLabels["bg"])
	}
	if !strings.HasPrefix(s.Description["bg"], "Предоставяне на помощ") {
		t.Errorf("after Apply, bg description = %q", s.Description["bg"])
	}
	if got := tx.Label(idISCEDGeneric, "bg"); got != "общи програми и квалификации" {
		t.Errorf("after Apply, Label(group, bg) = %q", got)
	}

	// The index was rebuilt: new labels, synonyms and hidden labels are found, in both scripts.
	tests := []struct{ q, id string }{
		{"полагане на грижи", idTendElderly},
		{"polagane na grizhi", idTendElderly},
		{"обгрижване", idTendElderly},
		{"старчески", idTendElderly},
		{"ръководене на музикален", idMusicalStaff},
	}
	for _, tt := range tests {
		hits := tx.SuggestSkills(tt.q, "bg", 10)
		if len(hits) == 0 || hits[0].ID != tt.id {
			t.Errorf("after Apply, SuggestSkills(%q) = %v, want %s first", tt.q, hitIDs(hits), tt.id)
		}
	}
	if hits := tx.SuggestSkills("гледачка на възрастни", "bg", 10); slices.Contains(hitIDs(hits), idTendElderly) {
		t.Errorf("after Apply, the replaced project synonym still finds the skill")
	}
	if occ := tx.SearchOccupations("болничен санитар", "bg", 5); len(occ) == 0 || occ[0].ID != idHealthcareAsst {
		t.Errorf("after Apply, SearchOccupations(болничен санитар) = %v", occIDs(occ))
	}
}

func TestApplyIgnoresEmptyPreferred(t *testing.T) {
	tx := testTaxonomy(t, record{T: "skill", URI: "x/S", Label: map[string]string{"en": "weld"}})
	rep := tx.Apply([]LabelSet{{URI: "x/S", Lang: "bg", Preferred: ""}, {URI: "x/nope", Lang: "bg", Preferred: "a"}})
	if rep != (ApplyReport{Applied: 0, UnknownURI: 1}) {
		t.Errorf("Apply() = %+v, want nothing applied, 1 unknown", rep)
	}
	if got := tx.Label("S", "bg"); got != "weld" {
		t.Errorf("Label(S, bg) = %q, want the English fallback", got)
	}
}
