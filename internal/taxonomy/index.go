package taxonomy

import (
	"iter"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/translit"
)

// The autocomplete index is built in memory at Load because a person types
// a query one letter at a time: each keystroke must answer in well under a
// millisecond, without a search engine.
//
// Every label (preferred, alternative, hidden; every language) becomes an
// entry: its words, each folded by translit.Fold so that Cyrillic,
// phone-typed Latin Bulgarian, case and accents compare equal. The
// distinct folded words are kept sorted, so the words that start with a
// query token form one contiguous range of word numbers, found by binary
// search; each word has a posting list of the entries that contain it.
// A query is answered from the token whose range has the fewest postings.
// The other tokens are checked per candidate by comparing the entry's word
// numbers with their ranges, and the tiers (exact, starts with) by
// comparing word numbers too, so the hot loop touches no strings.

// labelKind ranks how a label was matched: preferred before alternative.
type labelKind uint8

const (
	labelPref labelKind = iota
	labelAlt
	labelHidden // search-only; never shown, and never ranked above tier 2
)

// entry is one searchable label, kept small because a short query scans
// tens of thousands of them.
type entry struct {
	doc     int32  // index into the Taxonomy slice the index was built for
	wStart  int32  // its word numbers are lw[wStart : wStart+wCount]
	wCount  uint16 //
	normLen uint16 // length of the folded words joined by spaces
	kind    labelKind
	lang    uint8 // index into index.langs
}

type index struct {
	ids     []string // doc → public id, the final tie-breaker
	langs   []string // languages of the entries
	words   []string // distinct folded words, sorted
	postOff []int32  // postings of words[w] are post[postOff[w]:postOff[w+1]]
	post    []int32  // entry numbers, ascending per word
	entries []entry  // grouped by doc, in doc order
	texts   []string // entry → the label as written, to show which synonym matched
	lw      []int32  // word numbers of the entries
	byFirst []int32  // entry numbers ordered by their first word number
	bitsets sync.Pool
	cache   sync.Map // cacheKey → []match, see cached
}

// labelFunc reports the labels of one document to an index builder.
type labelFunc func(doc int, add func(text, lang string, kind labelKind))

// buildIndex indexes the documents ids[0..n) whose labels come from labelsOf.
func buildIndex(ids []string, labelsOf labelFunc) *index {
	n := len(ids) * 8 // labels per concept, roughly: saves regrowing the largest slices
	b := indexBuilder{
		ix: &index{
			ids:     ids,
			entries: make([]entry, 0, n),
			texts:   make([]string, 0, n),
			lw:      make([]int32, 0, 4*n),
		},
		rawID:  make(map[string]int32, 1<<15),
		wordID: make(map[string]int32, 1<<14),
	}
	for d := range ids {
		b.docStart = len(b.ix.entries)
		labelsOf(d, func(text, lang string, kind labelKind) { b.add(int32(d), text, lang, kind) })
	}
	b.finish()
	return b.ix
}

type indexBuilder struct {
	ix       *index
	rawID    map[string]int32 // word as written → number of its folded form, -1 if none; Fold is not cheap and labels repeat words
	wordID   map[string]int32 // folded word → provisional number, in order of first sight
	words    []string
	postings [][]int32
	docStart int
}

func (b *indexBuilder) add(doc int32, text, lang string, kind labelKind) {
	wStart := int32(len(b.ix.lw))
	normLen := -1
	for raw := range wordsOf(text) {
		if id := b.wordNumber(raw); id >= 0 {
			b.ix.lw = append(b.ix.lw, id)
			normLen += len(b.words[id]) + 1
		}
	}
	words := b.ix.lw[wStart:]
	if len(words) == 0 {
		return
	}
	li := b.langIndex(lang)
	for _, e := range b.ix.entries[b.docStart:] {
		if e.lang == li && slices.Equal(b.ix.lw[e.wStart:e.wStart+int32(e.wCount)], words) {
			// ESCO repeats the preferred label among the alternatives;
			// the first, better kind wins.
			b.ix.lw = b.ix.lw[:wStart]
			return
		}
	}
	eid := int32(len(b.ix.entries))
	for _, id := range words {
		if p := b.postings[id]; len(p) == 0 || p[len(p)-1] != eid {
			b.postings[id] = append(p, eid)
		}
	}
	b.ix.entries = append(b.ix.entries, entry{
		doc: doc, wStart: wStart, wCount: uint16(min(len(words), 1<<16-1)),
		normLen: uint16(min(normLen, 1<<16-1)), kind: kind, lang: li,
	})
	b.ix.texts = append(b.ix.texts, text)
}

// wordNumber returns the provisional number of the folded form of raw.
func (b *indexBuilder) wordNumber(raw string) int32 {
	if id, ok := b.rawID[raw]; ok {
		return id
	}
	id := int32(-1)
	if f := translit.Fold(raw); f != "" {
		var ok bool
		if id, ok = b.wordID[f]; !ok {
			id = int32(len(b.words))
			b.wordID[f] = id
			b.words = append(b.words, f)
			b.postings = append(b.postings, nil)
		}
	}
	b.rawID[raw] = id
	return id
}

func (b *indexBuilder) langIndex(lang string) uint8 {
	if i := slices.Index(b.ix.langs, lang); i >= 0 {
		return uint8(i)
	}
	if len(b.ix.langs) == 255 { // 255 means "no such language" in a query
		return 254
	}
	b.ix.langs = append(b.ix.langs, lang)
	return uint8(len(b.ix.langs) - 1)
}

// finish sorts the words and renumbers everything to sorted order.
func (b *indexBuilder) finish() {
	ix := b.ix
	order := make([]int32, len(b.words))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return strings.Compare(b.words[x], b.words[y]) })
	rank := make([]int32, len(order))
	total := 0
	for newID, oldID := range order {
		rank[oldID] = int32(newID)
		total += len(b.postings[oldID])
	}
	ix.words = make([]string, len(order))
	ix.postOff = make([]int32, len(order)+1)
	ix.post = make([]int32, 0, total)
	for newID, oldID := range order {
		ix.words[newID] = b.words[oldID]
		ix.postOff[newID] = int32(len(ix.post))
		ix.post = append(ix.post, b.postings[oldID]...)
	}
	ix.postOff[len(order)] = int32(len(ix.post))
	for i, w := range ix.lw {
		ix.lw[i] = rank[w]
	}
	ix.byFirst = make([]int32, len(ix.entries))
	for i := range ix.byFirst {
		ix.byFirst[i] = int32(i)
	}
	slices.SortStableFunc(ix.byFirst, func(a, b int32) int { return int(ix.firstWord(a) - ix.firstWord(b)) })
	n := (len(ix.entries) + 63) / 64
	ix.bitsets.New = func() any { s := make([]uint64, n); return &s }
}

// wordsOf yields the words of s: runs of letters, digits and combining
// marks. Everything else separates words, so "first-aid" and "first aid"
// compare equal, and Fold sees whole words (it decides per word whether
// "4" is a letter).
func wordsOf(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := -1
		for i, r := range s {
			switch {
			case isWordRune(r):
				if start < 0 {
					start = i
				}
			case start >= 0:
				if !yield(s[start:i]) {
					return
				}
				start = -1
			}
		}
		if start >= 0 {
			yield(s[start:])
		}
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// foldQuery returns the folded words of a query, split as labels are.
func foldQuery(q string) []string {
	var out []string
	for w := range wordsOf(q) {
		if f := translit.Fold(w); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// match is one document found by a search, with its best label.
type match struct {
	doc   int32
	entry int32
	score float64
}

// token is one query word: the range [lo, hi) of index words it starts,
// and exact, the number of the word equal to it, or -1.
type token struct {
	lo, hi int32
	exact  int32
}

// query is a parsed search.
type query struct {
	words   []string // folded
	toks    []token
	driver  int // the token with the fewest postings: candidates come from it
	normLen int
	lang    uint8
}

// search returns up to limit documents whose labels match every query
// token, best first. See rank for the order.
func (ix *index) search(q, lang string, limit int) []match {
	pq, ok := ix.parse(q, lang)
	if !ok || limit <= 0 {
		return nil
	}
	if len(pq.toks) == 1 && ix.postings(pq.toks[0]) > cacheAbove && limit <= cachedLimit {
		return ix.cached(pq, limit)
	}
	return ix.run(pq, limit)
}

// parse folds and splits q and finds each token's words. It reports false
// when nothing can match: no tokens, or a token that starts no word.
func (ix *index) parse(q, lang string) (*query, bool) {
	qw := foldQuery(q)
	if len(qw) == 0 || len(qw) > 1<<15 {
		return nil, false
	}
	pq := &query{words: qw, toks: make([]token, len(qw)), normLen: len(qw) - 1, lang: 255}
	if i := slices.Index(ix.langs, lang); i >= 0 {
		pq.lang = uint8(i)
	}
	for i, w := range qw {
		lo, hi := ix.prefixRange(w)
		if lo == hi {
			return nil, false // no word starts with this token, so no label has them all
		}
		pq.toks[i] = token{lo: lo, hi: hi, exact: -1}
		if ix.words[lo] == w {
			pq.toks[i].exact = lo
		}
		if ix.postings(pq.toks[i]) < ix.postings(pq.toks[pq.driver]) {
			pq.driver = i
		}
		pq.normLen += len(w)
	}
	return pq, true
}

// Single-token queries with very common prefixes ("c", "pro") are the
// slowest, and they are every user's first keystrokes, so their results
// are kept. The cache is bounded: few prefixes have that many postings
// (at most total postings / cacheAbove per prefix length), times the
// languages asked for. It lives in the index, so Apply's rebuild drops it.
const (
	cacheAbove  = 8192
	cachedLimit = maxLimit
)

type cacheKey struct {
	token string
	lang  uint8
}

func (ix *index) cached(q *query, limit int) []match {
	key := cacheKey{q.words[0], q.lang}
	v, ok := ix.cache.Load(key)
	if !ok {
		v, _ = ix.cache.LoadOrStore(key, ix.run(q, cachedLimit))
	}
	ms := v.([]match)
	// The order is total, so the best limit are the head of the best 50.
	return ms[:min(limit, len(ms)):min(limit, len(ms))]
}

// run answers a parsed query.
func (ix *index) run(q *query, limit int) []match {
	if top, ok := ix.searchLeading(q, limit); ok {
		return top
	}
	return ix.scan(q, limit)
}

// scan answers a query from the postings of its driver token.
func (ix *index) scan(q *query, limit int) []match {
	top := topK{limit: limit, ids: ix.ids}
	cur := match{doc: -1}
	ix.candidates(q, func(e int32) {
		if !ix.matchesOthers(e, q) {
			return
		}
		m, _ := ix.rank(e, q)
		switch {
		case m.doc != cur.doc:
			top.offer(cur)
			cur = m
		case m.score > cur.score: // on a tie the first, lower entry stays, as in searchLeading
			cur = m
		}
	})
	top.offer(cur)
	return top.hits
}

// searchLeading answers a query from the labels that start with it, and
// reports whether they were enough. Every such label outranks every label
// that merely contains the query's words, so when at least limit
// documents have one, the full search would return exactly these. It is
// the fast path for short prefixes such as "c", whose words appear in
// tens of thousands of labels but start far fewer.
func (ix *index) searchLeading(q *query, limit int) ([]match, bool) {
	lo, hi := q.toks[0].lo, q.toks[0].hi
	if len(q.toks) > 1 { // the first token must be the whole first word
		if q.toks[0].exact < 0 {
			return nil, false
		}
		lo, hi = q.toks[0].exact, q.toks[0].exact+1
	}
	top := topK{limit: limit, ids: ix.ids}
	i := sort.Search(len(ix.byFirst), func(i int) bool { return ix.firstWord(ix.byFirst[i]) >= lo })
	for ; i < len(ix.byFirst) && ix.firstWord(ix.byFirst[i]) < hi; i++ {
		if m, tier := ix.rank(ix.byFirst[i], q); tier <= 1 {
			top.offerOnce(m)
		}
	}
	return top.hits, len(top.hits) == limit
}

func (ix *index) firstWord(e int32) int32 { return ix.lw[ix.entries[e].wStart] }

func (ix *index) postings(t token) int32 { return ix.postOff[t.hi] - ix.postOff[t.lo] }

// prefixRange returns the numbers [lo, hi) of the words that start with p.
func (ix *index) prefixRange(p string) (int32, int32) {
	lo := sort.SearchStrings(ix.words, p)
	n := sort.Search(len(ix.words)-lo, func(i int) bool { return !strings.HasPrefix(ix.words[lo+i], p) })
	return int32(lo), int32(lo + n)
}

// intersectAbove is the driver's postings count above which the other
// tokens are applied as bitsets too: with two short tokens ("a s") each
// has tens of thousands of postings, and ANDing 64 entries at a time beats
// checking every candidate.
const intersectAbove = 2048

// candidates calls visit for every entry containing a word of the driver
// token (and, for a large driver, of every token), once each, in
// ascending entry order, so entries of one document arrive together.
func (ix *index) candidates(q *query, visit func(e int32)) {
	t := q.toks[q.driver]
	if t.hi-t.lo == 1 { // one word: its postings are already sorted and distinct
		for _, e := range ix.post[ix.postOff[t.lo]:ix.postOff[t.hi]] {
			visit(e)
		}
		return
	}
	// Several words: union their postings in a bitset, which yields
	// ascending order without sorting.
	bp := ix.bitsets.Get().(*[]uint64)
	defer ix.bitsets.Put(bp)
	set := *bp
	minW, maxW := ix.fill(set, t)
	if len(q.toks) > 1 && ix.postings(t) > intersectAbove {
		op := ix.bitsets.Get().(*[]uint64)
		defer ix.bitsets.Put(op)
		other := *op
		for i, o := range q.toks {
			if i == q.driver {
				continue
			}
			lo, hi := ix.fill(other, o)
			for w := minW; w <= maxW; w++ {
				set[w] &= other[w]
			}
			clear(other[lo : hi+1]) // leave the bitsets clean for the next query
		}
	}
	for w := minW; w <= maxW; w++ {
		for b := set[w]; b != 0; b &= b - 1 {
			visit(int32(w<<6 + bits.TrailingZeros64(b)))
		}
		set[w] = 0
	}
}

// fill sets the bits of the entries containing a word of t and returns
// the range of bitset words it touched.
func (ix *index) fill(set []uint64, t token) (minW, maxW int) {
	minW, maxW = len(set), -1
	for _, e := range ix.post[ix.postOff[t.lo]:ix.postOff[t.hi]] {
		w := int(e >> 6)
		set[w] |= 1 << (e & 63)
		minW, maxW = min(minW, w), max(maxW, w)
	}
	return minW, maxW
}

// matchesOthers reports whether entry e has a word starting with each
// query token other than the driver, whose postings e came from.
func (ix *index) matchesOthers(e int32, q *query) bool {
	en := &ix.entries[e]
	words := ix.lw[en.wStart : en.wStart+int32(en.wCount)]
	for i, t := range q.toks {
		if i != q.driver && !slices.ContainsFunc(words, func(w int32) bool { return w >= t.lo && w < t.hi }) {
			return false
		}
	}
	return true
}

// rank scores entry e, which matches q, and returns its tier.
//
// Order, from best: the label equals the query (tier 0); the label starts
// with the query (1); every token starts some word of the label (2).
// Within each, a preferred label beats an alternative one. Hidden labels
// count only as tier 2: they are search aids (misspellings; NKPD titles,
// which close-match many occupations at once), not names. Then a label in
// the requested language, then a shorter label. The score encodes that
// order in one number in (0, 1): bases 0.9, 0.8, …, 0.4 for tier and kind,
// plus 0.05 for the language and up to 0.04 for the share of the label
// that was typed, so these never overturn a better tier. Equal scores are
// ordered by id.
func (ix *index) rank(e int32, q *query) (match, int) {
	en := &ix.entries[e]
	t := 2
	if en.kind != labelHidden { // search aids (misspellings, NKPD titles) find, but never lead
		t = tier(ix.lw[en.wStart:en.wStart+int32(en.wCount)], q.toks)
	}
	s := 0.9 - 0.2*float64(t)
	if en.kind != labelPref {
		s -= 0.1
	}
	if en.lang == q.lang {
		s += 0.05
	}
	s += 0.04 * min(1, float64(q.normLen)/float64(en.normLen))
	return match{doc: en.doc, entry: e, score: s}, t
}

// tier returns 0 if the label's words equal the query's, 1 if the label
// starts with the query (all but the last token whole words, in order,
// the last a prefix of the next word), else 2.
func tier(words []int32, toks []token) int {
	if len(words) < len(toks) {
		return 2
	}
	last := len(toks) - 1
	for i, t := range toks[:last] {
		if words[i] != t.exact {
			return 2
		}
	}
	t := toks[last]
	switch w := words[last]; {
	case w == t.exact && len(words) == len(toks):
		return 0
	case w >= t.lo && w < t.hi:
		return 1
	}
	return 2
}

// topK keeps the best limit matches, sorted best first.
type topK struct {
	limit int
	ids   []string
	hits  []match
}

func (k *topK) better(a, b match) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return k.ids[a.doc] < k.ids[b.doc]
}

func (k *topK) offer(m match) {
	if m.doc < 0 {
		return
	}
	if len(k.hits) == k.limit {
		if !k.better(m, k.hits[len(k.hits)-1]) {
			return
		}
		k.hits = k.hits[:len(k.hits)-1]
	}
	i := sort.Search(len(k.hits), func(i int) bool { return k.better(m, k.hits[i]) })
	k.hits = slices.Insert(k.hits, i, m)
}

// offerOnce is offer for matches that arrive in no particular order, so a
// document may come more than once: it keeps the document's best match,
// and of equal ones the lower entry, like the in-order search.
func (k *topK) offerOnce(m match) {
	if len(k.hits) == k.limit && !k.better(m, k.hits[len(k.hits)-1]) {
		return // the common case once full: nothing to look up
	}
	if i := slices.IndexFunc(k.hits, func(h match) bool { return h.doc == m.doc }); i >= 0 {
		h := k.hits[i]
		if h.score > m.score || (h.score == m.score && h.entry < m.entry) {
			return
		}
		k.hits = slices.Delete(k.hits, i, i+1)
	}
	k.offer(m)
}
