package eval

import (
	"math"
	"slices"
)

// NDCG returns the normalised discounted cumulative gain at k of a
// ranking: ranked are the grades of the items shown, best first; all are
// the grades of every labelled item for the query, from which the ideal
// ranking is built. The gain of grade g at rank i (from 1) is
// (2^g − 1)/log2(i + 1), so that a strong match counts clearly more than a
// weak one. It returns 0 when no item is relevant at all.
func NDCG(ranked, all []int, k int) float64 {
	ideal := slices.Clone(all)
	slices.Sort(ideal)
	slices.Reverse(ideal)
	best := dcg(ideal, k)
	if best == 0 {
		return 0
	}
	return dcg(ranked, k) / best
}

func dcg(grades []int, k int) float64 {
	sum := 0.0
	for i, g := range grades[:min(k, len(grades))] {
		if g > 0 {
			sum += (math.Exp2(float64(g)) - 1) / math.Log2(float64(i+2))
		}
	}
	return sum
}

// PrecisionAt returns the share of the first k ranks that hold an item of
// grade minGrade or more. A ranking shorter than k counts its empty ranks
// as misses.
func PrecisionAt(ranked []int, k, minGrade int) float64 {
	if k <= 0 {
		return 0
	}
	hits := 0
	for _, g := range ranked[:min(k, len(ranked))] {
		if g >= minGrade {
			hits++
		}
	}
	return float64(hits) / float64(k)
}
