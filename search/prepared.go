package search

import (
	"sync"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/search/score"
)

// preparedCandidates keeps candidates prepared for scoring, so that a
// request re-ranks hundreds of them without looking up each one's skills
// in the taxonomy again (which was a tenth of a ranking's time). An entry
// is used only while the profile's sequence number is the one it was
// prepared from, so an edited profile is prepared afresh; the cache is
// bounded, and when full it drops an arbitrary tenth of its entries.
type preparedCandidates struct {
	s   *score.Scorer
	max int

	mu sync.Mutex
	m  map[string]preparedEntry
}

type preparedEntry struct {
	seq int64
	c   *score.PreparedCandidate
}

// maxPrepared bounds each language's cache: about 2 KB an entry.
const maxPrepared = 100_000

func newPreparedCandidates(s *score.Scorer, max int) *preparedCandidates {
	return &preparedCandidates{s: s, max: max, m: map[string]preparedEntry{}}
}

// get returns p prepared, from the cache when it can.
func (pc *preparedCandidates) get(p profile.Profile) (*score.PreparedCandidate, error) {
	pc.mu.Lock()
	e, ok := pc.m[p.ID]
	pc.mu.Unlock()
	if ok && e.seq == p.Seq {
		return e.c, nil
	}
	c, err := pc.s.PrepareCandidate(candidateFacts(p))
	if err != nil {
		return nil, err
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.m) >= pc.max {
		drop := pc.max / 10
		for id := range pc.m { // Go's map order is arbitrary enough for eviction
			if drop--; drop < 0 {
				break
			}
			delete(pc.m, id)
		}
	}
	pc.m[p.ID] = preparedEntry{seq: p.Seq, c: c}
	return c, nil
}

func (pc *preparedCandidates) forget(id string) {
	pc.mu.Lock()
	delete(pc.m, id)
	pc.mu.Unlock()
}
