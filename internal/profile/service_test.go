package profile_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// The profile's read-modify-write on the real store, with a competing
// write made, deterministically, between Put's read and its write.

type anyCatalog struct{}

func (anyCatalog) KnownSkill(string) bool { return true }

var (
	owner    = auth.Principal{UserID: "p", Role: auth.RoleJobseeker}
	fixedNow = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
)

// racingProfiles runs race once, just before the first update it is given.
type racingProfiles struct {
	profile.Profiles
	race *func(context.Context) error
}

func (r racingProfiles) UpdateProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	if race := *r.race; race != nil {
		*r.race = nil
		if err := race(ctx); err != nil {
			return profile.Profile{}, err
		}
	}
	return r.Profiles.UpdateProfile(ctx, p)
}

func newService(t *testing.T, st *store.Store, race func(context.Context) error) *profile.Service {
	t.Helper()
	return profile.NewService(racingProfiles{st.Profiles(), &race}, st.Audit(), st.Users(), anyCatalog{}, profile.Erasure{}, nil, fixedNow)
}

func input(skills ...profile.Skill) profile.Profile {
	return profile.Profile{DisplayName: "Zlatka", BirthYear: 2000, Municipality: "Haskovo", Skills: skills,
		Consent: profile.Consent{Matching: true}}
}

// TestPutKeepsARacingCertification: a pathway stage certifies a skill
// between the person's read and write; Put applies the person's profile
// again on a fresh read, and the skill stays certified.
func TestPutKeepsARacingCertification(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	if _, err := st.Profiles().InsertProfile(ctx, profile.Profile{ID: "p", DisplayName: "Zlatka", BirthYear: 2000,
		Skills: []profile.Skill{{ID: "care", Level: 2, Evidence: profile.EvidenceDeclared}}}); err != nil {
		t.Fatal(err)
	}
	svc := newService(t, st, func(ctx context.Context) error {
		p, err := st.Profiles().Profile(ctx, "p")
		if err != nil {
			return err
		}
		p.Skills = []profile.Skill{{ID: "care", Level: 3, Evidence: profile.EvidenceCertified}}
		_, err = st.Profiles().UpdateProfile(ctx, p)
		return err
	})
	got, err := svc.Put(ctx, owner, input(profile.Skill{ID: "care", Level: 3}))
	if err != nil {
		t.Fatalf("Put = %v", err)
	}
	if len(got.Skills) != 1 || got.Skills[0].Evidence != profile.EvidenceCertified {
		t.Fatalf("Put raced by a certification = %+v, want the skill kept certified", got.Skills)
	}
}

// TestPutAfterARacingErasureIsNotFound: the person erases the profile
// between Put's read and write; Put answers not found and the profile
// stays erased.
func TestPutAfterARacingErasureIsNotFound(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	if _, err := st.Profiles().InsertProfile(ctx, profile.Profile{ID: "p", DisplayName: "Zlatka", BirthYear: 2000}); err != nil {
		t.Fatal(err)
	}
	svc := newService(t, st, func(ctx context.Context) error {
		_, err := st.Profiles().EraseProfile(ctx, "p")
		return err
	})
	if _, err := svc.Put(ctx, owner, input()); !failure.Is(err, failure.NotFound) {
		t.Fatalf("Put raced by an erasure = %v, want NotFound", err)
	}
	if p, err := st.Profiles().Profile(ctx, "p"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("the erased profile came back: %+v, %v", p, err)
	}
}
