package search

import (
	"fmt"
	"testing"

	blevesearch "github.com/blevesearch/bleve/v2/search"
)

// The facets share one field: facetCounts must give each facet its own
// first facetSize values, so that many municipalities never crowd out a
// kind, and a value holding a colon stays whole.
func TestFacetCountsKeepEachFacetsFirstValues(t *testing.T) {
	terms := &blevesearch.TermFacets{}
	for i := range facetSize + 20 { // most frequent first, as Bleve ranks them
		terms.Add(&blevesearch.TermFacet{Term: fmt.Sprintf("municipality:m%03d", i), Count: 1000 - i})
	}
	terms.Add(&blevesearch.TermFacet{Term: "sector:health: care", Count: 3})
	terms.Add(&blevesearch.TermFacet{Term: "kind:job", Count: 2})
	terms.Add(&blevesearch.TermFacet{Term: "kind:", Count: 1})
	got := facetCounts(&blevesearch.FacetResult{Terms: terms})
	if n := len(got["municipality"]); n != facetSize || got["municipality"]["m000"] != 1000 || got["municipality"][fmt.Sprintf("m%03d", facetSize)] != 0 {
		t.Errorf("municipality facet holds %d values (%v), want the first %d", n, got["municipality"], facetSize)
	}
	if got["sector"]["health: care"] != 3 || got["kind"]["job"] != 2 || got["kind"][""] != 1 {
		t.Errorf("sector facet %v, kind facet %v; want health: care 3, job 2 and the empty kind 1", got["sector"], got["kind"])
	}
	if empty := facetCounts(nil); len(empty) != len(facetNames) || len(empty["kind"]) != 0 {
		t.Errorf("facets of no result = %v, want every facet, empty", empty)
	}
}
