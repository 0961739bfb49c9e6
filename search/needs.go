package search

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/careget/skillsmatch/internal/register"
)

// NeedQuery is a search of the public register.
type NeedQuery struct {
	Text         string
	Kind         string
	Sector       string
	Municipality string
	Skills       []string // every one must be asked for by the need
	Near         *register.GeoPoint
	RadiusKm     float64
	Page         int // from 1
	PageSize     int
	Today        string // YYYY-MM-DD: needs past their apply-by date are not public
}

// NeedResults is one page of public needs, best first, with facet counts
// over the whole result. Facets may be shared with other searches' results:
// read them, never write them.
type NeedResults struct {
	Needs  []register.Need
	Total  int
	Facets map[string]map[string]int
	Stamp  Stamp // the index's state the answer holds for (searchcache.go)
}

// The facets of a search: each counts the hits' values of one field of
// the need, and lists its facetSize most frequent values.
var facetNames = []string{"kind", "sector", "municipality"}

const facetSize = 50

// facetTerms are a need's facet values, each after its facet's name and a
// colon, in one field: Bleve visits one field's doc values per hit instead
// of three, which was most of what the facets cost.
func facetTerms(n register.Need) []string {
	return []string{"kind:" + n.Kind, "sector:" + n.Sector, "municipality:" + n.Location.Municipality}
}

// facetCounts splits the counts of the facets field by facet, keeping each
// facet's facetSize first values; terms come most frequent first, ties in
// term order, as Bleve ranked three facets of their own.
func facetCounts(f *blevesearch.FacetResult) map[string]map[string]int {
	out := make(map[string]map[string]int, len(facetNames))
	for _, name := range facetNames {
		out[name] = map[string]int{}
	}
	if f == nil {
		return out
	}
	for _, t := range f.Terms.Terms() {
		name, value, _ := strings.Cut(t.Term, ":")
		if counts, ok := out[name]; ok && len(counts) < facetSize {
			counts[value] = t.Count
		}
	}
	return out
}

// SearchNeeds answers GET /api/v1/needs from the needs index: only open
// needs of verified employers not past their apply-by date; relevance first,
// ties broken by id. The index's answer is kept until its next write
// (searchcache.go); the needs are read from memory every time.
func (ix *Index) SearchNeeds(ctx context.Context, q NeedQuery) (NeedResults, error) {
	return ix.searchNeeds(ctx, q, true)
}

// SearchNeedsCold is SearchNeeds asking the index every time, as it does
// the first time a query is asked after a write: the benchmark's search
// row measures it.
func (ix *Index) SearchNeedsCold(ctx context.Context, q NeedQuery) (NeedResults, error) {
	return ix.searchNeeds(ctx, q, false)
}

func (ix *Index) searchNeeds(ctx context.Context, q NeedQuery, keep bool) (NeedResults, error) {
	cache, stamp := ix.searchCacheOf(q.Today)
	if !keep {
		cache, stamp = nil, Stamp{}
	}
	key := keyOf(q)
	found, ok := cache.get(stamp.writes, key)
	if !ok {
		var err error
		if found, err = ix.searchNeedsIndex(ctx, q); err != nil {
			return NeedResults{}, err
		}
		cache.put(stamp.writes, key, found)
	}
	out := NeedResults{Total: found.total, Facets: found.facets, Needs: make([]register.Need, 0, len(found.ids)), Stamp: stamp}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, id := range found.ids {
		if n, ok := ix.needSet[id]; ok {
			out.Needs = append(out.Needs, n)
		}
	}
	return out, nil
}

// searchNeedsIndex asks Bleve for one page of the query's hits, the total
// and the facets.
func (ix *Index) searchNeedsIndex(ctx context.Context, q NeedQuery) (keptSearch, error) {
	req := bleve.NewSearchRequestOptions(needQuery(q), q.PageSize, (q.Page-1)*q.PageSize, false)
	req.SortBy([]string{"-_score", "_id"})
	req.AddFacet(fFacets, bleve.NewFacetRequest(fFacets, math.MaxInt32)) // every value: facetCounts keeps each facet's first
	res, err := ix.needs.SearchInContext(ctx, req)
	if err != nil {
		return keptSearch{}, fmt.Errorf("search needs: %w", err)
	}
	out := keptSearch{total: int(res.Total), facets: facetCounts(res.Facets[fFacets]), ids: make([]string, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.ids = append(out.ids, h.ID)
	}
	return out, nil
}

func needQuery(q NeedQuery) query.Query {
	must := []query.Query{publicOn(q.Today)}
	if q.Text != "" {
		title := bleve.NewMatchQuery(q.Text)
		title.SetField(fTitle)
		title.SetBoost(2)
		desc := bleve.NewMatchQuery(q.Text)
		desc.SetField(fDescription)
		must = append(must, bleve.NewDisjunctionQuery(title, desc))
	}
	if q.Kind != "" {
		must = append(must, term(fKind, q.Kind))
	}
	if q.Sector != "" {
		must = append(must, match(fSectorKey, q.Sector))
	}
	if q.Municipality != "" {
		must = append(must, match(fMunicipalityKey, q.Municipality))
	}
	for _, s := range q.Skills {
		must = append(must, term(fSkills, s))
	}
	if q.Near != nil {
		g := bleve.NewGeoDistanceQuery(q.Near.Lon, q.Near.Lat, strconv.FormatFloat(q.RadiusKm, 'f', -1, 64)+"km")
		g.SetField(fLocation)
		must = append(must, g)
	}
	return bleve.NewConjunctionQuery(must...)
}

// term is an unscored-looking exact term: filters should not move ranks,
// so their boost is tiny.
func term(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	t.SetBoost(0.0001)
	return t
}

func match(field, value string) query.Query {
	m := bleve.NewMatchQuery(value)
	m.SetField(field)
	m.SetBoost(0.0001)
	return m
}

// publicOn selects the needs public on today: open, of a verified employer
// (only those have apply-by terms: a term of its own to ask for too cost
// every search a walk over nearly every need's posting), and one may still
// apply to them: the months after this one by their month term, and this
// month's remaining days by their day term. A range over every day would
// enumerate thousands of day terms at national scale; this enumerates at
// most a few dozen months and 31 days. today is YYYY-MM-DD.
func publicOn(today string) query.Query {
	if len(today) < len(time.DateOnly) {
		return rangeOf(fApplyBy, today, openEnded) // not a day: let the range decide
	}
	month := today[:7]
	return bleve.NewDisjunctionQuery(
		rangeOf(fApplyBy, today, month+"-31"),
		rangeOf(fApplyMonth, month+"-", openEnded[:7])) // "-" sorts after the month itself
}

func rangeOf(field, from, to string) query.Query {
	incl := true
	r := bleve.NewTermRangeInclusiveQuery(from, to, &incl, &incl)
	r.SetField(field)
	r.SetBoost(0.0001)
	return r
}
