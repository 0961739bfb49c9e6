package analysis

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/bg"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/careget/skillsmatch/internal/translit"
)

// Filter types, registered in Bleve's global registry. A mapping refers to
// them by these names, also when an index is opened again from disk, so the
// names are part of the stored index format: do not rename them.
const (
	stopBGType = "skillsmatch_stop_bg_type"
	stemBGType = "skillsmatch_stem_bg_type"
	foldType   = "skillsmatch_fold_type"
	mixedType  = "skillsmatch_mixed_type"
)

// Config keys of the filter types.
const (
	bulgarianStopKey = "bulgarian_stop_token_map"
	englishStopKey   = "english_stop_token_map"
)

// registerErr keeps what registering the filter types returned, for
// Register to report.
var registerErr error

// init registers the filter types. Bleve resolves filter types by name from a
// process-wide registry when it builds a mapping's analyzers, and that
// happens in bleve.Open as well as in Register; registering when the package
// is linked is the only moment that covers both.
func init() {
	for name, constructor := range map[string]registry.TokenFilterConstructor{
		stopBGType: newStopBGFilter,
		stemBGType: newStemBGFilter,
		foldType:   newFoldFilter,
		mixedType:  newMixedFilter,
	} {
		if err := registry.RegisterTokenFilter(name, constructor); err != nil && registerErr == nil {
			registerErr = fmt.Errorf("register token filter %s: %w", name, err)
		}
	}
}

// stopBGFilter removes Bulgarian stop words, in Cyrillic ("за") or typed in
// Latin ("za").
type stopBGFilter struct {
	stop stopWords
}

func newStopBGFilter(config map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
	stop, err := bulgarianStopWords(config, cache)
	if err != nil {
		return nil, err
	}
	return &stopBGFilter{stop: stop}, nil
}

func (f *stopBGFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	kept := input[:0]
	for _, tok := range input {
		if !f.stop.has(string(tok.Term)) {
			kept = append(kept, tok)
		}
	}
	return kept
}

// stopWords is a Bulgarian stop list with a folded copy for Latin tokens.
type stopWords struct {
	cyrillic analysis.TokenMap
	folded   map[string]bool
}

func bulgarianStopWords(config map[string]any, cache *registry.Cache) (stopWords, error) {
	name, err := tokenMapName(config, bulgarianStopKey, bg.StopName)
	if err != nil {
		return stopWords{}, err
	}
	words, err := cache.TokenMapNamed(name)
	if err != nil {
		return stopWords{}, fmt.Errorf("bulgarian stop words %q: %w", name, err)
	}
	folded := make(map[string]bool, len(words))
	for w := range words {
		if f := translit.Fold(w); !latinContentWords[f] {
			folded[f] = true
		}
	}
	return stopWords{cyrillic: words, folded: folded}, nil
}

// latinContentWords are Bulgarian stop words whose Latin spelling is also a
// word people search for ("го" is "go", as in the language; "сме" is
// "sme"). Typed in Latin they are kept.
var latinContentWords = map[string]bool{"go": true, "sme": true}

// has reports whether the lower-case term is a stop word. Cyrillic terms
// are looked up as written, which is exact and saves a fold; other terms are
// looked up folded, so that "za", "6te" and "shte" are stop words too.
func (s stopWords) has(term string) bool {
	if s.cyrillic[term] {
		return true
	}
	return !translit.HasCyrillic(term) && s.folded[translit.Fold(term)]
}

// stemBGFilter stems Bulgarian tokens. Cyrillic tokens stay Cyrillic;
// Latin tokens come out as folded Latin stems. Follow it with the fold
// filter, which brings both to the same key.
type stemBGFilter struct{}

func newStemBGFilter(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
	return stemBGFilter{}, nil
}

func (stemBGFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var buf [32]rune
	for _, tok := range input {
		if tok.KeyWord {
			continue
		}
		term := string(tok.Term)
		if isCyrillicWord(term) {
			tok.Term = []byte(string(stem(appendRunes(buf[:0], term))))
			continue
		}
		if folded := translit.Fold(term); isLatinWord(folded) {
			tok.Term = []byte(latinBulgarianKey(folded))
		}
	}
	return input
}

// foldFilter replaces each term with its translit.Fold key.
type foldFilter struct{}

func newFoldFilter(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
	return foldFilter{}, nil
}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = []byte(translit.Fold(string(tok.Term)))
	}
	return input
}

// mixedFilter analyses prose that may be Bulgarian or English, one token at
// a time, after lower-casing:
//
//   - Cyrillic tokens are Bulgarian: stop words, stem, fold.
//   - Latin tokens may be English or Bulgarian typed in Latin, and a single
//     word rarely says which ("sestra", "data", "care"). So both keys are
//     emitted at the token's position, the English stem and the Bulgarian
//     stem, once if they are equal; a query matches through whichever
//     reading the document shares. Match queries (operator "or", the
//     default), query strings and phrase queries handle two terms at one
//     position; a match query with operator "and" would demand both. A stop
//     word of either language is dropped: a Latin "za" or "the" is noise in
//     both readings.
//   - Anything else (numbers, other scripts) is folded.
type mixedFilter struct {
	bgStop stopWords
	enStop analysis.TokenMap
}

func newMixedFilter(config map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
	bgStop, err := bulgarianStopWords(config, cache)
	if err != nil {
		return nil, err
	}
	name, err := tokenMapName(config, englishStopKey, en.StopName)
	if err != nil {
		return nil, err
	}
	enStop, err := cache.TokenMapNamed(name)
	if err != nil {
		return nil, fmt.Errorf("english stop words %q: %w", name, err)
	}
	return &mixedFilter{bgStop: bgStop, enStop: enStop}, nil
}

func (f *mixedFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)+len(input)/2)
	for _, tok := range input {
		out = f.appendKeys(out, tok)
	}
	return out
}

// appendKeys appends the keys of one token to out, reusing tok for the first.
func (f *mixedFilter) appendKeys(out analysis.TokenStream, tok *analysis.Token) analysis.TokenStream {
	term := string(tok.Term)
	if tok.KeyWord {
		tok.Term = []byte(translit.Fold(term))
		return append(out, tok)
	}
	if isCyrillicWord(term) {
		if f.bgStop.cyrillic[term] {
			return out
		}
		tok.Term = []byte(cyrillicKey(term))
		return append(out, tok)
	}
	folded := translit.Fold(term)
	if !isLatinWord(folded) {
		if f.enStop[term] || f.bgStop.folded[folded] {
			return out
		}
		tok.Term = []byte(folded)
		return append(out, tok)
	}
	if f.enStop[term] || f.bgStop.folded[folded] {
		return out
	}
	return appendAlternatives(out, tok, englishKey(term), latinBulgarianKey(folded))
}

// appendAlternatives appends tok with key a and, if b differs, a copy with
// key b at the same position.
func appendAlternatives(out analysis.TokenStream, tok *analysis.Token, a, b string) analysis.TokenStream {
	tok.Term = []byte(a)
	out = append(out, tok)
	if b != a {
		alt := *tok
		alt.Term = []byte(b)
		out = append(out, &alt)
	}
	return out
}

// tokenMapName reads a token map name from a filter config, or def.
func tokenMapName(config map[string]any, key, def string) (string, error) {
	v, ok := config[key]
	if !ok {
		return def, nil
	}
	name, ok := v.(string)
	if !ok || name == "" {
		return "", fmt.Errorf("%s must be a token map name, got %v", key, v)
	}
	return name, nil
}
