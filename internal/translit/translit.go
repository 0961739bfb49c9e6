// Package translit folds Bulgarian Cyrillic and the Latin spellings people
// type for it on phones into one comparable form.
//
// Bulgarians often type Bulgarian in Latin letters, and not always with the
// official Streamlined System: "bolnica" and "bolnitsa" both mean "болница",
// "4" stands for "ч" and "6" for "ш". Fold maps all of these, and the
// Cyrillic original, to the same key, so that search and autocomplete can
// compare keys instead of guessing which spelling a person used.
package translit

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// cyrillic maps each lower-case Bulgarian letter to its folded Latin form.
// It follows the Streamlined System except where phone spellings disagree
// with it; there the key is chosen so that every common spelling folds to it
// (ц is "c": "ts", "tz" and "c" all fold there).
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
	'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "h", 'ц': "c", 'ч': "ch", 'ш': "sh", 'щ': "sht", 'ъ': "a", 'ь': "y",
	'ю': "yu", 'я': "ya",
	// Letters of neighbouring alphabets that turn up in pasted text.
	'ё': "yo", 'ы': "i", 'э': "e", 'і': "i", 'ї': "yi", 'є': "ye", 'ѝ': "i",
}

// official maps each lower-case Bulgarian letter to the Streamlined System
// (the transliteration law of 2009), used where a readable Latin form is shown.
var official = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
	'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sht", 'ъ': "a", 'ь': "y",
	'ю': "yu", 'я': "ya", 'ѝ': "i",
}

// latinVariants rewrites Latin spellings of Bulgarian sounds to the folded
// form. Order matters: longer patterns first.
var latinVariants = strings.NewReplacer(
	"tz", "c",
	"ts", "c",
	"q", "ya",
	"ja", "ya",
	"ju", "yu",
)

// Fold returns the comparison key of s: lower case, accents removed,
// Cyrillic transliterated, and common phone spellings unified. Fold is
// idempotent, and Fold(cyrillic) == Fold(any usual Latin spelling of it).
func Fold(s string) string {
	if !utf8.ValidString(s) {
		// NFD stops decomposing at an invalid byte, so "\xf1è" kept its
		// accent while its own fold lost it: replace invalid bytes first.
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	runes := []rune(norm.NFD.String(s))
	for i, r := range runes {
		if unicode.Is(unicode.Mn, r) {
			if r == '\u0306' && i > 0 && (runes[i-1] == 'и' || runes[i-1] == 'И') {
				// NFD splits й into и + breve; keep it a distinct letter.
				trimLast(&b)
				b.WriteString("y")
			}
			continue
		}
		r = unicode.ToLower(r)
		if lat, ok := cyrillic[r]; ok {
			b.WriteString(lat)
			continue
		}
		if (r == '4' || r == '6') && tokenHasLetter(runes, i) {
			if r == '4' {
				b.WriteString("ch")
			} else {
				b.WriteString("sh")
			}
			continue
		}
		b.WriteRune(r)
	}
	return latinVariants.Replace(b.String())
}

// ToLatin transliterates Bulgarian Cyrillic in s to Latin letters by the
// Streamlined System, keeping case of the first letter of each word and
// leaving everything else as it is.
func ToLatin(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for _, r := range s {
		lower := unicode.ToLower(r)
		lat, ok := official[lower]
		if !ok {
			b.WriteRune(r)
			continue
		}
		if lower != r && lat != "" {
			lat = strings.ToUpper(lat[:1]) + lat[1:]
		}
		b.WriteString(lat)
	}
	return b.String()
}

// HasCyrillic reports whether s contains any Cyrillic letter.
func HasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// tokenHasLetter reports whether the run of letters and digits around i
// holds a letter, so that "4" in "u4ilishte" is a letter but "4" in
// "4 hours" stays a number. Deciding per token keeps Fold idempotent.
func tokenHasLetter(runes []rune, i int) bool {
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) }
	for j := i; j >= 0 && alnum(runes[j]); j-- {
		if unicode.IsLetter(runes[j]) {
			return true
		}
	}
	for j := i + 1; j < len(runes) && alnum(runes[j]); j++ {
		if unicode.IsLetter(runes[j]) {
			return true
		}
	}
	return false
}

func trimLast(b *strings.Builder) {
	s := b.String()
	if s == "" {
		return
	}
	b.Reset()
	b.WriteString(s[:len(s)-1])
}
