package score_test

import (
	"reflect"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search/score"
)

// The real taxonomy is what callers pass.
var _ score.Taxonomy = (*taxonomy.Taxonomy)(nil)

// ESCO skills used below.
const (
	disabilityCare     = "54411e8e-d62f-46d8-b87b-fce23f8e3bc8" // narrower than disability types
	disabilityTypes    = "6b28bb69-a6ef-42d4-84df-46e498f09297"
	nursingPrinciples  = "8b3aefd2-5021-418f-b069-828fb7abc598" // group 0913, nursing and midwifery
	personCentredCare  = "8168333b-8257-48f6-82c5-6b5128c21ecc" // group 0913
	nurseAssistantOccu = "87d0795a-d41f-47ee-979f-0ab7d73836e7"
)

var loadESCO = sync.OnceValues(taxonomy.Load)

func esco(tb testing.TB) *taxonomy.Taxonomy {
	tb.Helper()
	if testing.Short() {
		tb.Skip("loading the taxonomy takes seconds")
	}
	tx, err := loadESCO()
	if err != nil {
		tb.Fatalf("taxonomy.Load: %v", err)
	}
	return tx
}

// TestRelatedSkillsInESCO checks the relations on the real hierarchy, with
// the project's Bulgarian labels.
func TestRelatedSkillsInESCO(t *testing.T) {
	tx := esco(t)
	s, err := score.New(tx, nil, score.DefaultWeights(), "bg")
	if err != nil {
		t.Fatal(err)
	}
	nf := baseNeed()
	nf.Skills = []score.WantedSkill{ws(disabilityTypes, 2, true), ws(nursingPrinciples, 2, true)}
	cf := baseCandidate()
	cf.Skills = skills(hs(disabilityCare, 2), hs(personCentredCare, 3))
	got := s.Explain(prepNeed(t, s, nf), prepCand(t, s, cf), 0).Explanation.MatchedSkills
	want := []score.MatchedSkill{
		{ID: disabilityTypes, Label: tx.Label(disabilityTypes, "bg"), Required: true, LevelWanted: 2, LevelHas: 2, Evidence: score.EvidenceDeclared,
			Via: score.ViaRelated, HeldID: disabilityCare, HeldLabel: "грижа за хора с увреждания", Relation: score.RelationBroader},
		{ID: nursingPrinciples, Label: "принципи на сестринските грижи", Required: true, LevelWanted: 2, LevelHas: 3, Evidence: score.EvidenceDeclared,
			Via: score.ViaRelated, HeldID: personCentredCare, HeldLabel: "личностно ориентирана грижа", Relation: score.RelationSameGroup},
	}
	if want[0].Label == "" || !reflect.DeepEqual(got, want) {
		t.Errorf("MatchedSkills =\n%+v\nwant\n%+v", got, want)
	}
}

// BenchmarkPrepareCandidateESCO prepares a candidate with 15 skills of a
// nurse assistant against the real taxonomy: the per-candidate cost that
// comes on top of scoring when candidates are not cached.
func BenchmarkPrepareCandidateESCO(b *testing.B) {
	tx := esco(b)
	s, err := score.New(tx, nil, score.DefaultWeights(), "bg")
	if err != nil {
		b.Fatal(err)
	}
	occ, ok := tx.Occupation(nurseAssistantOccu)
	if !ok || len(occ.Essential) < 15 {
		b.Fatalf("occupation %s: want 15 essential skills", nurseAssistantOccu)
	}
	cf := baseCandidate()
	cf.Skills = nil
	for i, id := range occ.Essential[:15] {
		cf.Skills = append(cf.Skills, hs(id, 1+i%4))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PrepareCandidate(cf); err != nil {
			b.Fatal(err)
		}
	}
}
