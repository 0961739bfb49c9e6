package auth

import (
	"testing"
	"time"
)

// attempts returns n attempt times one second apart, the last at end.
func attempts(n int, end time.Time) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = end.Add(-time.Duration(n-1-i) * time.Second)
	}
	return ts
}

func TestLimitsWait(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	last := now.Add(-time.Second)
	tests := []struct {
		name  string
		limit limit
		prior int
		want  time.Duration
	}{
		{"pair: nine failures, the tenth may try", pairLimit, 9, 0},
		{"pair: ten failures lock 15 minutes from the last", pairLimit, 10, 15*time.Minute - time.Second},
		{"pair: the eleventh doubles it", pairLimit, 11, 30*time.Minute - time.Second},
		{"pair: backoff stops at a day", pairLimit, 50, 24*time.Hour - time.Second},
		{"address: 99 failures on any accounts, still no wait", addressLimit, 99, 0},
		{"address: the hundredth starts a 1 s backoff", addressLimit, 100, 0},
		{"address: then 2 s", addressLimit, 101, time.Second},
		{"address: then 4 s", addressLimit, 102, 3 * time.Second},
		{"address: backoff stops at 15 minutes", addressLimit, 140, 15*time.Minute - time.Second},
		{"account: 99 failures from everywhere, still open", accountLimit, 99, 0},
		{"account: the ceiling of 100 (NIST SP 800-63B 5.2.2)", accountLimit, 100, time.Minute - time.Second},
		{"account: backoff stops at an hour", accountLimit, 140, time.Hour - time.Second},
		{"registrations: below the hourly number", registrationLimit(3), 2, 0},
		// three attempts 2 s, 1 s and 0 s before last: the oldest leaves the hour first
		{"registrations: at the hourly number, until the oldest is an hour old", registrationLimit(3), 3, time.Hour - 3*time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.limit.wait(attempts(tt.prior, last), now); got != tt.want {
				t.Errorf("wait after %d attempts = %s, want %s", tt.prior, got, tt.want)
			}
		})
	}
}

// The ceilings the issue asks for: an account locks for everyone only at
// 100 failures at most, a single address long before; the address's own
// allowance is well above one class's typing mistakes.
func TestLimitsOrder(t *testing.T) {
	if accountLimit.free > 100 {
		t.Errorf("account ceiling %d, want at most 100 (NIST SP 800-63B 5.2.2)", accountLimit.free)
	}
	if pairLimit.free >= accountLimit.free || addressLimit.free < 5*pairLimit.free {
		t.Errorf("pair %d, address %d, account %d: want pair < account and a generous address", pairLimit.free, addressLimit.free, accountLimit.free)
	}
	for _, l := range []limit{pairLimit, addressLimit, accountLimit, registrationLimit(5)} {
		if l.keep() < l.free {
			t.Errorf("%s keeps %d attempts, fewer than the %d it allows", l.prefix, l.keep(), l.free)
		}
		if l.window > ThrottleHorizon || l.max > ThrottleHorizon {
			t.Errorf("%s looks back %s (backoff up to %s), beyond the retention horizon %s", l.prefix, l.window, l.max, ThrottleHorizon)
		}
	}
}

func TestHashSlotsFor(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		mem   int64
		procs int
		want  int
	}{
		{0, 2, 4},         // memory unknown: two per processor
		{8 << 30, 2, 4},   // plenty of memory: two per processor
		{8 << 30, 64, 53}, // 2 GiB for hashing, 38 MiB each
		{400 * mib, 8, 2}, // 100 MiB for hashing
		{64 * mib, 8, 1},  // too little for one: still one
		{1 << 40, 0, 2},   // no processor count: one processor
	}
	for _, tt := range tests {
		if got := HashSlotsFor(tt.mem, tt.procs); got != tt.want {
			t.Errorf("HashSlotsFor(%d MiB, %d) = %d, want %d", tt.mem/mib, tt.procs, got, tt.want)
		}
	}
}
