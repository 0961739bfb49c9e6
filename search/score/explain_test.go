package score_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

func TestExplainSkills(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	nf := baseNeed()
	nf.Skills = []score.WantedSkill{
		ws("sign-language", 2, false), // preferred and rarest: still after every required skill
		ws("hygiene", 2, true),        // required and common; served by a skill of its group
		ws("first-aid", 3, true),      // served by a narrower skill
		ws("wound-care", 2, true),     // served by a skill of its group
		ws("patient-care", 3, true),   // held below the level
		ws("driving", 1, false),       // held at level
	}
	cf := baseCandidate()
	cf.Skills = []score.HeldSkill{
		{ID: "cpr", Level: 4, Certified: true},
		hs("patient-care", 2),
		hs("driving", 3),
	}
	got := s.Explain(prepNeed(t, s, nf), prepCand(t, s, cf), 0).Explanation

	// Required first; then importance (3·rarity, all 1 but hygiene's 0.5),
	// then id.
	wantMatched := []score.MatchedSkill{
		{ID: "first-aid", Label: "първа помощ", Required: true, LevelWanted: 3, LevelHas: 4, Evidence: score.EvidenceCertified,
			Via: score.ViaRelated, HeldID: "cpr", HeldLabel: "сърдечно-белодробна реанимация", Relation: score.RelationBroader},
		{ID: "patient-care", Label: "грижа за пациенти", Required: true, LevelWanted: 3, LevelHas: 2, Evidence: score.EvidenceDeclared,
			Via: score.ViaExact},
		{ID: "wound-care", Label: "превръзки на рани", Required: true, LevelWanted: 2, LevelHas: 2, Evidence: score.EvidenceDeclared,
			Via: score.ViaRelated, HeldID: "patient-care", HeldLabel: "грижа за пациенти", Relation: score.RelationSameGroup},
		{ID: "hygiene", Label: "хигиена", Required: true, LevelWanted: 2, LevelHas: 2, Evidence: score.EvidenceDeclared,
			Via: score.ViaRelated, HeldID: "patient-care", HeldLabel: "грижа за пациенти", Relation: score.RelationSameGroup},
		{ID: "driving", Label: "driving", LevelWanted: 1, LevelHas: 3, Evidence: score.EvidenceDeclared, Via: score.ViaExact},
	}
	wantMissing := []score.MissingSkill{
		{ID: "first-aid", Label: "първа помощ", Required: true, LevelWanted: 3},
		{ID: "patient-care", Label: "грижа за пациенти", Required: true, LevelWanted: 3, LevelHas: 2},
		{ID: "wound-care", Label: "превръзки на рани", Required: true, LevelWanted: 2},
		{ID: "hygiene", Label: "хигиена", Required: true, LevelWanted: 2},
		{ID: "sign-language", Label: "sign-language", LevelWanted: 2},
	}
	if !reflect.DeepEqual(got.MatchedSkills, wantMatched) {
		t.Errorf("MatchedSkills =\n%+v\nwant\n%+v", got.MatchedSkills, wantMatched)
	}
	if !reflect.DeepEqual(got.MissingSkills, wantMissing) {
		t.Errorf("MissingSkills =\n%+v\nwant\n%+v", got.MissingSkills, wantMissing)
	}
}

func TestExplainFactsAndParts(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	tests := []struct {
		name       string
		need       func(*score.NeedFacts)
		cand       func(*score.CandidateFacts)
		langOK     bool
		availOK    bool
		zeroWeight []string // parts that do not apply to the need
	}{
		{name: "all met", langOK: true, availOK: true},
		{
			name:   "language below level",
			cand:   func(c *score.CandidateFacts) { c.Languages = []score.Language{{Code: "BG", Level: "b1"}} },
			langOK: false, availOK: true,
		},
		{
			name:   "language level in lower case and code in upper case still meet",
			cand:   func(c *score.CandidateFacts) { c.Languages = []score.Language{{Code: "BG", Level: "c1"}} },
			langOK: true, availOK: true,
		},
		{
			name:   "available a month late",
			cand:   func(c *score.CandidateFacts) { c.AvailableFrom = "2026-10-01" },
			langOK: true, availOK: false,
		},
		{
			name:   "available only for the first month of an open-ended job",
			cand:   func(c *score.CandidateFacts) { c.AvailableTo = "2026-09-30" },
			langOK: true, availOK: false,
		},
		{
			name:   "other hours wanted",
			cand:   func(c *score.CandidateFacts) { c.Hours = score.PartTime },
			langOK: true, availOK: false,
		},
		{
			name: "nothing preferred, no languages, no minimum education",
			need: func(n *score.NeedFacts) {
				n.Skills = []score.WantedSkill{ws("patient-care", 3, true)}
				n.Languages, n.MinEducation = nil, 0
			},
			langOK: true, availOK: true,
			zeroWeight: []string{score.PartPreferredSkills, score.PartLanguages, score.PartEducation},
		},
	}
	names := []string{score.PartRequiredSkills, score.PartPreferredSkills, score.PartLevelFit, score.PartCertified,
		score.PartLanguages, score.PartDistance, score.PartAvailability, score.PartEducation, score.PartText}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nf, cf := baseNeed(), baseCandidate()
			if tt.need != nil {
				tt.need(&nf)
			}
			if tt.cand != nil {
				tt.cand(&cf)
			}
			n, c := prepNeed(t, s, nf), prepCand(t, s, cf)
			r := s.Explain(n, c, 3)
			e := r.Explanation
			if e.LanguagesOK != tt.langOK || e.AvailabilityOK != tt.availOK {
				t.Errorf("LanguagesOK, AvailabilityOK = %v, %v; want %v, %v", e.LanguagesOK, e.AvailabilityOK, tt.langOK, tt.availOK)
			}
			if math.Abs(e.DistanceKm-0.785) > 0.01 {
				t.Errorf("DistanceKm = %v, want 0.785", e.DistanceKm)
			}
			sumW, sumWV := 0.0, 0.0
			for i, p := range e.Parts {
				if i >= len(names) || p.Name != names[i] {
					t.Fatalf("Parts[%d] = %q, want the parts in order %v", i, p.Name, names)
				}
				zero := contains(tt.zeroWeight, p.Name)
				if (p.Weight == 0) != zero {
					t.Errorf("part %s weight = %v, want zero: %v", p.Name, p.Weight, zero)
				}
				sumW += p.Weight
				sumWV += p.Weight * p.Value
			}
			if len(e.Parts) != len(names) {
				t.Errorf("len(Parts) = %d, want %d", len(e.Parts), len(names))
			}
			if math.Abs(sumW-1) > 1e-12 || math.Abs(sumWV-r.Score) > 1e-12 {
				t.Errorf("Σ weight = %v, Σ weight·value = %v; want 1 and the score %v", sumW, sumWV, r.Score)
			}
		})
	}
}

func TestScoreOfAPerfectMatch(t *testing.T) {
	// Certified at level, everything met, remote work for a remote worker:
	// every part is 1 but text, which is squashed below 1.
	s := newScorer(t, score.DefaultWeights(), rarity)
	nf := baseNeed()
	nf.WorkMode = "remote"
	cf := baseCandidate()
	cf.WorkModes = []string{"remote"}
	for i := range cf.Skills {
		cf.Skills[i].Certified = true
	}
	r := s.Explain(prepNeed(t, s, nf), prepCand(t, s, cf), math.Inf(1))
	for _, p := range r.Explanation.Parts {
		if p.Value != 1 {
			t.Errorf("part %s = %v, want 1", p.Name, p.Value)
		}
	}
	if math.Abs(r.Score-1) > 1e-12 { // a sum of eight weights is 1 only up to rounding
		t.Errorf("Score = %v, want 1", r.Score)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestNoTextLeavesTheTextPartOut: with NoText the text part weighs
// nothing and the score is the same whatever text relevance there would
// have been; it is the other parts' weighted mean.
func TestNoTextLeavesTheTextPartOut(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	n, c := prepNeed(t, s, baseNeed()), prepCand(t, s, baseCandidate())
	r := s.Explain(n, c, score.NoText)
	if got := s.Score(n, c, score.NoText); got != r.Score {
		t.Errorf("Score = %v, Explain().Score = %v, want the same", got, r.Score)
	}
	sum := 0.0
	for _, p := range r.Explanation.Parts {
		if p.Name == score.PartText && (p.Weight != 0 || p.Value != 1) {
			t.Errorf("text part = %+v, want weight 0 and value 1 (does not apply)", p)
		}
		sum += p.Weight * p.Value
	}
	if math.Abs(sum-r.Score) > 1e-12 {
		t.Errorf("Σ weight·value = %v, want the score %v", sum, r.Score)
	}
	if with := s.Score(n, c, 50); with == r.Score {
		t.Errorf("Score with text 50 = %v, the same as with NoText: the test shows nothing", with)
	}
}
