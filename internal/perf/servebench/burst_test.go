package servebench

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestAuthBurstMemoryIsBounded sends the 200 registrations and sign-ins of
// the auth burst at once to the real binary with four hashing slots: the
// server's resident memory may grow by the slots' argon2id blocks and the
// connections, not by 19 MiB per request (today's main grew by 2.5 GiB).
// Every request is answered: done, or 503 to retry.
func TestAuthBurstMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b, err := RunBurst(ctx, BurstConfig{Binary: buildBinary(t), DataDir: filepath.Join(t.TempDir(), "data"),
		Progress: &testProgress{t: t, begin: time.Now()}, Env: []string{"SKILLSMATCH_HASH_CONCURRENCY=4"}})
	if err != nil {
		t.Fatalf("RunBurst() error = %v", err)
	}
	t.Logf("burst: %+v", b)
	if b.Requests != DefaultBurst || b.Registrations+b.SignIns != b.Requests {
		t.Errorf("burst of %d: %d registrations, %d sign-ins, want %d in all", b.Requests, b.Registrations, b.SignIns, DefaultBurst)
	}
	if done := b.Statuses[200] + b.Statuses[201] + b.Statuses[503]; done != b.Requests || b.TransportErrors != 0 {
		t.Errorf("statuses %v, %d transport errors (%s): want every request answered 200, 201 or 503", b.Statuses, b.TransportErrors, b.FirstError)
	}
	if b.Statuses[201] == 0 || b.Statuses[200] == 0 {
		t.Errorf("statuses %v: want some registrations and sign-ins done", b.Statuses)
	}
	// 4 slots × 2 × 19 MiB = 152 MiB of hashing (a finished block is freed
	// at the next collection), and the collector lets the heap grow to
	// twice what is live; the rest is 200 connections and the store's
	// writes. Measured: 230 to 300 MiB.
	const bound = 512
	if grew := b.PeakMiB - b.BeforeRSSMiB; grew <= 0 || grew > bound {
		t.Errorf("peak RSS %.0f MiB from %.0f MiB: grew %.0f MiB, want more than 0 and at most %d", b.PeakMiB, b.BeforeRSSMiB, grew, bound)
	}
}
