package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/translit"
)

// Common first names and surnames in Bulgaria, and names of the Turkish
// community, which is large in the south-east. Surnames are in their male
// form; femaleSurname derives the female one.
var (
	maleNames = []string{
		"Георги", "Александър", "Мартин", "Николай", "Иван", "Димитър", "Калоян", "Виктор", "Кристиян", "Даниел",
		"Борис", "Тодор", "Петър", "Стефан", "Радослав", "Йордан", "Христо", "Симеон", "Теодор", "Преслав",
		"Самуил", "Валентин", "Емил", "Ивайло", "Атанас", "Ангел", "Васил", "Михаил", "Стоян", "Пламен",
	}
	femaleNames = []string{
		"Мария", "Виктория", "Никол", "Александра", "Габриела", "Йоана", "Теодора", "Елена", "Ивета", "Симона",
		"Десислава", "Кристина", "Радостина", "Цветелина", "Гергана", "Петя", "Силвия", "Моника", "Даниела",
		"Станислава", "Ралица", "Валерия", "Милена", "Катерина", "Ивана", "Яна", "Божидара", "Деница", "Иванка", "Росица",
	}
	surnames = []string{
		"Иванов", "Георгиев", "Димитров", "Петров", "Николов", "Христов", "Стоянов", "Тодоров", "Илиев", "Василев",
		"Атанасов", "Петков", "Ангелов", "Колев", "Йорданов", "Маринов", "Стефанов", "Попов", "Михайлов", "Кръстев",
		"Костов", "Димов", "Младенов", "Желязков", "Вълчев", "Русев", "Делчев", "Пеев", "Славов", "Гочев",
		"Танев", "Митев", "Енчев", "Павлов", "Кирилов", "Ковачев", "Раковски", "Стамболийски",
	}
	turkishMaleNames   = []string{"Мехмед", "Ахмед", "Али", "Хасан", "Ибрахим", "Мустафа", "Юсеин", "Исмаил", "Халил", "Ерхан"}
	turkishFemaleNames = []string{"Айше", "Фатме", "Емине", "Хатидже", "Зейнеб", "Мелек", "Гюлтен", "Севгюл", "Айлин", "Сезен"}
	turkishSurnames    = []string{"Мехмедов", "Ахмедов", "Хасанов", "Юсеинов", "Алиев", "Ибрахимов", "Мустафов", "Исмаилов", "Халилов", "Османов"}
)

// turkishShare is the share of people with names of the Turkish community.
const turkishShare = 0.15

// name is a person's first name and surname.
type name struct {
	first, last string
	female      bool
	turkish     bool
}

func (n name) String() string { return n.first + " " + n.last }

func newName(rng *rand.Rand) name {
	n := name{female: rng.IntN(2) == 0, turkish: chance(rng, turkishShare)}
	firsts, lasts := maleNames, surnames
	switch {
	case n.turkish && n.female:
		firsts, lasts = turkishFemaleNames, turkishSurnames
	case n.turkish:
		firsts, lasts = turkishMaleNames, turkishSurnames
	case n.female:
		firsts = femaleNames
	}
	n.first, n.last = firsts[rng.IntN(len(firsts))], lasts[rng.IntN(len(lasts))]
	if n.female {
		n.last = femaleSurname(n.last)
	}
	return n
}

// femaleSurname is the female form of a Bulgarian surname: Иванов →
// Иванова, Раковски → Раковска.
func femaleSurname(male string) string {
	if s, ok := strings.CutSuffix(male, "ски"); ok {
		return s + "ска"
	}
	return male + "а"
}

// email is the person's demo address: first.last.tag@example.bg in the
// official Latin transliteration, tag making it unique.
func (n name) email(tag string) string {
	return latinLower(n.first) + "." + latinLower(n.last) + "." + tag + "@example.bg"
}

// latinNames holds every name's lower-case transliteration: an address
// is made for each of half a million people.
var latinNames = func() map[string]string {
	m := map[string]string{}
	for _, list := range [][]string{maleNames, femaleNames, surnames, turkishMaleNames, turkishFemaleNames, turkishSurnames} {
		for _, n := range list {
			m[n] = strings.ToLower(translit.ToLatin(n))
			f := femaleSurname(n)
			m[f] = strings.ToLower(translit.ToLatin(f))
		}
	}
	return m
}()

func latinLower(name string) string {
	if l, ok := latinNames[name]; ok {
		return l
	}
	return strings.ToLower(translit.ToLatin(name))
}

// phone returns a Bulgarian mobile number: +359 87, 88 or 89 and seven
// digits.
func phone(rng *rand.Rand) string {
	prefix := []string{"87", "88", "89"}[rng.IntN(3)]
	n := strconv.Itoa(rng.IntN(10_000_000))
	return "+359" + prefix + "0000000"[len(n):] + n
}
