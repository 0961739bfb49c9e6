package search

import (
	"context"

	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/profile"
)

// RankNeeds is MatchNeeds in the shape of opportunity.Ranker, so that the
// job-seeker's use case (opportunity.Service) ranks with the index.
func (ix *Index) RankNeeds(ctx context.Context, p profile.Profile, kind string, limit int, lang, today string) (opportunity.Matches, error) {
	ms, err := ix.MatchNeeds(ctx, p, kind, limit, lang, today)
	if err != nil {
		return opportunity.Matches{}, err
	}
	out := opportunity.Matches{NextSkills: ms.NextSkills}
	for _, m := range ms.Items {
		out.Items = append(out.Items, opportunity.Match(m))
	}
	for _, m := range ms.NearMisses {
		out.NearMisses = append(out.NearMisses, opportunity.Match(m))
	}
	return out, nil
}
