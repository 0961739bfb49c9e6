package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/translit"
)

// Shares of need kinds and statuses, in percent.
var (
	needKinds = []option[string]{
		{register.KindJob, 60}, {register.KindInternship, 15}, {register.KindApprenticeship, 8},
		{register.KindCarePathway, 7}, {register.KindForecast, 10},
	}
	needStatuses = []option[string]{
		{register.StatusOpen, 85}, {register.StatusDraft, 5}, {register.StatusFilled, 5}, {register.StatusClosed, 5},
	}
	positionCounts = []option[int]{{1, 55}, {2, 20}, {3, 12}, {4, 7}, {5, 6}}
)

// bgShare is the share of needs written in Bulgarian; the rest are in
// English, as MedTech and digital firms often write them.
const bgShare = 2.0 / 3

// supportShare is the share of an employer's needs that are support work
// (cleaning, kitchens, driving, the office) rather than its sector's.
const supportShare = 0.15

// need draws one need of a random employer, weighted by size.
func (g *generator) need(rng *rand.Rand, employers []register.Employer) register.Need {
	kind := choose(rng, needKinds)
	var e register.Employer
	var o *occ
	if kind == register.KindCarePathway && len(g.careIdx) > 0 && !g.pools.carePath.empty() {
		e = employers[g.careIdx[pickCum(rng, g.careCum)]]
		o = g.pools.carePath.pick(rng)
	} else {
		if kind == register.KindCarePathway {
			kind = register.KindJob // no care employer or care occupation: cannot happen with the shipped taxonomy
		}
		e = employers[pickCum(rng, g.employerCum)]
		o = g.occupation(rng, e.Sector, supportShare)
	}
	n := register.Need{
		ID: newID(rng), EmployerID: e.ID, Kind: kind, Occupation: o.ID, Sector: e.Sector,
		Status: choose(rng, needStatuses), Positions: choose(rng, positionCounts),
		Location:  register.Location{Municipality: e.Municipality, Lat: e.Location.Lat, Lon: e.Location.Lon},
		WorkMode:  workMode(rng, e.Sector),
		Hours:     "full_time",
		CreatedBy: e.Members[0],
	}
	if chance(rng, 0.15) { // a branch elsewhere in the province
		if pl, ok := g.geo.branch(rng, e.Municipality); ok {
			lat, lon := g.geo.point(rng, pl)
			n.Location = register.Location{Municipality: pl.name, Lat: lat, Lon: lon}
		}
	}
	partTime := 0.12
	switch e.Sector {
	case SectorWellness, SectorHospitality:
		partTime = 0.3
	case SectorTrade:
		partTime = 0.2
	}
	if chance(rng, partTime) {
		n.Hours = "part_time"
	}
	n.Skills = g.needSkills(rng, o, kind)
	n.Languages = needLanguages(rng, e.Sector, n.Location.Municipality)
	n.EducationLevel = needEducation(rng, o.ISCO, kind)
	g.needDates(rng, &n)
	n.NightWork, n.Hazardous = conditions(rng, e.Sector, o.ISCO, kind)
	n.LightWork = lightWork(n, e.Sector)
	n.CreatedAt = g.before(rng, 0, 120)
	n.UpdatedAt = g.after(rng, n.CreatedAt)
	bg := o.bg != "" && chance(rng, bgShare)
	n.Title = needTitle(o, kind, bg)
	n.Description = g.needDescription(n, e.Name, o, bg)
	return n
}

// pick draws an occupation by weight.
func (p pool) pick(rng *rand.Rand) *occ { return p.occs[pickCum(rng, p.cum)] }

// occupation draws an occupation of the sector, or with probability
// support one of the support work every employer has.
func (g *generator) occupation(rng *rand.Rand, sector string, support float64) *occ {
	p := g.pools.bySector[sector]
	if sp := g.pools.bySector[sectorSupport]; !sp.empty() && (p.empty() || chance(rng, support)) {
		p = sp
	}
	if p.empty() { // a taxonomy without the sector's occupations
		for _, d := range sectorDefs {
			if q := g.pools.bySector[d.name]; !q.empty() {
				p = q
				break
			}
		}
	}
	return p.pick(rng)
}

// Skill levels wanted, by kind: entry kinds ask for less.
var (
	levelsExperienced = []option[int]{{1, 10}, {2, 40}, {3, 38}, {4, 12}}
	levelsEntry       = []option[int]{{1, 35}, {2, 50}, {3, 15}}
)

// preferredCounts: how many optional skills a need prefers.
var preferredCounts = []option[int]{{0, 25}, {1, 25}, {2, 25}, {3, 15}, {4, 10}}

// needSkills asks for 4–12 of the occupation's essential skills (required)
// and up to 4 of its optional ones (preferred).
func (g *generator) needSkills(rng *rand.Rand, o *occ, kind string) []register.SkillRequirement {
	levels := levelsExperienced
	switch kind {
	case register.KindInternship, register.KindApprenticeship, register.KindCarePathway:
		levels = levelsEntry
	}
	held := g.sample(g.held[:0], rng, o.essential, between(rng, minRequired, min(maxRequired, len(o.essential))))
	required := len(held)
	held = g.sample(held, rng, o.optional, choose(rng, preferredCounts))
	g.held = held
	out := make([]register.SkillRequirement, 0, len(held))
	for _, s := range held[:required] {
		out = append(out, register.SkillRequirement{ID: s.id, Level: choose(rng, levels), Required: true})
	}
	for _, s := range held[required:] {
		out = append(out, register.SkillRequirement{ID: s.id, Level: between(rng, 1, 3)})
	}
	return out
}

func workMode(rng *rand.Rand, sector string) string {
	switch sector {
	case SectorDigital:
		return choose(rng, []option[string]{{"onsite", 35}, {"hybrid", 40}, {"remote", 25}})
	case SectorPublic, SectorMedTech:
		return choose(rng, []option[string]{{"onsite", 90}, {"hybrid", 10}})
	}
	return "onsite"
}

// needLanguages: Bulgarian for most; English for digital and some health
// and wellness work; Greek near the border; a little Turkish, German and
// Russian.
func needLanguages(rng *rand.Rand, sector, town string) []register.Language {
	var out []register.Language
	if chance(rng, 0.9) {
		out = append(out, register.Language{Code: "bg", Level: choose(rng, []option[string]{{"B1", 30}, {"B2", 50}, {"C1", 20}})})
	}
	en := 0.08
	switch sector {
	case SectorDigital:
		en = 0.7
	case SectorMedTech:
		en = 0.4
	case SectorWellness, SectorHospitality:
		en = 0.3
	case SectorHealthcare:
		en = 0.15
	}
	if chance(rng, en) {
		level := choose(rng, []option[string]{{"A2", 30}, {"B1", 40}, {"B2", 30}})
		if sector == SectorDigital {
			level = choose(rng, []option[string]{{"B1", 40}, {"B2", 50}, {"C1", 10}})
		}
		out = append(out, register.Language{Code: "en", Level: level})
	}
	greek := 0.01
	if nearGreece[town] {
		greek = 0.1
	}
	for _, l := range []struct {
		code string
		p    float64
	}{{"el", greek}, {"tr", 0.03}, {"de", 0.02}, {"ru", 0.01}} {
		if chance(rng, l.p) {
			out = append(out, register.Language{Code: l.code, Level: "B1"})
		}
	}
	return out
}

// nearGreece are the towns near the Greek border, where some employers
// ask for Greek.
var nearGreece = map[string]bool{
	"Свиленград": true, "Ивайловград": true, "Любимец": true, // Haskovo province
	"Петрич": true, "Сандански": true, "Гоце Делчев": true, "Кирково": true, "Златоград": true,
}

// needEducation is the ISCED level a need asks for, from the occupation's
// ISCO skill level, or nil (a fifth say nothing).
func needEducation(rng *rand.Rand, isco, kind string) *int {
	if chance(rng, 0.2) || (kind == register.KindForecast && chance(rng, 0.4)) {
		return nil
	}
	var level int
	switch {
	case hasPrefix(isco, []string{"221", "2261", "2262"}): // doctors, dentists, pharmacists
		level = 7
	case isco[0] == '1' || isco[0] == '2':
		level = choose(rng, []option[int]{{6, 70}, {7, 30}})
	case isco[0] == '3':
		level = choose(rng, []option[int]{{4, 50}, {3, 40}, {6, 10}})
	case isco[0] == '9':
		level = choose(rng, []option[int]{{2, 60}, {1, 40}})
	case isco[0] == '4' || isco[0] == '5':
		level = choose(rng, []option[int]{{3, 80}, {2, 20}})
	default:
		level = choose(rng, []option[int]{{3, 55}, {2, 45}})
	}
	switch kind {
	case register.KindInternship: // students: secondary school done
		level = min(level, 3)
	case register.KindApprenticeship, register.KindCarePathway: // pupils of dual education, trainees
		level = min(level, 2)
	}
	return &level
}

// needDates: the start one to six months ahead (a forecast three to six),
// an end for most internships and apprenticeships and some jobs, and an
// apply-by date before the start for half.
func (g *generator) needDates(rng *rand.Rand, n *register.Need) {
	start := between(rng, 30, 180)
	if n.Kind == register.KindForecast {
		start = between(rng, 90, 180)
	}
	n.StartDate = g.day(start)
	var p float64
	var lo, hi int
	switch n.Kind {
	case register.KindInternship:
		p, lo, hi = 0.8, 30, 180
	case register.KindApprenticeship:
		p, lo, hi = 0.9, 270, 365
	case register.KindCarePathway:
		p, lo, hi = 0.7, 120, 240
	case register.KindJob:
		p, lo, hi = 0.1, 180, 365
	}
	if chance(rng, p) {
		n.EndDate = g.day(start + between(rng, lo, hi))
	}
	if n.Kind != register.KindForecast && chance(rng, 0.5) {
		n.ApplyBy = g.day(between(rng, 7, start-1))
	}
}

// conditions: night shifts in hospitals, care homes, factories, hotels and
// transport; hazardous work in factories, on building sites, on farms, on
// electrical installations and in radiography. Minors' placements
// (internships, apprenticeships) have no night work.
func conditions(rng *rand.Rand, sector, isco, kind string) (night, hazardous bool) {
	minorsToo := kind == register.KindInternship || kind == register.KindApprenticeship
	switch {
	case sector == SectorHealthcare && hasPrefix(isco, []string{"2221", "2222", "3221", "3222", "5321", "2211", "2212", "3258", "3256"}):
		night = chance(rng, 0.45)
	case sector == SectorCare && hasPrefix(isco, []string{"5322", "3412", "5321"}):
		night = chance(rng, 0.25)
	case sector == SectorManufacturing:
		night = chance(rng, 0.15)
	case sector == SectorHospitality || sector == SectorTransport:
		night = chance(rng, 0.2)
	}
	switch {
	case sector == SectorManufacturing && hasPrefix(isco, []string{"7", "8"}):
		hazardous = chance(rng, 0.25)
	case sector == SectorConstruction && hasPrefix(isco, []string{"7", "8", "9"}):
		hazardous = chance(rng, 0.3)
	case sector == SectorAgriculture:
		hazardous = chance(rng, 0.1)
	case hasPrefix(isco, []string{"7411", "7412", "7126", "7124"}):
		hazardous = chance(rng, 0.2)
	case isco == "3211":
		hazardous = chance(rng, 0.3)
	}
	return night && !minorsToo, hazardous
}

// Title prefixes by kind; a job's title is the occupation alone.
var titlePrefix = map[string][2]string{ // bg, en
	register.KindInternship:     {"Стаж: ", "Internship: "},
	register.KindApprenticeship: {"Дуално обучение: ", "Apprenticeship: "},
	register.KindCarePathway:    {"Кариерен път в грижите: ", "Care Career Path: "},
	register.KindForecast:       {"Прогноза: ", "Expected demand: "},
}

func needTitle(o *occ, kind string, bg bool) string {
	if bg {
		t := o.bgShort
		if p := titlePrefix[kind][0]; p != "" {
			return p + t
		}
		return capitalize(t)
	}
	if p := titlePrefix[kind][1]; p != "" {
		return p + o.en
	}
	return capitalize(o.en)
}

// needDescription writes a few plain sentences: who offers what where, the
// skills asked for by their labels, the hours and conditions.
func (g *generator) needDescription(n register.Need, employer string, o *occ, bg bool) string {
	var required, preferred []string
	for i, s := range n.Skills { // g.held[i] is s
		switch {
		case s.Required && len(required) < 6:
			if label := g.held[i].label(bg); label != "" {
				required = append(required, label)
			}
		case !s.Required && len(preferred) < 3:
			if label := g.held[i].label(bg); label != "" {
				preferred = append(preferred, label)
			}
		}
	}
	ph, what, town := &phrasesEN, o.en, translit.ToLatin(n.Location.Municipality)
	if bg {
		ph, what, town = &phrasesBG, o.bgShort, inTown(n.Location.Municipality)
	}
	var b strings.Builder
	opening, ok := ph.opening[n.Kind]
	if !ok {
		opening = ph.opening[register.KindJob]
	}
	fill(&b, opening, map3{"{employer}", employer, "{what}", what, "{town}", town})
	if len(required) > 0 {
		fmt.Fprintf(&b, ph.required, strings.Join(required, ph.sep))
	}
	if len(preferred) > 0 {
		fmt.Fprintf(&b, ph.preferred, strings.Join(preferred, ph.sep))
	}
	if n.Hours == "part_time" {
		b.WriteString(ph.partTime)
	} else {
		b.WriteString(ph.fullTime)
	}
	if n.NightWork {
		b.WriteString(ph.night)
	}
	if n.Hazardous {
		b.WriteString(ph.hazardous)
	}
	return b.String()
}

// map3 is three placeholders and their values.
type map3 [6]string

// fill writes template with its placeholders replaced, as
// strings.NewReplacer(m...).Replace would, without building a replacer
// for each need.
func fill(b *strings.Builder, template string, m map3) {
	for len(template) > 0 {
		i := strings.IndexByte(template, '{')
		if i < 0 {
			b.WriteString(template)
			return
		}
		b.WriteString(template[:i])
		template = template[i:]
		replaced := false
		for k := 0; k < len(m); k += 2 {
			if rest, ok := strings.CutPrefix(template, m[k]); ok {
				b.WriteString(m[k+1])
				template, replaced = rest, true
				break
			}
		}
		if !replaced {
			b.WriteByte('{')
			template = template[1:]
		}
	}
}

// phrases are the sentences of a need's description in one language.
type phrases struct {
	opening                  map[string]string // by kind; {employer}, {what}, {town}
	required, preferred, sep string
	partTime, fullTime       string
	night, hazardous         string
}

var phrasesBG = phrases{
	opening: map[string]string{
		register.KindInternship:     "{employer} предлага платен стаж по професията „{what}“ {town}.",
		register.KindApprenticeship: "{employer} приема ученици в дуална форма на обучение по професията „{what}“ {town}.",
		register.KindCarePathway:    "Кариерен път в грижите с {employer}: обучение, практика и първа работа ({what}) {town}.",
		register.KindForecast:       "{employer} очаква да търси {what} {town} през следващите месеци.",
		register.KindJob:            "{employer} търси {what} {town}.",
	},
	required: " Необходими умения: %s.", preferred: " Предимство: %s.", sep: ", ",
	partTime: " Непълен работен ден.", fullTime: " Пълен работен ден.",
	night:     " Работа на смени, включително нощни.",
	hazardous: " Работа при повишен риск; осигурено е защитно облекло и обучение.",
}

var phrasesEN = phrases{
	opening: map[string]string{
		register.KindInternship:     "{employer} offers a paid internship as {what} in {town}.",
		register.KindApprenticeship: "{employer} takes apprentices in dual training as {what} in {town}.",
		register.KindCarePathway:    "Care Career Path with {employer}: training, placement and a first job as {what} in {town}.",
		register.KindForecast:       "{employer} expects to hire: {what}, in {town}, in the coming months.",
		register.KindJob:            "{employer} is hiring: {what}, in {town}.",
	},
	required: " Required skills: %s.", preferred: " Nice to have: %s.", sep: "; ",
	partTime: " Part-time.", fullTime: " Full-time.",
	night:     " Shift work, including nights.",
	hazardous: " Hazardous work; protective equipment and training provided.",
}

// label is the skill's label in Bulgarian or English; "" when bg is asked
// for and the skill has no Bulgarian label.
func (s *skill) label(bg bool) string {
	if bg {
		return s.bg
	}
	return s.en
}

// inTown is "в Хасково", or "във Варна" before в and ф.
func inTown(town string) string {
	if strings.HasPrefix(town, "В") || strings.HasPrefix(town, "Ф") {
		return "във " + town
	}
	return "в " + town
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// lightWork flags part-time daytime needs in sectors with work a
// 15-year-old may do (shop, café, wellness reception, office and digital
// help) as light work, half of them: chosen from the id rather than the
// random stream, so that the rest of the data set stays as it was.
func lightWork(n register.Need, sector string) bool {
	if n.Hours != "part_time" || n.NightWork || n.Hazardous || n.Kind == register.KindForecast {
		return false
	}
	switch sector {
	case SectorTrade, SectorHospitality, SectorWellness, SectorDigital:
	default:
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(n.ID))
	return h.Sum32()%2 == 0
}
