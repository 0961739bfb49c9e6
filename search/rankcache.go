package search

import (
	lru "container/list"
	"context"
	"sync"
	"sync/atomic"

	"github.com/careget/skillsmatch/internal/register"
)

// maxCachedMatches bounds the ranking cache by the candidates it holds,
// all entries together, each entry counted as entryCost more (its key,
// list element and map slot, about eight ids' worth), so that empty
// rankings are bounded too. A cached candidate is an id whose bytes the
// held profile shares (16 bytes), so the cache stays under about 8 MiB:
// 262,144 = 9,362 pages of 20, every need of a city or the needs being
// worked on of a national office, or 32,768 empty rankings.
const (
	maxCachedMatches = 1 << 18
	entryCost        = 8
)

// rankCache keeps needs' candidate rankings (CachedMatchCandidates) while
// nothing that can change them has changed, so that an employer or an
// officer refreshing a need's candidates pays for finding and ordering
// them once. What it keeps is who the candidates are, best first; a hit
// explains them again (RerankCandidates: the hard filters, the score and
// its explanation of those few people), which costs about a seventh of the
// ranking and keeps no copy of anyone's facts or explanation.
//
// A ranking depends on the need, on the held profiles (who they are,
// their facts, and through the skill frequencies every score), on the
// language of the labels and on the page size; it reads no clock (a
// candidate's age and availability are taken on the need's dates). The
// need is in the key by id and change sequence (one sequence value is one
// stored version); everything about the profiles is in epoch, which
// moves on every profile the index holds anew — its own writes, other
// replicas' through Poll, erasures, the start's catch-up — so an entry
// of an older epoch is never served: an erased person is gone from the
// first ranking asked after the erasure was followed.
type rankCache struct {
	epoch atomic.Int64 // moved under ix.mu's write lock (profilesMoved)

	mu      sync.Mutex
	entries map[rankKey]*lru.Element // of *rankEntry
	order   lru.List                 // most recently used first
	matches int                      // candidates held, all entries, and entryCost for each
}

type rankKey struct {
	need  string
	seq   int64
	lang  string
	limit int
}

type rankEntry struct {
	key   rankKey
	epoch int64
	ids   []string // the candidates, best first
}

// profilesMoved invalidates every cached ranking. The index calls it
// under its write lock whenever the profiles it holds change.
func (ix *Index) profilesMoved() { ix.rank.epoch.Add(1) }

// CachedMatchCandidates is MatchCandidates, answered from the ranking
// cache while the need's version and the profiles held are the same as
// when it was ranked.
func (ix *Index) CachedMatchCandidates(ctx context.Context, n register.Need, limit int, lang string) ([]CandidateMatch, error) {
	if n.Seq == 0 || limit <= 0 {
		return ix.MatchCandidates(ctx, n, limit, lang) // a need never stored has no version to key it by
	}
	key := rankKey{need: n.ID, seq: n.Seq, lang: lang, limit: limit}
	if e, ok := ix.rank.get(key); ok {
		out, err := ix.RerankCandidates(ctx, n, e.ids, limit, lang)
		// The same people, explained, if no profile changed before the
		// re-rank read them: else rank again.
		if err == nil && ix.rank.epoch.Load() == e.epoch && len(out) == len(e.ids) {
			return out, nil
		}
	}
	epoch := ix.rank.epoch.Load()
	out, err := ix.MatchCandidates(ctx, n, limit, lang)
	if err != nil {
		return nil, err
	}
	// Kept only if no profile changed while it was ranked: a ranking that
	// saw half of a change would otherwise outlive it.
	if ix.rank.epoch.Load() == epoch {
		ids := make([]string, len(out))
		for i, m := range out {
			ids[i] = m.Profile.ID
		}
		ix.rank.put(rankEntry{key: key, epoch: epoch, ids: ids})
	}
	return out, nil
}

func (c *rankCache) get(key rankKey) (*rankEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*rankEntry)
	if e.epoch != c.epoch.Load() {
		c.removeLocked(el) // stale for good: epochs only move forward
		return nil, false
	}
	c.order.MoveToFront(el)
	return e, true
}

func (c *rankCache) put(e rankEntry) {
	if e.cost() > maxCachedMatches {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[rankKey]*lru.Element{}
	}
	if el, ok := c.entries[e.key]; ok {
		c.removeLocked(el)
	}
	c.entries[e.key] = c.order.PushFront(&e)
	c.matches += e.cost()
	for c.matches > maxCachedMatches {
		c.removeLocked(c.order.Back())
	}
}

func (c *rankCache) removeLocked(el *lru.Element) {
	e := c.order.Remove(el).(*rankEntry)
	delete(c.entries, e.key)
	c.matches -= e.cost()
}

func (e *rankEntry) cost() int { return len(e.ids) + entryCost }
