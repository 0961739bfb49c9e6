package eval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
)

// Config sizes a generated set. The zero value of a count means none;
// DefaultConfig is what `make eval` runs.
type Config struct {
	// Seed makes the set: the same seed and taxonomy give the same set.
	Seed uint64
	// Occupations is how many ESCO occupations post needs.
	Occupations int
	// NeedsPerOccupation is how many needs each of them posts (1 for the
	// evaluation; more for load tests).
	NeedsPerOccupation int
	// PerOccupation is how many candidates of each such occupation there
	// are: noisy subsets of its essential skills.
	PerOccupation int
	// Siblings is how many candidates, per such occupation, come from
	// another occupation of the same ISCO minor (3-digit) group: partially
	// relevant.
	Siblings int
	// Others is how many background candidates come from occupations that
	// post no need.
	Others int
	// Ineligible is how many candidates hold a need's skills but fail a
	// hard filter (no consent, too far, unavailable, wrong kind, under age,
	// unknown age): no ranking may show them.
	Ineligible int
	// Today is the day the set is generated for: needs start one to three
	// months later, ages are counted from it. It is a fixed day, not the
	// clock, so that the set never changes; zero means DefaultToday.
	Today time.Time
}

// DefaultToday is the day sets are generated for unless told otherwise.
var DefaultToday = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

// DefaultConfig returns the configuration of `make eval`: 60 occupations,
// one need each, 8 candidates per occupation, 3 of a sibling occupation
// per occupation, 120 background and 12 ineligible candidates (792 in
// all).
func DefaultConfig() Config {
	return Config{
		Seed:               1,
		Occupations:        60,
		NeedsPerOccupation: 1,
		PerOccupation:      8,
		Siblings:           3,
		Others:             120,
		Ineligible:         12,
		Today:              DefaultToday,
	}
}

// Grades of relevance of a candidate for a need.
const (
	// GradeStrong: the need's occupation, holding at least StrongCoverage
	// of its essential skills, exactly or through a related skill.
	GradeStrong = 3
	// GradeSame: the need's occupation, with fewer of its essential skills.
	GradeSame = 2
	// GradeSibling: another occupation of the same ISCO minor group.
	GradeSibling = 1
	// Relevant is the lowest grade that precision counts as relevant.
	Relevant = GradeSame
)

// StrongCoverage is the share of the essential skills that makes a
// candidate of the need's occupation GradeStrong.
const StrongCoverage = 0.7

// Set is a labelled evaluation set: a store's worth of employers, needs
// and profiles, and the relevance grade of each candidate for each need.
type Set struct {
	Employers  []register.Employer
	Needs      []register.Need
	Candidates []profile.Profile // eligible and ineligible, by id
	// Ineligible holds the ids of candidates that fail a hard filter for
	// every need; they are not labelled and no ranking may show them.
	Ineligible map[string]bool
	// Occupation is the ESCO occupation of each need and candidate, by id.
	Occupation map[string]string
	// Grades holds the non-zero grades: need id → candidate id → grade.
	// Every eligible candidate not listed has grade 0. Needs of the same
	// occupation share one map; treat it as read-only.
	Grades map[string]map[string]int
}

// Grade returns the relevance grade of the candidate for the need.
func (s *Set) Grade(needID, candidateID string) int { return s.Grades[needID][candidateID] }

// Eligible returns the candidates that pass the hard filters: the pool
// every ranking is judged on.
func (s *Set) Eligible() []profile.Profile {
	out := make([]profile.Profile, 0, len(s.Candidates))
	for _, p := range s.Candidates {
		if !s.Ineligible[p.ID] {
			out = append(out, p)
		}
	}
	return out
}

// Generation constants: the noise of the candidates.
const (
	maxRequired  = 20  // a need lists at most 20 essential skills as required
	maxPreferred = 5   // and at most 5 optional ones as preferred
	minEssential = 8   // occupations with fewer essential skills post no need
	dropMin      = 0.2 // a candidate lacks 20–50% of the essential skills
	dropMax      = 0.5
	relatedRate  = 0.2 // of those held, 1 in 5 through a related skill
	maxOptional  = 4   // plus up to 4 of the occupation's optional skills
	maxRandom    = 3   // plus up to 3 unrelated skills
	summarySkill = 5   // a summary names up to 5 held skills
	minTravelKm  = 100 // every town of the Haskovo region is within 90 km of every other
)

// job is one occupation as the generator uses it.
type job struct {
	taxonomy.Occupation
	core     []string       // the essential skills a need asks for, at most maxRequired
	levels   map[string]int // the level the occupation's needs want of each core skill
	optional []string
}

// person is a generated candidate before it becomes a profile.
type person struct {
	id       string // random-looking, so that ties broken by id favour no kind of candidate
	occ      *job
	skills   []profile.Skill
	coverage float64 // share of occ.core held, exactly or related
}

type generator struct {
	tx      *taxonomy.Taxonomy
	rng     *rand.Rand
	today   time.Time
	pool    []*job
	byMinor map[string][]*job   // ISCO 3-digit code → pool occupations
	byGroup map[string][]string // skill group → skills seen in the pool
	skills  []string            // every skill seen in the pool, by id
	ids     map[string]bool
}

// Generate builds a labelled set from ESCO's occupation–skill relations.
// Each chosen occupation posts NeedsPerOccupation job needs in the
// Haskovo region that ask for its essential skills (required, levels 2–3)
// and a few optional ones (preferred, levels 1–2). Its candidates hold
// 50–80% of the essential skills, some through a related skill of the same
// ESCO group, at the wanted level ±1, plus optional and unrelated skills.
// Candidates of other occupations of the same ISCO minor group are
// partially relevant; background candidates are not. Every eligible
// candidate consents, lives within travel distance, is available now and
// is an adult, so that only ranking decides the evaluation.
//
// Summaries are a few generic sentences around the labels of some of the
// candidate's own skills, never the occupation's name, so that a text
// ranking sees the same evidence as a skill ranking.
func Generate(tx *taxonomy.Taxonomy, cfg Config) Set {
	today := cfg.Today
	if today.IsZero() {
		today = DefaultToday
	}
	g := &generator{tx: tx, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5ca1ab1e)), today: today, ids: map[string]bool{}}
	g.loadPool()
	chosen := g.choose(cfg.Occupations)
	set := Set{Ineligible: map[string]bool{}, Occupation: map[string]string{}, Grades: map[string]map[string]int{}}
	set.Employers = g.employers(max(1, len(chosen)/3))

	var people []person
	for _, o := range chosen {
		for range cfg.PerOccupation {
			people = append(people, g.person(o))
		}
	}
	for _, o := range chosen {
		for range cfg.Siblings {
			people = append(people, g.person(g.sibling(o)))
		}
	}
	isChosen := map[string]bool{}
	for _, o := range chosen {
		isChosen[o.ID] = true
	}
	var background []*job
	for _, o := range g.pool {
		if !isChosen[o.ID] && len(o.core) > 0 {
			background = append(background, o)
		}
	}
	for range cfg.Others {
		if len(background) == 0 {
			break
		}
		people = append(people, g.person(background[g.rng.IntN(len(background))]))
	}

	for i, o := range chosen {
		grades := map[string]int{} // the same for every need of o
		for _, p := range people {
			if gr := grade(o, p); gr > 0 {
				grades[p.id] = gr
			}
		}
		for k := range cfg.NeedsPerOccupation {
			n := g.need(o, set.Employers[g.rng.IntN(len(set.Employers))], int64(i*cfg.NeedsPerOccupation+k+1))
			set.Needs = append(set.Needs, n)
			set.Occupation[n.ID] = o.ID
			set.Grades[n.ID] = grades
		}
	}
	for i, p := range people {
		pr := g.profile(p, int64(i+1))
		set.Candidates = append(set.Candidates, pr)
		set.Occupation[pr.ID] = p.occ.ID
	}
	for i := range min(cfg.Ineligible, len(chosen)*len(ineligibleWays)) {
		o := chosen[i%len(chosen)]
		pr := g.ineligible(o, ineligibleWays[i%len(ineligibleWays)], int64(len(people)+i+1))
		set.Candidates = append(set.Candidates, pr)
		set.Occupation[pr.ID], set.Ineligible[pr.ID] = o.ID, true
	}
	slices.SortFunc(set.Candidates, func(a, b profile.Profile) int { return strings.Compare(a.ID, b.ID) })
	return set
}

// grade is the relevance of p for a need of o.
func grade(o *job, p person) int {
	switch {
	case p.occ.ID == o.ID && p.coverage >= StrongCoverage-1e-9:
		return GradeStrong
	case p.occ.ID == o.ID:
		return GradeSame
	case minorOf(p.occ.ISCO) != "" && minorOf(p.occ.ISCO) == minorOf(o.ISCO):
		return GradeSibling
	}
	return 0
}

func minorOf(isco string) string {
	if len(isco) < 3 {
		return ""
	}
	return isco[:3]
}

// seedWords find the occupations of a regional labour market: the
// taxonomy has no list of all occupations, so the pool is what its own
// occupation search returns for common words of job titles, across every
// ISCO major group.
var seedWords = []string{
	// managers
	"manager", "director", "supervisor", "head",
	// professionals
	"nurse", "doctor", "physician", "pharmacist", "physiotherapist", "midwife", "dentist", "psychologist",
	"social worker", "teacher", "engineer", "accountant", "software", "developer", "lawyer", "veterinar",
	"dietitian", "therapist", "analyst",
	// technicians and associate professionals
	"technician", "assistant", "paramedic", "laboratory", "inspector", "agent", "coordinator",
	// clerks
	"clerk", "secretary", "receptionist", "cashier", "administrator",
	// service and sales
	"care", "carer", "cook", "chef", "waiter", "bartender", "hairdresser", "security", "sales", "shop",
	"attendant", "nanny", "guard", "companion",
	// agriculture
	"farm", "grower", "gardener", "livestock", "forestry", "beekeeper",
	// craft
	"electrician", "plumber", "welder", "mechanic", "carpenter", "bricklayer", "baker", "butcher", "tailor",
	"painter", "builder", "installer", "repairer", "upholsterer",
	// operators and drivers
	"operator", "driver", "assembler", "machine",
	// elementary
	"cleaner", "labourer", "helper", "porter", "packer", "kitchen", "waste", "housekeeper",
}

func (g *generator) loadPool() {
	seen := map[string]bool{}
	for _, w := range seedWords {
		for _, o := range g.tx.SearchOccupations(w, "en", 50) {
			if seen[o.ID] || len(o.ISCO) != 4 || len(o.Essential) == 0 {
				continue
			}
			seen[o.ID] = true
			g.pool = append(g.pool, &job{Occupation: o})
		}
	}
	slices.SortFunc(g.pool, func(a, b *job) int { return strings.Compare(a.ID, b.ID) })
	g.byMinor = map[string][]*job{}
	g.byGroup = map[string][]string{}
	inPool := map[string]bool{}
	for _, o := range g.pool {
		g.byMinor[minorOf(o.ISCO)] = append(g.byMinor[minorOf(o.ISCO)], o)
		for _, s := range append(slices.Clone(o.Essential), o.Optional...) {
			if !inPool[s] {
				inPool[s] = true
				g.skills = append(g.skills, s)
			}
		}
	}
	slices.Sort(g.skills)
	for _, s := range g.skills {
		if grp := g.tx.GroupOf(s); grp != "" {
			g.byGroup[grp] = append(g.byGroup[grp], s)
		}
	}
	// Each occupation's core and levels are drawn in id order, before
	// anything else, so that they do not depend on which are chosen.
	for _, o := range g.pool {
		core := slices.Clone(o.Essential)
		slices.Sort(core)
		if len(core) > maxRequired {
			g.rng.Shuffle(len(core), func(i, j int) { core[i], core[j] = core[j], core[i] })
			core = core[:maxRequired]
			slices.Sort(core)
		}
		o.core = core
		o.levels = make(map[string]int, len(core))
		for _, s := range core {
			o.levels[s] = 2 + g.rng.IntN(2)
		}
		o.optional = slices.Clone(o.Optional)
		slices.Sort(o.optional)
	}
}

// careGroups are the ISCO sub-major groups of health and care work, the
// pilot's first concern: a quarter of the chosen occupations come from
// them.
var careGroups = []string{"22", "32", "53"}

// choose picks n occupations with at least minEssential essential skills
// and a sibling in the pool: a quarter of health and care, the rest in
// turn from each ISCO major group.
func (g *generator) choose(n int) []*job {
	var care, other []*job
	for _, o := range g.pool {
		if len(o.Essential) < minEssential || len(g.byMinor[minorOf(o.ISCO)]) < 2 {
			continue
		}
		if slices.Contains(careGroups, o.ISCO[:2]) {
			care = append(care, o)
		} else {
			other = append(other, o)
		}
	}
	shuffle(g.rng, care)
	shuffle(g.rng, other)
	nCare := min(len(care), (n+3)/4)
	chosen := slices.Clone(care[:nCare])
	rest := slices.Concat(care[nCare:], other)
	byMajor := map[byte][]*job{}
	for _, o := range rest {
		byMajor[o.ISCO[0]] = append(byMajor[o.ISCO[0]], o)
	}
	majors := make([]byte, 0, len(byMajor))
	for m := range byMajor {
		majors = append(majors, m)
	}
	slices.Sort(majors)
	for len(chosen) < n {
		took := false
		for _, m := range majors {
			if len(chosen) == n || len(byMajor[m]) == 0 {
				continue
			}
			chosen = append(chosen, byMajor[m][0])
			byMajor[m] = byMajor[m][1:]
			took = true
		}
		if !took {
			break // fewer occupations than asked for
		}
	}
	return chosen
}

func shuffle[T any](rng *rand.Rand, s []T) {
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// sibling returns another pool occupation of o's ISCO minor group.
func (g *generator) sibling(o *job) *job {
	var sibs []*job
	for _, s := range g.byMinor[minorOf(o.ISCO)] {
		if s.ID != o.ID {
			sibs = append(sibs, s)
		}
	}
	if len(sibs) == 0 {
		return g.pool[g.rng.IntN(len(g.pool))]
	}
	return sibs[g.rng.IntN(len(sibs))]
}

// person draws a candidate of occupation o.
func (g *generator) person(o *job) person {
	p := person{id: g.freshID(), occ: o}
	held := map[string]bool{}
	add := func(id string, level int) {
		if !held[id] {
			held[id] = true
			p.skills = append(p.skills, profile.Skill{ID: id, Level: min(max(level, 1), 4), Evidence: profile.EvidenceDeclared})
		}
	}
	drop := dropMin + (dropMax-dropMin)*g.rng.Float64()
	covered := 0
	for _, s := range o.core {
		if g.rng.Float64() < drop {
			continue
		}
		covered++
		level := o.levels[s] + g.rng.IntN(3) - 1
		if g.rng.Float64() < relatedRate {
			if r := g.related(o, s); r != "" {
				add(r, level)
				continue
			}
		}
		add(s, level)
	}
	if len(o.core) > 0 {
		p.coverage = float64(covered) / float64(len(o.core))
	}
	for _, i := range g.pick(len(o.optional), g.rng.IntN(maxOptional+1)) {
		add(o.optional[i], 1+g.rng.IntN(3))
	}
	for range g.rng.IntN(maxRandom + 1) {
		add(g.skills[g.rng.IntN(len(g.skills))], 1+g.rng.IntN(3))
	}
	return p
}

// related returns a skill of the same ESCO group as s that is not itself
// one of o's core skills, or "" if the pool has none.
func (g *generator) related(o *job, s string) string {
	var sibs []string
	for _, r := range g.byGroup[g.tx.GroupOf(s)] {
		if r != s && !slices.Contains(o.core, r) {
			sibs = append(sibs, r)
		}
	}
	if len(sibs) == 0 {
		return ""
	}
	return sibs[g.rng.IntN(len(sibs))]
}

// pick returns k distinct indexes below n, in the order drawn.
func (g *generator) pick(n, k int) []int {
	if k >= n {
		return g.rng.Perm(n)
	}
	return g.rng.Perm(n)[:k]
}

// A town of the Haskovo region, with how many people and jobs it draws
// (roughly its population in thousands).
type town struct {
	name     string
	lat, lon float64
	weight   int
}

var towns = []town{
	{"Хасково", 41.9344, 25.5556, 70},
	{"Димитровград", 42.0573, 25.5931, 35},
	{"Харманли", 41.9297, 25.9014, 18},
	{"Свиленград", 41.7664, 26.2017, 17},
	{"Любимец", 41.8431, 26.0836, 7},
	{"Симеоновград", 42.0347, 25.8350, 6},
	{"Тополовград", 42.0870, 26.3360, 5},
	{"Ивайловград", 41.5269, 26.1244, 3},
	{"Минерални бани", 41.9500, 25.3500, 2},
	{"Стамболово", 41.7967, 25.6400, 2},
	{"Маджарово", 41.6333, 25.8667, 1},
}

func (g *generator) town() town {
	total := 0
	for _, t := range towns {
		total += t.weight
	}
	r := g.rng.IntN(total)
	for _, t := range towns {
		if r < t.weight {
			return t
		}
		r -= t.weight
	}
	return towns[0]
}

// place is a point in a town: within about a kilometre of its centre.
func (g *generator) place() (town, float64, float64) {
	t := g.town()
	return t, t.lat + (g.rng.Float64()-0.5)*0.02, t.lon + (g.rng.Float64()-0.5)*0.02
}

func (g *generator) employers(n int) []register.Employer {
	out := make([]register.Employer, n)
	for i := range out {
		t, lat, lon := g.place()
		out[i] = register.Employer{
			ID: fmt.Sprintf("e%03d", i+1), Name: fmt.Sprintf("Employer %d", i+1), Sector: "", Municipality: t.name,
			Location: register.GeoPoint{Lat: lat, Lon: lon}, Verified: true,
		}
	}
	return out
}

func (g *generator) day(offset int) string {
	return g.today.AddDate(0, 0, offset).Format(time.DateOnly)
}

// need draws a job need of occupation o.
func (g *generator) need(o *job, e register.Employer, seq int64) register.Need {
	t, lat, lon := g.place()
	n := register.Need{
		ID: fmt.Sprintf("n%05d", seq), EmployerID: e.ID, Kind: register.KindJob,
		Title: g.tx.Label(o.ID, "en"), Occupation: o.ID, Sector: g.sector(o),
		Languages: []register.Language{{Code: "bg", Level: "B2"}},
		Location:  register.Location{Municipality: t.name, Lat: lat, Lon: lon},
		WorkMode:  "onsite", Positions: 1 + g.rng.IntN(3), Hours: "full_time",
		StartDate: g.day(30 + g.rng.IntN(60)), Status: register.StatusOpen, Seq: seq,
	}
	n.ApplyBy = g.day(20)
	for _, s := range o.core {
		n.Skills = append(n.Skills, register.SkillRequirement{ID: s, Level: o.levels[s], Required: true})
	}
	for _, i := range g.pick(len(o.optional), min(maxPreferred, len(o.optional))) {
		if s := o.optional[i]; !slices.Contains(o.core, s) {
			n.Skills = append(n.Skills, register.SkillRequirement{ID: s, Level: 1 + g.rng.IntN(2)})
		}
	}
	var named []string
	for _, i := range g.pick(len(o.core), 3) {
		named = append(named, g.tx.Label(o.core[i], "en"))
	}
	n.Description = fmt.Sprintf("We are looking for someone who can handle %s. Full-time work in %s.",
		strings.Join(named, ", "), t.name)
	return n
}

func (g *generator) sector(o *job) string {
	if grp, ok := g.tx.ISCOGroup(o.ISCO[:1]); ok {
		return grp.Labels["en"]
	}
	return ""
}

// freshID returns a new random-looking candidate id.
func (g *generator) freshID() string {
	for {
		id := fmt.Sprintf("p%08x", g.rng.Uint32())
		if !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

// Generic sentences of summaries: the same words for every candidate.
var (
	openers = []string{
		"Looking for steady work in the Haskovo region.",
		"Reliable and punctual, keen to learn on the job.",
		"Ready to start soon, happy to work in a team.",
		"Hard-working person with several years of experience.",
	}
	closers = []string{
		"I can commute and work shifts.",
		"Speaks Bulgarian; some English.",
		"Looking forward to hearing from employers.",
		"",
	}
)

func (g *generator) summary(skills []profile.Skill) string {
	var named []string
	for _, i := range g.pick(len(skills), summarySkill) {
		named = append(named, g.tx.Label(skills[i].ID, "en"))
	}
	parts := []string{openers[g.rng.IntN(len(openers))]}
	if len(named) > 0 {
		parts = append(parts, "Experience with "+strings.Join(named, ", ")+".")
	}
	if c := closers[g.rng.IntN(len(closers))]; c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, " ")
}

// profile turns a person into an eligible job-seeker's profile.
func (g *generator) profile(p person, seq int64) profile.Profile {
	t, lat, lon := g.place()
	pr := profile.Profile{
		ID: p.id, BirthYear: g.today.Year() - 20 - g.rng.IntN(40), Municipality: t.name, Lat: lat, Lon: lon,
		MaxTravelKm: minTravelKm + 10*g.rng.IntN(6), WorkModes: []string{"onsite"}, Skills: p.skills,
		Languages: []profile.Language{{Code: "bg", Level: "C2"}}, EducationLevel: 3,
		Hours: "any", Summary: g.summary(p.skills), Consent: profile.Consent{Matching: true}, Seq: seq,
	}
	if g.rng.IntN(2) == 0 {
		pr.Interests.Kinds = []string{register.KindJob}
	}
	return pr
}

// The ways a candidate can fail the hard filters.
var ineligibleWays = []string{"no_consent", "too_far", "unavailable", "kind", "under_age", "age_unknown"}

// ineligible makes a candidate who holds every core skill of o at level
// 3, and so would top its need, but fails one hard filter for every need.
func (g *generator) ineligible(o *job, way string, seq int64) profile.Profile {
	var skills []profile.Skill
	for _, s := range o.core {
		skills = append(skills, profile.Skill{ID: s, Level: 3, Evidence: profile.EvidenceDeclared})
	}
	p := g.profile(person{id: g.freshID(), occ: o, skills: skills, coverage: 1}, seq)
	switch way {
	case "no_consent":
		p.Consent.Matching = false
	case "too_far": // Sofia, 190 km away, travels 30 km
		p.Municipality, p.Lat, p.Lon, p.MaxTravelKm = "София", 42.6977, 23.3219, 30
	case "unavailable": // available only until before any need starts
		p.AvailableTo = g.day(10)
	case "kind":
		p.Interests.Kinds = []string{register.KindInternship}
	case "under_age": // 14 at the latest start
		p.BirthYear = g.today.Year() - 13
	case "age_unknown":
		p.BirthYear = 0
	}
	return p
}

// haversineKm is the great-circle distance, as the hard filter computes
// it; the tests use it to check that every eligible candidate is in reach.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKm = 6371.0088
	const rad = math.Pi / 180
	s1, s2 := math.Sin((lat2-lat1)*rad/2), math.Sin((lon2-lon1)*rad/2)
	a := s1*s1 + math.Cos(lat1*rad)*math.Cos(lat2*rad)*s2*s2
	return 2 * earthKm * math.Asin(math.Sqrt(min(1, a)))
}
