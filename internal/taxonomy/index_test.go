package taxonomy

import (
	"reflect"
	"strings"
	"testing"
)

// The fast paths (labels that start with the query; cached short
// prefixes) must return exactly what scanning every candidate returns.
func TestSearchFastPathsMatchScan(t *testing.T) {
	tx := mustLoad(t)
	queries := []string{"c", "a", "m", "п", "co", "care", "care for", "first", "first aid", "manage", "и", "of", "a s", "грижа", "medicinska"}
	// Prefixes of real labels, as typed letter by letter.
	for i := 0; i < len(tx.skills); i += 97 {
		l := tx.skills[i].Labels["en"]
		queries = append(queries, l[:len(l)/2], l[:min(len(l), 3)])
	}
	for _, ix := range []*index{tx.skillIndex, tx.occIndex} {
		for _, q := range queries {
			for _, limit := range []int{1, 10, 50} {
				pq, ok := ix.parse(q, "bg")
				if !ok {
					continue
				}
				want := ix.scan(pq, limit)
				if got := ix.run(pq, limit); !reflect.DeepEqual(got, want) {
					t.Fatalf("run(%q, %d) = %v, want scan's %v", q, limit, got, want)
				}
				if got := ix.search(q, "bg", limit); !reflect.DeepEqual(got, want) {
					t.Fatalf("search(%q, %d) = %v, want scan's %v", q, limit, got, want)
				}
			}
		}
	}
}

func TestFoldQuery(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"Медицинска  сестра", []string{"medicinska", "sestra"}},
		{"first-aid, CPR!", []string{"first", "aid", "cpr"}},
		{"u4itel", []string{"uchitel"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		if got := foldQuery(tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("foldQuery(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestIndexDedupesRepeatedLabels(t *testing.T) {
	tx := testTaxonomy(t, record{
		T: "skill", URI: "x/S",
		Label: map[string]string{"en": "Provide first aid"},
		Alt:   map[string][]string{"en": {"provide first aid", "first-aid provision"}},
	})
	// The alternative repeating the preferred label is dropped, so the
	// match is reported as the preferred label.
	if n := len(tx.skillIndex.entries); n != 2 {
		t.Errorf("entries = %d, want 2 (preferred + one distinct synonym)", n)
	}
	hits := tx.SuggestSkills("provide first aid", "en", 5)
	if len(hits) != 1 || hits[0].Matched != "" || hits[0].Score < 0.9 {
		t.Errorf("SuggestSkills(provide first aid) = %+v, want one exact preferred hit", hits)
	}
	if strings.Join(tx.skillIndex.words, " ") != "aid first provide provision" {
		t.Errorf("words = %q", tx.skillIndex.words)
	}
}
