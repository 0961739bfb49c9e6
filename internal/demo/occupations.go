package demo

import (
	"slices"
	"strings"

	"github.com/careget/skillsmatch/internal/taxonomy"
)

// Sectors, as employers and needs record them. The first six are the
// CARE-GET strategy's priority sectors; agriculture and manufacturing report
// shortages; public is the municipality, schools and offices. The last
// four, large employers everywhere, appear only in national scope: the
// pilot's data sets are about Haskovo's priorities.
const (
	SectorHealthcare    = "healthcare"
	SectorCare          = "care"
	SectorMedTech       = "medtech"
	SectorWellness      = "wellness"
	SectorDigital       = "digital"
	SectorGreen         = "green"
	SectorAgriculture   = "agriculture"
	SectorManufacturing = "manufacturing"
	SectorPublic        = "public"
	SectorTrade         = "trade"
	SectorHospitality   = "hospitality"
	SectorTransport     = "transport"
	SectorConstruction  = "construction"
)

// sectorSupport is not a sector but the work every employer has: cleaning,
// kitchens, driving, the office.
const sectorSupport = "support"

// query finds occupations of a sector: the first top results (0: all of
// them) of an English occupation search whose ISCO code fits the sector,
// each drawn with the given weight (the highest if several queries find it).
type query struct {
	words  string
	weight int
	top    int
}

// sectorDef is a sector's occupations, found the way a person would look
// them up: the taxonomy has no list of all occupations, and a search with an
// ISCO filter picks what Haskovo's employers actually hire.
//
// The shares are in percent points, one pair per scope. City scope weights
// the pilot's priority sectors (health and care first, then digital);
// national scope follows, roughly, where Bulgaria's employees work
// (manufacturing, trade and the public sector first), keeping a smaller
// place for the priority sectors.
type sectorDef struct {
	name     string
	include  []string // ISCO code prefixes that belong
	exclude  []string
	queries  []query
	employer int // city scope: share of employers
	seeker   int // city scope: share of job-seekers' backgrounds
	national shares
}

// shares are a sector's shares of employers and of job-seekers.
type shares struct{ employer, seeker int }

var sectorDefs = []sectorDef{
	{name: SectorHealthcare, employer: 18, seeker: 18, national: shares{8, 7},
		include: []string{"22", "32", "5321", "2634"}, exclude: []string{"2250", "3240", "2230"},
		queries: []query{
			{"nurse", 8, 0}, {"healthcare assistant", 8, 3}, {"midwife", 4, 0}, {"general practitioner", 4, 2},
			{"doctor", 3, 0}, {"physician", 2, 0}, {"medical", 2, 0}, {"physiotherap", 4, 0}, {"pharmac", 3, 0},
			{"radiograph", 2, 0}, {"laboratory", 2, 0}, {"paramedic", 3, 0}, {"ambulance", 3, 0}, {"dental", 1, 0},
			{"dietitian", 1, 0}, {"hospital", 2, 0}, {"surgeon", 1, 0}, {"psychologist", 1, 0},
			{"occupational therapist", 1, 0}, {"speech", 1, 0}, {"optometrist", 1, 0}, {"health", 1, 0},
		}},
	{name: SectorCare, employer: 12, seeker: 12, national: shares{4, 5},
		include: []string{"531", "532", "3412", "2635", "5162"},
		queries: []query{
			{"social care worker", 8, 3}, {"care at home worker", 8, 2}, {"residential care home worker", 6, 0},
			{"care", 3, 0}, {"social worker", 2, 0}, {"nanny", 1, 0}, {"child care", 2, 0}, {"youth", 1, 0},
			{"disabilit", 2, 0}, {"companion", 2, 0}, {"healthcare assistant", 6, 0}, {"home care aide", 6, 1}, {"elderly", 2, 0},
		}},
	{name: SectorMedTech, employer: 7, seeker: 4, national: shares{2, 1},
		include: []string{"2149", "2152", "3114", "3211", "3214", "8219", "2141", "7311", "2145", "3111", "2131", "3139", "7421", "2144", "2433"},
		queries: []query{
			{"medical device", 6, 0}, {"biomedical", 4, 0}, {"orthotic", 2, 0}, {"prosthetic", 2, 0},
			{"precision instrument", 1, 0}, {"medical", 1, 0}, {"biotechn", 1, 0}, {"quality engineer", 1, 0},
			{"electronics", 1, 0}, {"clinical", 1, 0},
		}},
	{name: SectorWellness, employer: 8, seeker: 8, national: shares{3, 3},
		include: []string{"5141", "5142", "3255", "3423", "3230", "2265", "2264", "4224", "5120", "5131"},
		queries: []query{
			{"massage", 6, 0}, {"spa", 4, 0}, {"beauty", 3, 0}, {"hairdress", 2, 0}, {"fitness", 3, 0},
			{"wellness", 3, 0}, {"yoga", 1, 0}, {"pilates", 1, 0}, {"nail", 1, 0}, {"cosmetic", 2, 0}, {"sauna", 1, 0},
			{"dietitian", 1, 0}, {"physiotherap", 2, 0}, {"hotel receptionist", 2, 2}, {"cook", 1, 3}, {"waiter", 1, 2},
		}},
	{name: SectorDigital, employer: 16, seeker: 16, national: shares{8, 8},
		include: []string{"25", "35", "2166", "2434", "1330", "2356", "2431"},
		queries: []query{
			{"software developer", 8, 2}, {"software", 3, 0}, {"developer", 4, 0}, {"ICT", 3, 0}, {"data", 2, 0},
			{"network", 2, 0}, {"web", 3, 0}, {"database", 2, 0}, {"system administrator", 2, 0}, {"cloud", 1, 0},
			{"security", 1, 0}, {"user interface", 2, 0}, {"programmer", 2, 0}, {"computer", 1, 0},
			{"help desk", 2, 0}, {"digital", 2, 0}, {"game", 1, 0}, {"tester", 2, 0},
		}},
	{name: SectorGreen, employer: 6, seeker: 5, national: shares{3, 2},
		include: []string{"2133", "2143", "3131", "3132", "7411", "7412", "7126", "7127", "9612", "2149", "3119", "2151", "3113", "2142", "7124", "3257"},
		queries: []query{
			{"solar", 4, 0}, {"wind", 2, 0}, {"energy", 3, 0}, {"renewable", 2, 0}, {"environmental", 2, 0},
			{"recycling", 2, 0}, {"waste", 2, 0}, {"water", 1, 0}, {"heat pump", 2, 0}, {"electrician", 2, 0},
			{"insulation", 2, 0}, {"sustainab", 1, 0}, {"biogas", 1, 0}, {"geothermal", 1, 0}, {"refuse", 1, 0},
		}},
	{name: SectorAgriculture, employer: 10, seeker: 8, national: shares{6, 5},
		include: []string{"6", "921", "8341", "7515", "2132", "3142", "1311", "8160", "7514", "2250", "3240"},
		exclude: []string{"622", "9216"}, // fish farming: rare in the province, and it crowded out the rest
		queries: []query{
			{"farm", 4, 0}, {"crop", 3, 0}, {"livestock", 3, 0}, {"vineyard", 2, 0}, {"tobacco", 2, 0},
			{"fruit", 2, 0}, {"vegetable", 2, 0}, {"greenhouse", 2, 0}, {"tractor", 2, 0}, {"agricultural", 3, 0},
			{"agronomist", 2, 0}, {"beekeeper", 1, 0}, {"dairy", 2, 0}, {"poultry", 2, 0}, {"irrigation", 1, 0},
			{"harvest", 1, 0}, {"grower", 2, 0}, {"horticult", 2, 0}, {"animal", 1, 0}, {"wine", 1, 0},
			{"veterinar", 1, 0},
		}},
	{name: SectorManufacturing, employer: 14, seeker: 12, national: shares{18, 14},
		include: []string{"7", "8", "932", "3115", "3122", "2141", "4321", "7543"},
		exclude: []string{"83", "8341", "7411", "7412"},
		queries: []query{
			{"machine operator", 4, 0}, {"assembler", 3, 0}, {"welder", 3, 0}, {"sewing", 3, 0}, {"textile", 2, 0},
			{"garment", 2, 0}, {"food production", 2, 0}, {"production", 2, 0}, {"quality", 1, 0},
			{"warehouse", 2, 0}, {"packer", 2, 0}, {"mechanic", 2, 0}, {"CNC", 2, 0}, {"metal", 1, 0},
			{"plastic", 1, 0}, {"electronics", 1, 0}, {"maintenance", 2, 0}, {"furniture", 1, 0}, {"baker", 1, 0},
			{"butcher", 1, 0}, {"tailor", 1, 0}, {"shoe", 1, 0}, {"industrial", 1, 0}, {"labourer", 1, 0},
		}},
	{name: SectorPublic, employer: 9, seeker: 7, national: shares{12, 9},
		include: []string{"23", "24", "26", "33", "4", "5414", "5412", "3411"},
		exclude: []string{"2641", "2642", "2651", "2652", "2653", "2654", "2655", "2656", "2659"},
		queries: []query{
			{"teacher", 2, 0}, {"clerk", 2, 0}, {"administrat", 2, 0}, {"officer", 2, 0}, {"public", 2, 0},
			{"secretary", 2, 0}, {"librarian", 1, 0}, {"accountant", 2, 0}, {"social", 1, 0}, {"receptionist", 1, 0},
			{"inspector", 1, 0}, {"employment", 2, 0}, {"policy", 1, 0}, {"archiv", 1, 0}, {"customer service", 2, 0},
			{"security guard", 1, 0},
		}},
	{name: SectorTrade, national: shares{16, 14},
		include: []string{"52", "1420", "4321", "3322", "3323", "3324", "9334", "1221"},
		exclude: []string{"5249"}, // rental desks
		queries: []query{
			{"shop assistant", 8, 1}, {"sales assistant", 6, 1}, {"cashier", 6, 1}, {"sales processor", 2, 1},
			{"shelf filler", 3, 1}, {"shop supervisor", 2, 1}, {"shop manager", 2, 1}, {"supermarket manager", 2, 1},
			{"retail department manager", 1, 1}, {"specialised seller", 2, 4}, {"commercial sales representative", 3, 1},
			{"wholesale merchant", 1, 2}, {"purchaser", 1, 1}, {"inventory coordinator", 1, 1}, {"fuel station", 1, 1},
			{"market vendor", 1, 1}, {"online sales", 1, 1},
		}},
	{name: SectorHospitality, national: shares{8, 8},
		include: []string{"512", "513", "3434", "941", "4224", "4221", "1411", "1412", "5113", "5151", "9112", "5246"},
		queries: []query{
			{"cook", 6, 1}, {"chef", 3, 2}, {"waiter", 6, 1}, {"bartender", 3, 1}, {"barista", 2, 1}, {"kitchen assistant", 4, 1},
			{"kitchen porter", 2, 1}, {"hospitality establishment receptionist", 3, 1}, {"room attendant", 3, 1},
			{"housekeeping supervisor", 1, 1}, {"accommodation manager", 1, 1}, {"restaurant manager", 1, 1},
			{"travel agent", 1, 1}, {"tourist guide", 1, 1}, {"pastry", 1, 2}, {"quick service restaurant", 2, 2}, {"pizzaiolo", 1, 1},
		}},
	{name: SectorTransport, national: shares{6, 6},
		include: []string{"83", "933", "4321", "4323", "1324", "3331", "5112", "9621"},
		exclude: []string{"8341"}, // farm machinery is agriculture
		queries: []query{
			{"cargo vehicle driver", 5, 1}, {"bus driver", 4, 1}, {"delivery driver", 4, 2}, {"taxi driver", 2, 1},
			{"warehouse worker", 5, 1}, {"warehouse order picker", 3, 1}, {"forklift", 3, 2}, {"warehouse manager", 2, 1},
			{"logistics", 2, 3}, {"freight transport dispatcher", 2, 1}, {"forwarding", 1, 2}, {"train driver", 1, 1},
			{"tram driver", 1, 1}, {"courier", 2, 2}, {"dangerous goods driver", 1, 1}, {"mover", 1, 1}, {"stevedore", 1, 1},
		}},
	{name: SectorConstruction, national: shares{6, 6},
		include: []string{"71", "3112", "3123", "2142", "1323", "931", "8342", "8343", "7411", "7412", "7213", "7214"},
		queries: []query{
			{"bricklayer", 4, 1}, {"construction", 2, 4}, {"carpenter", 3, 2}, {"plumber", 3, 1}, {"painter", 2, 1},
			{"plasterer", 2, 1}, {"tile", 2, 1}, {"roofer", 2, 1}, {"concrete", 2, 2}, {"civil engineer", 1, 1},
			{"scaffold", 1, 1}, {"building electrician", 3, 1}, {"crane operator", 1, 1}, {"excavator", 1, 1}, {"road", 1, 2},
			{"insulation", 1, 1}, {"building", 1, 2}, {"welder", 1, 1},
		}},
	{name: sectorSupport, seeker: 10, national: shares{0, 12},
		include: []string{"9", "5", "4", "83", "3313", "7"},
		queries: []query{
			{"building cleaner", 4, 1}, {"domestic cleaner", 2, 1}, {"cook", 3, 2}, {"kitchen", 2, 2},
			{"delivery driver", 1, 1}, {"bus driver", 1, 1}, {"receptionist", 1, 2}, {"security guard", 1, 1},
			{"office clerk", 2, 1}, {"bookkeeper", 1, 1}, {"warehouse worker", 1, 1}, {"hospital porter", 1, 1},
			{"laundry", 1, 1}, {"maintenance", 1, 1},
		}},
}

// Requirements of a usable occupation: a need lists 4–12 of its essential
// skills, a profile holds at least 5 of its skills.
const (
	minRequired = 4
	maxRequired = 12
	minHeld     = 5
	maxHeld     = 20
)

// occ is an occupation as the generator draws it.
type occ struct {
	ID, ISCO  string
	bg, en    string   // titles; bg is "" when the taxonomy has no Bulgarian label
	bgShort   string   // bgTitle(bg)
	essential []*skill // known skills, by id
	optional  []*skill // known skills not essential, by id
}

// skill is a skill with the labels descriptions use: bg is "" when the
// taxonomy has no Bulgarian label (most ESCO skills have none until an
// official translation is imported). The pools hold one per id, so
// pointers compare as ids do.
type skill struct{ id, bg, en string }

// pool is a sector's occupations with their weights.
type pool struct {
	occs []*occ
	cum  []int
}

func (p pool) empty() bool { return len(p.occs) == 0 }

// carePathISCO are the care professions the Care Career Path leads to.
var carePathISCO = []string{"5321", "5322", "3412", "3221"}

// pools holds every sector's occupations, built once per Generate from the
// taxonomy without randomness, so it depends on the taxonomy only.
type pools struct {
	bySector map[string]pool
	carePath pool
}

func buildPools(tx *taxonomy.Taxonomy) *pools {
	ps := &pools{bySector: map[string]pool{}}
	all := map[string]*occ{}
	skills := map[string]*skill{}
	careWeights := map[string]int{}
	for _, def := range sectorDefs {
		weights := map[string]int{}
		for _, q := range def.queries {
			taken := 0
			for _, o := range tx.SearchOccupations(q.words, "en", 50) {
				if q.top > 0 && taken == q.top {
					break
				}
				if len(o.ISCO) != 4 || (def.include != nil && !hasPrefix(o.ISCO, def.include)) || hasPrefix(o.ISCO, def.exclude) {
					continue
				}
				oc := all[o.ID]
				if oc == nil {
					oc = newOcc(tx, o, skills)
					all[o.ID] = oc
				}
				if len(oc.essential) < minRequired || len(oc.essential)+len(oc.optional) < minHeld {
					continue
				}
				taken++
				weights[o.ID] = max(weights[o.ID], q.weight)
			}
		}
		ps.bySector[def.name] = poolOf(all, weights)
		if def.name == SectorHealthcare || def.name == SectorCare {
			for id, w := range weights {
				if hasPrefix(all[id].ISCO, carePathISCO) {
					careWeights[id] = max(careWeights[id], w)
				}
			}
		}
	}
	ps.carePath = poolOf(all, careWeights)
	return ps
}

// poolOf orders the weighted occupations by id, so that the pool does not
// depend on map order.
func poolOf(all map[string]*occ, weights map[string]int) pool {
	ids := make([]string, 0, len(weights))
	for id := range weights {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	p := pool{}
	total := 0
	for _, id := range ids {
		total += weights[id]
		p.occs = append(p.occs, all[id])
		p.cum = append(p.cum, total)
	}
	return p
}

// newOcc returns the occupation with its known skills, taken from (and
// added to) skills so that each skill exists once.
func newOcc(tx *taxonomy.Taxonomy, o taxonomy.Occupation, skills map[string]*skill) *occ {
	oc := &occ{ID: o.ID, ISCO: o.ISCO, bg: o.Labels["bg"], en: o.Labels["en"], bgShort: bgTitle(o.Labels["bg"])}
	if oc.en == "" {
		oc.en = tx.Label(o.ID, "en")
	}
	known := func(id string) *skill {
		if sk, ok := skills[id]; ok {
			return sk
		}
		s, ok := tx.Skill(id)
		if !ok {
			return nil
		}
		sk := &skill{id: id, bg: s.Labels["bg"], en: tx.Label(id, "en")}
		skills[id] = sk
		return sk
	}
	ess := map[string]bool{}
	for _, id := range o.Essential {
		if sk := known(id); sk != nil && !ess[id] {
			ess[id] = true
			oc.essential = append(oc.essential, sk)
		}
	}
	seen := map[string]bool{}
	for _, id := range o.Optional {
		if sk := known(id); sk != nil && !ess[id] && !seen[id] {
			seen[id] = true
			oc.optional = append(oc.optional, sk)
		}
	}
	byID := func(a, b *skill) int { return strings.Compare(a.id, b.id) }
	slices.SortFunc(oc.essential, byID)
	slices.SortFunc(oc.optional, byID)
	return oc
}

func hasPrefix(code string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// bgTitle is the occupation's Bulgarian title in its first grammatical
// gender: ESCO writes "санитар/санитарка" and also
// "ръководител/ръководителка на ферма", where the common tail is written
// only once, after the second form.
func bgTitle(label string) string {
	a, b, ok := strings.Cut(label, "/")
	if !ok {
		return label
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wb) > len(wa) {
		return strings.Join(append(wa, wb[len(wa):]...), " ")
	}
	return strings.TrimSpace(a)
}
