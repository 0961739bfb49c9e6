package search

import (
	lru "container/list"
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// maxCachedMatches bounds the ranking cache by the candidates it holds,
// all entries together (an entry of limit 20 holds at most 20). A cached
// candidate is an id, a score and an explanation, about 1 KiB, so the
// cache stays under about 64 MiB; 65,536 candidates are 3,276 pages of 20:
// every need of a city asked at once in a day's rotation, or the needs
// being worked on of a national office.
const maxCachedMatches = 1 << 16

// rankCache keeps needs' candidate rankings (CachedMatchCandidates) while
// nothing that can change them has changed, so that an employer or an
// officer refreshing a need's candidates pays for the ranking once.
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
	matches int                      // candidates held, all entries
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
	out   []cachedMatch
}

// cachedMatch is a CandidateMatch without its profile, which is read
// again from the held ones on a hit (the epoch says they are the same):
// the cache does not hold a second copy of anyone's profile.
type cachedMatch struct {
	id          string
	score       float64
	explanation score.Explanation
	permit      bool
}

// profilesMoved invalidates every cached ranking. The index calls it
// under its write lock whenever the profiles it holds change.
func (ix *Index) profilesMoved() { ix.rank.epoch.Add(1) }

// CachedMatchCandidates is MatchCandidates, answered from the ranking
// cache while the need's version and the profiles held are the same as
// when it was ranked. The result is the caller's to keep.
func (ix *Index) CachedMatchCandidates(ctx context.Context, n register.Need, limit int, lang string) ([]CandidateMatch, error) {
	if n.Seq == 0 || limit <= 0 {
		return ix.MatchCandidates(ctx, n, limit, lang) // a need never stored has no version to key it by
	}
	key := rankKey{need: n.ID, seq: n.Seq, lang: lang, limit: limit}
	if out, ok := ix.cachedRanking(key); ok {
		return out, nil
	}
	epoch := ix.rank.epoch.Load()
	out, err := ix.MatchCandidates(ctx, n, limit, lang)
	if err != nil {
		return nil, err
	}
	// Kept only if no profile changed while it was ranked: a ranking that
	// saw half of a change would otherwise outlive it.
	if ix.rank.epoch.Load() == epoch {
		ix.rank.put(key, epoch, out)
	}
	return out, nil
}

// cachedRanking is the cached ranking of key with the current profiles,
// if there is one.
func (ix *Index) cachedRanking(key rankKey) ([]CandidateMatch, bool) {
	e, ok := ix.rank.get(key)
	if !ok {
		return nil, false
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if e.epoch != ix.rank.epoch.Load() {
		return nil, false // a profile changed since: rank again
	}
	out := make([]CandidateMatch, len(e.out))
	for i, m := range e.out {
		p, ok := ix.profSet[m.id]
		if !ok {
			return nil, false // cannot be while the epoch holds; never serve a ranking without its people
		}
		out[i] = CandidateMatch{Profile: p, Score: m.score, Explanation: cloneExplanation(m.explanation), PermitRequired: m.permit}
	}
	return out, true
}

// cloneExplanation copies the lists of an explanation, so that no caller
// can change a cached one.
func cloneExplanation(e score.Explanation) score.Explanation {
	e.MatchedSkills = slices.Clone(e.MatchedSkills)
	e.MissingSkills = slices.Clone(e.MissingSkills)
	e.Parts = slices.Clone(e.Parts)
	return e
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

func (c *rankCache) put(key rankKey, epoch int64, ms []CandidateMatch) {
	if len(ms) > maxCachedMatches {
		return
	}
	out := make([]cachedMatch, len(ms))
	for i, m := range ms {
		out[i] = cachedMatch{id: m.Profile.ID, score: m.Score, explanation: cloneExplanation(m.Explanation), permit: m.PermitRequired}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[rankKey]*lru.Element{}
	}
	if el, ok := c.entries[key]; ok {
		c.removeLocked(el)
	}
	c.entries[key] = c.order.PushFront(&rankEntry{key: key, epoch: epoch, out: out})
	c.matches += len(out)
	for c.matches > maxCachedMatches {
		c.removeLocked(c.order.Back())
	}
}

func (c *rankCache) removeLocked(el *lru.Element) {
	e := c.order.Remove(el).(*rankEntry)
	delete(c.entries, e.key)
	c.matches -= len(e.out)
}

// rankCacheLen is how many rankings the cache holds, for tests.
func (c *rankCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
