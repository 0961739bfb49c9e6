package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/translit"
)

// FuzzStem: the stemmer only shortens (or rewrites the last letters of) a
// word, leaves short words alone, never empties a word, and never panics.
func FuzzStem(f *testing.F) {
	for _, s := range []string{"болниците", "учители", "санитари", "кандидатът", "пациента", "училище", "история", "продавец",
		"ъъъъ", "ята", "тата", "ища", "ове", "я", "", "xyzw", "щщщщщ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := []rune(s)
		out := stem(append([]rune(nil), in...))
		if len(out) > len(in) {
			t.Fatalf("stem(%q) = %q is longer", s, string(out))
		}
		if len(in) < minStemLen && string(out) != s && utf8.ValidString(s) {
			t.Fatalf("stem(%q) = %q: words under %d letters are left alone", s, string(out), minStemLen)
		}
		if len(in) > 0 && len(out) == 0 {
			t.Fatalf("stem(%q) is empty", s)
		}
	})
}

// FuzzBulgarianKey: every key is already folded (a fixed point of
// translit.Fold, so index and query agree), the Cyrillic reading of a
// folded Latin word folds back to it, and a lower-case Cyrillic word has the
// key of its official Latin transliteration.
func FuzzBulgarianKey(f *testing.F) {
	for _, s := range []string{"болниците", "bolnicite", "bolnitsa", "u4itel", "pacientat", "пациентът", "санитар", "sanitari",
		"щастие", "shtastie", "ютия", "yutiya", "4asa", "", "ab1", "nurse", "patients"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		term := strings.ToLower(s)
		for name, key := range map[string]string{"bulgarianKey": bulgarianKey(term), "englishKey": englishKey(term)} {
			if translit.Fold(key) != key {
				t.Fatalf("%s(%q) = %q is not folded (Fold gives %q)", name, term, key, translit.Fold(key))
			}
		}
		folded := translit.Fold(term)
		if isLatinWord(folded) {
			if back := translit.Fold(string(cyrillicReading(folded, nil))); back != folded {
				t.Fatalf("cyrillicReading(%q) folds back to %q", folded, back)
			}
		}
		if isCyrillicWord(term) && isBulgarian(term) {
			latin := strings.ToLower(translit.ToLatin(term))
			if a, b := bulgarianKey(term), bulgarianKey(latin); a != b {
				t.Fatalf("bulgarianKey(%q) = %q but bulgarianKey(%q) = %q", term, a, latin, b)
			}
		}
	})
}

func isBulgarian(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("абвгдежзийклмнопрстуфхцчшщъьюя", r) {
			return false
		}
	}
	return true
}

// FuzzAnalyzers: every analyzer turns any text into non-empty, valid,
// folded terms (what the index stores is what a query can produce).
func FuzzAnalyzers(f *testing.F) {
	for _, s := range []string{"Медицинска сестра в болниците на Хасково", "nurse patients' care", "u4itel po matematika",
		"\xff\xfe", "", "Ъгъл 24/7 — грижа", "a\u0301b", "😀 emoji"} {
		f.Add(s)
	}
	m := mustMapping(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, name := range []string{Bulgarian, English, Mixed, Keyword} {
			for _, tok := range m.AnalyzerNamed(name).Analyze([]byte(text)) {
				term := string(tok.Term)
				if term == "" && name != Keyword {
					t.Fatalf("%s(%q) made an empty term", name, text)
				}
				if !utf8.ValidString(term) || translit.Fold(term) != term {
					t.Fatalf("%s(%q) made the term %q, not folded (%q)", name, text, term, translit.Fold(term))
				}
			}
		}
	})
}
