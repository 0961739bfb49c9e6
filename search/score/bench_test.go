package score_test

import (
	"fmt"
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

// benchNeed is a need of realistic size: 8 skills, 5 of them required.
func benchNeed(g *generator, id string) score.NeedFacts {
	nf := baseNeed()
	nf.ID = id
	nf.Skills = nil
	for i := range 8 {
		nf.Skills = append(nf.Skills, score.WantedSkill{ID: g.skillID(), Level: 1 + g.r.IntN(4), Required: i < 5})
	}
	nf.Languages = []score.Language{{Code: "bg", Level: "B2"}, {Code: "en", Level: "A2"}}
	return nf
}

// benchCandidate holds 15 skills: some wanted by the need itself, some of
// their group or broader or narrower, the rest random.
func benchCandidate(g *generator, id string, need score.NeedFacts) score.CandidateFacts {
	cf := baseCandidate()
	cf.ID = id
	cf.Lat, cf.Lon = g.place()
	cf.MaxTravelKm = 100
	cf.Skills = nil
	for i := range 15 {
		sk := g.skillID()
		if i < 8 && g.r.IntN(2) == 0 {
			sk = need.Skills[i].ID // the wanted skill itself
		} else if i < 8 {
			sk = sibling(g, need.Skills[i].ID) // same group, or broader/narrower
		}
		cf.Skills = append(cf.Skills, score.HeldSkill{ID: sk, Level: 1 + g.r.IntN(4), Certified: g.r.IntN(4) == 0})
	}
	cf.Languages = []score.Language{{Code: "bg", Level: "C2"}, {Code: "en", Level: "B1"}}
	return cf
}

// sibling returns a skill next to id in the synthetic hierarchy: the same
// group, and for every fifth skill its broader one.
func sibling(g *generator, id string) string {
	var i int
	if _, err := fmt.Sscanf(id, "s%03d", &i); err != nil {
		return id
	}
	return g.tax.ids[i/10*10+g.r.IntN(10)]
}

func benchPair(b *testing.B) (*score.Scorer, *score.PreparedNeed, *score.PreparedCandidate) {
	g := newGenerator(7)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "bg")
	if err != nil {
		b.Fatal(err)
	}
	nf := benchNeed(g, "n")
	return s, prepNeed(b, s, nf), prepCand(b, s, benchCandidate(g, "c", nf))
}

// BenchmarkScoreCandidate explains one prepared need (8 skills) against
// one prepared candidate (15 skills).
func BenchmarkScoreCandidate(b *testing.B) {
	s, n, c := benchPair(b)
	b.ReportAllocs()
	for b.Loop() {
		s.Explain(n, c, 3)
	}
}

// BenchmarkScoreOnly is the same pair without the explanation: the cost
// of ranking before explaining the top ones.
func BenchmarkScoreOnly(b *testing.B) {
	s, n, c := benchPair(b)
	b.ReportAllocs()
	for b.Loop() {
		s.Score(n, c, 3)
	}
}

func bench300(b *testing.B) (*score.Scorer, *score.PreparedNeed, []score.CandidateFacts) {
	g := newGenerator(8)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "bg")
	if err != nil {
		b.Fatal(err)
	}
	nf := benchNeed(g, "n")
	facts := make([]score.CandidateFacts, 300)
	for i := range facts {
		facts[i] = benchCandidate(g, fmt.Sprint("c", i), nf)
	}
	return s, prepNeed(b, s, nf), facts
}

// BenchmarkScore300 is one match request for a need: the hard filters and
// the explained score for 300 prepared candidates.
func BenchmarkScore300(b *testing.B) {
	s, n, facts := bench300(b)
	cands := make([]*score.PreparedCandidate, len(facts))
	for i, f := range facts {
		cands[i] = prepCand(b, s, f)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cands {
			if ok, _, _ := score.Eligible(n, c); ok {
				s.Explain(n, c, 3)
			}
		}
	}
}

// BenchmarkPrepareAndScore300 is BenchmarkScore300 with the candidates
// prepared inside the request, as when they are not cached.
func BenchmarkPrepareAndScore300(b *testing.B) {
	s, n, facts := bench300(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range facts {
			c, err := s.PrepareCandidate(f)
			if err != nil {
				b.Fatal(err)
			}
			if ok, _, _ := score.Eligible(n, c); ok {
				s.Explain(n, c, 3)
			}
		}
	}
}

// BenchmarkNextSkills is one job-seeker (15 skills) against 500 prepared
// needs of 8 skills, all eligible: two thirds of them one required skill
// away, the rest two.
func BenchmarkNextSkills(b *testing.B) {
	g := newGenerator(9)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "bg")
	if err != nil {
		b.Fatal(err)
	}
	cf := baseCandidate()
	cf.MaxTravelKm = 100
	cf.Skills = nil
	for range 15 {
		cf.Skills = append(cf.Skills, score.HeldSkill{ID: g.skillID(), Level: 4})
	}
	c := prepCand(b, s, cf)
	var needs []*score.PreparedNeed
	for i := range 500 {
		nf := benchNeed(g, fmt.Sprint("n", i))
		held := 4 // required skills the candidate holds
		if i%3 == 0 {
			held = 3
		}
		for j := range held {
			nf.Skills[j].ID = cf.Skills[g.r.IntN(len(cf.Skills))].ID
		}
		needs = append(needs, prepNeed(b, s, nf))
	}
	if got := score.NextSkills(c, needs, 5); len(got) == 0 || got[0].Opens < 2 {
		b.Fatalf("NextSkills = %+v: the benchmark needs skills that open several needs", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		score.NextSkills(c, needs, 5)
	}
}

// BenchmarkPrepareNeed prepares a need of 8 skills.
func BenchmarkPrepareNeed(b *testing.B) {
	g := newGenerator(10)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "bg")
	if err != nil {
		b.Fatal(err)
	}
	nf := benchNeed(g, "n")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PrepareNeed(nf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepareCandidate prepares a candidate of 15 skills whose
// taxonomy facts are already cached.
func BenchmarkPrepareCandidate(b *testing.B) {
	g := newGenerator(11)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "bg")
	if err != nil {
		b.Fatal(err)
	}
	cf := benchCandidate(g, "c", benchNeed(g, "n"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PrepareCandidate(cf); err != nil {
			b.Fatal(err)
		}
	}
}
