package score

import (
	"errors"
	"fmt"
	"math"
)

// Weights holds every tunable of the score in one place. The part weights
// are relative: the score divides by the sum of the weights of the parts
// that apply, so they need not add up to one.
type Weights struct {
	// Part weights.
	Skills       float64 // wanted skills held, split into requiredSkills and preferredSkills by importance
	LevelFit     float64 // wanted skills held at the wanted level
	Certified    float64 // wanted skills held with certified evidence
	Languages    float64 // wanted languages at the wanted CEFR level
	Distance     float64 // nearness of the work
	Availability float64 // the candidate covers the need's period and hours
	Education    float64 // the need's minimum ISCED level reached
	Text         float64 // the caller's full-text relevance

	// RequiredFactor is how many preferred skills of the same rarity one
	// required skill is worth. It must be at least 1.
	RequiredFactor float64
	// PreferredCap bounds the preferred skills of a need that has required
	// ones: together they weigh at most PreferredCap times its least
	// important required skill, however rare they are. Finite, not
	// negative.
	PreferredCap float64
	// BelowLevelCredit, in [0, 1], is the share of a skill's credit kept
	// for each level it is held below the wanted one: one level short
	// earns BelowLevelCredit, two levels BelowLevelCredit². A skill held
	// below the wanted level is partly missing, not held.
	BelowLevelCredit float64
	// BroaderCredit is the credit, in [0, 1], for holding a skill that is
	// a broader or a narrower concept of the wanted one.
	BroaderCredit float64
	// SameGroupCredit is the credit, in [0, 1], for holding a skill of the
	// wanted skill's ESCO group.
	SameGroupCredit float64
	// LanguageBelowCredit scales the credit for a wanted language held below
	// the wanted level: LanguageBelowCredit·has/wanted, in [0, 1].
	LanguageBelowCredit float64
	// HoursMismatch multiplies the availability part when the candidate
	// wants other hours than the need offers, in [0, 1].
	HoursMismatch float64
	// DistanceHalfKm is the distance at which the distance part is 0.5.
	DistanceHalfKm float64
	// OpenEndDays is how much of an open-ended need's period the
	// availability part looks at.
	OpenEndDays int
	// TextHalf is the BM25 score at which the text part is 0.5. BM25 is
	// unbounded, so it is squashed with t/(t+TextHalf); tune it to the
	// index's typical scores.
	TextHalf float64
	// RarityMin and RarityMax clamp the caller's rarity, so that neither a
	// skill nobody has nor one everybody has takes over the score.
	RarityMin, RarityMax float64
}

// DefaultWeights returns the weights the product ships with. Skills
// dominate (0.51 for holding them, 0.15 for their levels, 0.05 for
// certified evidence: 71% in all) because matching skills is the point of
// the register; the rest tells apart candidates with similar skills.
// Distance is light (0.04): the travel radius is already a hard filter, and
// at 0.10 a nearer candidate with 60% of the skills outranked one with 75%
// 50 km away in the relevance evaluation (search/eval).
//
// BelowLevelCredit and PreferredCap keep two orders an officer expects,
// which the judgements of search/eval check, whatever the rarities. All
// preferred skills together, certified, bring at most PreferredCap·(0.51 +
// 0.15 + 0.05) ≈ 0.11 of the least important required skill's importance.
// Holding every required skill at the wanted level beats holding them a
// level below plus every preferred skill: one level short costs at least
// 0.51·(1 − 0.6) + 0.15/4 ≈ 0.24 of the skill's importance. And holding a
// required skill, even three levels below, beats holding only preferred
// ones: it brings at least 0.51·0.6³ + 0.15/4 ≈ 0.15. At 0.5 the second
// order needed a cap of 0.14; a cap tied to RequiredFactor (1/3) broke
// both.
func DefaultWeights() Weights {
	return Weights{
		Skills:       0.51,
		LevelFit:     0.15,
		Certified:    0.05,
		Languages:    0.08,
		Distance:     0.04,
		Availability: 0.07,
		Education:    0.05,
		Text:         0.05,

		RequiredFactor:      3,    // a required skill is worth three preferred ones
		PreferredCap:        0.15, // all preferred skills together: 15% of the least required one
		BelowLevelCredit:    0.6,  // one level short: 60% of the skill; two: 36%; three: 22%
		BroaderCredit:       0.5,  // a broader or narrower concept: half a skill
		SameGroupCredit:     0.3,  // a sibling in the ESCO group: less, groups are wide
		LanguageBelowCredit: 0.5,  // B1 where B2 is wanted: 0.5·3/4
		HoursMismatch:       0.5,
		DistanceHalfKm:      20,  // Haskovo–Dimitrovgrad (13 km) ≈ 0.6, Plovdiv (70 km) ≈ 0.22
		OpenEndDays:         180, // a job: the first six months count
		TextHalf:            5,   // a few matched terms in BM25
		RarityMin:           0.1,
		RarityMax:           10,
	}
}

// Validate reports weights that would make the score meaningless: a
// negative or non-finite number, a credit above 1, no part weight at all.
func (w Weights) Validate() error {
	var errs []error
	parts := []float64{w.Skills, w.LevelFit, w.Certified, w.Languages, w.Distance, w.Availability, w.Education, w.Text}
	sum := 0.0
	for _, v := range parts {
		sum += v
		if !finiteNonNegative(v) {
			errs = append(errs, fmt.Errorf("part weight %v: must be finite and not negative", v))
		}
	}
	if sum <= 0 {
		errs = append(errs, errors.New("part weights: at least one must be positive"))
	}
	if !(w.RequiredFactor >= 1) || math.IsInf(w.RequiredFactor, 0) {
		errs = append(errs, fmt.Errorf("RequiredFactor %v: must be finite and at least 1", w.RequiredFactor))
	}
	if !finiteNonNegative(w.PreferredCap) {
		errs = append(errs, fmt.Errorf("PreferredCap %v: must be finite and not negative", w.PreferredCap))
	}
	credits := []struct {
		name string
		v    float64
	}{
		{"BroaderCredit", w.BroaderCredit}, {"SameGroupCredit", w.SameGroupCredit}, {"BelowLevelCredit", w.BelowLevelCredit},
		{"LanguageBelowCredit", w.LanguageBelowCredit}, {"HoursMismatch", w.HoursMismatch},
	}
	for _, c := range credits {
		if !(c.v >= 0 && c.v <= 1) {
			errs = append(errs, fmt.Errorf("%s %v: must be in [0, 1]", c.name, c.v))
		}
	}
	if !positiveFinite(w.DistanceHalfKm) || !positiveFinite(w.TextHalf) {
		errs = append(errs, errors.New("DistanceHalfKm and TextHalf: must be finite and positive"))
	}
	if w.OpenEndDays < 1 {
		errs = append(errs, errors.New("OpenEndDays: must be at least 1"))
	}
	if !positiveFinite(w.RarityMin) || !positiveFinite(w.RarityMax) || w.RarityMax < w.RarityMin {
		errs = append(errs, errors.New("RarityMin, RarityMax: must be finite, positive and in order"))
	}
	return errors.Join(errs...)
}

func finiteNonNegative(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }

func positiveFinite(v float64) bool { return v > 0 && !math.IsInf(v, 1) }
