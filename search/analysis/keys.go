package analysis

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"

	"github.com/careget/skillsmatch/internal/translit"
)

// A token's key is what goes into the index. Bulgarian keys are stems
// written in the folded Latin alphabet of translit.Fold, so that one key
// stands for a word whether it was typed in Cyrillic, in the official
// transliteration or in phone Latin:
//
//	bulgarianKey("болниците") == bulgarianKey("bolnicite") == bulgarianKey("bolnitsa") == "bolnik"
//
// A Cyrillic word is stemmed as it is and then folded. A Latin word is folded,
// read back as Cyrillic (cyrillicReading), stemmed and folded again. The two
// paths agree because the reading folds back to the same letters and the
// stemmer is blind to the only letter the reading cannot restore: ъ, which
// folds to "a" like а (see stem.go). ь and й both fold to "y" and the stemmer
// reads neither.

// bulgarianKey returns the key of a lower-case token read as Bulgarian.
// Tokens that are neither Cyrillic nor plain Latin letters (numbers, other
// scripts, mixed spellings) are only folded.
func bulgarianKey(term string) string {
	if isCyrillicWord(term) {
		return cyrillicKey(term)
	}
	folded := translit.Fold(term)
	if !isLatinWord(folded) {
		return folded
	}
	return latinBulgarianKey(folded)
}

// cyrillicKey returns the key of a lower-case Cyrillic word.
func cyrillicKey(term string) string {
	var buf [32]rune
	return translit.Fold(string(stem(appendRunes(buf[:0], term))))
}

// appendRunes appends the letters of s to buf, so that short words are
// stemmed without allocating.
func appendRunes(buf []rune, s string) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

// latinBulgarianKey returns the key of a folded Latin word read as Bulgarian.
func latinBulgarianKey(folded string) string {
	var buf [32]rune
	return translit.Fold(string(stem(cyrillicReading(folded, buf[:0]))))
}

// englishKey returns the key of a lower-case token read as English: the
// Snowball (Porter2) stem, then folded. Folding comes last, as in the English
// analyzer, because translit.Fold rewrites "ts" to "c" and would otherwise
// keep the stemmer from seeing the plural in "patients".
func englishKey(term string) string {
	env := snowballstem.NewEnv(term)
	english.Stem(env)
	return translit.Fold(env.Current())
}

// isCyrillicWord reports whether term is made only of Cyrillic letters,
// which the stemmer can read directly.
func isCyrillicWord(term string) bool {
	if term == "" {
		return false
	}
	for _, r := range term {
		if r < utf8.RuneSelf || !unicode.Is(unicode.Cyrillic, r) || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// isLatinWord reports whether a folded term is made only of the letters a–z:
// what Bulgarian typed in Latin looks like after folding (digits used as
// letters, like the 4 in "u4itel", are already letters by then).
func isLatinWord(folded string) bool {
	if folded == "" {
		return false
	}
	for i := 0; i < len(folded); i++ {
		if c := folded[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// latinDigraphs are read before single letters, longest first, so that
// "sht" is щ and not ш+т, as translit.Fold writes it.
var latinDigraphs = [...]struct {
	latin string
	cyr   rune
}{
	{"sht", 'щ'}, {"sh", 'ш'}, {"ch", 'ч'}, {"zh", 'ж'}, {"yu", 'ю'}, {"ya", 'я'},
}

// latinLetters maps single folded letters to Cyrillic. "y" is read as й (ь
// folds to "y" too; the stemmer reads neither), "a" as а (ъ folds to "a";
// the stemmer treats them alike). j, q, w and x have no Cyrillic letter and
// stay as they are.
var latinLetters = [26]rune{
	'а', 'б', 'ц', 'д', 'е', 'ф', 'г', 'х', 'и', 'j', 'к', 'л', 'м',
	'н', 'о', 'п', 'q', 'р', 'с', 'т', 'у', 'в', 'w', 'x', 'й', 'з',
}

// cyrillicReading appends to buf a Cyrillic reading of a folded Latin word
// (letters a–z only). It need not be the word the person meant, letter for
// letter: it must only fold back to the input, translit.Fold(reading) ==
// folded, and be right in the last letters, which are all the stemmer reads.
func cyrillicReading(folded string, buf []rune) []rune {
	for i := 0; i < len(folded); {
		if r, n := readDigraph(folded[i:]); n > 0 {
			buf = append(buf, r)
			i += n
			continue
		}
		buf = append(buf, latinLetters[folded[i]-'a'])
		i++
	}
	return buf
}

// readDigraph returns the Cyrillic letter that s starts with, if s starts
// with one of latinDigraphs, and how many bytes it takes.
func readDigraph(s string) (rune, int) {
	for _, d := range latinDigraphs {
		if len(s) >= len(d.latin) && s[:len(d.latin)] == d.latin {
			return d.cyr, len(d.latin)
		}
	}
	return 0, 0
}
