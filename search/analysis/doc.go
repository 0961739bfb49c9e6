// Package analysis holds the Bleve text analysis for searching job needs and
// profiles written in Bulgarian, English, or Bulgarian typed in Latin letters
// on a phone.
//
// Every analyzer ends in translit.Fold, so the index holds one Latin key per
// word whatever alphabet it was typed in: "Хасково" and "Haskovo" are the
// same term, and so are "болниците", "bolnicite" and "bolnitsa" once the
// Bulgarian light stemmer (Savoy 2007, as in Lucene, with the extensions
// listed in stem.go) has reduced them to their stem.
//
// Register defines the analyzers in an index mapping; the constants name
// them for field mappings:
//
//	m := bleve.NewIndexMapping()
//	if err := analysis.Register(m); err != nil { ... }
//	m.DefaultAnalyzer = analysis.Mixed
//	text := bleve.NewTextFieldMapping()
//	text.Analyzer = analysis.Mixed
//
// Importing the package registers its filter types with Bleve, which an
// index opened from disk needs as much as a new one.
package analysis
