package round_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/round"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// Two replicas on one store and a round stored before preferences had
// their own documents (its rankings inline): a job-seeker's ranking made
// on A is its own document, compare-and-set on its version — B, which has
// not read it yet, cannot overwrite it — and B shows it with the round's
// rankings of old after its next poll, the round itself unchanged.
func TestPreferencesAreTheirOwnDocumentsFollowedByReplicas(t *testing.T) {
	ctx := context.Background()
	st, a, b := twoReplicas(t)
	seeker, officer := seekerWithProfile(t, a), auth.Principal{UserID: "o1", Role: auth.RoleOfficer}
	if _, err := b.Index.Register().Poll(ctx, st.Source()); err != nil {
		t.Fatal(err)
	}
	old := round.Round{ID: "r1", Name: "Internships", Programme: round.ProgrammeInternship, NeedIDs: []string{"n1", "n2", "n3"},
		ClosesAt: time.Now().Add(time.Hour), Status: round.StatusOpen, CreatedAt: time.Now(), Version: 1,
		Preferences: map[string][]string{"p-old": {"n3"}}, NeedRankings: map[string][]string{}}
	if err := st.Rounds().InsertRound(ctx, old); err != nil {
		t.Fatal(err)
	}
	for _, env := range []*apptest.Env{a, b} {
		if _, err := env.Services.Rounds.Poll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	mine, err := a.Services.Rounds.SetPreferences(ctx, seeker, "r1", []string{"n2", "n1"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mine.Preferences[seeker.UserID], []string{"n2", "n1"}) || len(mine.Preferences) != 1 {
		t.Fatalf("SetPreferences answered %v, want the seeker's own ranking alone", mine.Preferences)
	}
	if _, err := b.Services.Rounds.SetPreferences(ctx, seeker, "r1", []string{"n3"}); !failure.Is(err, failure.Conflict) {
		t.Fatalf("B, not having read A's ranking, overwrote it: %v; want a conflict", err)
	}
	if n, err := b.Services.Rounds.Poll(ctx); err != nil || n != 1 {
		t.Fatalf("B.Poll = %d, %v; want the one preference", n, err)
	}
	got, err := b.Services.Rounds.Get(ctx, officer, "r1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"p-old": {"n3"}, seeker.UserID: {"n2", "n1"}}
	if len(got.Preferences) != 2 || !slices.Equal(got.Preferences["p-old"], want["p-old"]) ||
		!slices.Equal(got.Preferences[seeker.UserID], want[seeker.UserID]) || got.Version != 1 {
		t.Fatalf("B's round = %v at v%d, want %v at v1", got.Preferences, got.Version, want)
	}
	if _, err := b.Services.Rounds.SetPreferences(ctx, seeker, "r1", []string{"n3"}); err != nil {
		t.Fatalf("B's ranking after reading A's: %v", err)
	}
	if _, err := a.Services.Rounds.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Services.Rounds.Get(ctx, seeker, "r1"); !slices.Equal(got.Preferences[seeker.UserID], []string{"n3"}) || len(got.Preferences) != 1 {
		t.Fatalf("A shows the seeker %v, want their newer ranking n3 alone", got.Preferences)
	}
}

// putProfile gives the job-seeker a profile, which taking part in a round
// needs.
func putProfile(tb testing.TB, env *apptest.Env, by auth.Principal) {
	tb.Helper()
	if _, err := env.Services.Profiles.Put(context.Background(), by, profile.Profile{DisplayName: "Мария Петрова", BirthYear: 1995,
		Municipality: "Хасково", Lat: 41.93, Lon: 25.55, MaxTravelKm: 40, WorkModes: []string{"onsite"},
		EducationLevel: 3, AvailableFrom: "2026-01-01", Hours: "any", Consent: profile.Consent{Matching: true}}); err != nil {
		tb.Fatal(err)
	}
}

// Erasing a job-seeker takes their rankings out of every round, on the
// replica that erased them and, after a poll, on the other: a ranking of
// their own goes, and so does one an old round keeps inline. Nobody
// else's ranking is touched.
func TestErasureForgetsRankings(t *testing.T) {
	ctx := context.Background()
	st, a, b := twoReplicas(t)
	seeker, officer := seekerWithProfile(t, a), auth.Principal{UserID: "o1", Role: auth.RoleOfficer}
	for _, r := range []round.Round{
		{ID: "r-old", Preferences: map[string][]string{seeker.UserID: {"n1"}, "p-other": {"n1"}}},
		{ID: "r-new", Preferences: map[string][]string{"p-other": {"n2"}}},
	} {
		r.Name, r.Programme, r.NeedIDs, r.Status, r.Version = "Internships", round.ProgrammeInternship, []string{"n1", "n2"}, round.StatusOpen, 1
		r.ClosesAt, r.CreatedAt, r.NeedRankings = time.Now().Add(time.Hour), time.Now(), map[string][]string{}
		if err := st.Rounds().InsertRound(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Services.Rounds.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Rounds.SetPreferences(ctx, seeker, "r-new", []string{"n2", "n1"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Services.Profiles.Erase(ctx, seeker); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Services.Rounds.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	for name, env := range map[string]*apptest.Env{"A": a, "B": b} {
		for _, id := range []string{"r-old", "r-new"} {
			r, err := env.Services.Rounds.Get(ctx, officer, id)
			if err != nil {
				t.Fatal(err)
			}
			if _, kept := r.Preferences[seeker.UserID]; kept || len(r.Preferences["p-other"]) != 1 {
				t.Errorf("%s's round %s after the erasure: %v; want only p-other's ranking", name, id, r.Preferences)
			}
		}
	}
	if err := a.Services.Rounds.Forget(ctx, seeker.UserID); err != nil {
		t.Fatalf("forgetting again: %v", err)
	}
}

// twoReplicas are two wired products on one store.
func twoReplicas(t *testing.T) (*store.Store, *apptest.Env, *apptest.Env) {
	st := storetest.Open(t)
	return st, apptest.Open(t, apptest.Options{Store: st}), apptest.Open(t, apptest.Options{Store: st})
}

// seekerWithProfile is a job-seeker with a profile on env.
func seekerWithProfile(t *testing.T, env *apptest.Env) auth.Principal {
	seeker := auth.Principal{UserID: "u-seeker", Role: auth.RoleJobseeker}
	putProfile(t, env, seeker)
	return seeker
}
