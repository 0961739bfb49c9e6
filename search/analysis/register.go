package analysis

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/bg"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Analyzer names, for field mappings and for IndexMapping.DefaultAnalyzer.
const (
	// Bulgarian is for fields known to hold Bulgarian: unicode tokenizer,
	// lower case, Bulgarian stop words, the Bulgarian light stemmer, fold.
	// Latin tokens are read as Bulgarian typed in Latin.
	Bulgarian = "skillsmatch_bg"

	// English is for fields known to hold English: unicode tokenizer, lower
	// case, possessive 's removed, English stop words, Snowball (Porter2)
	// stemmer, fold (so accents and Cyrillic fold too).
	English = "skillsmatch_en"

	// Mixed is for prose in either language and should be the mapping's
	// DefaultAnalyzer: Cyrillic tokens are analysed as Bulgarian, Latin
	// tokens both as English and as Bulgarian typed in Latin, with both keys
	// at the token's position.
	Mixed = "skillsmatch_text"

	// Keyword is for names compared whole, like municipalities: the input is
	// one token, lower-cased and folded, so "Haskovo" == "Хасково".
	Keyword = "skillsmatch_keyword"
)

// Filter instances defined in a mapping by Register.
const (
	stopBGFilterName = "skillsmatch_stop_bg"
	stemBGFilterName = "skillsmatch_stem_bg"
	foldFilterName   = "skillsmatch_fold"
	mixedFilterName  = "skillsmatch_mixed"
)

// Register defines the token filters and the analyzers Bulgarian, English,
// Mixed and Keyword in m. It does not set m.DefaultAnalyzer; set it to Mixed
// (or the analyzer of the text fields) so that field-less queries are
// analysed like the indexed text. Register fails if m already defines any
// of these names.
func Register(m *mapping.IndexMappingImpl) error {
	if registerErr != nil {
		return registerErr
	}
	for _, f := range []struct {
		name   string
		config map[string]any
	}{
		{stopBGFilterName, map[string]any{"type": stopBGType, bulgarianStopKey: bg.StopName}},
		{stemBGFilterName, map[string]any{"type": stemBGType}},
		{foldFilterName, map[string]any{"type": foldType}},
		{mixedFilterName, map[string]any{"type": mixedType, bulgarianStopKey: bg.StopName, englishStopKey: en.StopName}},
	} {
		if err := m.AddCustomTokenFilter(f.name, f.config); err != nil {
			return fmt.Errorf("define token filter %s: %w", f.name, err)
		}
	}
	for _, a := range []struct {
		name      string
		tokenizer string
		filters   []any
	}{
		{Bulgarian, unicode.Name, []any{lowercase.Name, stopBGFilterName, stemBGFilterName, foldFilterName}},
		{English, unicode.Name, []any{lowercase.Name, en.PossessiveName, en.StopName, en.SnowballStemmerName, foldFilterName}},
		{Mixed, unicode.Name, []any{lowercase.Name, en.PossessiveName, mixedFilterName}},
		{Keyword, single.Name, []any{lowercase.Name, foldFilterName}},
	} {
		err := m.AddCustomAnalyzer(a.name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     a.tokenizer,
			"token_filters": a.filters,
		})
		if err != nil {
			return fmt.Errorf("define analyzer %s: %w", a.name, err)
		}
	}
	return nil
}
