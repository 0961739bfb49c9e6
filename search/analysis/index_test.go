package analysis

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// testDoc is a job need as the search package might index it.
type testDoc struct {
	Title        string `json:"title"`
	Municipality string `json:"municipality"`
}

var testDocs = map[string]testDoc{
	"nurse-bg":    {"Медицинска сестра в болницата в Хасково", "Хасково"},
	"nurse-en":    {"Nurse for elderly care home", "Haskovo"},
	"orderly":     {"Санитари за МБАЛ Хасково", "Хасково"},
	"teacher":     {"Учител по информатика", "Пловдив"},
	"carer":       {"Грижи за пациенти с деменция в дом за възрастни хора", "Стара Загора"},
	"doctors":     {"Болници в София търсят лекари", "София"},
	"driver-lat":  {"Tarsim shofyori na kamioni za Plovdiv", "Plovdiv"},
	"warehouse":   {"Warehouse workers for the night shift", "Русе"},
	"centre-bg":   {"Социален работник в дневен център", "Кърджали"},
	"pharmacy-en": {"Pharmacist assistant, pharmacy in Sofia", "Sofia"},
}

// mustIndex opens a new on-disk index of testDocs with a text field analysed
// by Mixed, a keyword field analysed by Keyword, and Mixed as the default
// analyzer for field-less queries.
func mustIndex(tb testing.TB) bleve.Index {
	tb.Helper()
	m := mustMapping(tb)
	text := bleve.NewTextFieldMapping()
	text.Analyzer = Mixed
	text.IncludeTermVectors = true // phrase queries need positions
	keyword := bleve.NewTextFieldMapping()
	keyword.Analyzer = Keyword
	// A keyword term is the folded whole name ("haskovo"); a text query
	// stems Cyrillic words ("хасково" → "haskov"), so keyword fields stay out
	// of _all and are queried by field.
	keyword.IncludeInAll = false
	doc := bleve.NewDocumentMapping()
	doc.Dynamic = false
	doc.AddFieldMappingsAt("title", text)
	doc.AddFieldMappingsAt("municipality", keyword)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = Mixed

	idx, err := bleve.New(filepath.Join(tb.TempDir(), "needs.bleve"), m)
	if err != nil {
		tb.Fatalf("bleve.New: %v", err)
	}
	tb.Cleanup(func() {
		if err := idx.Close(); err != nil {
			tb.Errorf("close index: %v", err)
		}
	})
	b := idx.NewBatch()
	for id, d := range testDocs {
		if err := b.Index(id, d); err != nil {
			tb.Fatalf("batch index %s: %v", id, err)
		}
	}
	if err := idx.Batch(b); err != nil {
		tb.Fatalf("index batch: %v", err)
	}
	return idx
}

// hits returns the sorted ids of every document q matches.
func hits(tb testing.TB, idx bleve.Index, q query.Query) []string {
	tb.Helper()
	req := bleve.NewSearchRequestOptions(q, len(testDocs)+1, 0, false)
	res, err := idx.Search(req)
	if err != nil {
		tb.Fatalf("search: %v", err)
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

func TestSearchAcrossScriptsAndInflections(t *testing.T) {
	idx := mustIndex(t)
	tests := []struct {
		query string
		want  []string // sorted; empty means nothing may match
	}{
		{"болница", []string{"doctors", "nurse-bg"}},
		{"болници", []string{"doctors", "nurse-bg"}},
		{"bolnica", []string{"doctors", "nurse-bg"}},
		{"bolnicata", []string{"doctors", "nurse-bg"}},
		{"BOLNITSI", []string{"doctors", "nurse-bg"}},
		{"medicinska sestra", []string{"nurse-bg"}},
		{"+medicinska +sestra", []string{"nurse-bg"}}, // query string: both words must match
		{"медицински сестри", []string{"nurse-bg"}},
		{"pacientite", []string{"carer"}},
		{"пациентът", []string{"carer"}},
		{"grizha", []string{"carer"}},
		{"грижи", []string{"carer"}},
		{"u4itel", []string{"teacher"}},
		{"учителите", []string{"teacher"}},
		{"nurses", []string{"nurse-en"}},
		{"nursing", []string{"nurse-en"}},
		{"Haskovo", []string{"nurse-bg", "orderly"}},
		{"Хасково", []string{"nurse-bg", "orderly"}},
		{"санитар", []string{"orderly"}},
		{"шофьор", []string{"driver-lat"}},            // Latin text, Cyrillic query
		{"камиони", []string{"driver-lat"}},           // and another inflection
		{"центъра", []string{"centre-bg"}},            // fleeting ъ
		{"centara", []string{"centre-bg"}},            // typed as a
		{"socialni rabotnici", []string{"centre-bg"}}, // palatalised plural in Latin
		{"pharmacists", []string{"pharmacy-en"}},
		{"worker", []string{"warehouse"}},
		// Negatives: related words that are different skills, and noise.
		{"болничен", nil},
		{"лекарства", nil},
		{"учителка", nil},
		{"сестрински", nil},
		{"nursery", nil},
		{"за в на the for", nil},
		{"Хасковски", nil},
	}
	for _, tt := range tests {
		fielded := bleve.NewMatchQuery(tt.query)
		fielded.SetField("title")
		queries := map[string]query.Query{
			"match title":  fielded,
			"match _all":   bleve.NewMatchQuery(tt.query), // DefaultAnalyzer
			"query string": bleve.NewQueryStringQuery(tt.query),
		}
		for kind, q := range queries {
			got := hits(t, idx, q)
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("%s %q = %q, want %q", kind, tt.query, got, tt.want)
			}
		}
	}
}

func TestSearchMunicipalityKeyword(t *testing.T) {
	idx := mustIndex(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"Хасково", []string{"nurse-bg", "nurse-en", "orderly"}},
		{"haskovo", []string{"nurse-bg", "nurse-en", "orderly"}},
		{"Plovdiv", []string{"driver-lat", "teacher"}},
		{"Stara Zagora", []string{"carer"}},
		{"Стара", nil}, // a keyword matches whole
	}
	for _, tt := range tests {
		q := bleve.NewMatchQuery(tt.query)
		q.SetField("municipality")
		got := hits(t, idx, q)
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("match municipality %q = %q, want %q", tt.query, got, tt.want)
		}
	}
}

// TestSearchPhraseAcrossScripts checks that Mixed keeps the two keys of a
// Latin token at one position, so a Latin phrase finds Cyrillic text.
func TestSearchPhraseAcrossScripts(t *testing.T) {
	idx := mustIndex(t)
	tests := []struct {
		phrase string
		want   []string
	}{
		{"medicinska sestra", []string{"nurse-bg"}},
		{"медицинските сестри", []string{"nurse-bg"}},
		{"sestra medicinska", nil},
		{"elderly care", []string{"nurse-en"}},
	}
	for _, tt := range tests {
		q := bleve.NewMatchPhraseQuery(tt.phrase)
		q.SetField("title")
		got := hits(t, idx, q)
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("match phrase %q = %q, want %q", tt.phrase, got, tt.want)
		}
	}
}

// TestIndexReopens checks that the mapping, with its custom filters, is
// stored in the index and rebuilt when the index is opened again.
func TestIndexReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reopen.bleve")
	m := mustMapping(t)
	m.DefaultAnalyzer = Mixed
	idx, err := bleve.New(path, m)
	if err != nil {
		t.Fatalf("bleve.New: %v", err)
	}
	if err := idx.Index("1", map[string]any{"title": "Болниците в Хасково"}); err != nil {
		t.Fatalf("index: %v", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	idx, err = bleve.Open(path)
	if err != nil {
		t.Fatalf("bleve.Open: %v", err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	if got := hits(t, idx, bleve.NewMatchQuery("bolnica")); !slices.Equal(got, []string{"1"}) {
		t.Errorf("after reopen, match %q = %q, want %q", "bolnica", got, []string{"1"})
	}
}
