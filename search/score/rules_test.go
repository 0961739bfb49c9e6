package score_test

import (
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

// config is what a rule case may switch off to show that the case hinges
// on its rule.
type config struct {
	w      score.Weights
	rarity func(string) float64
}

// TestRankingRules checks each ranking rule with a pair of candidates that
// differ only in what the rule looks at: A must outrank B. Each case then
// switches its rule off and checks that A no longer outranks B, which
// shows that the case would fail if the rule were removed.
func TestRankingRules(t *testing.T) {
	need := func(mod func(*score.NeedFacts)) score.NeedFacts {
		n := baseNeed()
		mod(&n)
		return n
	}
	cand := func(mod func(*score.CandidateFacts)) score.CandidateFacts {
		c := baseCandidate()
		mod(&c)
		return c
	}
	withSkills := func(ss ...score.HeldSkill) score.CandidateFacts {
		return cand(func(c *score.CandidateFacts) { c.Skills = ss })
	}
	wanting := func(w ...score.WantedSkill) score.NeedFacts {
		return need(func(n *score.NeedFacts) { n.Skills = w })
	}
	tests := []struct {
		name         string
		need         score.NeedFacts
		a, b         score.CandidateFacts
		textA, textB float64
		off          func(*config) // removes the rule
	}{
		{
			name: "required skills weigh more than preferred ones",
			need: wanting(ws("patient-care", 2, true), ws("cooking", 2, false)),
			a:    withSkills(hs("patient-care", 2)),
			b:    withSkills(hs("cooking", 2)),
			off:  func(c *config) { c.w.RequiredFactor = 1; c.w.PreferredCap = 1 },
		},
		{
			// With fixed shares for required and preferred skills, the one
			// preferred skill here would be worth more than each required one.
			name: "a required skill outweighs a preferred one even among five required",
			need: wanting(ws("patient-care", 2, true), ws("first-aid", 2, true), ws("driving", 2, true),
				ws("spreadsheets", 2, true), ws("excel", 2, true), ws("cooking", 2, false)),
			a:   withSkills(hs("patient-care", 2)),
			b:   withSkills(hs("cooking", 2)),
			off: func(c *config) { c.w.RequiredFactor = 1; c.w.PreferredCap = 1; c.rarity = nil },
		},
		{
			name: "holding a skill at the wanted level beats holding it below",
			need: wanting(ws("patient-care", 3, true)),
			a:    withSkills(hs("patient-care", 3)),
			b:    withSkills(hs("patient-care", 2)),
			off:  levelOff,
		},
		{
			name: "a level closer to the wanted one beats a lower one",
			need: wanting(ws("patient-care", 4, true)),
			a:    withSkills(hs("patient-care", 3)),
			b:    withSkills(hs("patient-care", 1)),
			off:  levelOff,
		},
		{
			// The case: with full credit for a skill held below its
			// level, the preferred skill tipped the order.
			name: "every required skill at level beats all of them a level below plus a preferred one",
			need: wanting(ws("patient-care", 2, true), ws("hygiene", 2, true), ws("driving", 2, false)),
			a:    withSkills(hs("patient-care", 2), hs("hygiene", 2)),
			b:    withSkills(hs("patient-care", 1), hs("hygiene", 1), hs("driving", 2)),
			off: func(c *config) {
				c.w.BelowLevelCredit = 1
				c.w.PreferredCap = 1
				c.w.RequiredFactor = 1
				c.rarity = nil
			},
		},
		{
			name: "a required skill held three levels below the wanted one beats only preferred skills",
			need: wanting(ws("patient-care", 4, true), ws("driving", 2, false), ws("sign-language", 2, false)),
			a:    withSkills(hs("patient-care", 1)),
			b: withSkills(score.HeldSkill{ID: "driving", Level: 2, Certified: true},
				score.HeldSkill{ID: "sign-language", Level: 2, Certified: true}),
			off: func(c *config) { c.w.BelowLevelCredit = 0 },
		},
		{
			name: "a common required skill outweighs a rare preferred one",
			need: wanting(ws("hygiene", 2, true), ws("cooking", 2, true), ws("sign-language", 2, false)),
			a:    withSkills(hs("hygiene", 2)),
			b:    withSkills(hs("sign-language", 2)),
			off:  func(c *config) { c.w.PreferredCap = 1; c.w.RequiredFactor = 1; c.rarity = nil },
		},
		{
			name: "a skill of the same ESCO group earns partial credit",
			need: wanting(ws("wound-care", 2, true)),
			a:    withSkills(hs("patient-care", 2)),
			b:    withSkills(hs("cooking", 2)),
			off:  func(c *config) { c.w.SameGroupCredit = 0 },
		},
		{
			name: "a narrower skill (the wanted one is its ancestor) earns partial credit",
			need: wanting(ws("first-aid", 2, true)),
			a:    withSkills(hs("cpr", 2)),
			b:    withSkills(hs("cooking", 2)),
			off:  func(c *config) { c.w.BroaderCredit = 0 },
		},
		{
			name: "a broader skill (an ancestor of the wanted one) earns partial credit",
			need: wanting(ws("excel", 2, true)),
			a:    withSkills(hs("spreadsheets", 2)),
			b:    withSkills(hs("cooking", 2)),
			off:  func(c *config) { c.w.BroaderCredit = 0 },
		},
		{
			name: "the skill itself beats a related one",
			need: wanting(ws("wound-care", 2, true)),
			a:    withSkills(hs("wound-care", 2)),
			b:    withSkills(hs("patient-care", 2)),
			off:  func(c *config) { c.w.SameGroupCredit = 1 },
		},
		{
			name: "rarer skills discriminate more than common ones",
			need: wanting(ws("sign-language", 2, true), ws("hygiene", 2, true)),
			a:    withSkills(hs("sign-language", 2)),
			b:    withSkills(hs("hygiene", 2)),
			off:  func(c *config) { c.rarity = nil },
		},
		{
			name: "certified evidence counts above declared at the same level",
			need: wanting(ws("patient-care", 2, true)),
			a:    withSkills(score.HeldSkill{ID: "patient-care", Level: 2, Certified: true}),
			b:    withSkills(hs("patient-care", 2)),
			off:  func(c *config) { c.w.Certified = 0 },
		},
		{
			name: "nearer is better within the travel radius",
			need: baseNeed(),
			a:    cand(func(c *score.CandidateFacts) { c.Lat, c.Lon = haskovoNear[0], haskovoNear[1] }),
			b:    cand(func(c *score.CandidateFacts) { c.Lat, c.Lon = dimitrovgrad[0], dimitrovgrad[1] }),
			off:  func(c *config) { c.w.Distance = 0 },
		},
		{
			name: "the nearer candidate wins even with the smaller radius",
			need: baseNeed(),
			a:    cand(func(c *score.CandidateFacts) { c.MaxTravelKm = 5 }),
			b: cand(func(c *score.CandidateFacts) {
				c.Lat, c.Lon, c.MaxTravelKm = dimitrovgrad[0], dimitrovgrad[1], 100
			}),
			off: func(c *config) { c.w.Distance = 0 },
		},
		{
			name: "a language at the wanted level beats one below it",
			need: baseNeed(),
			a:    cand(func(c *score.CandidateFacts) { c.Languages = []score.Language{{Code: "bg", Level: "C1"}} }),
			b:    cand(func(c *score.CandidateFacts) { c.Languages = []score.Language{{Code: "bg", Level: "A2"}} }),
			off:  func(c *config) { c.w.Languages = 0 },
		},
		{
			name: "a language below the wanted level beats none",
			need: baseNeed(),
			a:    cand(func(c *score.CandidateFacts) { c.Languages = []score.Language{{Code: "bg", Level: "B1"}} }),
			b:    cand(func(c *score.CandidateFacts) { c.Languages = []score.Language{{Code: "en", Level: "C2"}} }),
			off:  func(c *config) { c.w.Languages = 0 },
		},
		{
			name:  "text relevance counts, a little",
			need:  baseNeed(),
			a:     baseCandidate(),
			b:     baseCandidate(),
			textA: 8, textB: 2,
			off: func(c *config) { c.w.Text = 0 },
		},
		{
			name: "reaching the minimum education beats falling short of it",
			need: baseNeed(),
			a:    cand(func(c *score.CandidateFacts) { c.Education = 3 }),
			b:    cand(func(c *score.CandidateFacts) { c.Education = 2 }),
			off:  func(c *config) { c.w.Education = 0 },
		},
		{
			name: "available from the start beats available two months late",
			need: baseNeed(),
			a:    cand(func(c *score.CandidateFacts) { c.AvailableFrom = "2026-09-01" }),
			b:    cand(func(c *score.CandidateFacts) { c.AvailableFrom = "2026-11-01" }),
			off:  func(c *config) { c.w.Availability = 0 },
		},
		{
			name: "wanting the hours offered beats wanting other hours",
			need: baseNeed(),
			a:    cand(func(c *score.CandidateFacts) { c.Hours = score.FullTime }),
			b:    cand(func(c *score.CandidateFacts) { c.Hours = score.PartTime }),
			off:  func(c *config) { c.w.HoursMismatch = 1 },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			on := config{w: score.DefaultWeights(), rarity: rarity}
			a, b := pairScores(t, on, tt.need, tt.a, tt.b, tt.textA, tt.textB)
			if !(a > b) {
				t.Errorf("Score(A) = %.6f, Score(B) = %.6f, want A > B", a, b)
			}
			off := on
			tt.off(&off)
			a, b = pairScores(t, off, tt.need, tt.a, tt.b, tt.textA, tt.textB)
			if a > b+1e-12 {
				t.Errorf("with the rule off, Score(A) = %.6f > Score(B) = %.6f: the case does not isolate the rule", a, b)
			}
		})
	}
}

// levelOff removes every way the level held counts: the level part and
// the credit lost per level short.
func levelOff(c *config) { c.w.LevelFit = 0; c.w.BelowLevelCredit = 1 }

func pairScores(t *testing.T, cfg config, nf score.NeedFacts, af, bf score.CandidateFacts, textA, textB float64) (float64, float64) {
	t.Helper()
	s := newScorer(t, cfg.w, cfg.rarity)
	n := prepNeed(t, s, nf)
	a, b := prepCand(t, s, af), prepCand(t, s, bf)
	for _, c := range []*score.PreparedCandidate{a, b} {
		if ok, reasons, _ := score.Eligible(n, c); !ok {
			t.Fatalf("Eligible(%s, %s) = false %v, want a pair that passes the hard filters", n.ID(), c.ID(), reasons)
		}
	}
	return s.Score(n, a, textA), s.Score(n, b, textB)
}

// TestDistantAncestorsAreNotRelated: every fake skill hangs under g-root,
// and sharing only that must earn nothing, or every skill would be
// related to every other.
func TestDistantAncestorsAreNotRelated(t *testing.T) {
	s := newScorer(t, score.DefaultWeights(), rarity)
	nf := baseNeed()
	nf.Skills = []score.WantedSkill{ws("wound-care", 2, true), ws("first-aid", 2, true)}
	n := prepNeed(t, s, nf)
	unrelated, none := baseCandidate(), baseCandidate()
	unrelated.Skills = skills(hs("cooking", 4), hs("excel", 4))
	none.Skills = nil
	r := s.Explain(n, prepCand(t, s, unrelated), 0)
	if len(r.Explanation.MatchedSkills) != 0 {
		t.Errorf("MatchedSkills = %+v, want none", r.Explanation.MatchedSkills)
	}
	if want := s.Score(n, prepCand(t, s, none), 0); r.Score != want {
		t.Errorf("Score(unrelated skills) = %v, want %v, the score of no skills", r.Score, want)
	}
}
