package mirror

import "time"

// HoleTimeout bounds how long a mark waits for a sequence number that a
// write took but has not stored yet. Store writes time out after 30 s, so
// a hole older than this will never be filled: it was a write that failed
// after taking its number.
const HoleTimeout = time.Minute

// Mark tracks which sequence numbers of one collection are applied. Done
// is the highest number up to which every number is applied (or known
// never to come); numbers above it that are applied wait until the hole
// below them fills or times out. Writes arrive out of order when requests
// race. The register keeps one per collection in memory; the search
// index keeps its own for needs, stored with its documents (Advance, then
// Commit once the batch holding the proposed value is written). A Mark is
// not safe for concurrent use: its owner's lock guards it.
type Mark struct {
	done      int64
	above     map[int64]bool
	holeSince time.Time // when done+1 was first seen missing
	pending   int64     // the value Advance proposed, until Commit
	failed    int64     // lowest sequence whose application failed (0: none); never passed
}

// NewMark returns a mark complete up to done.
func NewMark(done int64) *Mark { return &Mark{done: done, above: map[int64]bool{}} }

// Done is the highest sequence up to which every change is applied.
func (w *Mark) Done() int64 { return w.done }

// Seen reports whether seq, above Done, is applied already.
func (w *Mark) Seen(seq int64) bool { return w.above[seq] }

// Advance records seq as applied and returns the new mark to store;
// Commit makes it current once the batch holding it is written.
func (w *Mark) Advance(seq int64, now time.Time) int64 {
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
		} else if now.Sub(w.holeSince) > HoleTimeout {
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

// Pass records seq as applied where nothing stores the mark (the
// register's, in memory only): Advance and Commit at once.
func (w *Mark) Pass(seq int64, now time.Time) {
	w.Advance(seq, now)
	w.Commit()
}

// Commit makes the value the last Advance proposed current.
func (w *Mark) Commit() {
	if w.pending > w.done {
		for s := range w.above {
			if s <= w.pending {
				delete(w.above, s)
			}
		}
		w.done, w.holeSince = w.pending, time.Time{}
	}
}

// Fail records that seq could not be applied: the mark stays below it so
// that the next start-up's catch-up applies it from the store.
func (w *Mark) Fail(seq int64) {
	delete(w.above, seq)
	if w.failed == 0 || seq < w.failed {
		w.failed = seq
	}
}

// Reset makes the mark complete up to done, forgetting what was above.
func (w *Mark) Reset(done int64) {
	w.done, w.above, w.holeSince = done, map[int64]bool{}, time.Time{}
}

func (w *Mark) lowestAbove() int64 {
	low := int64(-1)
	for s := range w.above {
		if low < 0 || s < low {
			low = s
		}
	}
	return low
}
