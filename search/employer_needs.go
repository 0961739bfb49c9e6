package search

import (
	"context"

	"github.com/careget/skillsmatch/internal/register"
)

// EmployerNeeds returns, from memory, the current needs of one employer in
// every state (drafts and closed ones too; deleted needs are gone). It
// walks the in-memory set, never the store.
func (ix *Index) EmployerNeeds(employerID string) []register.Need {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []register.Need
	for _, n := range ix.needSet {
		if n.EmployerID == employerID {
			out = append(out, n)
		}
	}
	return out
}

// CountCandidates is the number of candidates the ranking admits for the
// need (hard filters passed), up to limit: the same ranking as the
// employer's candidate cards, cut at limit.
func (ix *Index) CountCandidates(ctx context.Context, n register.Need, limit int) (int, error) {
	ms, err := ix.MatchCandidates(ctx, n, limit, "bg")
	return len(ms), err
}
