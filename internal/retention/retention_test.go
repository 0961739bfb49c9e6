package retention_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/retention"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/websession"
)

// The job runs against the real embedded store with a fixed clock: what is
// past its time goes, what is not stays.

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestRefreshTokensAndFamilies(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	sessions := st.Sessions()
	put := func(hash, family string, expires time.Time) {
		t.Helper()
		if err := sessions.InsertRefresh(ctx, auth.RefreshToken{Hash: hash, UserID: "u1", Family: family,
			ExpiresAt: expires, CreatedAt: expires.Add(-30 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	put("old", "fam-spent", now.Add(-time.Hour))         // expired
	put("edge", "fam-spent", now)                        // expires at this instant: refused, so gone
	put("older", "fam-live", now.Add(-48*time.Hour))     // expired, though its family lives on
	put("current", "fam-live", now.Add(time.Hour))       // valid
	put("fresh", "fam-unrevoked", now.Add(24*time.Hour)) // valid, family never revoked
	for _, f := range []string{"fam-spent", "fam-live"} {
		if err := sessions.RevokeFamily(ctx, f, "u1", now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
	}

	res, err := retention.New(st.Retention(), nil, retention.DefaultConfig(), at(now), nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.RefreshTokens != 3 || res.TokenFamilies != 1 {
		t.Errorf("removed %+v, want 3 refresh tokens and 1 family", res)
	}
	for hash, want := range map[string]bool{"old": false, "edge": false, "older": false, "current": true, "fresh": true} {
		_, err := sessions.Refresh(ctx, hash)
		if got := err == nil; got != want {
			t.Errorf("token %s kept = %v (%v), want %v", hash, got, err, want)
		}
	}
	// The live family's revocation must stand: its valid token is refused.
	if revoked, err := sessions.FamilyRevoked(ctx, "fam-live"); err != nil || !revoked {
		t.Errorf("family with a valid token: revoked = %v (%v), want still revoked", revoked, err)
	}
	// Nothing valid remains in the spent family, so its record went.
	if revoked, err := sessions.FamilyRevoked(ctx, "fam-spent"); err != nil || revoked {
		t.Errorf("spent family: revoked = %v (%v), want its record gone", revoked, err)
	}
}

func TestThrottleEntries(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	th := st.Throttle()
	since := now.Add(-365 * 24 * time.Hour) // keep every failure we add
	add := func(key string, ago time.Duration) {
		t.Helper()
		never := func([]time.Time) time.Duration { return 0 }
		if _, err := th.Attempt(ctx, key, now.Add(-ago), since, 100, never); err != nil {
			t.Fatal(err)
		}
	}
	add("idle", 3*24*time.Hour)
	add("idle", 25*time.Hour)
	add("recent", 3*24*time.Hour)
	add("recent", time.Hour) // a failure within the day keeps the whole entry
	add("edge", 24*time.Hour)

	res, err := retention.New(st.Retention(), nil, retention.Config{ThrottleIdle: 24 * time.Hour}, at(now), nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ThrottleEntries != 2 {
		t.Errorf("removed %d throttle entries, want 2 (idle, edge)", res.ThrottleEntries)
	}
	for key, want := range map[string]int{"idle": 0, "edge": 0, "recent": 2} {
		got, err := th.Failures(ctx, key, since)
		if err != nil || len(got) != want {
			t.Errorf("throttle %s: %d failures (%v), want %d", key, len(got), err, want)
		}
	}
}

func TestTombstonesGoOnlyWhenOldAndIndexed(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	created := time.Now().UTC() // the store stamps tombstones with the real time
	needs, profiles := st.Needs(), st.Profiles()

	var needSeqs []int64
	for _, id := range []string{"n1", "n2", "n3"} {
		if _, err := needs.InsertNeed(ctx, register.Need{ID: id, EmployerID: "e1", Title: "Nurse", Status: register.StatusOpen}); err != nil {
			t.Fatal(err)
		}
		tomb, err := needs.DeleteNeed(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		needSeqs = append(needSeqs, tomb.Seq)
	}
	if _, err := needs.InsertNeed(ctx, register.Need{ID: "live", EmployerID: "e1", Title: "Carer", Status: register.StatusOpen}); err != nil {
		t.Fatal(err)
	}
	var profSeqs []int64
	for _, id := range []string{"p1", "p2"} {
		if _, err := profiles.InsertProfile(ctx, profile.Profile{ID: id, DisplayName: "Мария Иванова", BirthYear: 2000}); err != nil {
			t.Fatal(err)
		}
		tomb, err := profiles.EraseProfile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		profSeqs = append(profSeqs, tomb.Seq)
	}
	// The index has applied every need deletion but the last, and the first erasure only.
	marks := func() (int64, int64) { return needSeqs[1], profSeqs[0] }
	cfg := retention.Config{TombstoneAge: 30 * 24 * time.Hour}

	// A day later nothing is old enough.
	res, err := retention.New(st.Retention(), marks, cfg, at(created.Add(24*time.Hour)), nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.NeedTombstones != 0 || res.ProfileTombstones != 0 {
		t.Errorf("a day after deletion removed %+v, want no tombstones", res)
	}
	wantTombstones(t, st, map[string]bool{"n1": true, "n2": true, "n3": true}, map[string]bool{"p1": true, "p2": true})

	// 31 days later the indexed ones go; those above the watermark stay.
	res, err = retention.New(st.Retention(), marks, cfg, at(created.Add(31*24*time.Hour)), nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.NeedTombstones != 2 || res.ProfileTombstones != 1 {
		t.Errorf("31 days on removed %+v, want 2 need and 1 profile tombstones", res)
	}
	wantTombstones(t, st, map[string]bool{"n1": false, "n2": false, "n3": true}, map[string]bool{"p1": false, "p2": true})
	if _, err := needs.Need(ctx, "live"); err != nil {
		t.Errorf("a live need: %v, want it untouched", err)
	}

	// Without an index to ask, no tombstone is ever removed.
	res, err = retention.New(st.Retention(), nil, cfg, at(created.Add(400*24*time.Hour)), nil).Run(ctx)
	if err != nil || res.NeedTombstones != 0 || res.ProfileTombstones != 0 {
		t.Errorf("without watermarks removed %+v (%v), want no tombstones", res, err)
	}
}

// wantTombstones checks which tombstones remain, through the scan the
// index's catch-up uses.
func wantTombstones(t *testing.T, st *store.Store, needs, profiles map[string]bool) {
	t.Helper()
	ctx := context.Background()
	gotNeeds, gotProfiles := map[string]bool{}, map[string]bool{}
	if err := st.Source().EachNeed(ctx, func(n register.Need, deleted bool) error {
		if deleted {
			gotNeeds[n.ID] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Source().EachProfile(ctx, func(p profile.Profile, erased bool) error {
		if erased {
			gotProfiles[p.ID] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for id, want := range needs {
		if gotNeeds[id] != want {
			t.Errorf("need tombstone %s present = %v, want %v", id, gotNeeds[id], want)
		}
	}
	for id, want := range profiles {
		if gotProfiles[id] != want {
			t.Errorf("profile tombstone %s present = %v, want %v", id, gotProfiles[id], want)
		}
	}
}

// An employer's daily counts of candidate-card reads bound that day only:
// the job removes the counts of days before today (UTC) and keeps today's.
func TestCardReadCountsOfPastDays(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 2, 0, 30, 0, 0, time.UTC)
	reads := st.CardReads()
	for _, day := range []string{"2026-05-31", "2026-06-01", "2026-06-02"} {
		if _, err := reads.CountReads(ctx, day, "need/n1", "employer/e1"); err != nil {
			t.Fatal(err)
		}
	}
	res, err := retention.New(st.Retention(), nil, retention.DefaultConfig(), at(now), nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.CardReadCounts != 4 {
		t.Errorf("removed %d card read counts, want 4 (two counters on each of two past days)", res.CardReadCounts)
	}
	// Today's counters go on from where they were.
	got, err := reads.CountReads(ctx, "2026-06-02", "need/n1", "employer/e1")
	if err != nil || got[0] != 2 || got[1] != 2 {
		t.Errorf("today's counts after the run = %v (%v), want [2 2]", got, err)
	}
	if got, err := reads.CountReads(ctx, "2026-06-01", "need/n1"); err != nil || got[0] != 1 {
		t.Errorf("yesterday's count after the run = %v (%v), want it started again at 1", got, err)
	}
}

func TestExpiredWebSessions(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	sessions := st.WebSessions()
	put := func(hash string, created, lastSeen time.Time) {
		t.Helper()
		if err := sessions.InsertWebSession(ctx, websession.Session{Hash: hash, UserID: "u1", Role: auth.RoleJobseeker,
			CSRF: "x", CreatedAt: created, LastSeen: lastSeen, ExpiresAt: created.Add(websession.DefaultAbsoluteTimeout)}); err != nil {
			t.Fatal(err)
		}
	}
	put("idle", now.Add(-3*time.Hour), now.Add(-websession.DefaultIdleTimeout))              // idle for exactly the timeout: over
	put("old", now.Add(-websession.DefaultAbsoluteTimeout), now.Add(-time.Minute))           // used, but at its absolute end
	put("live", now.Add(-time.Hour), now.Add(-time.Minute))                                  // in use
	put("fresh", now.Add(-time.Minute), now.Add(-websession.DefaultIdleTimeout+time.Second)) // one second from idle

	res, err := retention.New(st.Retention(), nil, retention.DefaultConfig(), at(now), nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.WebSessions != 2 {
		t.Errorf("removed %d web sessions, want 2", res.WebSessions)
	}
	for hash, want := range map[string]bool{"idle": false, "old": false, "live": true, "fresh": true} {
		_, err := sessions.WebSession(ctx, hash)
		if got := err == nil; got != want {
			t.Errorf("web session %s kept = %v (%v), want %v", hash, got, err, want)
		}
	}
}
