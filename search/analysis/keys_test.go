package analysis

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/translit"
)

// wordList returns the words of testdata/bg_words.txt.
func wordList(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/bg_words.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			words = append(words, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(words) < 500 {
		t.Fatalf("wordList: %d words, want the whole list", len(words))
	}
	return words
}

// phoneLatin spells Bulgarian the way people type it on a phone: digits for
// ч and ш, q for я, tz for ц, ju for ю. (j for й, as in "dejnost", is not
// folded by translit.Fold, so it is not used here.)
var phoneLatin = strings.NewReplacer(
	"а", "a", "б", "b", "в", "v", "г", "g", "д", "d", "е", "e", "ж", "zh",
	"з", "z", "и", "i", "й", "y", "к", "k", "л", "l", "м", "m", "н", "n",
	"о", "o", "п", "p", "р", "r", "с", "s", "т", "t", "у", "u", "ф", "f",
	"х", "h", "ц", "tz", "ч", "4", "ш", "6", "щ", "6t", "ъ", "a", "ь", "y",
	"ю", "ju", "я", "q",
)

// TestBulgarianKeyIgnoresSpelling is the promise of the package: a word has
// one key whether it is typed in Cyrillic, in the official transliteration
// or in phone Latin, for every word of the list.
func TestBulgarianKeyIgnoresSpelling(t *testing.T) {
	for _, w := range wordList(t) {
		want := bulgarianKey(w)
		for _, spelling := range []string{
			strings.ToLower(translit.ToLatin(w)),
			phoneLatin.Replace(w),
		} {
			if got := bulgarianKey(spelling); got != want {
				t.Errorf("bulgarianKey(%q) = %q, want %q as for %q", spelling, got, want, w)
			}
		}
	}
}

// TestBulgarianKeyAcrossScripts pins the cases people meet: an inflected
// Latin query and a differently inflected Cyrillic text.
func TestBulgarianKeyAcrossScripts(t *testing.T) {
	tests := []struct{ latin, cyrillic string }{
		{"pacientite", "пациент"},
		{"pacientat", "пациентът"}, // ъ typed as a
		{"bolnicata", "болници"},
		{"bolnitsa", "болниците"},
		{"BOLNITZA", "болница"},
		{"grizha", "грижи"},
		{"u4itel", "учителите"},
		{"uchiteli", "учител"},
		{"medicinska", "медицински"},
		{"sestri", "сестрата"},
		{"6ofyori", "шофьор"},
		{"centara", "центъра"}, // fleeting ъ typed as a
		{"centar", "центрове"},
		{"vazrastni", "възрастен"},
		{"rabotata", "работа"},
		{"uchilishte", "училища"},
		{"mqsto", "места"},
		{"istoria", "история"}, // я typed as a
	}
	for _, tt := range tests {
		if got, want := bulgarianKey(strings.ToLower(tt.latin)), bulgarianKey(tt.cyrillic); got != want {
			t.Errorf("bulgarianKey(%q) = %q, want %q as for %q", tt.latin, got, want, tt.cyrillic)
		}
	}
}

func TestBulgarianKeyKeepsOtherTokens(t *testing.T) {
	tests := map[string]string{
		"2024":    "2024",
		"b2":      "b2",
		"covid19": "covid19",
		"ελλάδα":  "ελλαδα", // other scripts are only folded
	}
	for in, want := range tests {
		if got := bulgarianKey(in); got != want {
			t.Errorf("bulgarianKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCyrillicReadingFoldsBack checks the property the Latin path rests on:
// the Cyrillic reading of a folded word folds back to that word.
func TestCyrillicReadingFoldsBack(t *testing.T) {
	words := append(wordList(t), "extra", "java", "wordpress", "shtanga", "yuli", "yabalka")
	for _, w := range words {
		folded := translit.Fold(w)
		if !isLatinWord(folded) {
			continue
		}
		reading := string(cyrillicReading(folded, nil))
		if got := translit.Fold(reading); got != folded {
			t.Errorf("Fold(cyrillicReading(%q)) = %q (reading %q), want %q", folded, got, reading, folded)
		}
	}
}

func TestEnglishKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"nurses", "nurse"},
		{"nursing", "nurse"},
		{"patients", "patient"},
		{"caring", "care"},
		{"homes", "home"},
		{"teachers", "teacher"},
		{"café", "cafe"},
	}
	for _, tt := range tests {
		if got, want := englishKey(tt.a), englishKey(tt.b); got != want {
			t.Errorf("englishKey(%q) = %q, want %q as for %q", tt.a, got, want, tt.b)
		}
	}
}
