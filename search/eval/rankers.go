package eval

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/careget/skillsmatch/internal/mirror"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// depth is how many candidates each ranker returns per need: nDCG@10.
const depth = 10

// ranker returns the ids of the best candidates for a need, best first.
type ranker func(ctx context.Context, n register.Need) ([]string, error)

// source is the set as the index's start-up catch-up reads a store.
type source struct{ set *Set }

func (s source) EachEmployer(ctx context.Context, fn func(register.Employer) error) error {
	for _, e := range s.set.Employers {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s source) EachNeed(ctx context.Context, fn func(register.Need, bool) error) error {
	for _, n := range s.set.Needs {
		if err := fn(n, false); err != nil {
			return err
		}
	}
	return nil
}

func (s source) EachProfile(ctx context.Context, fn func(profile.Profile, bool) error) error {
	for _, p := range s.set.Candidates {
		if err := fn(p, false); err != nil {
			return err
		}
	}
	return nil
}

// NewSource returns the set as a mirror.Source, as if it were the store.
func NewSource(set *Set) mirror.Source { return source{set} }

// productRanker is the product: a real index under dir, filled by the
// start-up catch-up, asked for candidates with the explained re-rank. It
// sees every candidate, the ineligible ones too.
func productRanker(ctx context.Context, dir string, tx *taxonomy.Taxonomy, set *Set) (ranker, func() error, error) {
	ix, err := search.Open(filepath.Join(dir, "product"), tx, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := ix.CatchUp(ctx, NewSource(set), nil); err != nil {
		return nil, nil, fmt.Errorf("catch up: %w", err)
	}
	rank := func(ctx context.Context, n register.Need) ([]string, error) {
		ms, err := ix.MatchCandidates(ctx, n, depth, "en")
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.Profile.ID
		}
		return ids, nil
	}
	return rank, ix.Close, nil
}

// overlapRanker counts the need's skills (required or preferred, any
// level) that a candidate holds itself; ties by id.
func overlapRanker(pool []profile.Profile) ranker {
	return func(_ context.Context, n register.Need) ([]string, error) {
		wanted := map[string]bool{}
		for _, s := range n.Skills {
			wanted[s.ID] = true
		}
		type scored struct {
			id string
			n  int
		}
		all := make([]scored, 0, len(pool))
		for _, p := range pool {
			c := 0
			for _, s := range p.Skills {
				if wanted[s.ID] {
					c++
				}
			}
			all = append(all, scored{p.ID, c})
		}
		slices.SortFunc(all, func(a, b scored) int {
			if c := cmp.Compare(b.n, a.n); c != 0 {
				return c
			}
			return strings.Compare(a.id, b.id)
		})
		ids := make([]string, 0, depth)
		for _, s := range all[:min(depth, len(all))] {
			ids = append(ids, s.id)
		}
		return ids, nil
	}
}

// textRanker is a plain Bleve index of the candidates' summaries with the
// standard analyzer and BM25 scoring, asked with the need's title and
// description; ties by id.
func textRanker(dir string, pool []profile.Profile) (ranker, func() error, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25" // bleve_index_api.BM25Scoring; the default is TF-IDF
	m.DefaultAnalyzer = standard.Name
	text := bleve.NewTextFieldMapping()
	text.Analyzer = standard.Name
	doc := bleve.NewDocumentMapping()
	doc.Dynamic = false
	doc.AddFieldMappingsAt("summary", text)
	m.DefaultMapping = doc
	idx, err := bleve.New(filepath.Join(dir, "text.bleve"), m)
	if err != nil {
		return nil, nil, fmt.Errorf("create text index: %w", err)
	}
	b := idx.NewBatch()
	for _, p := range pool {
		if err := b.Index(p.ID, map[string]string{"summary": p.Summary}); err != nil {
			return nil, nil, fmt.Errorf("index %s: %w", p.ID, err)
		}
	}
	if err := idx.Batch(b); err != nil {
		_ = idx.Close()
		return nil, nil, fmt.Errorf("index summaries: %w", err)
	}
	rank := func(ctx context.Context, n register.Need) ([]string, error) {
		q := bleve.NewMatchQuery(n.Title + " " + n.Description)
		q.SetField("summary")
		req := bleve.NewSearchRequestOptions(q, depth, 0, false)
		req.SortBy([]string{"-_score", "_id"})
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	}
	return rank, idx.Close, nil
}
