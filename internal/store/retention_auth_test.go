package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// Retention removes expired refresh tokens, families all of whose tokens
// expired, and throttle entries idle beyond the longest window; it keeps
// everything else. The clock is fixed.
func TestAuthRetention(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	ttl := 30 * 24 * time.Hour
	sessions, throttle := st.Sessions(), st.Throttle()

	tokens := map[string]time.Time{"expired": now.Add(-time.Hour), "live": now.Add(time.Hour)}
	for hash, exp := range tokens {
		if err := sessions.InsertRefresh(ctx, auth.RefreshToken{Hash: hash, UserID: "u1", Family: "f-" + hash, ExpiresAt: exp, CreatedAt: exp.Add(-ttl)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sessions.RevokeFamily(ctx, "old", "u1", now.Add(-ttl-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := sessions.RevokeFamily(ctx, "recent", "u1", now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	record := func(key string, at time.Time) {
		t.Helper()
		if _, err := throttle.Attempt(ctx, key, at, at.Add(-auth.ThrottleHorizon), 10, func([]time.Time) time.Duration { return 0 }); err != nil {
			t.Fatal(err)
		}
	}
	record("ip:idle", now.Add(-48*time.Hour))
	record("ip:busy", now.Add(-48*time.Hour))
	record("ip:busy", now.Add(-time.Minute))

	n, err := sessions.DeleteExpired(ctx, now, ttl)
	if err != nil || n != 2 {
		t.Fatalf("DeleteExpired() = %d, %v; want 2 (the expired token and the old family)", n, err)
	}
	if _, err := sessions.Refresh(ctx, "expired"); !failure.Is(err, failure.NotFound) {
		t.Errorf("expired token: %v, want gone", err)
	}
	if _, err := sessions.Refresh(ctx, "live"); err != nil {
		t.Errorf("live token: %v, want kept", err)
	}
	for family, want := range map[string]bool{"old": false, "recent": true} {
		if revoked, err := sessions.FamilyRevoked(ctx, family); err != nil || revoked != want {
			t.Errorf("family %s revoked = %v, %v; want %v", family, revoked, err, want)
		}
	}

	n, err = throttle.DeleteIdle(ctx, now.Add(-auth.ThrottleHorizon))
	if err != nil || n != 1 {
		t.Fatalf("DeleteIdle() = %d, %v; want 1", n, err)
	}
	for key, want := range map[string]int{"ip:idle": 0, "ip:busy": 1} {
		var seen int
		if _, err := throttle.Attempt(ctx, key, now, now.Add(-auth.ThrottleHorizon), 10, func(prior []time.Time) time.Duration {
			seen = len(prior)
			return time.Second // look only
		}); err != nil {
			t.Fatal(err)
		}
		if seen != want {
			t.Errorf("%s: %d attempts in the horizon after retention, want %d", key, seen, want)
		}
	}
}
