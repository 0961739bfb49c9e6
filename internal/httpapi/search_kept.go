package httpapi

import (
	"sync"

	"github.com/careget/skillsmatch/search"
)

// maxKeptSearchBytes bounds the JSON the public search keeps: a page of 20
// needs is some 30 KB, so a few hundred popular searches.
const maxKeptSearchBytes = 16 << 20

// keptSearches holds the JSON of the public search's answers of one stamp
// (search.Stamp), by query string: the same query at the same stamp is the
// same answer, and its JSON — most of an answer's cost once the index's
// part is kept — is written once. A new stamp (any write to the needs
// index, a new day) drops it all.
type keptSearches struct {
	mu     sync.RWMutex
	stamp  search.Stamp
	size   int
	bodies map[string][]byte
}

func (k *keptSearches) get(st search.Stamp, query string) ([]byte, bool) {
	if !st.Valid() {
		return nil, false
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if st != k.stamp {
		return nil, false
	}
	b, ok := k.bodies[query]
	return b, ok
}

func (k *keptSearches) put(st search.Stamp, query string, body []byte) {
	if !st.Valid() || len(body) > maxKeptSearchBytes/16 {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if st != k.stamp || k.size+len(body) > maxKeptSearchBytes {
		k.stamp, k.size, k.bodies = st, 0, map[string][]byte{}
	}
	k.bodies[query] = body
	k.size += len(body)
}
