package round

import (
	"context"
	"fmt"
	"maps"

	"github.com/careget/skillsmatch/internal/failure"
)

// Forget removes an erased person's rankings from every round, as part of
// their erasure: each of their own preferences becomes an empty one (a
// tombstone the other replicas follow, which hides a ranking an old round
// keeps inline too), and a ranking an old round's document keeps inline
// is taken out of it. Assignments of rounds already run stay: they are
// the office's record of what was decided, and name the person only by
// the opaque id. Forget called again finishes what is left.
func (s *Service) Forget(ctx context.Context, profileID string) error {
	for _, r := range s.rounds.Values() {
		if err := s.forgetIn(ctx, r.ID, profileID); err != nil {
			return fmt.Errorf("forget rankings in round %s: %w", r.ID, err)
		}
	}
	return nil
}

func (s *Service) forgetIn(ctx context.Context, roundID, profileID string) error {
	s.changing.Lock()
	defer s.changing.Unlock()
	if cur, ok := s.prefs.Get(PreferenceKey(roundID, profileID)); ok && len(cur.NeedIDs) > 0 {
		next := Preference{RoundID: roundID, ProfileID: profileID, Version: cur.Version + 1}
		stored, err := s.store.PutPreference(ctx, next, cur.Version)
		if err != nil {
			return err
		}
		if !stored {
			return failure.Conflictf("concurrent_change", "a ranking in round %s changed meanwhile", roundID)
		}
		s.prefs.Keep(next)
	}
	r, ok := s.rounds.Get(roundID)
	if _, inline := r.Preferences[profileID]; !ok || !inline {
		return nil
	}
	next := r
	next.Preferences = maps.Clone(r.Preferences)
	delete(next.Preferences, profileID)
	next.Version = r.Version + 1
	stored, err := s.store.UpdateRound(ctx, next, r.Version)
	if err != nil {
		return err
	}
	if !stored {
		return failure.Conflictf("concurrent_change", "round %s changed meanwhile", roundID)
	}
	s.rounds.Keep(next)
	return nil
}
