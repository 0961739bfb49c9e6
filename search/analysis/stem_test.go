package analysis

import "testing"

func stemString(w string) string { return string(stem([]rune(w))) }

// TestStemConflatesInflections checks that the forms of a word (article,
// plural, gender) share one stem. The stem itself is pinned too, so that a
// change to the rules shows up here and not as a silent change of index keys.
func TestStemConflatesInflections(t *testing.T) {
	tests := []struct {
		want  string
		forms []string
	}{
		// The words the search must not miss.
		{"болник", []string{"болница", "болници", "болницата", "болниците"}},
		{"сестр", []string{"сестра", "сестри", "сестрата", "сестрите"}},
		{"пациент", []string{"пациент", "пациенти", "пациентите", "пациента", "пациентът"}},
		{"гриж", []string{"грижа", "грижи", "грижите", "грижата"}},
		{"учител", []string{"учител", "учители", "учителите", "учителят", "учителя"}},
		// Work.
		{"работ", []string{"работа", "работи", "работата", "работите"}},
		{"работник", []string{"работник", "работници", "работника", "работниците"}},
		{"служител", []string{"служител", "служители", "служителите", "служителя"}},
		{"работодател", []string{"работодател", "работодатели", "работодателите", "работодателят"}},
		{"кандид", []string{"кандидат", "кандидати", "кандидата", "кандидатът", "кандидатите"}},
		{"запл", []string{"заплата", "заплати", "заплатата", "заплатите"}},
		{"смен", []string{"смяна", "смени", "смяната", "смените"}},
		{"мест", []string{"място", "места", "мястото", "местата"}},
		{"опит", []string{"опит", "опита", "опитът"}},
		{"умен", []string{"умение", "умения", "умението", "уменията"}},
		{"квалификк", []string{"квалификация", "квалификации", "квалификацията"}},
		{"курх", []string{"курс", "курса", "курсове", "курсовете"}},
		{"договор", []string{"договор", "договори", "договора", "договорът"}},
		{"фирм", []string{"фирма", "фирми", "фирмата", "фирмите"}},
		{"компн", []string{"компания", "компании", "компанията"}},
		{"склад", []string{"склад", "складове", "склада", "складът"}},
		{"инженер", []string{"инженер", "инженери", "инженера", "инженерите"}},
		{"мениджр", []string{"мениджър", "мениджъри", "мениджъра", "мениджърът"}},
		{"продавк", []string{"продавец", "продавци", "продавеца", "продавецът"}},
		{"търговк", []string{"търговец", "търговци", "търговеца"}},
		{"шофьор", []string{"шофьор", "шофьори", "шофьора", "шофьорът"}},
		{"готвч", []string{"готвач", "готвачи", "готвача", "готвачът"}},
		{"програмист", []string{"програмист", "програмисти", "програмиста"}},
		{"специалист", []string{"специалист", "специалисти", "специалиста", "специалистите"}},
		{"клиент", []string{"клиент", "клиенти", "клиента", "клиентите"}},
		{"университет", []string{"университет", "университети", "университета"}},
		{"центр", []string{"център", "центъра", "центърът", "центрове", "центровете"}},
		{"учил", []string{"училище", "училища", "училището", "училищата"}},
		{"проблем", []string{"проблем", "проблеми", "проблема", "проблемите"}},
		{"систем", []string{"система", "системи", "системата"}},
		{"процех", []string{"процес", "процеси", "процеса"}},
		{"адрех", []string{"адрес", "адреси", "адреса"}},
		{"хотел", []string{"хотел", "хотели", "хотела", "хотелите"}},
		{"машин", []string{"машина", "машини", "машината"}},
		{"оператор", []string{"оператор", "оператори", "оператора"}},
		// Care and health.
		{"санитр", []string{"санитар", "санитари", "санитаря", "санитарите"}},
		{"болногледч", []string{"болногледач", "болногледачи", "болногледача"}},
		{"лекар", []string{"лекар", "лекари", "лекаря", "лекарят"}},
		{"фармацевт", []string{"фармацевт", "фармацевти", "фармацевта"}},
		{"физиотерапевт", []string{"физиотерапевт", "физиотерапевти", "физиотерапевта"}},
		{"медицинск", []string{"медицинска", "медицински", "медицинско", "медицинския", "медицинският"}},
		{"медицин", []string{"медицина", "медицината"}},
		{"социалн", []string{"социален", "социална", "социални", "социалният", "социалното"}},
		{"здравн", []string{"здравен", "здравна", "здравни", "здравното"}},
		{"здрав", []string{"здраве", "здравето"}},
		{"възрастн", []string{"възрастен", "възрастни", "възрастните"}},
		{"деменк", []string{"деменция", "деменцията"}},
		{"аптек", []string{"аптека", "аптеки", "аптеката"}},
		{"помощник", []string{"помощник", "помощници", "помощника"}},
		{"помощ", []string{"помощ", "помощта"}},
		{"обучн", []string{"обучение", "обучения", "обучението", "обученията"}},
		{"истор", []string{"история", "истории", "историята"}},
		{"заетост", []string{"заетост", "заетостта"}},
		{"отговорност", []string{"отговорност", "отговорности", "отговорността"}},
	}
	for _, tt := range tests {
		for _, form := range tt.forms {
			if got := stemString(form); got != tt.want {
				t.Errorf("stem(%q) = %q, want %q", form, got, tt.want)
			}
		}
	}
}

// TestStemKeepsWordsApart checks words that a light stemmer must not join:
// derivations are different skills or jobs.
func TestStemKeepsWordsApart(t *testing.T) {
	tests := [][2]string{
		{"сестра", "сестрински"},
		{"работа", "работник"},
		{"лекар", "лекарства"},
		{"учител", "учителка"},
		{"болница", "болничен"},
		{"санитар", "санитарка"},
		{"готвач", "готвачка"},
		{"медицина", "медицинска"},
		{"сестра", "сега"},
		{"грижа", "гриза"},
	}
	for _, tt := range tests {
		if a, b := stemString(tt[0]), stemString(tt[1]); a == b {
			t.Errorf("stem(%q) = stem(%q) = %q, want different stems", tt[0], tt[1], a)
		}
	}
}

func TestStemLeavesShortWordsAlone(t *testing.T) {
	for _, w := range []string{"за", "на", "и", "ден", "час", "път", "дом", "лек", "ята", "ите", "ове"} {
		if got := stemString(w); got != w {
			t.Errorf("stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

// TestStemAgainstLucene shows where the stemmer is Savoy's as in Lucene and
// where it departs from it, by running both on the same words. luceneStem
// is a plain port of Lucene's BulgarianStemmer kept only as the reference.
func TestStemAgainstLucene(t *testing.T) {
	tests := []struct {
		word, lucene, ours string
	}{
		// Same as Lucene.
		{"градове", "град", "град"},
		{"градът", "град", "град"},
		{"ученици", "ученик", "ученик"},
		{"учениците", "ученик", "ученик"},
		{"педагози", "педагог", "педагог"},
		{"монаси", "монах", "монах"},
		{"песни", "песн", "песн"},
		{"песен", "песн", "песн"},
		{"червения", "червн", "червн"},
		{"театри", "театр", "театр"},
		{"театър", "театр", "театр"},
		{"жената", "жен", "жен"},
		{"сестрите", "сестр", "сестр"},
		{"училища", "учил", "учил"},
		// Extensions, each with the Lucene stem it fixes.
		{"болница", "болниц", "болник"},                // one spelling for ц/к
		{"пациента", "пацин", "пациент"},               // -та after н is -т + -а
		{"работа", "раб", "работ"},                     // -та after о is the word's
		{"учители", "учитял", "учител"},                // no е…и → я…
		{"училище", "училищ", "учил"},                  // -ище like -ища
		{"история", "истор", "истор"},                  // (same)
		{"истории", "истори", "истор"},                 // stem-final и
		{"търговци", "търг", "търговк"},                // no -овци → -о
		{"продавец", "продавец", "продавк"},            // fleeting е before ц
		{"адреси", "адряс", "адрех"},                   // no е…и → я…, с/х
		{"адрес", "адрес", "адрех"},                    // one spelling for с/х
		{"кандидатът", "кандидат", "кандид"},           // ъ-blind: -ат like -ът
		{"санитар", "санитар", "санитр"},               // ъ-blind: а like ъ
		{"места", "мест", "мест"},                      // (same)
		{"място", "мяст", "мест"},                      // я → е in the last syllable
		{"квалификацията", "квалификаци", "квалификк"}, // stem-final и, ъ-blind, ц/к
	}
	for _, tt := range tests {
		if got := luceneStem(tt.word); got != tt.lucene {
			t.Errorf("luceneStem(%q) = %q, want %q", tt.word, got, tt.lucene)
		}
		if got := stemString(tt.word); got != tt.ours {
			t.Errorf("stem(%q) = %q, want %q", tt.word, got, tt.ours)
		}
	}
}

// luceneStem is Lucene's BulgarianStemmer.stem, rule for rule.
func luceneStem(w string) string {
	s := []rune(w)
	n := len(s)
	if n < 4 {
		return w
	}
	if n > 5 && endsWith(s, "ища") {
		return string(s[:n-3])
	}
	n = luceneArticle(s, n)
	n = lucenePlural(s, n)
	if n > 3 {
		if endsWith(s[:n], "я") {
			n--
		}
		if endsWith(s[:n], "а") || endsWith(s[:n], "о") || endsWith(s[:n], "е") {
			n--
		}
	}
	if n > 4 && endsWith(s[:n], "ен") {
		s[n-2] = 'н'
		n--
	}
	if n > 5 && s[n-2] == 'ъ' {
		s[n-2] = s[n-1]
		n--
	}
	return string(s[:n])
}

func luceneArticle(s []rune, n int) int {
	w := s[:n]
	if n > 6 && endsWith(w, "ият") {
		return n - 3
	}
	if n > 5 {
		for _, a := range []string{"ът", "то", "те", "та", "ия"} {
			if endsWith(w, a) {
				return n - 2
			}
		}
	}
	if n > 4 && endsWith(w, "ят") {
		return n - 2
	}
	return n
}

func lucenePlural(s []rune, n int) int {
	w := s[:n]
	if n > 6 {
		switch {
		case endsWith(w, "овци"):
			return n - 3
		case endsWith(w, "ове"):
			return n - 3
		case endsWith(w, "еве"):
			s[n-3] = 'й'
			return n - 2
		}
	}
	if n > 5 {
		switch {
		case endsWith(w, "ища"):
			return n - 3
		case endsWith(w, "та"):
			return n - 2
		case endsWith(w, "ци"):
			s[n-2] = 'к'
			return n - 1
		case endsWith(w, "зи"):
			s[n-2] = 'г'
			return n - 1
		case s[n-3] == 'е' && s[n-1] == 'и':
			s[n-3] = 'я'
			return n - 1
		}
	}
	if n > 4 {
		switch {
		case endsWith(w, "си"):
			s[n-2] = 'х'
			return n - 1
		case endsWith(w, "и"):
			return n - 1
		}
	}
	return n
}

func TestEndsWith(t *testing.T) {
	tests := []struct {
		s, suffix string
		want      bool
	}{
		{"болница", "ца", true},
		{"болница", "", true},
		{"та", "ата", false},
		{"ата", "та", true},
		{"сестра", "ри", false},
	}
	for _, tt := range tests {
		if got := endsWith([]rune(tt.s), tt.suffix); got != tt.want {
			t.Errorf("endsWith(%q, %q) = %v, want %v", tt.s, tt.suffix, got, tt.want)
		}
	}
}

// TestStemWordList runs the stemmer over the word list so that no word
// panics or grows, and no stem is empty.
func TestStemWordList(t *testing.T) {
	for _, w := range wordList(t) {
		got := stemString(w)
		if got == "" || len([]rune(got)) > len([]rune(w)) {
			t.Errorf("stem(%q) = %q, want a non-empty stem no longer than the word", w, got)
		}
	}
}
