package score_test

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

func TestNearMiss(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	cf := baseCandidate()
	cf.Skills = skills(hs("patient-care", 2), hs("cpr", 3))
	c := prepCand(t, s, cf)

	tests := []struct {
		name string
		need func(*score.NeedFacts)
		want score.Gap
	}{
		{
			name: "a good match: every required skill at level, a preferred one missing",
			need: func(n *score.NeedFacts) {
				n.Skills = []score.WantedSkill{ws("patient-care", 2, true), ws("driving", 1, false)}
			},
			want: score.Gap{NeedID: "need-1", Eligible: true, Good: true,
				Missing: []score.MissingSkill{{ID: "driving", Label: "driving", LevelWanted: 1}}},
		},
		{
			name: "a near miss: required skills below level, missing, or only related; required first",
			need: func(n *score.NeedFacts) {
				n.Skills = []score.WantedSkill{ws("driving", 1, false), ws("patient-care", 3, true),
					ws("first-aid", 2, true), ws("hygiene", 2, true)}
			},
			want: score.Gap{NeedID: "need-1", Eligible: true, RequiredMissing: 3,
				Missing: []score.MissingSkill{
					{ID: "first-aid", Label: "първа помощ", Required: true, LevelWanted: 2},
					{ID: "patient-care", Label: "грижа за пациенти", Required: true, LevelWanted: 3, LevelHas: 2},
					{ID: "hygiene", Label: "хигиена", Required: true, LevelWanted: 2},
					{ID: "driving", Label: "driving", LevelWanted: 1},
				}},
		},
		{
			name: "not eligible: skills would not open it",
			need: func(n *score.NeedFacts) {
				n.Skills = []score.WantedSkill{ws("driving", 1, true)}
				n.Lat, n.Lon = plovdiv[0], plovdiv[1]
			},
			want: score.Gap{NeedID: "need-1", RequiredMissing: 1,
				Missing: []score.MissingSkill{{ID: "driving", Label: "driving", Required: true, LevelWanted: 1}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nf := baseNeed()
			tt.need(&nf)
			got := score.NearMiss(prepNeed(t, s, nf), c)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("NearMiss() =\n%+v\nwant\n%+v", got, tt.want)
			}
			if near := got.Eligible && !got.Good; got.Near() != near {
				t.Errorf("Near() = %v, want %v", got.Near(), near)
			}
		})
	}
}

func TestNextSkills(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	cf := baseCandidate()
	cf.Skills = skills(hs("patient-care", 3), hs("driving", 1))
	c := prepCand(t, s, cf)

	need := func(id string, mod func(*score.NeedFacts), wanted ...score.WantedSkill) *score.PreparedNeed {
		nf := baseNeed()
		nf.ID, nf.Skills = id, wanted
		if mod != nil {
			mod(&nf)
		}
		return prepNeed(t, s, nf)
	}
	far := func(n *score.NeedFacts) { n.Lat, n.Lon = plovdiv[0], plovdiv[1] }
	needs := []*score.PreparedNeed{
		// hygiene opens three needs, one of them only at level 3.
		need("n1", nil, ws("patient-care", 3, true), ws("hygiene", 2, true)),
		need("n2", nil, ws("hygiene", 3, true), ws("cooking", 2, false)),
		need("n3", nil, ws("hygiene", 1, true)),
		// driving, held at 1, opens two needs wanting it at 2.
		need("n4", nil, ws("driving", 2, true)),
		need("n5", nil, ws("driving", 2, true), ws("patient-care", 2, true)),
		// wound-care opens one; cooking opens one.
		need("n6", nil, ws("wound-care", 2, true)),
		need("n7", nil, ws("cooking", 2, true)),
		// Two required skills missing: no single skill opens it.
		need("n8", nil, ws("first-aid", 2, true), ws("excel", 2, true)),
		need("n9", nil, ws("first-aid", 2, true), ws("baking", 2, true)),
		// Ineligible: too far, a forecast. Learning opens nothing.
		need("n10", far, ws("first-aid", 2, true)),
		need("n11", func(n *score.NeedFacts) { n.Kind = score.KindForecast }, ws("first-aid", 2, true)),
		need("n12", far, ws("excel", 2, true)),
		// Already a good match; a missing preferred skill is not a block.
		need("n13", nil, ws("patient-care", 2, true), ws("first-aid", 2, false)),
	}
	want := []score.NextSkill{
		{ID: "hygiene", Label: "хигиена", Kind: score.NextLearn, Level: 3, Opens: 3},
		{ID: "driving", Label: "driving", Kind: score.NextRaise, Level: 2, LevelHas: 1, Opens: 2},
		{ID: "cooking", Label: "cooking", Kind: score.NextLearn, Level: 2, Opens: 1},
		{ID: "wound-care", Label: "превръзки на рани", Kind: score.NextLearn, Level: 2, Opens: 1},
	}
	if got := score.NextSkills(c, needs, 10); !reflect.DeepEqual(got, want) {
		t.Errorf("NextSkills(limit 10) =\n%+v\nwant\n%+v", got, want)
	}
	if got := score.NextSkills(c, needs, 1); !reflect.DeepEqual(got, want[:1]) {
		t.Errorf("NextSkills(limit 1) = %+v, want %+v", got, want[:1])
	}
	r := rand.New(rand.NewPCG(4, 4))
	for range 10 {
		shuffle(r, needs)
		if got := score.NextSkills(c, needs, 10); !reflect.DeepEqual(got, want) {
			t.Fatalf("NextSkills(shuffled needs) = %+v, want %+v", got, want)
		}
	}
	if got := score.NextSkills(c, needs, 0); got != nil {
		t.Errorf("NextSkills(limit 0) = %+v, want nil", got)
	}
}

// TestNextSkillsRaiseHeldSkills: a person holding every skill a level too
// low is a good match for nothing and no single new skill opens a need;
// they are told which held skill to raise, to the level most needs ask
// for, and for how many needs.
func TestNextSkillsRaiseHeldSkills(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	cf := baseCandidate()
	cf.Skills = skills(hs("patient-care", 2), hs("hygiene", 1))
	c := prepCand(t, s, cf)
	need := func(id string, far bool, wanted ...score.WantedSkill) *score.PreparedNeed {
		nf := baseNeed()
		nf.ID, nf.Skills = id, wanted
		if far {
			nf.Lat, nf.Lon = plovdiv[0], plovdiv[1]
		}
		return prepNeed(t, s, nf)
	}
	needs := []*score.PreparedNeed{
		need("n1", false, ws("patient-care", 3, true), ws("hygiene", 2, true)),
		need("n2", false, ws("patient-care", 3, true), ws("hygiene", 3, true)),
		need("n3", false, ws("patient-care", 4, true), ws("hygiene", 2, true)),
		// Ineligible (too far): counts for nothing.
		need("n4", true, ws("patient-care", 4, true), ws("hygiene", 3, true)),
		need("n5", true, ws("patient-care", 4, true), ws("hygiene", 3, true)),
		// Held at the level asked, or asked only as preferred: no raise.
		need("n6", false, ws("patient-care", 2, true), ws("hygiene", 4, false), ws("driving", 2, true)),
	}
	want := []score.NextSkill{
		{ID: "hygiene", Label: "хигиена", Kind: score.NextRaise, Level: 2, LevelHas: 1, Opens: 2},
		{ID: "patient-care", Label: "грижа за пациенти", Kind: score.NextRaise, Level: 3, LevelHas: 2, Opens: 2},
		{ID: "driving", Label: "driving", Kind: score.NextLearn, Level: 2, Opens: 1},
	}
	if got := score.NextSkills(c, needs, 10); !reflect.DeepEqual(got, want) {
		t.Errorf("NextSkills =\n%+v\nwant\n%+v", got, want)
	}
}

// TestNextSkillsOfEligible: over random needs and candidates,
// NextSkillsOfEligible of the needs Admits passes is NextSkills of all of
// them: it leaves out only the filter the caller has applied.
func TestNextSkillsOfEligible(t *testing.T) {
	g := newGenerator(9)
	s := newScorer(t, score.DefaultWeights(), oddRarity)
	shown, dropped := 0, 0
	for i := range 300 {
		c := prepCand(t, s, g.candidate("c", 1+g.r.IntN(12)))
		var all, eligible []*score.PreparedNeed
		for j := range 30 {
			n := prepNeed(t, s, g.need("n"+string(rune('a'+j)), 1+g.r.IntN(6)))
			all = append(all, n)
			if ok, _ := score.Admits(n, c); ok {
				eligible = append(eligible, n)
			}
		}
		want, got := score.NextSkills(c, all, 5), score.NextSkillsOfEligible(c, eligible, 5)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: NextSkillsOfEligible = %v, NextSkills = %v", i, got, want)
		}
		shown += len(got)
		dropped += len(all) - len(eligible)
	}
	if shown < 100 || dropped < 100 {
		t.Fatalf("%d next skills shown, %d needs filtered out: the cases do not test the difference", shown, dropped)
	}
}
