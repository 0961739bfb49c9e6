package search

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
)

// The public search asks the same few questions again and again (the home
// page, a kind, a municipality, a popular word), and each one costs Bleve a
// walk over every matching posting and the facets' doc values of every
// hit. Its answers are kept until the needs index next changes: the index
// counts its writes, and a kept answer is served only while the count is
// the one it was computed at. Every change that can make a need public or
// not — a need written, withdrawn or deleted, its employer verified or not,
// another replica's write applied by Poll, the start-up catch-up, a
// reindex — is a write to the needs index, so a kept answer is exactly
// what the index would say. The needs themselves are read from memory at
// every search, never kept.

// maxCachedSearches bounds the answers kept: a few kilobytes each (a page
// of ids and three facets of up to 50 values).
const maxCachedSearches = 2048

// writeCounted is the needs index, counting its writes. A write is counted
// after Bleve has applied it: a search that read the count before may have
// seen the index before the write, and its answer, kept under the old
// count, is never served again.
type writeCounted struct {
	bleveIndex
	writes atomic.Uint64
	kept   *searchCache
}

// bleveIndex names the embedded index apart from its Index method.
type bleveIndex = bleve.Index

// countWrites wraps the needs index so that its public searches are kept
// until its next write.
func countWrites(idx bleve.Index) bleve.Index {
	return &writeCounted{bleveIndex: idx, kept: &searchCache{entries: map[searchKey]keptSearch{}}}
}

func (w *writeCounted) Batch(b *bleve.Batch) error {
	defer w.writes.Add(1) // even when it failed: Bleve may have applied part of it
	return w.bleveIndex.Batch(b)
}

func (w *writeCounted) Index(id string, data any) error {
	defer w.writes.Add(1)
	return w.bleveIndex.Index(id, data)
}

func (w *writeCounted) Delete(id string) error {
	defer w.writes.Add(1)
	return w.bleveIndex.Delete(id)
}

// searchCacheOf returns the kept searches of ix and the write count to
// read and keep them at; nil and an invalid stamp when the index does not
// count its writes.
func (ix *Index) searchCacheOf(today string) (*searchCache, Stamp) {
	w, ok := ix.needs.(*writeCounted)
	if !ok {
		return nil, Stamp{}
	}
	return w.kept, Stamp{writes: w.writes.Load(), today: today, valid: true}
}

// Stamp tells apart the states of the needs index a public search read:
// two answers to one query with equal valid stamps are the same answer, so
// an adapter may keep what it made of one (the API keeps its JSON) for as
// long as the stamp stays. A stamp holds the index's write count, read
// before the search, and the day the search was asked on.
type Stamp struct {
	writes uint64
	today  string
	valid  bool
}

// Valid reports whether the stamp says anything: an index that does not
// count its writes stamps nothing.
func (s Stamp) Valid() bool { return s.valid }

// searchKey is every value of a NeedQuery, Today included.
type searchKey struct {
	text, kind, sector, municipality, skills string
	near                                     bool
	lat, lon, radiusKm                       float64
	page, pageSize                           int
	today                                    string
}

func keyOf(q NeedQuery) searchKey {
	k := searchKey{text: q.Text, kind: q.Kind, sector: q.Sector, municipality: q.Municipality,
		skills: strings.Join(q.Skills, "\x00"), page: q.Page, pageSize: q.PageSize, today: q.Today}
	if q.Near != nil {
		k.near, k.lat, k.lon, k.radiusKm = true, q.Near.Lat, q.Near.Lon, q.RadiusKm
	}
	return k
}

// keptSearch is the index's answer to a search: the page's need ids, best
// first, the total and the facet counts (shared by every reader: never
// written after it is kept).
type keptSearch struct {
	ids    []string
	total  int
	facets map[string]map[string]int
}

// searchCache holds the answers computed at one write count.
type searchCache struct {
	mu      sync.RWMutex
	writes  uint64
	entries map[searchKey]keptSearch
}

func (c *searchCache) get(writes uint64, k searchKey) (keptSearch, bool) {
	if c == nil {
		return keptSearch{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if writes != c.writes {
		return keptSearch{}, false
	}
	r, ok := c.entries[k]
	return r, ok
}

// put keeps an answer computed at writes; answers of an older count are
// dropped, a newer count drops every answer kept before.
func (c *searchCache) put(writes uint64, k searchKey, r keptSearch) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case writes < c.writes:
		return
	case writes > c.writes || len(c.entries) >= maxCachedSearches:
		clear(c.entries)
		c.writes = writes
	}
	c.entries[k] = r
}
