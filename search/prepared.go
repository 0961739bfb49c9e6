package search

import (
	"sync"
	"sync/atomic"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// prepared keeps needs or candidates prepared for scoring, so that a
// request re-ranks hundreds of them without looking up each one's skills
// in the taxonomy again (a tenth to a third of a ranking's time). An entry
// is used only while the document's sequence number and the epoch are the
// ones it was prepared at: an edited document is prepared afresh, and a
// prepared need, whose skill weights follow the skills' rarity, is
// prepared again once any consenting profile changed (Index.rarityEpoch).
// The cache is bounded; when full it drops an arbitrary tenth.
type prepared[T any] struct {
	max int

	mu sync.Mutex
	m  map[string]preparedEntry[T]
}

type preparedEntry[T any] struct {
	seq, epoch int64
	v          T
}

// maxPrepared bounds each cache: about 2 KB an entry.
const maxPrepared = 100_000

func newPrepared[T any](max int) *prepared[T] {
	return &prepared[T]{max: max, m: map[string]preparedEntry[T]{}}
}

// get returns the prepared id at seq and epoch, preparing it with make
// when the cache has no such entry.
func (pc *prepared[T]) get(id string, seq, epoch int64, make func() (T, error)) (T, error) {
	pc.mu.Lock()
	e, ok := pc.m[id]
	pc.mu.Unlock()
	if ok && e.seq == seq && e.epoch == epoch {
		return e.v, nil
	}
	v, err := make()
	if err != nil {
		return v, err
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.m) >= pc.max {
		drop := pc.max / 10
		for k := range pc.m { // Go's map order is arbitrary enough for eviction
			if drop--; drop < 0 {
				break
			}
			delete(pc.m, k)
		}
	}
	pc.m[id] = preparedEntry[T]{seq: seq, epoch: epoch, v: v}
	return v, nil
}

func (pc *prepared[T]) forget(id string) {
	pc.mu.Lock()
	delete(pc.m, id)
	pc.mu.Unlock()
}

// onCard returns p prepared by r's scorer as an employer may see them:
// placed at the centre of their cardPlace cell, not at their own point.
// The candidate direction scores with it (the hard filters keep the exact
// point): the card shows a municipality, not where the person lives, and a
// distance part or a distance in km computed from the exact point would
// let an employer who moves its need's place find the person's home by
// trilateration.
func (r *ranker) onCard(p profile.Profile) (*score.PreparedCandidate, error) {
	return r.cards.get(p.ID, p.Seq, 0, func() (*score.PreparedCandidate, error) {
		f := candidateFacts(p)
		f.Lat, f.Lon = cardPlace(p.Lat, p.Lon)
		return r.s.PrepareCandidate(f)
	})
}

// preparedNeed is a need prepared by one ranker, with its score bounds
// with text and, for each of the bounds' skills, its term number in the
// pool (-1 for none).
type preparedNeed struct {
	seq, epoch int64
	pn         *score.PreparedNeed
	bounds     score.Bounds
	terms      []int32
}

// needSlots hold a need prepared by each ranker (ranker.slot). Rankings
// under the read lock fill them; a write to the need empties them.
type needSlots [numRankers]atomic.Pointer[preparedNeed]

// preparedNeedLocked returns need d of the pool prepared by r at the
// rarity of epoch, preparing it from the need in memory (get) when its
// slot holds none at its sequence and epoch. Only a need that cannot be
// prepared (a malformed date) returns nil.
func (pl *pool) preparedNeedLocked(r *ranker, d int32, epoch int64, get func(id string) (register.Need, bool)) *preparedNeed {
	slot := &pl.needPrep[d][r.slot]
	seq := pl.needCold[d].seq
	if e := slot.Load(); e != nil && e.seq == seq && e.epoch == epoch {
		return e
	}
	n, ok := get(pl.needCold[d].id)
	if !ok {
		return nil
	}
	pn, err := r.s.PrepareNeed(needFacts(n))
	if err != nil {
		return nil
	}
	e := &preparedNeed{seq: seq, epoch: epoch, pn: pn, bounds: r.s.Bounds(pn, true)}
	e.terms = make([]int32, len(e.bounds.Skills))
	for i, id := range e.bounds.Skills {
		if t, ok := pl.termNum[id]; ok {
			e.terms[i] = t
		} else {
			e.terms[i] = -1
		}
	}
	slot.Store(e)
	return e
}
