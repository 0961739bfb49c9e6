package search

import (
	"strconv"
	"testing"
)

// The ranking cache keeps within its bound however many rankings are put,
// empty ones included, and drops the least recently used first.
func TestRankCacheStaysBounded(t *testing.T) {
	var c rankCache
	key := func(i int) rankKey { return rankKey{need: "n" + strconv.Itoa(i), seq: 1, lang: "bg", limit: 20} }
	const puts = 3 * maxCachedMatches / entryCost
	for i := range puts {
		c.put(rankEntry{key: key(i), ids: make([]string, i%21)})
		if i == puts/2 {
			if _, ok := c.get(key(puts - 1)); ok {
				t.Fatal("a ranking never put is cached")
			}
		}
		if c.matches > maxCachedMatches {
			t.Fatalf("after %d puts the cache holds %d, over its bound %d", i+1, c.matches, maxCachedMatches)
		}
	}
	if _, ok := c.get(key(0)); ok {
		t.Error("the first ranking is still cached after the cache filled three times over")
	}
	if _, ok := c.get(key(puts - 1)); !ok {
		t.Error("the last ranking put is not cached")
	}
	if len(c.entries) > maxCachedMatches/entryCost {
		t.Errorf("%d rankings cached, over %d", len(c.entries), maxCachedMatches/entryCost)
	}
	if len(c.entries) != c.order.Len() || len(c.entries) == 0 {
		t.Errorf("%d entries in the map, %d in the order", len(c.entries), c.order.Len())
	}
}
