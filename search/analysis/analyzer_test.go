package analysis

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

// mustMapping returns an index mapping with the analyzers registered.
func mustMapping(tb testing.TB) *mapping.IndexMappingImpl {
	tb.Helper()
	m := mapping.NewIndexMapping()
	if err := Register(m); err != nil {
		tb.Fatalf("Register: %v", err)
	}
	return m
}

// analyze returns the terms of text by position: terms[i] holds every term
// at the i-th position that has any, sorted.
func analyze(tb testing.TB, m *mapping.IndexMappingImpl, analyzer, text string) [][]string {
	tb.Helper()
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		tb.Fatalf("AnalyzerNamed(%q) = nil", analyzer)
	}
	var terms [][]string
	last := -1
	for _, tok := range a.Analyze([]byte(text)) {
		if tok.Position != last {
			terms = append(terms, nil)
			last = tok.Position
		}
		terms[len(terms)-1] = append(terms[len(terms)-1], string(tok.Term))
	}
	for _, ts := range terms {
		slices.Sort(ts)
	}
	return terms
}

func TestAnalyzers(t *testing.T) {
	m := mustMapping(t)
	tests := []struct {
		analyzer, text string
		want           [][]string
	}{
		{Bulgarian, "Медицинска сестра в болницата", [][]string{{"medicinsk"}, {"sestr"}, {"bolnik"}}},
		{Bulgarian, "medicinska sestra v bolnicata", [][]string{{"medicinsk"}, {"sestr"}, {"bolnik"}}},
		{Bulgarian, "Търсим санитари за МБАЛ Хасково", [][]string{{"tarsim"}, {"sanitr"}, {"mbal"}, {"haskov"}}},
		{Bulgarian, "rabota za 6ofyor shte plashtame", [][]string{{"rabot"}, {"shofyor"}, {"plashtm"}}},
		{English, "Nurse's caring for the elderly patients", [][]string{{"nurs"}, {"care"}, {"elder"}, {"patient"}}},
		{English, "Café in Хасково", [][]string{{"cafe"}, {"haskovo"}}},
		{Mixed, "Медицинска сестра в болницата", [][]string{{"medicinsk"}, {"sestr"}, {"bolnik"}}},
		{Mixed, "Nurses for the care home", [][]string{{"nurs", "nurseh"}, {"car", "care"}, {"hom", "home"}}},
		{Mixed, "pacientite v bolnicata", [][]string{{"pacient", "pacientit"}, {"bolnicata", "bolnik"}}},
		{Mixed, "Go 2024 за Java", [][]string{{"go"}, {"2024"}, {"yava"}}}, // Fold writes "ja" as "ya"
		{Mixed, "Go, not za or the", [][]string{{"go"}}},
		{Bulgarian, "Go i SME", [][]string{{"go"}, {"sme"}}},
		{Keyword, "Хасково", [][]string{{"haskovo"}}},
		{Keyword, "Stara Zagora", [][]string{{"stara zagora"}}},
	}
	for _, tt := range tests {
		if got := analyze(t, m, tt.analyzer, tt.text); !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("%s.Analyze(%q) = %q, want %q", tt.analyzer, tt.text, got, tt.want)
		}
	}
}

func TestKeywordFoldsScripts(t *testing.T) {
	m := mustMapping(t)
	for _, pair := range [][2]string{{"Haskovo", "Хасково"}, {"STARA ZAGORA", "Стара Загора"}, {"Kardzhali", "Кърджали"}} {
		a, b := analyze(t, m, Keyword, pair[0]), analyze(t, m, Keyword, pair[1])
		if !slices.EqualFunc(a, b, slices.Equal) {
			t.Errorf("Keyword: %q → %q, %q → %q, want equal", pair[0], a, pair[1], b)
		}
	}
}

func TestRegisterTwiceFails(t *testing.T) {
	m := mustMapping(t)
	if err := Register(m); err == nil {
		t.Error("Register on a mapping that has the analyzers = nil, want an error")
	}
}
