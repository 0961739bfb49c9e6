package perf

import (
	"context"
	"slices"

	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
)

// topN is how many results a ranking query asks for, as the API's
// default page of matches does.
const topN = 20

// queryNeeds picks n needs that can be matched (no forecasts), spread over
// the data set by a prime stride so that every occupation and place comes
// up.
func queryNeeds(d *demo.Data, n int) []register.Need {
	out := make([]register.Need, 0, n)
	for i := 0; len(out) < n && i < 4*n; i++ {
		need := d.Needs[(i*7919)%len(d.Needs)]
		if need.Kind != register.KindForecast {
			out = append(out, need)
		}
	}
	return out
}

// queryProfiles picks n consenting job-seekers the same way.
func queryProfiles(d *demo.Data, n int) []profile.Profile {
	out := make([]profile.Profile, 0, n)
	for i := 0; len(out) < n && i < 4*n; i++ {
		p := d.Profiles[(i*7919)%len(d.Profiles)]
		if p.Consent.Matching {
			out = append(out, p)
		}
	}
	return out
}

// retriever is how a peer finds candidate ids for a need, or need ids for
// a job-seeker; related widens the search to related skills.
type (
	candidateRetriever func(ctx context.Context, n register.Need, related bool) ([]string, error)
	needRetriever      func(ctx context.Context, p profile.Profile, related bool) ([]string, error)
)

// fewMatches mirrors the product: related skills widen the search only
// when fewer than this many fit.
const fewMatches = 5

// rankNeedsPeer ranks one need with a peer's retrieval and the product's
// re-rank, widening like the product does.
func rankNeedsPeer(ctx context.Context, ix *search.Index, get candidateRetriever, n register.Need) ([]string, error) {
	var ms []search.CandidateMatch
	for _, related := range []bool{false, true} {
		ids, err := get(ctx, n, related)
		if err != nil {
			return nil, err
		}
		if ms, err = ix.RerankCandidates(ctx, n, ids, topN, "bg"); err != nil {
			return nil, err
		}
		if len(ms) >= fewMatches {
			break
		}
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Profile.ID
	}
	return out, nil
}

// rankProfilesPeer ranks needs for one job-seeker with a peer's retrieval
// and the product's re-rank.
func rankProfilesPeer(ctx context.Context, ix *search.Index, get needRetriever, p profile.Profile) ([]string, error) {
	var ms search.NeedMatches
	for _, related := range []bool{false, true} {
		ids, err := get(ctx, p, related)
		if err != nil {
			return nil, err
		}
		if ms, err = ix.RerankNeeds(ctx, p, ids, topN, "bg"); err != nil {
			return nil, err
		}
		if len(ms.Items) >= fewMatches {
			break
		}
	}
	out := make([]string, len(ms.Items))
	for i, m := range ms.Items {
		out[i] = m.Need.ID
	}
	return out, nil
}

// sameTop reports whether two rankings agree on their first k places.
func sameTop(a, b []string, k int) bool {
	a, b = a[:min(k, len(a))], b[:min(k, len(b))]
	return slices.Equal(a, b)
}
