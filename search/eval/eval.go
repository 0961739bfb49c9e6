// Package eval measures how well the product ranks candidates for a
// skills need, against two plain baselines, on a labelled set generated
// from ESCO's occupation–skill relations.
//
// Generate makes the set: job needs that ask for an occupation's essential
// skills, and candidates who hold noisy subsets of the skills of the same
// or of other occupations, each graded for each need (3 the same
// occupation with most of its essential skills, 2 the same occupation, 1
// an occupation of the same ISCO minor group, 0 otherwise). Run ranks the
// candidates of every need three ways — the product (a real search.Index,
// MatchCandidates), the plain count of the need's skills held, and BM25
// over the candidates' summaries with the need's title and description —
// and prints nDCG@10 and precision@5 for each.
//
// Two more figures follow: how many pairwise judgements hold (Judgements:
// two candidates or two needs differing in one respect, and which must
// rank first), and exposure (DemoExposure: each group's share of top-10
// places over its share of eligible candidates, on the demo data).
//
// Hard filters are not what is measured: every labelled candidate may be
// matched to every need. A few candidates who may not (no consent, too
// far, unavailable, under age…) are in the product's index only, and Run
// fails if the product shows one.
package eval

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/careget/skillsmatch/internal/taxonomy"
)

// Score is one ranker's quality, averaged over the needs.
type Score struct {
	NDCG10 float64 // nDCG@10, grades 0–3
	P5     float64 // precision@5, relevant = grade 2 or more
}

// Report is the outcome of an evaluation.
type Report struct {
	Needs      int
	Candidates int // the labelled (eligible) candidates every ranker ranks
	Ineligible int // candidates only the product sees, and must never show
	Product    Score
	Overlap    Score // plain skill overlap
	Text       Score // BM25 over summaries
	// Verdicts are the pairwise judgements (Judgements) and Exposure the
	// fairness table on the demo data (DemoExposure); Run fills them,
	// Evaluate does not.
	Verdicts []Verdict
	Exposure []ExposureRow
}

// Run loads the taxonomy, generates the set of cfg, evaluates the three
// rankers on it and prints a table to w; then how many of the pairwise
// judgements hold (naming those that do not), and the exposure of each age
// group and municipality on the demo data. It fails if a ranker fails or if
// the product shows an ineligible candidate; a judgement that does not
// hold is printed, and fails the tests (TestJudgements).
func Run(ctx context.Context, w io.Writer, cfg Config) (Report, error) {
	tx, err := taxonomy.Load()
	if err != nil {
		return Report{}, err
	}
	set := Generate(tx, cfg)
	rep, err := Evaluate(ctx, tx, &set)
	if err != nil {
		return rep, err
	}
	if err := rep.Print(w); err != nil {
		return rep, err
	}
	if rep.Verdicts, err = JudgeAll(ctx, tx, Judgements()); err != nil {
		return rep, err
	}
	if err := PrintVerdicts(w, rep.Verdicts); err != nil {
		return rep, err
	}
	if rep.Exposure, err = DemoExposure(ctx, tx, DemoExposureConfig); err != nil {
		return rep, fmt.Errorf("exposure: %w", err)
	}
	return rep, PrintExposure(w, rep.Exposure)
}

// Evaluate ranks every need's candidates with the three rankers, in
// indexes under a temporary directory that it removes.
func Evaluate(ctx context.Context, tx *taxonomy.Taxonomy, set *Set) (rep Report, err error) {
	dir, err := os.MkdirTemp("", "skillsmatch-eval-")
	if err != nil {
		return Report{}, fmt.Errorf("eval dir: %w", err)
	}
	defer func() {
		if rmErr := os.RemoveAll(dir); err == nil && rmErr != nil {
			err = fmt.Errorf("remove eval dir: %w", rmErr)
		}
	}()
	pool := set.Eligible()
	rep = Report{Needs: len(set.Needs), Candidates: len(pool), Ineligible: len(set.Ineligible)}

	product, closeProduct, err := productRanker(ctx, dir, tx, set)
	if err != nil {
		return rep, fmt.Errorf("product index: %w", err)
	}
	defer func() {
		if cErr := closeProduct(); err == nil && cErr != nil {
			err = fmt.Errorf("close product index: %w", cErr)
		}
	}()
	text, closeText, err := textRanker(dir, pool)
	if err != nil {
		return rep, err
	}
	defer func() {
		if cErr := closeText(); err == nil && cErr != nil {
			err = fmt.Errorf("close text index: %w", cErr)
		}
	}()

	if rep.Product, err = measure(ctx, set, product, "product"); err != nil {
		return rep, err
	}
	if rep.Overlap, err = measure(ctx, set, overlapRanker(pool), "skill overlap"); err != nil {
		return rep, err
	}
	if rep.Text, err = measure(ctx, set, text, "BM25 text"); err != nil {
		return rep, err
	}
	return rep, nil
}

// measure averages nDCG@10 and precision@5 of one ranker over the needs.
func measure(ctx context.Context, set *Set, rank ranker, name string) (Score, error) {
	var sum Score
	counted := 0
	for _, n := range set.Needs {
		ids, err := rank(ctx, n)
		if err != nil {
			return Score{}, fmt.Errorf("%s: need %s: %w", name, n.ID, err)
		}
		ranked := make([]int, len(ids))
		for i, id := range ids {
			if set.Ineligible[id] {
				return Score{}, fmt.Errorf("%s: need %s: showed ineligible candidate %s", name, n.ID, id)
			}
			ranked[i] = set.Grade(n.ID, id)
		}
		all := make([]int, 0, len(set.Grades[n.ID]))
		for _, g := range set.Grades[n.ID] {
			all = append(all, g)
		}
		if NDCG(all, all, depth) == 0 {
			continue // nothing relevant: the need says nothing about rankers
		}
		sum.NDCG10 += NDCG(ranked, all, depth)
		sum.P5 += PrecisionAt(ranked, 5, Relevant)
		counted++
	}
	if counted == 0 {
		return Score{}, fmt.Errorf("%s: no need has a relevant candidate", name)
	}
	return Score{NDCG10: sum.NDCG10 / float64(counted), P5: sum.P5 / float64(counted)}, nil
}

// Print writes the report as an aligned table.
func (r Report) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ranker\tnDCG@10\tP@5\tneeds\tcandidates")
	for _, row := range []struct {
		name string
		s    Score
	}{{"product", r.Product}, {"skill overlap", r.Overlap}, {"BM25 text", r.Text}} {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%d\t%d\n", row.name, row.s.NDCG10, row.s.P5, r.Needs, r.Candidates)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "(%d ineligible candidates in the product's index, none shown)\n", r.Ineligible)
	return err
}
