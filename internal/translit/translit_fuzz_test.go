package translit

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// bulgarianLetters are the letters Fold and ToLatin must never leave behind.
const bulgarianLetters = "абвгдежзийклмнопрстуфхцчшщъьюяѝАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯЍ"

// FuzzTransliterate: Fold is idempotent and normalised (valid UTF-8, lower
// case, no combining marks, no Bulgarian letter left), blind to case, and
// sees the official Latin spelling of a text as the text itself; ToLatin
// leaves no Bulgarian letter and valid UTF-8.
func FuzzTransliterate(f *testing.F) {
	for _, s := range []string{"болница", "Болница", "bolnica", "bolnitsa", "u4itel", "учител", "\xff", "й", "и\u0306", "ѝ",
		"Щастие Ъгъл", "медицинска сестра 24/7", "ТЦ", "а\u0301", "Ё ы э і ї є", "tz ts q ja ju", "4 часа", "ПЕТЪР"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold not idempotent: Fold(%q) = %q, Fold of that = %q", s, folded, again)
		}
		if !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, folded)
		}
		for _, r := range folded {
			if unicode.ToLower(r) != r || unicode.Is(unicode.Mn, r) || strings.ContainsRune(bulgarianLetters, r) {
				t.Fatalf("Fold(%q) = %q keeps %q (upper case, a combining mark or a Bulgarian letter)", s, folded, r)
			}
		}
		latin := ToLatin(s)
		if !utf8.ValidString(latin) {
			t.Fatalf("ToLatin(%q) = %q is not valid UTF-8", s, latin)
		}
		for _, r := range latin {
			if strings.ContainsRune(bulgarianLetters, r) {
				t.Fatalf("ToLatin(%q) = %q keeps %q", s, latin, r)
			}
		}
		if HasCyrillic(folded) && !HasCyrillic(s) {
			t.Fatalf("Fold(%q) = %q invents Cyrillic", s, folded)
		}
		// On valid, composed text, Fold does not care about case nor about the
		// official transliteration of the Bulgarian letters.
		nfc := norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
		if up, low := Fold(bulgarianUpper(nfc)), Fold(nfc); up != low {
			t.Fatalf("Fold depends on case: %q → %q, upper-cased → %q", nfc, low, up)
		}
		if a, b := Fold(ToLatin(nfc)), Fold(nfc); a != b {
			t.Fatalf("Fold(ToLatin(%q)) = %q, Fold = %q", nfc, a, b)
		}
	})
}

// bulgarianUpper upper-cases the Bulgarian letters only (other scripts have
// case mappings that are not one-to-one).
func bulgarianUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if i := strings.IndexRune(bulgarianLetters[:len(bulgarianLetters)/2], r); i >= 0 {
			return unicode.ToUpper(r)
		}
		return r
	}, s)
}
