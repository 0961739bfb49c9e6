package mirror

import (
	"testing"
	"time"
)

func TestMarkWaitsForHolesThenGivesUp(t *testing.T) {
	w := NewMark(0)
	t0 := time.Unix(0, 0)
	step := func(seq int64, at time.Time) int64 {
		got := w.Advance(seq, at)
		w.Commit()
		return got
	}
	if got := step(1, t0); got != 1 {
		t.Fatalf("advance(1) = %d, want 1", got)
	}
	if got := step(3, t0); got != 1 { // 2 is a hole: a write still in flight
		t.Fatalf("advance(3) with 2 missing = %d, want 1", got)
	}
	if got := step(2, t0); got != 3 {
		t.Fatalf("advance(2) = %d, want 3", got)
	}
	if got := step(5, t0); got != 3 {
		t.Fatalf("advance(5) with 4 missing = %d, want 3", got)
	}
	if got := step(6, t0.Add(HoleTimeout+time.Second)); got != 6 {
		t.Fatalf("after the hole timed out = %d, want 6", got)
	}
}

func TestMarkNeverPassesAFailedChange(t *testing.T) {
	w := NewMark(0)
	t0 := time.Unix(0, 0)
	w.Advance(1, t0)
	w.Commit()
	w.Fail(2)
	for seq := int64(3); seq < 6; seq++ {
		// Time passes beyond the hole timeout, which would skip an
		// ordinary hole; a failed change must not be skipped.
		w.Advance(seq, t0.Add(time.Duration(seq-3)*2*HoleTimeout))
		w.Commit()
	}
	if w.Done() != 1 {
		t.Fatalf("watermark = %d after change 2 failed, want 1", w.done)
	}
}
