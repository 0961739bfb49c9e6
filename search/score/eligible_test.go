package score_test

import (
	"math"
	"slices"
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

func TestEligible(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	dimitrovgradKm := distanceKm(t, s, dimitrovgrad)

	tests := []struct {
		name       string
		need       func(*score.NeedFacts)
		cand       func(*score.CandidateFacts)
		wantOK     bool
		wantReason []score.Reason
		wantPermit bool
	}{
		{name: "an adult who fits", wantOK: true},
		{
			name:       "no consent to matching",
			cand:       func(c *score.CandidateFacts) { c.Consent = false },
			wantReason: []score.Reason{score.ReasonNoConsent},
		},
		{
			name:       "forecast needs are never matched",
			need:       func(n *score.NeedFacts) { n.Kind = score.KindForecast },
			wantReason: []score.Reason{score.ReasonForecast},
		},
		{
			name:       "forecast needs are not matched even to someone interested in them",
			need:       func(n *score.NeedFacts) { n.Kind = score.KindForecast },
			cand:       func(c *score.CandidateFacts) { c.Kinds = []string{score.KindForecast} },
			wantReason: []score.Reason{score.ReasonForecast},
		},
		{
			name:       "kind not among the interests",
			cand:       func(c *score.CandidateFacts) { c.Kinds = []string{"internship", "apprenticeship"} },
			wantReason: []score.Reason{score.ReasonKind},
		},
		{
			name:   "kind among the interests",
			cand:   func(c *score.CandidateFacts) { c.Kinds = []string{"internship", "job"} },
			wantOK: true,
		},
		{
			name:   "no interests means any kind",
			need:   func(n *score.NeedFacts) { n.Kind = "care_pathway" },
			cand:   func(c *score.CandidateFacts) { c.Kinds = nil },
			wantOK: true,
		},
		{
			name:   "Dimitrovgrad within a 14 km radius",
			cand:   at(dimitrovgrad, 14),
			wantOK: true,
		},
		{
			name:       "Dimitrovgrad beyond a 13 km radius",
			cand:       at(dimitrovgrad, 13),
			wantReason: []score.Reason{score.ReasonTooFar},
		},
		{
			name:   "exactly at the radius is within it",
			cand:   at(dimitrovgrad, dimitrovgradKm),
			wantOK: true,
		},
		{
			name:       "just beyond the radius",
			cand:       at(dimitrovgrad, math.Nextafter(dimitrovgradKm, 0)),
			wantReason: []score.Reason{score.ReasonTooFar},
		},
		{
			name:       "Plovdiv beyond a 50 km radius",
			cand:       at(plovdiv, 50),
			wantReason: []score.Reason{score.ReasonTooFar},
		},
		{
			name: "a remote need for someone who works remotely ignores distance",
			need: func(n *score.NeedFacts) { n.WorkMode = "remote" },
			cand: func(c *score.CandidateFacts) {
				at(plovdiv, 50)(c)
				c.WorkModes = []string{"onsite", "remote"}
			},
			wantOK: true,
		},
		{
			name:       "a remote need for someone who does not work remotely keeps the radius",
			need:       func(n *score.NeedFacts) { n.WorkMode = "remote" },
			cand:       at(plovdiv, 50),
			wantReason: []score.Reason{score.ReasonTooFar},
		},
		{
			name: "a hybrid need keeps the radius even for a remote worker",
			need: func(n *score.NeedFacts) { n.WorkMode = "hybrid" },
			cand: func(c *score.CandidateFacts) {
				at(plovdiv, 50)(c)
				c.WorkModes = []string{"remote"}
			},
			wantReason: []score.Reason{score.ReasonTooFar},
		},
		{
			name:   "available until the start date: touching dates overlap",
			cand:   func(c *score.CandidateFacts) { c.AvailableTo = "2026-09-01" },
			wantOK: true,
		},
		{
			name:       "available until the day before the start",
			cand:       func(c *score.CandidateFacts) { c.AvailableTo = "2026-08-31" },
			wantReason: []score.Reason{score.ReasonNotAvailable},
		},
		{
			name:   "available from the end date: touching dates overlap",
			need:   func(n *score.NeedFacts) { n.EndDate = "2026-12-31" },
			cand:   func(c *score.CandidateFacts) { c.AvailableFrom = "2026-12-31" },
			wantOK: true,
		},
		{
			name:       "available from the day after the end",
			need:       func(n *score.NeedFacts) { n.EndDate = "2026-12-31" },
			cand:       func(c *score.CandidateFacts) { c.AvailableFrom = "2027-01-01" },
			wantReason: []score.Reason{score.ReasonNotAvailable},
		},
		{
			name:   "an open-ended need and a late but open-ended candidate",
			cand:   func(c *score.CandidateFacts) { c.AvailableFrom = "2030-01-01" },
			wantOK: true,
		},
		{
			name:   "no dates on the candidate: available now and always",
			cand:   func(c *score.CandidateFacts) { c.AvailableFrom, c.AvailableTo = "", "" },
			wantOK: true,
		},
		{
			name:   "born 2007, start 2026: 18 or 19 on the start date, an adult",
			cand:   born(2007),
			wantOK: true,
		},
		{
			name:       "born 2008, start 2026: may still be 17, a minor: eligible with a permit",
			cand:       born(2008),
			wantOK:     true,
			wantPermit: true,
		},
		{
			name:       "a minor and night work",
			need:       func(n *score.NeedFacts) { n.NightWork = true },
			cand:       born(2008),
			wantReason: []score.Reason{score.ReasonMinorNight},
			wantPermit: true,
		},
		{
			name:       "a minor and hazardous work",
			need:       func(n *score.NeedFacts) { n.Hazardous = true },
			cand:       born(2008),
			wantReason: []score.Reason{score.ReasonMinorHazardous},
			wantPermit: true,
		},
		{
			name:   "an adult and night, hazardous work",
			need:   func(n *score.NeedFacts) { n.NightWork, n.Hazardous = true, true },
			cand:   born(2007),
			wantOK: true,
		},
		{
			name:       "born 2010, start 2026: may still be 15, not full time and not other than light work",
			cand:       born(2010),
			wantReason: []score.Reason{score.ReasonUnder16Hours, score.ReasonNotLightWork},
			wantPermit: true,
		},
		{
			name:       "may still be 15, part time but not flagged light work",
			need:       func(n *score.NeedFacts) { n.Hours = score.PartTime },
			cand:       born(2010),
			wantReason: []score.Reason{score.ReasonNotLightWork},
			wantPermit: true,
		},
		{
			name:       "may still be 15, part-time light work: eligible with a permit",
			need:       func(n *score.NeedFacts) { n.Hours, n.LightWork = score.PartTime, true },
			cand:       born(2010),
			wantOK:     true,
			wantPermit: true,
		},
		{
			name:       "15 on the start date (born 2011-08), part-time light work: eligible with a permit",
			need:       func(n *score.NeedFacts) { n.Hours, n.LightWork = score.PartTime, true },
			cand:       bornOn("2011-08"),
			wantOK:     true,
			wantPermit: true,
		},
		{
			name:       "15 on the start date and light work at night",
			need:       func(n *score.NeedFacts) { n.Hours, n.LightWork, n.NightWork = score.PartTime, true, true },
			cand:       bornOn("2011-08"),
			wantReason: []score.Reason{score.ReasonMinorNight},
			wantPermit: true,
		},
		{
			name:       "turns 15 in the month after the start (born 2011-09): below working age even for light work",
			need:       func(n *score.NeedFacts) { n.Hours, n.LightWork = score.PartTime, true },
			cand:       bornOn("2011-09"),
			wantReason: []score.Reason{score.ReasonUnderAge},
			wantPermit: true,
		},
		{
			name:       "turns 15 on the start day: old enough for light work",
			need:       func(n *score.NeedFacts) { n.Hours, n.LightWork = score.PartTime, true },
			cand:       bornOn("2011-09-01"),
			wantOK:     true,
			wantPermit: true,
		},
		{
			name:       "turns 16 in the start month (born 2010-09-30): still 15 on 1 September, light work only",
			cand:       bornOn("2010-09-30"),
			wantReason: []score.Reason{score.ReasonUnder16Hours, score.ReasonNotLightWork},
			wantPermit: true,
		},
		{
			name:       "born 2010-09 to the month: may still be 15 on 1 September",
			cand:       bornOn("2010-09"),
			wantReason: []score.Reason{score.ReasonUnder16Hours, score.ReasonNotLightWork},
			wantPermit: true,
		},
		{
			name:       "born 2010-08: 16 on 1 September, full-time work with a permit",
			cand:       bornOn("2010-08"),
			wantOK:     true,
			wantPermit: true,
		},
		{
			name:       "17 on the start day: always the permit flag",
			cand:       bornOn("2009-01"),
			wantOK:     true,
			wantPermit: true,
		},
		{
			name:       "17 on the start day and night work",
			need:       func(n *score.NeedFacts) { n.NightWork = true },
			cand:       bornOn("2009-01"),
			wantReason: []score.Reason{score.ReasonMinorNight},
			wantPermit: true,
		},
		{
			name:       "turns 18 in the month after the start (born 2008-09): still 17, no hazardous work",
			need:       func(n *score.NeedFacts) { n.Hazardous = true },
			cand:       bornOn("2008-09"),
			wantReason: []score.Reason{score.ReasonMinorHazardous},
			wantPermit: true,
		},
		{
			name:   "turned 18 the month before the start (born 2008-08): an adult",
			need:   func(n *score.NeedFacts) { n.Hazardous, n.NightWork = true, true },
			cand:   bornOn("2008-08"),
			wantOK: true,
		},
		{
			name:       "a held profile (under 14, no guardian's consent) is never eligible",
			cand:       func(c *score.CandidateFacts) { c.GuardianPending = true },
			wantReason: []score.Reason{score.ReasonGuardian},
		},
		{
			name:       "born 2009, start 2026: at least 16, full time with a permit",
			cand:       born(2009),
			wantOK:     true,
			wantPermit: true,
		},
		{
			name:       "born 2011, start 2026: may still be 14, below working age",
			need:       func(n *score.NeedFacts) { n.Hours = score.PartTime },
			cand:       born(2011),
			wantReason: []score.Reason{score.ReasonUnderAge},
			wantPermit: true,
		},
		{
			name:       "no birth year",
			cand:       born(0),
			wantReason: []score.Reason{score.ReasonAgeUnknown},
			wantPermit: true,
		},
		{
			name: "every failed filter, in order",
			need: func(n *score.NeedFacts) { n.NightWork = true },
			cand: func(c *score.CandidateFacts) {
				c.Consent = false
				c.Kinds = []string{"internship"}
				at(plovdiv, 10)(c)
				c.AvailableTo = "2026-01-31"
				c.BirthYear = 2008
			},
			wantReason: []score.Reason{score.ReasonNoConsent, score.ReasonKind, score.ReasonTooFar,
				score.ReasonNotAvailable, score.ReasonMinorNight},
			wantPermit: true,
		},
	}
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
			ok, reasons, permit := score.Eligible(n, c)
			if ok != tt.wantOK || !slices.Equal(reasons, tt.wantReason) || permit != tt.wantPermit {
				t.Errorf("Eligible() = %v, %v, permit %v; want %v, %v, permit %v",
					ok, reasons, permit, tt.wantOK, tt.wantReason, tt.wantPermit)
			}
		})
	}
}

// TestDistances pins the haversine distances the travel tests rely on.
func TestDistances(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	for _, tt := range []struct {
		name   string
		place  [2]float64
		want   float64
		within float64
	}{
		{"Haskovo to Dimitrovgrad", dimitrovgrad, 13, 0.5},
		{"Haskovo to Plovdiv", plovdiv, 70, 1},
	} {
		if got := distanceKm(t, s, tt.place); math.Abs(got-tt.want) > tt.within {
			t.Errorf("%s = %.2f km, want %v ± %v", tt.name, got, tt.want, tt.within)
		}
	}
}

func distanceKm(t *testing.T, s *score.Scorer, place [2]float64) float64 {
	t.Helper()
	cf := baseCandidate()
	cf.Lat, cf.Lon = place[0], place[1]
	return s.Explain(prepNeed(t, s, baseNeed()), prepCand(t, s, cf), 0).Explanation.DistanceKm
}

func at(place [2]float64, maxKm float64) func(*score.CandidateFacts) {
	return func(c *score.CandidateFacts) { c.Lat, c.Lon, c.MaxTravelKm = place[0], place[1], maxKm }
}

func born(year int) func(*score.CandidateFacts) {
	return func(c *score.CandidateFacts) { c.BirthYear = year }
}

func bornOn(date string) func(*score.CandidateFacts) {
	return func(c *score.CandidateFacts) { c.BirthYear, c.BirthDate = 0, date }
}

func TestPrepareRejectsBadDates(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	for _, tt := range []struct {
		name string
		mod  func(*score.NeedFacts)
	}{
		{"no start date", func(n *score.NeedFacts) { n.StartDate = "" }},
		{"malformed start date", func(n *score.NeedFacts) { n.StartDate = "1.9.2026" }},
		{"malformed end date", func(n *score.NeedFacts) { n.EndDate = "2026-13-01" }},
		{"end before start", func(n *score.NeedFacts) { n.EndDate = "2026-08-31" }},
	} {
		nf := baseNeed()
		tt.mod(&nf)
		if _, err := s.PrepareNeed(nf); err == nil {
			t.Errorf("PrepareNeed(%s) = nil error, want one", tt.name)
		}
	}
	for _, tt := range []struct {
		name string
		mod  func(*score.CandidateFacts)
	}{
		{"malformed availableFrom", func(c *score.CandidateFacts) { c.AvailableFrom = "soon" }},
		{"availableTo before availableFrom", func(c *score.CandidateFacts) { c.AvailableTo = "2025-12-31" }},
		{"a birth year as birth date", func(c *score.CandidateFacts) { c.BirthDate = "2009" }},
		{"a birth date with no such month", func(c *score.CandidateFacts) { c.BirthDate = "2009-13" }},
	} {
		cf := baseCandidate()
		tt.mod(&cf)
		if _, err := s.PrepareCandidate(cf); err == nil {
			t.Errorf("PrepareCandidate(%s) = nil error, want one", tt.name)
		}
	}
}

func TestWeightsValidate(t *testing.T) {
	if err := score.DefaultWeights().Validate(); err != nil {
		t.Fatalf("DefaultWeights().Validate() = %v, want nil", err)
	}
	for _, tt := range []struct {
		name string
		mod  func(*score.Weights)
	}{
		{"negative part", func(w *score.Weights) { w.Text = -0.1 }},
		{"NaN part", func(w *score.Weights) { w.Distance = math.NaN() }},
		{"all parts zero", func(w *score.Weights) {
			*w = score.Weights{RequiredFactor: 1, DistanceHalfKm: 1, TextHalf: 1, OpenEndDays: 1, RarityMin: 1, RarityMax: 1}
		}},
		{"required below preferred", func(w *score.Weights) { w.RequiredFactor = 0.5 }},
		{"credit above 1", func(w *score.Weights) { w.BroaderCredit = 1.5 }},
		{"zero half distance", func(w *score.Weights) { w.DistanceHalfKm = 0 }},
		{"rarity bounds reversed", func(w *score.Weights) { w.RarityMin, w.RarityMax = 2, 1 }},
	} {
		w := score.DefaultWeights()
		tt.mod(&w)
		if _, err := score.New(nil, nil, w, "bg"); err == nil {
			t.Errorf("New(weights with %s) = nil error, want one", tt.name)
		}
	}
}
