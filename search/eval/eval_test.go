package eval

import (
	"bytes"
	"context"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/taxonomy"
)

var loadESCO = sync.OnceValues(taxonomy.Load)

func esco(t *testing.T) *taxonomy.Taxonomy {
	t.Helper()
	if testing.Short() {
		t.Skip("loading the taxonomy and indexing a set take seconds")
	}
	tx, err := loadESCO()
	if err != nil {
		t.Fatalf("taxonomy.Load: %v", err)
	}
	return tx
}

// smallConfig is DefaultConfig at half the size: 30 needs, 390 labelled
// and 6 ineligible candidates.
func smallConfig() Config {
	cfg := DefaultConfig()
	cfg.Occupations, cfg.Others, cfg.Ineligible = 30, 60, 6
	return cfg
}

// TestProductBeatsBaselines is the promise: on the labelled set,
// the product ranks better than counting skills and than BM25 on text, on
// both measures. It fails when a change to retrieval or scoring makes the
// ranking worse than a baseline.
// It runs what Run runs, with the taxonomy the other tests share (loading
// it takes about 10 s under the race detector).
func TestProductBeatsBaselines(t *testing.T) {
	tx := esco(t)
	set := Generate(tx, smallConfig())
	rep, err := Evaluate(context.Background(), tx, &set)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	var out bytes.Buffer
	if err := rep.Print(&out); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	for _, b := range []struct {
		name string
		s    Score
	}{{"skill overlap", rep.Overlap}, {"BM25 text", rep.Text}} {
		if !(rep.Product.NDCG10 > b.s.NDCG10) {
			t.Errorf("product nDCG@10 = %.4f, want above %s's %.4f", rep.Product.NDCG10, b.name, b.s.NDCG10)
		}
		if !(rep.Product.P5 > b.s.P5) {
			t.Errorf("product P@5 = %.4f, want above %s's %.4f", rep.Product.P5, b.name, b.s.P5)
		}
	}
	if rep.Needs != 30 || rep.Candidates != 390 || rep.Ineligible != 6 {
		t.Errorf("Evaluate: %d needs, %d candidates, %d ineligible; want 30, 390, 6", rep.Needs, rep.Candidates, rep.Ineligible)
	}
}

func TestReportPrint(t *testing.T) {
	rep := Report{Needs: 60, Candidates: 780, Ineligible: 12,
		Product: Score{0.9581, 0.9766}, Overlap: Score{0.953, 0.967}, Text: Score{0.5654, 0.6233}}
	var out bytes.Buffer
	if err := rep.Print(&out); err != nil {
		t.Fatal(err)
	}
	want := `ranker         nDCG@10  P@5    needs  candidates
product        0.958    0.977  60     780
skill overlap  0.953    0.967  60     780
BM25 text      0.565    0.623  60     780
(12 ineligible candidates in the product's index, none shown)
`
	if out.String() != want {
		t.Errorf("Print =\n%s\nwant\n%s", out.String(), want)
	}
}

func TestNDCG(t *testing.T) {
	// Gains 2^g − 1: grade 3 → 7, 2 → 3, 1 → 1; discounts log2(i+1):
	// 1, 1.585, 2, 2.322.
	log3 := math.Log2(3)
	tests := []struct {
		name        string
		ranked, all []int
		k           int
		want        float64
	}{
		{"ideal order", []int{3, 2, 1}, []int{1, 3, 2}, 10, 1},
		{"missed a weak one", []int{3, 2, 0}, []int{3, 2, 1, 0}, 10, (7 + 3/log3) / (7 + 3/log3 + 1.0/2)},
		{"strong one second", []int{1, 3}, []int{3, 1}, 10, (1 + 7/log3) / (7 + 1/log3)},
		{"cut at k", []int{0, 0, 3}, []int{3}, 2, 0},
		{"ideal beyond k ignored", []int{3}, []int{3, 3}, 1, 1},
		{"nothing relevant", []int{0, 0}, []int{0, 0, 0}, 10, 0},
		{"empty ranking", nil, []int{2}, 10, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NDCG(tt.ranked, tt.all, tt.k); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("NDCG(%v, %v, %d) = %.6f, want %.6f", tt.ranked, tt.all, tt.k, got, tt.want)
			}
		})
	}
}

func TestNDCGDoesNotReorderAll(t *testing.T) {
	all := []int{1, 3, 2}
	NDCG([]int{3}, all, 10)
	if !reflect.DeepEqual(all, []int{1, 3, 2}) {
		t.Errorf("NDCG changed its argument to %v", all)
	}
}

func TestPrecisionAt(t *testing.T) {
	tests := []struct {
		ranked      []int
		k, minGrade int
		want        float64
		name        string
	}{
		{[]int{3, 0, 2, 1, 2, 3}, 5, 2, 0.6, "three of five"},
		{[]int{3, 0, 2, 1, 2}, 5, 1, 0.8, "grade 1 counts when asked"},
		{[]int{2}, 5, 2, 0.2, "short ranking: empty ranks miss"},
		{nil, 5, 2, 0, "empty ranking"},
		{[]int{3}, 0, 2, 0, "k 0"},
	}
	for _, tt := range tests {
		if got := PrecisionAt(tt.ranked, tt.k, tt.minGrade); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: PrecisionAt(%v, %d, %d) = %v, want %v", tt.name, tt.ranked, tt.k, tt.minGrade, got, tt.want)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	tx := esco(t)
	cfg := smallConfig()
	a, b := Generate(tx, cfg), Generate(tx, cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate(tx, cfg) twice: the sets differ")
	}
	cfg.Seed++
	if c := Generate(tx, cfg); reflect.DeepEqual(a.Grades, c.Grades) {
		t.Error("Generate with another seed: same grades")
	}
}

// TestGeneratedSet checks what the evaluation relies on: every need has
// strong and weak candidates of its occupation; every labelled candidate
// passes the hard filters for every need; the ineligible ones do not;
// summaries never name an occupation.
func TestGeneratedSet(t *testing.T) {
	tx := esco(t)
	cfg := smallConfig()
	set := Generate(tx, cfg)
	if len(set.Needs) != cfg.Occupations*cfg.NeedsPerOccupation {
		t.Fatalf("%d needs, want %d", len(set.Needs), cfg.Occupations*cfg.NeedsPerOccupation)
	}
	wantCands := cfg.Occupations*(cfg.PerOccupation+cfg.Siblings) + cfg.Others + cfg.Ineligible
	if len(set.Candidates) != wantCands || len(set.Ineligible) != cfg.Ineligible {
		t.Fatalf("%d candidates (%d ineligible), want %d (%d)", len(set.Candidates), len(set.Ineligible), wantCands, cfg.Ineligible)
	}
	isco := map[string]int{}
	for _, n := range set.Needs {
		o, ok := tx.Occupation(n.Occupation)
		if !ok || len(o.Essential) < minEssential {
			t.Errorf("need %s: occupation %q with %d essential skills", n.ID, n.Occupation, len(o.Essential))
		}
		isco[o.ISCO[:2]]++
		counts := map[int]int{}
		for id, g := range set.Grades[n.ID] {
			if set.Ineligible[id] {
				t.Errorf("need %s: ineligible %s has grade %d", n.ID, id, g)
			}
			counts[g]++
		}
		if counts[GradeStrong]+counts[GradeSame] < cfg.PerOccupation {
			t.Errorf("need %s: %v candidates per grade, want %d of its occupation", n.ID, counts, cfg.PerOccupation)
		}
		start, err := time.Parse(time.DateOnly, n.StartDate)
		if err != nil || !start.After(cfg.Today) {
			t.Errorf("need %s: start %q, want a day after %s", n.ID, n.StartDate, cfg.Today.Format(time.DateOnly))
		}
		for _, p := range set.Candidates {
			if set.Ineligible[p.ID] {
				continue
			}
			if d := haversineKm(n.Location.Lat, n.Location.Lon, p.Lat, p.Lon); d > float64(p.MaxTravelKm) {
				t.Errorf("candidate %s: %.0f km from need %s, travels %d", p.ID, d, n.ID, p.MaxTravelKm)
			}
			if !p.Consent.Matching || p.BirthYear <= 0 || start.Year()-p.BirthYear-1 < 18 || p.AvailableTo != "" {
				t.Errorf("candidate %s: consent %v, born %d, available to %q: want an available consenting adult",
					p.ID, p.Consent.Matching, p.BirthYear, p.AvailableTo)
			}
		}
	}
	if isco["22"]+isco["32"]+isco["53"] < cfg.Occupations/4 {
		t.Errorf("needs by ISCO sub-major group %v: want a quarter in health and care", isco)
	}
	for _, p := range set.Candidates {
		if l := tx.Label(set.Occupation[p.ID], "en"); strings.Contains(strings.ToLower(p.Summary), strings.ToLower(l)) {
			t.Errorf("candidate %s: summary %q names the occupation %q", p.ID, p.Summary, l)
		}
	}
}
