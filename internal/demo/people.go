package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/translit"
)

// Ages: four in five are 16 to 29, the programme's target; the rest are
// older people changing career or returning to work.
var ageBands = []option[[2]int]{{[2]int{16, 17}, 7}, {[2]int{18, 22}, 33}, {[2]int{23, 29}, 40}, {[2]int{30, 39}, 12}, {[2]int{40, 60}, 8}}

// person draws the n-th job-seeker and their account.
func (g *generator) person(rng *rand.Rand, n int) (profile.Profile, auth.User) {
	nm := newName(rng)
	band := choose(rng, ageBands)
	age := between(rng, band[0], band[1])
	sector := choose(rng, g.sectors.seeker)
	o := g.occupation(rng, sector, 0)
	pl := places[g.geo.seekers.pick(rng)]
	lat, lon := g.geo.point(rng, pl)
	created := g.before(rng, 0, 365)
	from := between(rng, 0, 90)
	p := profile.Profile{
		ID: newID(rng), DisplayName: nm.String(), BirthYear: g.today.Year() - age,
		Municipality: pl.name, Lat: lat, Lon: lon,
		MaxTravelKm:    travelKm(rng),
		WorkModes:      workModes(rng, sector),
		Skills:         g.personSkills(rng, o, age),
		Languages:      personLanguages(rng, nm, age),
		EducationLevel: education(rng, age),
		Interests:      interests(rng, sector, age),
		AvailableFrom:  g.day(from),
		Hours:          hours(rng, age),
		Consent:        profile.Consent{Matching: chance(rng, 0.9), UpdatedAt: created},
		CreatedAt:      created,
	}
	p.BirthDate = birthDate(p.ID, p.BirthYear)
	if chance(rng, 0.85) {
		p.Phone = phone(rng)
	}
	if chance(rng, 0.25) {
		p.AvailableTo = g.day(from + between(rng, 90, 365))
	}
	p.Summary = g.summary(rng, p, o, nm, age)
	p.UpdatedAt = g.after(rng, created)
	locale := "bg"
	if chance(rng, 0.1) {
		locale = "en"
	}
	u := auth.User{ID: p.ID, Email: nm.email(strconv.Itoa(n)), Role: auth.RoleJobseeker, Name: p.DisplayName,
		Locale: locale, PasswordHash: g.hash, CreatedAt: created}
	return p, u
}

// personSkills: a noisy subset of an occupation's skills, mostly essential
// ones, more and at higher levels with age; a quarter also hold a few
// skills of another occupation (a side job, a change of career).
func (g *generator) personSkills(rng *rand.Rand, o *occ, age int) []profile.Skill {
	var count int
	var levels []option[int]
	switch {
	case age < 20:
		count, levels = between(rng, minHeld, 10), []option[int]{{1, 50}, {2, 40}, {3, 10}}
	case age < 30:
		count, levels = between(rng, 6, 16), []option[int]{{1, 20}, {2, 40}, {3, 30}, {4, 10}}
	default:
		count, levels = between(rng, 8, maxHeld), []option[int]{{1, 10}, {2, 30}, {3, 40}, {4, 20}}
	}
	count = min(count, len(o.essential)+len(o.optional))
	nOpt := min(len(o.optional), count/4)
	nEss := min(len(o.essential), count-nOpt)
	nOpt = min(len(o.optional), count-nEss)
	held := g.sample(g.held[:0], rng, o.essential, nEss)
	held = g.sample(held, rng, o.optional, nOpt)
	if chance(rng, 0.25) && len(held) < maxHeld {
		other := g.occupation(rng, choose(rng, g.sectors.seeker), 0)
		g.extra = g.sample(g.extra[:0], rng, other.essential, between(rng, 1, 3))
		for _, s := range g.extra {
			if len(held) < maxHeld && !slices.Contains(held, s) {
				held = append(held, s)
			}
		}
	}
	g.held = held
	out := make([]profile.Skill, len(held))
	for i, s := range held {
		out[i] = profile.Skill{ID: s.id, Level: choose(rng, levels), Evidence: profile.EvidenceDeclared}
	}
	return out
}

// personLanguages: Bulgarian for everyone (Turkish too for the Turkish
// community), English for most young people, Russian for older ones, some
// German and Greek.
func personLanguages(rng *rand.Rand, nm name, age int) []profile.Language {
	var out []profile.Language
	if nm.turkish {
		out = append(out, profile.Language{Code: "bg", Level: choose(rng, []option[string]{{"B2", 10}, {"C1", 40}, {"C2", 50}})},
			profile.Language{Code: "tr", Level: "C2"})
	} else {
		out = append(out, profile.Language{Code: "bg", Level: "C2"})
	}
	young := age < 30
	pEnglish, pRussian := 0.35, 0.25
	if young {
		pEnglish, pRussian = 0.65, 0.04
	}
	if chance(rng, pEnglish) {
		l := choose(rng, []option[string]{{"A2", 25}, {"B1", 35}, {"B2", 30}, {"C1", 10}})
		if !young {
			l = choose(rng, []option[string]{{"A1", 20}, {"A2", 35}, {"B1", 30}, {"B2", 15}})
		}
		out = append(out, profile.Language{Code: "en", Level: l})
	}
	if chance(rng, pRussian) {
		out = append(out, profile.Language{Code: "ru", Level: choose(rng, []option[string]{{"A2", 40}, {"B1", 40}, {"B2", 20}})})
	}
	if chance(rng, 0.07) {
		out = append(out, profile.Language{Code: "de", Level: choose(rng, []option[string]{{"A1", 30}, {"A2", 35}, {"B1", 25}, {"B2", 10}})})
	}
	if chance(rng, 0.02) {
		out = append(out, profile.Language{Code: "el", Level: choose(rng, []option[string]{{"A1", 40}, {"A2", 40}, {"B1", 20}})})
	}
	if !nm.turkish && chance(rng, 0.02) {
		out = append(out, profile.Language{Code: "tr", Level: "A2"})
	}
	return out
}

// education is the highest ISCED level completed, by age.
func education(rng *rand.Rand, age int) int {
	switch {
	case age < 19:
		return choose(rng, []option[int]{{2, 85}, {3, 15}})
	case age < 23:
		return choose(rng, []option[int]{{1, 3}, {2, 15}, {3, 67}, {4, 10}, {6, 5}})
	case age < 30:
		return choose(rng, []option[int]{{1, 3}, {2, 10}, {3, 38}, {4, 10}, {6, 27}, {7, 12}})
	}
	return choose(rng, []option[int]{{1, 3}, {2, 12}, {3, 45}, {4, 10}, {6, 18}, {7, 12}})
}

// interests: most people take any kind of need; some ask for a few, and
// some name their sector.
func interests(rng *rand.Rand, sector string, age int) profile.Interests {
	var in profile.Interests
	if chance(rng, 0.45) {
		care := sector == SectorCare || sector == SectorHealthcare
		opts := []option[[]string]{{[]string{register.KindJob}, 40}}
		if age < 25 {
			opts = append(opts, option[[]string]{[]string{register.KindInternship}, 20},
				option[[]string]{[]string{register.KindJob, register.KindInternship}, 25})
		}
		if age < 20 {
			opts = append(opts, option[[]string]{[]string{register.KindApprenticeship}, 15})
		}
		if care {
			opts = append(opts, option[[]string]{[]string{register.KindCarePathway}, 15},
				option[[]string]{[]string{register.KindJob, register.KindCarePathway}, 20})
		}
		in.Kinds = slices.Clone(choose(rng, opts))
	}
	if sector != sectorSupport && chance(rng, 0.3) {
		in.Sectors = []string{sector}
	}
	return in
}

// travelKm: how far a person will commute, 5 to 80 km, most 20 to 30
// (Haskovo to Dimitrovgrad is 15 km, to Harmanli 30).
func travelKm(rng *rand.Rand) int {
	switch r := rng.Float64(); {
	case r < 0.4:
		return between(rng, 20, 30)
	case r < 0.6:
		return between(rng, 5, 19)
	case r < 0.85:
		return between(rng, 31, 50)
	}
	return between(rng, 51, 80)
}

func workModes(rng *rand.Rand, sector string) []string {
	if sector == SectorDigital {
		return slices.Clone(choose(rng, []option[[]string]{
			{[]string{"onsite", "hybrid", "remote"}, 35}, {[]string{"hybrid", "remote"}, 20}, {[]string{"remote"}, 10},
			{[]string{"onsite", "hybrid"}, 20}, {[]string{"onsite"}, 15},
		}))
	}
	return slices.Clone(choose(rng, []option[[]string]{
		{[]string{"onsite"}, 70}, {[]string{"onsite", "hybrid"}, 20}, {[]string{"onsite", "hybrid", "remote"}, 10},
	}))
}

func hours(rng *rand.Rand, age int) string {
	if age < 23 { // many still study
		return choose(rng, []option[string]{{"any", 45}, {"part_time", 30}, {"full_time", 25}})
	}
	return choose(rng, []option[string]{{"any", 50}, {"full_time", 40}, {"part_time", 10}})
}

// summary: a few plain sentences in Bulgarian (English for some), naming
// the work wanted and some of the person's skills. It is written into
// g.buf, so that each summary is one allocation of its own size.
func (g *generator) summary(rng *rand.Rand, p profile.Profile, o *occ, nm name, age int) string {
	bg := o.bg != "" && chance(rng, 0.85)
	var four [4]string
	skills := four[:0]
	for _, s := range g.held { // p.Skills
		if l := s.label(bg); l != "" && len(skills) < 4 {
			skills = append(skills, l)
		}
	}
	b := text(g.buf[:0])
	defer func() { g.buf = b }()
	if bg {
		if age < 23 {
			b.add("Търся стаж или първа работа като ", o.bgShort, ".")
		} else {
			b.add("Търся работа като ", o.bgShort, " в района на ", p.Municipality, ".")
		}
		if len(skills) > 0 {
			b.add(" Умения: ")
			b.join(skills, ", ")
			b.add(".")
		}
		ready := " Готов съм да пътувам до работа."
		if nm.female {
			ready = " Готова съм да пътувам до работа."
		}
		b.add([...]string{" Мога да започна веднага.", ready, " Работя добре в екип.", ""}[rng.IntN(4)])
		return string(b)
	}
	if age < 23 {
		b.add("Looking for an internship or a first job as ", o.en, ".")
	} else {
		b.add("Looking for work as ", o.en, " around ", translit.ToLatin(p.Municipality), ".")
	}
	if len(skills) > 0 {
		b.add(" Skills: ")
		b.join(skills, "; ")
		b.add(".")
	}
	b.add([...]string{" I can start right away.", " Happy to commute.", " I work well in a team.", ""}[rng.IntN(4)])
	return string(b)
}

// text is a string being written.
type text []byte

func (t *text) add(parts ...string) {
	for _, p := range parts {
		*t = append(*t, p...)
	}
}

func (t *text) join(parts []string, sep string) {
	for i, p := range parts {
		if i > 0 {
			t.add(sep)
		}
		t.add(p)
	}
}

// birthDate gives a person born in year a month and day, from their id
// rather than the random stream, so that the rest of the data set stays as
// it was before birth dates. One in three is known to the month only, as
// people may give it.
func birthDate(id string, year int) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	v := h.Sum32()
	month, day := int(v%12)+1, int(v/12%28)+1 // day 1..28 exists in every month
	if v/(12*28)%3 == 0 {
		return fmt.Sprintf("%04d-%02d", year, month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, month, day)
}
