package taxonomy

import (
	"reflect"
	"slices"
	"testing"
)

func hitIDs(hits []SkillHit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

func occIDs(occs []Occupation) []string {
	ids := make([]string, len(occs))
	for i, o := range occs {
		ids[i] = o.ID
	}
	return ids
}

func TestSuggestSkills(t *testing.T) {
	tx := mustLoad(t)
	tests := []struct {
		name      string
		q, lang   string
		first     string // the expected best hit; "" to skip
		contains  string // a hit expected anywhere in the first 10; "" to skip
		wantLabel string // Label of the hit named by first or contains
	}{
		{name: "exact English label first", q: "first aid", lang: "en", first: idFirstAid, wantLabel: "first aid"},
		{name: "English prefix", q: "provide fir", lang: "en", first: idProvideFirstAid, wantLabel: "provide first aid"},
		{name: "word prefixes", q: "nurs", lang: "en", contains: "8b3aefd2-5021-418f-b069-828fb7abc598", wantLabel: "nursing principles"},
		{name: "case and accents ignored", q: "FÍRST AÍD", lang: "en", first: idFirstAid},
		{name: "synonym only", q: "look after elderly", lang: "en", first: idTendElderly, wantLabel: "tend to elderly people"},
		{name: "tokens in any order", q: "aid first", lang: "en", contains: idProvideFirstAid},
		{name: "tokens in any order, partial", q: "elderly tend", lang: "en", first: idTendElderly},
		{name: "care eld", q: "care eld", lang: "en", contains: idTendElderly},
		{name: "Cyrillic project label", q: "грижа за възр", lang: "bg", first: idTendElderly, wantLabel: "грижа за възрастни хора"},
		{name: "Latin Bulgarian, phone spelling", q: "grizha za vazr", lang: "bg", first: idTendElderly, wantLabel: "грижа за възрастни хора"},
		{name: "Latin Bulgarian, one word", q: "grizha", lang: "bg", contains: idTendElderly},
		{name: "medicinska finds медицинска", q: "medicinska", lang: "bg", contains: idMedicalDevices, wantLabel: "медицински изделия"},
		{name: "Cyrillic prefix", q: "медицин", lang: "bg", contains: idMedicalDevices},
		{name: "English query, Bulgarian display", q: "first aid", lang: "bg", first: idFirstAid, wantLabel: "първа помощ"},
		{name: "Bulgarian query, English display", q: "първа помощ", lang: "en", first: idFirstAid, wantLabel: "first aid"},
		{name: "no bg label: English shown", q: "manage musical staff", lang: "bg", first: idMusicalStaff, wantLabel: "manage musical staff"},
		{name: "hyphen splits words", q: "first-aid", lang: "en", first: idFirstAid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := tx.SuggestSkills(tt.q, tt.lang, 10)
			if len(hits) == 0 {
				t.Fatalf("SuggestSkills(%q, %q) = no hits", tt.q, tt.lang)
			}
			want := tt.first
			if want != "" && hits[0].ID != want {
				t.Fatalf("SuggestSkills(%q, %q)[0] = %s %q, want %s", tt.q, tt.lang, hits[0].ID, hits[0].Label, want)
			}
			if tt.contains != "" {
				want = tt.contains
				if !slices.Contains(hitIDs(hits), want) {
					t.Fatalf("SuggestSkills(%q, %q) = %v, want it to contain %s", tt.q, tt.lang, hitIDs(hits), want)
				}
			}
			if tt.wantLabel != "" {
				h := hits[slices.Index(hitIDs(hits), want)]
				if h.Label != tt.wantLabel {
					t.Errorf("SuggestSkills(%q, %q) hit %s Label = %q, want %q", tt.q, tt.lang, want, h.Label, tt.wantLabel)
				}
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Errorf("SuggestSkills(%q, %q): hit %d scores %v above hit %d (%v)", tt.q, tt.lang, i, hits[i].Score, i-1, hits[i-1].Score)
				}
			}
		})
	}
}

func TestSuggestSkillsHitFields(t *testing.T) {
	tx := mustLoad(t)
	hits := tx.SuggestSkills("look after elderly", "en", 5)
	if len(hits) == 0 || hits[0].ID != idTendElderly {
		t.Fatalf("SuggestSkills(look after elderly) = %v", hitIDs(hits))
	}
	h := hits[0]
	if h.Matched != "look after elderly people" {
		t.Errorf("hit.Matched = %q, want the synonym %q", h.Matched, "look after elderly people")
	}
	if !slices.Contains(h.AltLabels, "look after elderly people") {
		t.Errorf("hit.AltLabels = %v, want the English synonyms", h.AltLabels)
	}
	if h.Group != tx.GroupOf(idTendElderly) || h.Group == "" || h.GroupLabel != tx.Label(h.Group, "en") || h.GroupLabel == "" {
		t.Errorf("hit group = %q %q, want GroupOf and its label", h.Group, h.GroupLabel)
	}
	if h.Score <= 0 || h.Score >= 1 {
		t.Errorf("hit.Score = %v, want in (0, 1)", h.Score)
	}

	bg := tx.SuggestSkills("грижа за възрастни хора", "bg", 5)
	if len(bg) == 0 || bg[0].ID != idTendElderly || bg[0].Matched != "" ||
		!slices.Contains(bg[0].AltLabels, "гледане на възрастни хора") {
		t.Errorf("SuggestSkills(грижа за възрастни хора, bg)[0] = %+v, want bg label and bg synonyms, no Matched", bg[0])
	}
}

func TestSuggestSkillsRanking(t *testing.T) {
	tx := mustLoad(t)
	// "first aid": the exact preferred label, then the exact synonym of
	// another skill, then labels starting with the query, then the rest.
	hits := tx.SuggestSkills("first aid", "en", 50)
	if len(hits) < 4 {
		t.Fatalf("SuggestSkills(first aid) = %v", hitIDs(hits))
	}
	tierOf := func(h SkillHit) int { return int((0.9 - h.Score + 0.0999) / 0.1) } // 0 exact pref … 5 words alt
	if tierOf(hits[0]) != 0 || tierOf(hits[1]) != 1 {
		t.Errorf("SuggestSkills(first aid) tiers of first hits = %d, %d; want 0 (exact), 1 (exact synonym)", tierOf(hits[0]), tierOf(hits[1]))
	}
	pa := slices.Index(hitIDs(hits), idProvideFirstAid)
	if pa < 0 || tierOf(hits[pa]) != 4 {
		t.Errorf("SuggestSkills(first aid): provide first aid at %d, want it found by words on its preferred label", pa)
	}
}

func TestSuggestSkillsLimitsAndEmpty(t *testing.T) {
	tx := mustLoad(t)
	tests := []struct {
		q     string
		limit int
		want  int
	}{
		{"care", 3, 3},
		{"care", 0, 10},
		{"care", -1, 10},
		{"care", 1000, 50},
		{"", 10, 0},
		{"   ", 10, 0},
		{" -/ ", 10, 0},
		{"zzzzqqxx", 10, 0},
		{"first zzzzqqxx", 10, 0},
	}
	for _, tt := range tests {
		if got := len(tx.SuggestSkills(tt.q, "en", tt.limit)); got != tt.want {
			t.Errorf("len(SuggestSkills(%q, en, %d)) = %d, want %d", tt.q, tt.limit, got, tt.want)
		}
	}
}

func TestSuggestSkillsDeterministic(t *testing.T) {
	tx := mustLoad(t)
	for _, q := range []string{"c", "care", "грижа", "manage"} {
		a := tx.SuggestSkills(q, "bg", 50)
		b := tx.SuggestSkills(q, "bg", 50)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("SuggestSkills(%q) differs between calls", q)
		}
		// A smaller limit returns the head of the same order.
		if c := tx.SuggestSkills(q, "bg", 7); !reflect.DeepEqual(c, a[:7]) {
			t.Errorf("SuggestSkills(%q, limit 7) = %v, want the first 7 of limit 50 %v", q, hitIDs(c), hitIDs(a[:7]))
		}
	}
}

func TestSearchOccupations(t *testing.T) {
	tx := mustLoad(t)
	tests := []struct {
		q, lang  string
		first    string
		contains string
	}{
		{q: "медицинска сестра", lang: "bg", first: idGeneralNurse},
		{q: "medicinska sestra", lang: "bg", first: idGeneralNurse},
		{q: "meditsinska sestra", lang: "bg", first: idGeneralNurse},
		{q: "санитарка", lang: "bg", first: idHealthcareAsst},            // one form of "санитар/санитарка"
		{q: "sanitar", lang: "bg", first: idHealthcareAsst},              // the other, typed in Latin
		{q: "болногледач", lang: "bg", contains: idHealthcareAsst},       // NKPD title
		{q: "healthcare assistant", lang: "en", first: idHealthcareAsst}, // English
		{q: "nurse general", lang: "en", contains: idGeneralNurse},
	}
	for _, tt := range tests {
		got := tx.SearchOccupations(tt.q, tt.lang, 10)
		ids := occIDs(got)
		if tt.first != "" && (len(ids) == 0 || ids[0] != tt.first) {
			t.Errorf("SearchOccupations(%q, %q) = %v, want %s first", tt.q, tt.lang, ids, tt.first)
		}
		if tt.contains != "" && !slices.Contains(ids, tt.contains) {
			t.Errorf("SearchOccupations(%q, %q) = %v, want it to contain %s", tt.q, tt.lang, ids, tt.contains)
		}
	}
	// "санитарка" is a whole label of its own once "санитар/санитарка" is
	// split, so it matches exactly, not merely as a word of the pair.
	if m := tx.occIndex.search("санитарка", "bg", 1); len(m) != 1 || m[0].score < 0.9 {
		t.Errorf("occupation search(санитарка) = %+v, want an exact match (score ≥ 0.9)", m)
	}
	if got := tx.SearchOccupations("", "bg", 10); len(got) != 0 {
		t.Errorf("SearchOccupations(\"\") = %d hits, want 0", len(got))
	}
	if got := tx.SearchOccupations("оператор", "bg", 0); len(got) != 10 {
		t.Errorf("len(SearchOccupations(оператор, limit 0)) = %d, want 10", len(got))
	}
}

// The queries people type, letter by letter, in both scripts.
var benchQueries = []string{"nurs", "медицин", "comm", "first aid", "грижа", "c", "medicinska sestra", "care eld"}

func BenchmarkSuggestSkills(b *testing.B) {
	tx := mustLoad(b)
	for _, q := range benchQueries {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				tx.SuggestSkills(q, "bg", 10)
			}
		})
	}
}

// BenchmarkSuggestSkillsUncached measures the first keystroke of a
// session, before the short-prefix cache holds it.
func BenchmarkSuggestSkillsUncached(b *testing.B) {
	tx := mustLoad(b)
	for _, q := range []string{"c", "p"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				tx.skillIndex.cache.Clear()
				tx.SuggestSkills(q, "bg", 10)
			}
		})
	}
}

func BenchmarkSearchOccupations(b *testing.B) {
	tx := mustLoad(b)
	for b.Loop() {
		tx.SearchOccupations("медицинска сестра", "bg", 10)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
