package analysis

import "unicode/utf8"

// The Bulgarian light stemmer of Jacques Savoy, "Searching strategies for the
// Bulgarian language", Information Retrieval 10 (2007), as implemented in
// Lucene's BulgarianStemmer: strip the definite article, then the plural
// suffix, then one final vowel, then tidy the ending. It is a few suffix rules
// with length guards, not a dictionary, so it also runs on words it has never
// seen (skills, job titles, place names).
//
// The lengths in the guards count letters, as Lucene counts chars.
//
// Where the published rules fail on the vocabulary of this product, or where
// they read a letter that Latin typing cannot tell apart, we extend them. Each
// extension is marked in the code and tested:
//
//   - ъ-blind: Latin typing writes ъ as "a", so every rule that reads ъ
//     reads а the same way. The article -ът is also -ат, at the end of the
//     word and of the stem (кандидатът, кандидати, кандидат → кандид), and
//     Lucene's dropped ъ before the last consonant (театър/театри → театр)
//     drops а too (санитар/санитари → санитр). A word then has one key
//     whether it was typed in Cyrillic or Latin. The price: a few more words
//     share a stem (формат and форма → форм).
//   - -та is an article only after а/ъ/я (работа-та) or after т/щ
//     (радост-та, помощ-та); after other letters it belongs to the word or is
//     -т plus the short article -а (пациент-а, работа, университет-а).
//     Lucene strips it everywhere, so пациента became "пацин".
//   - Savoy's е…и → я… rewrite (for голям/големи) is replaced: it turned
//     учители into "учитял", инженери into "инженяр", проблеми into
//     "проблям". Instead the last vowel of a stem is written е where it is я
//     (openYat), which joins място/места and смяна/смени as well.
//   - The ending -ище is removed like -ища (училище/училища).
//   - A stem-final и is dropped (история/истории → истор, обучение/обучения
//     → обучн), because Lucene removes -ия as an article but keeps the и of
//     other forms.
//   - Fleeting е before ц goes like Lucene's е before н (продавец/продавци),
//     and Lucene's -овци → -о (дядовци → дядо) is left out: it cut търговци
//     to "търг" while търговец kept its ending; -ци → -к now covers both.
//   - Stem-final ц, з, с are written к, г, х: Lucene rewrites -ци, -зи, -си
//     to к, г, х for ученик/ученици, so болница/болници and адрес/адреси fell
//     apart; one spelling for each pair keeps every form together.

// minStemLen is the shortest word the stemmer touches; shorter words are
// mostly function words and roots that no rule can shorten safely.
const minStemLen = 4

// stem returns the stem of a lower-case Bulgarian word. It works in place on
// s and returns a prefix of it (with its last letters possibly rewritten).
func stem(s []rune) []rune {
	if len(s) < minStemLen {
		return s
	}
	s = removeArticle(s)
	s = removePlural(s)
	s = removeFinalVowel(s)
	return tidyEnding(s)
}

// removeArticle strips the definite article (Savoy's first step).
func removeArticle(s []rune) []rune {
	n := len(s)
	switch {
	case n > 6 && endsWith(s, "ият"):
		return s[:n-3]
	case n > 5 && (endsWith(s, "ът") || endsWith(s, "ат") || // ат: ъ-blind
		endsWith(s, "то") || endsWith(s, "те") || endsWith(s, "ия")):
		return s[:n-2]
	case n > 5 && endsWith(s, "та") && takesTa(s[n-3]):
		return s[:n-2]
	case n > 4 && endsWith(s, "ят"):
		return s[:n-2]
	}
	return s
}

// removePlural strips plural endings, undoing the palatalisation of к, г, х
// before -и (Savoy's second step). Lucene returns early for -ища before the
// article step; no article ends in -ща, so handling it here is the same.
func removePlural(s []rune) []rune {
	n := len(s)
	if n > 6 {
		switch {
		case endsWith(s, "ове"):
			return s[:n-3]
		case endsWith(s, "еве"): // краеве → край
			s[n-3] = 'й'
			return s[:n-2]
		}
	}
	if n > 5 {
		switch {
		case endsWith(s, "ища"), endsWith(s, "ище"):
			return s[:n-3]
		case endsWith(s, "та") && takesTa(s[n-3]):
			return s[:n-2]
		case endsWith(s, "ци"):
			s[n-2] = 'к'
			return s[:n-1]
		case endsWith(s, "зи"):
			s[n-2] = 'г'
			return s[:n-1]
		}
	}
	if n > 4 {
		switch {
		case endsWith(s, "си"):
			s[n-2] = 'х'
			return s[:n-1]
		case endsWith(s, "и"):
			return s[:n-1]
		}
	}
	return s
}

// removeFinalVowel strips the short article or gender ending left over:
// -я, then one of -а, -о, -е.
func removeFinalVowel(s []rune) []rune {
	if len(s) <= 3 {
		return s
	}
	if endsWith(s, "я") {
		s = s[:len(s)-1]
	}
	if endsWith(s, "а") || endsWith(s, "ъ") || endsWith(s, "о") || endsWith(s, "е") { // ъ-blind: Latin "a" is read as а
		s = s[:len(s)-1]
	}
	return s
}

// tidyEnding removes the vowels that come and go inside the last syllable
// and picks one spelling for consonants that alternate, so that every form of
// a word ends the same way.
func tidyEnding(s []rune) []rune {
	n := len(s)
	if n > 4 && s[n-1] == 'и' { // extension: история, обучение
		s, n = s[:n-1], n-1
	}
	switch {
	case n > 4 && endsWith(s, "ен"): // Lucene: песен/песни
		s[n-2] = 'н'
		s, n = s[:n-1], n-1
	case n > 5 && endsWith(s, "ец"): // extension: продавец/продавци
		s[n-2] = 'ц'
		s, n = s[:n-1], n-1
	}
	if n > 5 && (endsWith(s, "ат") || endsWith(s, "ът")) { // extension: ъ-blind article
		s, n = s[:n-2], n-2
	}
	if n > 5 && isYer(s[n-2]) && !isVowel(s[n-1]) { // Lucene ъN → N, ъ-blind
		s[n-2] = s[n-1]
		s, n = s[:n-1], n-1
	}
	if n >= minStemLen { // extension: one spelling for к/ц, г/з, х/с
		s[n-1] = plainConsonant(s[n-1])
	}
	openYat(s)
	return s
}

// openYat writes the last vowel of a stem as е when it is я after a
// consonant (extension). Bulgarian я becomes е when the next syllable has
// е or и (място/места, смяна/смени, голям/големи); Savoy rewrote е→я before
// -и instead, which also hit every е that never was я (учители).
func openYat(s []rune) {
	for i := len(s) - 1; i > 0; i-- {
		if !isVowel(s[i]) {
			continue
		}
		if s[i] == 'я' && !isVowel(s[i-1]) {
			s[i] = 'е'
		}
		return
	}
}

// takesTa reports whether -та after r is an ending (the article of а/я
// nouns and of т/щ nouns) rather than part of the word or т plus -а.
func takesTa(r rune) bool {
	switch r {
	case 'а', 'ъ', 'я', 'т', 'щ':
		return true
	}
	return false
}

// isYer reports whether r may be the fleeting ъ of театър/театри. Latin
// typing writes ъ as "a", so а counts too.
func isYer(r rune) bool { return r == 'ъ' || r == 'а' }

func isVowel(r rune) bool {
	switch r {
	case 'а', 'ъ', 'о', 'у', 'е', 'и', 'ю', 'я', 'ѝ':
		return true
	}
	return false
}

// plainConsonant maps the palatalised ц, з, с to the к, г, х that Savoy's
// plural rules restore.
func plainConsonant(r rune) rune {
	switch r {
	case 'ц':
		return 'к'
	case 'з':
		return 'г'
	case 'с':
		return 'х'
	}
	return r
}

// endsWith reports whether s ends with the letters of suffix.
func endsWith(s []rune, suffix string) bool {
	i := len(s)
	for len(suffix) > 0 {
		r, size := utf8.DecodeLastRuneInString(suffix)
		i--
		if i < 0 || s[i] != r {
			return false
		}
		suffix = suffix[:len(suffix)-size]
	}
	return true
}
