package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/translit"
)

// firmKind is a kind of organisation: written before a quoted name
// (МЦ „Хигия“ ЕООД) or, with no prefix, a company name on its own
// (Тракия Софт ООД); forms are its legal forms ("" for none); size
// multiplies how many needs it posts.
type firmKind struct {
	prefix string
	forms  []string
	weight int
	size   int
}

// firmStyle is how a sector's organisations are named.
type firmStyle struct {
	kinds []firmKind
	cores []string
}

var companyForms = []string{"ООД", "ЕООД", "ЕООД", "АД"}

var firmStyles = map[string]firmStyle{
	SectorHealthcare: {
		kinds: []firmKind{
			{"МБАЛ", []string{"АД"}, 1, 4}, {"МЦ", []string{"ЕООД", "ООД"}, 3, 1}, {"ДКЦ", []string{"ЕООД", "АД"}, 1, 2},
			{"Медицински център", []string{"ООД", "ЕООД"}, 2, 1}, {"Медико-диагностична лаборатория", []string{"ЕООД"}, 1, 1},
			{"Аптека", []string{"ЕООД", "ООД"}, 2, 1}, {"Дентален център", []string{"ЕООД"}, 2, 1},
			{"Рехабилитационен център", []string{"ЕООД", "ООД"}, 1, 1},
		},
		cores: []string{"Св. Пантелеймон", "Св. Лука", "Асклепий", "Хигия", "Хипократ", "Авицена", "Здраве", "Вита",
			"Медика", "Панацея", "Тракия", "Сакар", "Родопи", "Марица", "Надежда", "Св. Екатерина", "Живот", "Мед Плюс"},
	},
	SectorCare: {
		kinds: []firmKind{
			{"Дом за стари хора", []string{""}, 2, 2}, {"Център за социална рехабилитация и интеграция", []string{""}, 1, 1},
			{"Център за настаняване от семеен тип", []string{""}, 1, 1}, {"Фондация", []string{""}, 1, 1},
			{"Домашни грижи", []string{"ЕООД", "ООД"}, 2, 1}, {"Хоспис", []string{"ЕООД"}, 1, 1},
			{"Сдружение", []string{""}, 1, 1},
		},
		cores: []string{"Грижа", "Топлина", "Надежда", "Милосърдие", "Св. Петка", "Добрина", "Слънчев дом", "Златна възраст",
			"Подкрепа", "Сърце", "Св. Николай", "Опора", "Заедно", "Усмивка"},
	},
	SectorMedTech: {
		kinds: []firmKind{{"", companyForms, 1, 1}},
		cores: []string{"Медтех Тракия", "Биомед Инженеринг", "Ортомед", "Медикал Девайсис", "Сакар Биотех", "ХаскМед Системс",
			"Имплант Про", "Кардио Инструментс", "Електромедика", "Протезна лаборатория Стъпка", "Диагностик Юг", "Лабтех"},
	},
	SectorWellness: {
		kinds: []firmKind{
			{"СПА хотел", []string{"ЕООД", "ООД", "АД"}, 2, 2}, {"Балнеоцентър", []string{"ЕООД"}, 1, 1},
			{"Фитнес център", []string{"ЕООД"}, 2, 1}, {"Салон за красота", []string{"ЕООД"}, 2, 1},
			{"Уелнес център", []string{"ООД"}, 1, 1}, {"Масажно студио", []string{"ЕООД"}, 1, 1},
		},
		cores: []string{"Минерал", "Термал", "Извор", "Аква Вита", "Хармония", "Релакс", "Лотос", "Енергия", "Аура", "Зорница", "Орфей", "Нимфа"},
	},
	SectorDigital: {
		kinds: []firmKind{{"", companyForms, 1, 1}},
		cores: []string{"Тракия Софт", "CodeRiver", "ByteForge", "Сакар Лабс", "DataMaritsa", "Nexa Software", "Пиксел Студио",
			"Хасково Диджитал", "CloudBridge", "Дигитални решения", "Аксиом ИТ", "Ринг Системс", "Кайрос Тех", "Orbit Apps", "Логика Софт"},
	},
	SectorGreen: {
		kinds: []firmKind{{"", companyForms, 1, 1}},
		cores: []string{"Соларис Енерджи", "Еко Сакар", "Зелена енергия", "Вятърни системи", "ЕкоТерм", "Рециклиране Марица",
			"БиоГаз Тракия", "Чиста вода", "Фотон Солар", "ГеоТерм Инсталации", "Енергийна ефективност Юг"},
	},
	SectorAgriculture: {
		kinds: []firmKind{
			{"Земеделска кооперация", []string{""}, 2, 2}, {"Агрофирма", []string{"ЕООД", "ООД"}, 2, 1},
			{"Ферма", []string{"ЕООД"}, 2, 1}, {"Винарска изба", []string{"ЕООД", "ООД", "АД"}, 1, 1},
			{"Оранжерии", []string{"ЕООД", "ООД"}, 1, 1},
		},
		cores: []string{"Тракия", "Марица", "Сакар", "Плодородие", "Златен клас", "Харман", "Родопи", "Бъдеще", "Зора", "Изгрев",
			"Свобода", "Дъбрава", "Тютюн Юг", "Лозя Сакар"},
	},
	SectorManufacturing: {
		kinds: []firmKind{{"", companyForms, 1, 1}},
		cores: []string{"Хасково Текстил", "Тракия Шевна", "Марица Метал", "Сакар Мебел", "Димитровград Машини", "Пласт Тракия",
			"Електроника Юг", "Хранителни продукти Родопи", "Хлебозавод Изгрев", "Шивашка фабрика Елена", "ТехноФорм",
			"Меткон", "Кабели Юг", "Млечни продукти Сакар", "Автокомпоненти Юг"},
	},
	SectorPublic: {
		kinds: []firmKind{
			{"Община", []string{""}, 2, 2}, {"Дирекция „Бюро по труда“", []string{""}, 1, 1},
			{"Професионална гимназия", []string{""}, 2, 1}, {"Средно училище", []string{""}, 2, 1},
			{"Детска градина", []string{""}, 2, 1}, {"Регионална библиотека", []string{""}, 1, 1},
			{"Читалище", []string{""}, 1, 1},
		},
		cores: []string{"Св. св. Кирил и Методий", "Христо Ботев", "Васил Левски", "Отец Паисий", "Иван Вазов", "Радост",
			"Просвета", "Джон Атанасов", "Алеко Константинов", "Никола Вапцаров"},
	},
	SectorTrade: {
		kinds: []firmKind{
			{"Магазин", []string{"ЕООД", "ООД"}, 3, 1}, {"Супермаркет", []string{"ЕООД", "ООД", "АД"}, 2, 3},
			{"Хранителни стоки", []string{"ЕООД"}, 2, 1}, {"Строителни материали", []string{"ЕООД", "ООД"}, 1, 1},
			{"Търговска къща", []string{"ООД", "АД"}, 1, 2},
		},
		cores: []string{"Европа", "Изгрев", "Център", "Слънце", "Дар", "Балкан", "Зора", "Стил", "Експрес", "Хоризонт",
			"Плюс", "Аврора", "Градина", "Добруджа", "Дунав", "Пирин", "Рила", "Родина", "Квартал", "Пазарче"},
	},
	SectorHospitality: {
		kinds: []firmKind{
			{"Хотел", []string{"ЕООД", "ООД", "АД"}, 3, 2}, {"Ресторант", []string{"ЕООД", "ООД"}, 3, 1},
			{"Семеен хотел", []string{"ЕООД"}, 1, 1}, {"Кафе-сладкарница", []string{"ЕООД"}, 1, 1},
			{"Туристическа агенция", []string{"ЕООД", "ООД"}, 1, 1}, {"Пицария", []string{"ЕООД"}, 1, 1},
		},
		cores: []string{"Балкан", "Черно море", "Рила", "Пирин", "Родопи", "Морска звезда", "Старият град", "Панорама",
			"Ривиера", "Централ", "Диана", "Бор", "Елица", "Хаджи Димитър", "Тримонциум", "Одесос", "Янтра", "Странджа"},
	},
	SectorTransport: {
		kinds: []firmKind{{"", companyForms, 1, 1}},
		cores: []string{"Транс Логистик", "Балкан Карго", "Експрес Транс", "Дунав Логистик", "Евро Спед", "Тир Транс",
			"Куриер Експрес", "Логистичен център Юг", "Карго Плюс", "Спедиция Север", "Автобусни превози Изток",
			"Магистрала", "Транзит БГ", "Меркурий Транс", "Атлас Логистик"},
	},
	SectorConstruction: {
		kinds: []firmKind{{"", companyForms, 1, 1}},
		cores: []string{"Строй Инвест", "Монолит", "Градеж", "Билд Про", "Пътстрой", "Хидрострой", "Енергомонтаж",
			"Кота Нула", "Арко Строй", "Мегастрой", "Основа", "Фасада Про", "Мост Инженеринг", "Покрив Майстор",
			"Бетон Комерс", "Инсталации Юг"},
	},
}

var streets = []string{
	"бул. „България“", "ул. „Славянска“", "ул. „Раковски“", "ул. „Васил Левски“", "бул. „Съединение“",
	"ул. „Отец Паисий“", "ул. „Ивайло“", "ул. „Христо Ботев“", "ул. „Цар Освободител“", "ул. „Гео Милев“",
	"ул. „Драгоман“", "ул. „Македония“", "ул. „Стефан Караджа“", "ул. „Александър Стамболийски“",
}

// sectorOptions are a scope's shares of sectors among employers and among
// job-seekers' backgrounds.
type sectorOptions struct{ employer, seeker []option[string] }

var (
	citySectors     = sectorOptionsOf(func(d sectorDef) shares { return shares{d.employer, d.seeker} })
	nationalSectors = sectorOptionsOf(func(d sectorDef) shares { return d.national })
)

func sectorOptionsOf(f func(sectorDef) shares) sectorOptions {
	var o sectorOptions
	for _, d := range sectorDefs {
		s := f(d)
		if s.employer > 0 {
			o.employer = append(o.employer, option[string]{d.name, s.employer})
		}
		if s.seeker > 0 {
			o.seeker = append(o.seeker, option[string]{d.name, s.seeker})
		}
	}
	return o
}

// firstSectors makes the smallest data set still show a hospital's,
// a care provider's and a digital firm's needs.
var firstSectors = []string{SectorHealthcare, SectorCare, SectorDigital}

// nextSector returns the i-th employer's sector: after firstSectors, the
// sector furthest below its share so far, so that every data set has the
// scope's shares of employers' sectors, not a random deviation from them (a
// few large employers already make the needs' shares vary).
func (g *generator) nextSector(i int) string {
	sector := ""
	if i < len(firstSectors) {
		sector = firstSectors[i]
	} else {
		total, best := 0, -1.0
		for _, o := range g.sectors.employer {
			total += o.weight
		}
		for _, o := range g.sectors.employer {
			deficit := float64(o.weight*(i+1))/float64(total) - float64(g.sectorCount[o.value])
			if deficit > best {
				sector, best = o.value, deficit
			}
		}
	}
	if g.sectorCount == nil {
		g.sectorCount = map[string]int{}
	}
	g.sectorCount[sector]++
	return sector
}

// employerState is what makes employers unique: names, websites and EIKs.
type employerState struct {
	names map[string]bool // without the legal form
	slugs map[string]bool
	eiks  map[string]bool
}

// employer draws the i-th employer and its account.
func (g *generator) employer(rng *rand.Rand, i int) (register.Employer, auth.User) {
	if g.firms.names == nil {
		g.firms = employerState{names: map[string]bool{}, slugs: map[string]bool{}, eiks: map[string]bool{}}
	}
	sector := g.nextSector(i)
	pl := places[g.geo.firms.pick(rng)]
	if i == 0 {
		pl = places[0] // the first is in Haskovo itself
	}
	style := firmStyles[sector]
	kind := choose(rng, kindOptions(style.kinds))
	if i == 0 {
		kind = style.kinds[0] // and a hospital
	}
	nm, slug, ok := g.firmName(rng, kind, style.cores, pl.name)
	for !ok { // the town's municipality or labour office exists already
		kind = choose(rng, kindOptions(style.kinds))
		nm, slug, ok = g.firmName(rng, kind, style.cores, pl.name)
	}
	lat, lon := g.geo.point(rng, pl)
	created := g.before(rng, 120, 900)
	e := register.Employer{
		ID: newID(rng), Name: nm, EIK: g.eik(rng, sector == SectorPublic || kind.forms[0] == ""),
		Sector: sector, Municipality: pl.name, Location: register.GeoPoint{Lat: lat, Lon: lon},
		Address:   fmt.Sprintf("%s %d, %s", streets[rng.IntN(len(streets))], between(rng, 1, 120), pl.name),
		CreatedAt: created,
	}
	if chance(rng, 0.6) {
		e.Website = "https://" + slug + ".example.bg"
	}
	switch r := rng.Float64(); {
	case r < 0.9:
		at := created.Add(time.Duration(between(rng, 1, 20*86400)) * time.Second)
		e.Verified, e.Verification = true, &register.Verification{Verified: true, At: at}
	case r < 0.95: // refused, awaiting papers
		at := created.Add(time.Duration(between(rng, 1, 20*86400)) * time.Second)
		e.Verification = &register.Verification{Note: "Липсва удостоверение за актуално състояние.", At: at}
	} // else: not yet reviewed
	e.UpdatedAt = created
	if e.Verification != nil {
		e.UpdatedAt = e.Verification.At
	}
	size := choose(rng, []option[int]{{1, 40}, {2, 30}, {3, 18}, {5, 8}, {8, 4}}) * kind.size
	g.sizes = append(g.sizes, size)

	person := newName(rng)
	u := auth.User{ID: newID(rng), Email: person.email(fmt.Sprintf("e%d", i+1)), Role: auth.RoleEmployer,
		Name: person.String(), Locale: "bg", PasswordHash: g.hash, EmployerIDs: []string{e.ID}, CreatedAt: created}
	e.Members = []string{u.ID}
	return e, u
}

func kindOptions(kinds []firmKind) []option[firmKind] {
	out := make([]option[firmKind], len(kinds))
	for i, k := range kinds {
		out[i] = option[firmKind]{k, k.weight}
	}
	return out
}

// firmName returns a name not yet taken, and a slug for its website. A
// taken name gets the municipality, then a number: МЦ „Хигия – Харманли“,
// „Хигия 3“. A municipality and its labour office exist once per town:
// when the town has one, ok is false.
func (g *generator) firmName(rng *rand.Rand, kind firmKind, cores []string, town string) (name, slug string, ok bool) {
	core := cores[rng.IntN(len(cores))]
	form := kind.forms[rng.IntN(len(kind.forms))]
	townOffice := kind.prefix == "Община" || kind.prefix == "Дирекция „Бюро по труда“"
	if townOffice {
		core = town // named after the municipality
	}
	for n := 1; ; n++ {
		c := core
		switch {
		case n > 1 && townOffice:
			return "", "", false
		case n == 2:
			c = core + " – " + town
		case n > 2:
			c = fmt.Sprintf("%s %d", core, n)
		}
		name := c
		switch {
		case kind.prefix == "Община":
			name = "Община " + c
		case kind.prefix == "Дирекция „Бюро по труда“":
			name = kind.prefix + " – " + c
		case kind.prefix != "":
			name = kind.prefix + " „" + c + "“"
		}
		if g.firms.names[name] { // with any legal form
			continue
		}
		g.firms.names[name] = true
		slug = g.slug(c)
		if form != "" {
			name += " " + form
		}
		return name, slug, true
	}
}

// slug returns a website host label for a name, unique among the
// employers: Хигия → higiya, then higiya-2.
func (g *generator) slug(name string) string {
	base := slugOf(name)
	s := base
	for n := 2; g.firms.slugs[s]; n++ {
		s = fmt.Sprintf("%s-%d", base, n)
	}
	g.firms.slugs[s] = true
	return s
}

// slugOf turns a name into a host name label: Latin letters and digits
// joined by hyphens.
func slugOf(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(translit.ToLatin(s)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// eik returns a new valid 9-digit UIC: companies' numbers start with 1 or
// 2, those of public bodies and associations (BULSTAT) with 0.
func (g *generator) eik(rng *rand.Rand, public bool) string {
	for {
		d := make([]int, 9)
		d[0] = 1 + rng.IntN(2)
		if public {
			d[0] = 0
		}
		for i := 1; i < 8; i++ {
			d[i] = rng.IntN(10)
		}
		d[8] = eikCheckDigit(d[:8])
		var b strings.Builder
		for _, x := range d {
			b.WriteByte(byte('0' + x))
		}
		if s := b.String(); !g.firms.eiks[s] {
			g.firms.eiks[s] = true
			return s
		}
	}
}

// eikCheckDigit is the Registry Agency's check digit of the first eight
// digits: the weighted sum (weights 1..8) modulo 11; if that is 10, the sum
// with weights 3..10 modulo 11; if that is 10 too, 0.
func eikCheckDigit(d []int) int {
	sum := func(w0 int) int {
		s := 0
		for i, x := range d {
			s += x * (w0 + i)
		}
		return s % 11
	}
	if r := sum(1); r != 10 {
		return r
	}
	if r := sum(3); r != 10 {
		return r
	}
	return 0
}

// indexEmployers prepares the draw of employers for needs: in proportion
// to their size, and among healthcare and care for the Care Career Path.
func (g *generator) indexEmployers(es []register.Employer) {
	total, care := 0, 0
	for i, e := range es {
		total += g.sizes[i]
		g.employerCum = append(g.employerCum, total)
		if e.Sector == SectorHealthcare || e.Sector == SectorCare {
			care += g.sizes[i]
			g.careIdx = append(g.careIdx, i)
			g.careCum = append(g.careCum, care)
		}
	}
}
