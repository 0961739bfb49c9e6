package score_test

import (
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

// fakeTaxonomy is a small hand-made skills hierarchy:
//
//	g-care:      patient-care, wound-care, hygiene, feeding
//	g-health:    first-aid ◀─broader─ cpr (cpr's group is g-emergency)
//	g-digital:   spreadsheets ◀─broader─ excel (excel's group is g-office)
//	g-food:      cooking, baking
//	g-transport: driving
//	g-language:  sign-language
//
// Every group hangs under g-root, so every skill shares that ancestor;
// that must not count as related.
type fakeTaxonomy struct {
	groups    map[string]string
	ancestors map[string][]string
	labels    map[string]map[string]string // id → lang → label
}

func newFake() *fakeTaxonomy {
	f := &fakeTaxonomy{
		groups: map[string]string{
			"patient-care": "g-care", "wound-care": "g-care", "hygiene": "g-care", "feeding": "g-care",
			"first-aid": "g-health", "cpr": "g-emergency",
			"spreadsheets": "g-digital", "excel": "g-office",
			"cooking": "g-food", "baking": "g-food",
			"driving": "g-transport", "sign-language": "g-language",
		},
		ancestors: map[string][]string{
			"cpr":   {"first-aid", "g-emergency", "g-health", "g-root"},
			"excel": {"spreadsheets", "g-office", "g-digital", "g-root"},
		},
		labels: map[string]map[string]string{
			"patient-care": {"bg": "грижа за пациенти", "en": "patient care"},
			"wound-care":   {"bg": "превръзки на рани", "en": "wound care"},
			"hygiene":      {"bg": "хигиена", "en": "hygiene"},
			"first-aid":    {"bg": "първа помощ", "en": "first aid"},
			"cpr":          {"bg": "сърдечно-белодробна реанимация", "en": "CPR"},
		},
	}
	for id, g := range f.groups {
		if _, ok := f.ancestors[id]; !ok {
			f.ancestors[id] = []string{g, "g-root"}
		}
	}
	return f
}

func (f *fakeTaxonomy) GroupOf(id string) string     { return f.groups[id] }
func (f *fakeTaxonomy) Ancestors(id string) []string { return f.ancestors[id] }
func (f *fakeTaxonomy) Label(id, lang string) string { return f.labels[id][lang] }

// rarity is an IDF-like weight: sign language is rare, hygiene common.
func rarity(id string) float64 {
	switch id {
	case "sign-language":
		return 5
	case "hygiene":
		return 0.5
	}
	return 1
}

// Places around Haskovo.
var (
	haskovo      = [2]float64{41.934, 25.555}
	haskovoNear  = [2]float64{41.94, 25.56} // 0.8 km from the centre
	dimitrovgrad = [2]float64{42.05, 25.59} // 13.2 km
	plovdiv      = [2]float64{42.15, 24.75} // 70.7 km
)

// baseNeed is an ordinary open-ended care job in Haskovo.
func baseNeed() score.NeedFacts {
	return score.NeedFacts{
		ID: "need-1", Kind: "job",
		Skills: []score.WantedSkill{
			{ID: "patient-care", Level: 3, Required: true},
			{ID: "hygiene", Level: 2, Required: true},
			{ID: "driving", Level: 2},
		},
		Languages:    []score.Language{{Code: "bg", Level: "B2"}},
		MinEducation: 3,
		Lat:          haskovo[0], Lon: haskovo[1],
		WorkMode: "onsite", Hours: score.FullTime,
		StartDate: "2026-09-01",
	}
}

// baseCandidate is an adult in Haskovo who fits baseNeed well.
func baseCandidate() score.CandidateFacts {
	return score.CandidateFacts{
		ID: "cand-1", BirthYear: 2000, Consent: true,
		Lat: haskovoNear[0], Lon: haskovoNear[1], MaxTravelKm: 30,
		WorkModes: []string{"onsite"},
		Skills: []score.HeldSkill{
			{ID: "patient-care", Level: 3},
			{ID: "hygiene", Level: 2},
			{ID: "driving", Level: 2},
		},
		Languages:     []score.Language{{Code: "bg", Level: "C2"}},
		Education:     3,
		AvailableFrom: "2026-01-01",
	}
}

func newScorer(t testing.TB, w score.Weights, rarity func(string) float64) *score.Scorer {
	t.Helper()
	s, err := score.New(newFake(), rarity, w, "bg")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func prepNeed(t testing.TB, s *score.Scorer, f score.NeedFacts) *score.PreparedNeed {
	t.Helper()
	n, err := s.PrepareNeed(f)
	if err != nil {
		t.Fatalf("PrepareNeed(%s): %v", f.ID, err)
	}
	return n
}

func prepCand(t testing.TB, s *score.Scorer, f score.CandidateFacts) *score.PreparedCandidate {
	t.Helper()
	c, err := s.PrepareCandidate(f)
	if err != nil {
		t.Fatalf("PrepareCandidate(%s): %v", f.ID, err)
	}
	return c
}

func skills(ss ...score.HeldSkill) []score.HeldSkill { return ss }

func hs(id string, level int) score.HeldSkill { return score.HeldSkill{ID: id, Level: level} }

func ws(id string, level int, required bool) score.WantedSkill {
	return score.WantedSkill{ID: id, Level: level, Required: required}
}
