package search

import (
	"sync"

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

// need returns n prepared by r's scorer with the rarity of epoch.
func (r *ranker) need(n register.Need, epoch int64) (*score.PreparedNeed, error) {
	return r.needs.get(n.ID, n.Seq, epoch, func() (*score.PreparedNeed, error) {
		return r.s.PrepareNeed(needFacts(n))
	})
}

// needBounds returns the score bounds with text of n prepared as pn at
// epoch (score.Bounds).
func (r *ranker) needBounds(n register.Need, epoch int64, pn *score.PreparedNeed) *score.Bounds {
	b, _ := r.bounds.get(n.ID, n.Seq, epoch, func() (*score.Bounds, error) {
		b := r.s.Bounds(pn, true)
		return &b, nil
	})
	return b
}
