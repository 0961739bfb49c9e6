package follow_test

import (
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/follow"
)

func TestMarkWaitsForHolesThenPassesThem(t *testing.T) {
	var m follow.Mark
	m.Start(3)
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	m.Seen(5, t0) // 4 is missing: a write in flight
	if m.Done() != 3 {
		t.Fatalf("Done = %d with 4 missing, want 3", m.Done())
	}
	m.Seen(4, t0.Add(time.Second)) // it arrives
	if m.Done() != 5 {
		t.Fatalf("Done = %d after 4 arrived, want 5", m.Done())
	}
	m.Seen(7, t0.Add(2*time.Second)) // 6 never comes
	m.Seen(8, t0.Add(3*time.Second))
	if m.Done() != 5 {
		t.Fatalf("Done = %d while 6 may still come, want 5", m.Done())
	}
	m.Seen(9, t0.Add(2*time.Second+follow.HoleTimeout+time.Second))
	if m.Done() != 9 {
		t.Fatalf("Done = %d after the hole timed out, want 9", m.Done())
	}
	m.Seen(2, t0) // an old number changes nothing
	if m.Done() != 9 {
		t.Fatalf("Done = %d after an old number, want 9", m.Done())
	}
}
