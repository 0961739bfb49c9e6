package search

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// holeTimeout bounds how long the watermark waits for a sequence number
// that a write took but has not stored yet. Store writes time out after
// 30 s, so a hole older than this will never be filled: it was a write that
// failed after taking its number.
const holeTimeout = time.Minute

// watermark tracks which sequence numbers are indexed. done is the highest
// number up to which every number is indexed (or known never to come);
// numbers above it that are indexed wait in above until the hole below them
// fills or times out. Writes arrive out of order when requests race.
type watermark struct {
	done      int64
	above     map[int64]bool
	holeSince time.Time // when done+1 was first seen missing
	pending   int64     // the value advance proposed, until commit
	failed    int64     // lowest sequence whose indexing failed (0: none); never passed
}

func loadWatermark(idx bleve.Index) (*watermark, error) {
	raw, err := idx.GetInternal(watermarkKey)
	if err != nil {
		return nil, fmt.Errorf("read watermark: %w", err)
	}
	w := &watermark{above: map[int64]bool{}}
	if len(raw) > 0 {
		if w.done, err = strconv.ParseInt(string(raw), 10, 64); err != nil {
			return nil, fmt.Errorf("watermark %q is damaged: %w", raw, err)
		}
	}
	return w, nil
}

// advance records seq as indexed and returns the new watermark to store;
// commit makes it current once the batch holding it is written.
func (w *watermark) advance(seq int64, now time.Time) int64 {
	if seq > w.done {
		w.above[seq] = true
	}
	next := w.done
	for w.above[next+1] {
		next++
	}
	if next == w.done && len(w.above) > 0 {
		if w.holeSince.IsZero() {
			w.holeSince = now
		} else if now.Sub(w.holeSince) > holeTimeout {
			next = w.lowestAbove()
			for w.above[next+1] {
				next++
			}
		}
	}
	if w.failed > 0 && next >= w.failed {
		next = w.failed - 1 // catch-up at the next start must see the failed change
	}
	w.pending = max(next, w.done)
	return w.pending
}

// pass records seq as done where no batch stores the watermark (the
// profiles', held in memory only): advance and commit at once.
func (w *watermark) pass(seq int64, now time.Time) {
	w.advance(seq, now)
	w.commit()
}

func (w *watermark) commit() {
	if w.pending > w.done {
		for s := range w.above {
			if s <= w.pending {
				delete(w.above, s)
			}
		}
		w.done, w.holeSince = w.pending, time.Time{}
	}
}

// fail records that seq could not be indexed: the watermark stays below it
// so that the next start-up's catch-up indexes it from the store.
func (w *watermark) fail(seq int64) {
	delete(w.above, seq)
	if w.failed == 0 || seq < w.failed {
		w.failed = seq
	}
}

func (w *watermark) reset(done int64) {
	w.done, w.above, w.holeSince = done, map[int64]bool{}, time.Time{}
}

func (w *watermark) lowestAbove() int64 {
	low := int64(-1)
	for s := range w.above {
		if low < 0 || s < low {
			low = s
		}
	}
	return low
}
