// Package search is the search engine of the product: a derived Bleve
// index of needs, kept in step with the store by sequence number, for the
// full-text search of the register; the needs, profiles and employers held
// in memory beside it; and the two match directions, which retrieve
// candidates from an in-memory pool (pool.go) and re-rank them with the one
// explained scoring function (search/score).
//
// MongoDB is the source of truth. The index can always be rebuilt from it,
// and at start-up it catches up with every write that a crash left
// unindexed.
package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/careget/skillsmatch/search/analysis"
)

// Field names shared by mappings and queries.
const (
	fTitle           = "title"
	fDescription     = "description"
	fKind            = "kind"
	fSectorKey       = "sectorKey"       // folded, for filters typed in either alphabet
	fMunicipalityKey = "municipalityKey" // folded, as fSectorKey
	fFacets          = "facets"          // the values counted, one field: see facetTerms
	fApplyBy         = "applyBy"         // YYYY-MM-DD, or "9999-12-31" when open-ended; open needs of verified employers only
	fApplyMonth      = "applyMonth"      // YYYY-MM of applyBy
	fSkills          = "skills"          // the needs index: skill ids; the plain Bleve peer: "S" and "S@L" terms
	fLocation        = "location"
	// Fields of the benchmark's plain Bleve peer only (NeedSkillTerms,
	// CandidateSkillTerms): the needs index has no such field.
	fRequired = "required"
	fGroups   = "groups"
)

func newMapping() (*mapping.IndexMappingImpl, *mapping.DocumentMapping, error) {
	m := bleve.NewIndexMapping()
	if err := analysis.Register(m); err != nil {
		return nil, nil, fmt.Errorf("register analyzers: %w", err)
	}
	m.DefaultAnalyzer = analysis.Mixed // field-less queries must analyse like the text fields
	m.ScoringModel = "bm25"            // Bleve's default is TF-IDF; the re-rank's text part expects BM25
	m.StoreDynamic, m.IndexDynamic, m.DocValuesDynamic = false, false, false
	doc := bleve.NewDocumentMapping()
	doc.Dynamic = false
	m.DefaultMapping = doc
	return m, doc, nil
}

func textField() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analysis.Mixed
	f.Store = false
	f.IncludeTermVectors = false
	f.IncludeInAll = false // every query names its fields: an _all field would index each term twice
	return f
}

// keywordField is an exact term: ids, enums, dates.
func keywordField(facet bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Analyzer = keyword.Name
	f.Store = false
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = facet
	return f
}

// foldedField is a whole name compared folded, so "Haskovo" == "Хасково".
func foldedField(facet bool) *mapping.FieldMapping {
	f := keywordField(facet)
	f.Analyzer = analysis.Keyword
	return f
}

func geoField() *mapping.FieldMapping {
	f := bleve.NewGeoPointFieldMapping()
	f.Store = false
	f.IncludeInAll = false
	return f
}

func needMapping() (mapping.IndexMapping, error) {
	m, doc, err := newMapping()
	if err != nil {
		return nil, err
	}
	doc.AddFieldMappingsAt(fTitle, textField())
	doc.AddFieldMappingsAt(fDescription, textField())
	doc.AddFieldMappingsAt(fKind, keywordField(false))
	doc.AddFieldMappingsAt(fSectorKey, foldedField(false))
	doc.AddFieldMappingsAt(fMunicipalityKey, foldedField(false))
	doc.AddFieldMappingsAt(fFacets, keywordField(true))
	doc.AddFieldMappingsAt(fApplyBy, keywordField(false))
	doc.AddFieldMappingsAt(fApplyMonth, keywordField(false))
	doc.AddFieldMappingsAt(fSkills, keywordField(false))
	doc.AddFieldMappingsAt(fLocation, geoField())
	return m, nil
}
