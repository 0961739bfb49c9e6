package score_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/search/score"
)

// synthTaxonomy is a generated hierarchy shaped like ESCO's: skills in
// groups of ten, groups in fields of five, fields under one root, and every
// fifth skill narrower than the one before it. Ancestors are three or four
// deep, as in the real data.
type synthTaxonomy struct {
	ids       []string
	group     map[string]string
	ancestors map[string][]string
}

func newSynth(skills int) *synthTaxonomy {
	s := &synthTaxonomy{group: map[string]string{}, ancestors: map[string][]string{}}
	for i := range skills {
		id := fmt.Sprintf("s%03d", i)
		s.ids = append(s.ids, id)
		g := fmt.Sprintf("g%02d", i/10)
		s.group[id] = g
		var anc []string
		if i%5 == 1 {
			anc = append(anc, s.ids[i-1]) // a broader skill
		}
		s.ancestors[id] = append(anc, g, fmt.Sprintf("f%d", i/50), "root")
	}
	return s
}

func (s *synthTaxonomy) GroupOf(id string) string     { return s.group[id] }
func (s *synthTaxonomy) Ancestors(id string) []string { return s.ancestors[id] }
func (s *synthTaxonomy) Label(id, lang string) string { return lang + ":" + id }

func synthRarity(id string) float64 {
	sum := 0
	for _, b := range []byte(id) {
		sum += int(b)
	}
	return 0.5 + float64(sum%10)/2 // 0.5 .. 5
}

// oddRarity is synthRarity with the values a careless caller might
// return for some skills: zero, negative, NaN, infinite, huge.
func oddRarity(id string) float64 {
	switch id[len(id)-1] {
	case '1':
		return 0
	case '2':
		return -3
	case '3':
		return math.NaN()
	case '4':
		return math.Inf(1)
	case '5':
		return 1e300
	}
	return synthRarity(id)
}

// generator makes random but valid needs and candidates around Haskovo.
type generator struct {
	r   *rand.Rand
	tax *synthTaxonomy
}

func newGenerator(seed uint64) *generator {
	return &generator{r: rand.New(rand.NewPCG(seed, 0x5eed)), tax: newSynth(300)}
}

func (g *generator) skillID() string {
	if g.r.IntN(20) == 0 {
		return "unknown-" + fmt.Sprint(g.r.IntN(3)) // not in the taxonomy
	}
	return g.tax.ids[g.r.IntN(len(g.tax.ids))]
}

func (g *generator) place() (float64, float64) {
	return haskovo[0] + g.r.Float64() - 0.5, haskovo[1] + g.r.Float64() - 0.5 // within ~60 km
}

// dateAfter returns 2026-01-01 plus days as YYYY-MM-DD.
func dateAfter(days int) string {
	return time.Date(2026, 1, 1+days, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func (g *generator) languages(n int) []score.Language {
	codes := []string{"bg", "en", "tr", "de"}
	levels := []string{"A1", "A2", "B1", "B2", "C1", "C2", ""}
	out := make([]score.Language, n)
	for i := range out {
		out[i] = score.Language{Code: codes[g.r.IntN(len(codes))], Level: levels[g.r.IntN(len(levels))]}
	}
	return out
}

func (g *generator) need(id string, nSkills int) score.NeedFacts {
	kinds := []string{"job", "internship", "apprenticeship", "care_pathway"}
	modes := []string{"onsite", "hybrid", "remote"}
	hours := []string{score.FullTime, score.PartTime}
	lat, lon := g.place()
	n := score.NeedFacts{
		ID: id, Kind: kinds[g.r.IntN(len(kinds))],
		Languages: g.languages(g.r.IntN(3)), MinEducation: g.r.IntN(9),
		Lat: lat, Lon: lon, WorkMode: modes[g.r.IntN(len(modes))], Hours: hours[g.r.IntN(2)],
		StartDate: dateAfter(g.r.IntN(365)),
		NightWork: g.r.IntN(10) == 0, Hazardous: g.r.IntN(10) == 0,
	}
	if g.r.IntN(2) == 0 {
		n.EndDate = dateAfter(400 + g.r.IntN(400))
	}
	for range nSkills {
		n.Skills = append(n.Skills, score.WantedSkill{ID: g.skillID(), Level: g.r.IntN(6) - 1, Required: g.r.IntN(3) > 0})
	}
	return n
}

func (g *generator) candidate(id string, nSkills int) score.CandidateFacts {
	lat, lon := g.place()
	c := score.CandidateFacts{
		ID: id, BirthYear: 1990 + g.r.IntN(22), Consent: g.r.IntN(20) > 0,
		Lat: lat, Lon: lon, MaxTravelKm: float64(g.r.IntN(80)),
		Languages: g.languages(g.r.IntN(4)), Education: g.r.IntN(9),
		AvailableFrom: dateAfter(g.r.IntN(300)),
	}
	if g.r.IntN(3) == 0 {
		c.WorkModes = []string{"remote", "onsite"}
	}
	if g.r.IntN(3) == 0 {
		c.Kinds = []string{"job", "internship"}
	}
	if g.r.IntN(4) == 0 {
		c.Hours = score.PartTime
	}
	for range nSkills {
		c.Skills = append(c.Skills, score.HeldSkill{ID: g.skillID(), Level: g.r.IntN(6) - 1, Certified: g.r.IntN(4) == 0})
	}
	return c
}

func (g *generator) weights() score.Weights {
	w := score.DefaultWeights()
	for _, p := range []*float64{&w.Skills, &w.LevelFit, &w.Certified, &w.Languages, &w.Distance, &w.Availability, &w.Education, &w.Text} {
		*p = g.r.Float64()
	}
	w.RequiredFactor = 1 + 5*g.r.Float64()
	w.BroaderCredit, w.SameGroupCredit = g.r.Float64(), g.r.Float64()
	return w
}

// TestScoreWithinUnitInterval is a property test: over random needs,
// candidates, texts and weights the score is in [0, 1], Explain agrees
// with Score bit for bit, and the parts add up to the score.
func TestScoreWithinUnitInterval(t *testing.T) {
	g := newGenerator(1)
	texts := []float64{0, -1, 0.3, 4, 50, math.NaN(), math.Inf(1)}
	for i := range 3000 {
		w := score.DefaultWeights()
		if i%2 == 1 {
			w = g.weights()
		}
		s, err := score.New(g.tax, oddRarity, w, "en")
		if err != nil {
			t.Fatalf("New(random weights %+v): %v", w, err)
		}
		n := prepNeed(t, s, g.need("n", 1+g.r.IntN(12)))
		c := prepCand(t, s, g.candidate("c", g.r.IntN(20)))
		text := texts[g.r.IntN(len(texts))]
		got := s.Score(n, c, text)
		if !(got >= 0 && got <= 1) {
			t.Fatalf("case %d: Score = %v, want it in [0, 1]", i, got)
		}
		r := s.Explain(n, c, text)
		if math.Float64bits(r.Score) != math.Float64bits(got) {
			t.Fatalf("case %d: Explain().Score = %v, Score = %v, want the same bits", i, r.Score, got)
		}
		sum := 0.0
		for _, p := range r.Explanation.Parts {
			if !(p.Value >= 0 && p.Value <= 1 && p.Weight >= 0 && p.Weight <= 1) {
				t.Fatalf("case %d: part %+v, want value and weight in [0, 1]", i, p)
			}
			sum += p.Weight * p.Value
		}
		if math.Abs(sum-got) > 1e-9 {
			t.Fatalf("case %d: Σ weight·value = %v, want the score %v", i, sum, got)
		}
	}
}

// TestMoreNeverScoresLess is a property test of the claim that the
// candidate's side only ever adds: holding one more skill, a skill at a
// higher level, or a certified one never lowers the score.
func TestMoreNeverScoresLess(t *testing.T) {
	g := newGenerator(2)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "en")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		n := prepNeed(t, s, g.need("n", 1+g.r.IntN(10)))
		cf := g.candidate("c", g.r.IntN(15))
		before := s.Score(n, prepCand(t, s, cf), 1)
		more := cf
		more.Skills = slices.Clone(cf.Skills)
		switch k := g.r.IntN(3); {
		case k == 0 || len(more.Skills) == 0:
			more.Skills = append(more.Skills, score.HeldSkill{ID: g.skillID(), Level: 1 + g.r.IntN(4)})
		case k == 1:
			more.Skills[g.r.IntN(len(more.Skills))].Level++
		default:
			more.Skills[g.r.IntN(len(more.Skills))].Certified = true
		}
		if after := s.Score(n, prepCand(t, s, more), 1); after < before {
			t.Fatalf("case %d: Score went from %v to %v with %+v → %+v", i, before, after, cf.Skills, more.Skills)
		}
	}
}

// TestDeterministic shuffles every list in the input and checks that the
// output is the same, bit for bit, and that a ranking does not depend on
// the order candidates arrive in.
func TestDeterministic(t *testing.T) {
	g := newGenerator(3)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "en")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		nf := g.need(fmt.Sprint("n", i), 8)
		cf := g.candidate(fmt.Sprint("c", i), 15)
		cf.WorkModes = []string{"onsite", "hybrid", "remote"}
		cf.Kinds = []string{"job", "internship", "apprenticeship", "care_pathway"}
		want := s.Explain(prepNeed(t, s, nf), prepCand(t, s, cf), 2)
		for range 5 {
			shuffle(g.r, nf.Skills)
			shuffle(g.r, nf.Languages)
			shuffle(g.r, cf.Skills)
			shuffle(g.r, cf.Languages)
			shuffle(g.r, cf.WorkModes)
			shuffle(g.r, cf.Kinds)
			got := s.Explain(prepNeed(t, s, nf), prepCand(t, s, cf), 2)
			if math.Float64bits(got.Score) != math.Float64bits(want.Score) || !reflect.DeepEqual(got, want) {
				t.Fatalf("case %d: shuffled input gave\n%+v\nwant\n%+v", i, got, want)
			}
		}
	}

	n := prepNeed(t, s, g.need("n", 8))
	var cands []*score.PreparedCandidate
	for i := range 100 {
		cands = append(cands, prepCand(t, s, g.candidate(fmt.Sprintf("c%03d", i), 15)))
	}
	want := rank(s, n, cands)
	for range 10 {
		shuffle(g.r, cands)
		if got := rank(s, n, cands); !slices.Equal(got, want) {
			t.Fatalf("ranking of shuffled candidates = %v, want %v", got, want)
		}
	}
}

func rank(s *score.Scorer, n *score.PreparedNeed, cands []*score.PreparedCandidate) []string {
	type scored struct {
		id    string
		score float64
	}
	var all []scored
	for _, c := range cands {
		all = append(all, scored{c.ID(), s.Score(n, c, 0)})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].id < all[j].id
	})
	ids := make([]string, len(all))
	for i, a := range all {
		ids[i] = a.id
	}
	return ids
}

func shuffle[T any](r *rand.Rand, s []T) {
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// TestConcurrentUse shares one Scorer, its cache and prepared values
// between goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	g := newGenerator(5)
	s, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "en")
	if err != nil {
		t.Fatal(err)
	}
	nf := g.need("n", 8)
	n := prepNeed(t, s, nf)
	facts := make([]score.CandidateFacts, 50)
	for i := range facts {
		facts[i] = g.candidate(fmt.Sprint("c", i), 15)
	}
	want := make([]float64, len(facts))
	for i, f := range facts {
		want[i] = s.Score(n, prepCand(t, s, f), 1)
	}
	// The same again on a Scorer whose cache fills up concurrently.
	fresh, err := score.New(g.tax, synthRarity, score.DefaultWeights(), "en")
	if err != nil {
		t.Fatal(err)
	}
	n = prepNeed(t, fresh, nf)
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(facts))
	for range 4 {
		wg.Go(func() {
			for i, f := range facts {
				c, err := fresh.PrepareCandidate(f)
				if err != nil {
					errs <- err.Error()
					return
				}
				if got := fresh.Score(n, c, 1); got != want[i] {
					errs <- fmt.Sprintf("Score(%s) = %v concurrently, want %v", f.ID, got, want[i])
				}
				score.Eligible(n, c)
				fresh.Explain(n, c, 1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
