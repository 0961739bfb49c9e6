package profile_test

import (
	"context"
	"slices"
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

// TestSkillSourceIsSavedAndChecked: where the person says they did each
// skill (at work, in training, at school, or not said) is stored and read
// back; a source outside the list is refused naming the skill; a certified
// skill keeps its evidence and takes the source the person gives.
func TestSkillSourceIsSavedAndChecked(t *testing.T) {
	e := newEnv(t)
	e.svc = profile.NewService(e.st.Profiles(), e.st.Audit(), e.st.Users(), catalog{"s-care": true, "s-cook": true, "s-drive": true}, profile.Erasure{}, nil, e.clock.Now)
	ctx := context.Background()
	ana := seeker("ana")
	p := person("2000-04")
	p.Skills = []profile.Skill{{ID: "s-care", Level: 2, Source: profile.SourceWork}, {ID: "s-cook", Level: 1},
		{ID: "s-drive", Level: 3, Source: profile.SourceSchool}}
	if _, err := e.svc.Put(ctx, ana, p); err != nil {
		t.Fatal(err)
	}
	stored, err := e.st.Profiles().Profile(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	want := []profile.Skill{{ID: "s-care", Level: 2, Evidence: profile.EvidenceDeclared, Source: profile.SourceWork},
		{ID: "s-cook", Level: 1, Evidence: profile.EvidenceDeclared}, {ID: "s-drive", Level: 3, Evidence: profile.EvidenceDeclared, Source: profile.SourceSchool}}
	if !slices.Equal(stored.Skills, want) {
		t.Fatalf("stored skills %+v, want %+v", stored.Skills, want)
	}

	bad := p
	bad.Skills = []profile.Skill{{ID: "s-care", Level: 2}, {ID: "s-cook", Level: 1, Source: "home"}}
	_, err = e.svc.Put(ctx, ana, bad)
	wantField(t, err, "skills[1].source", "oneof")

	// A pathway stage certified s-care; the person's replace keeps it
	// certified and records the source they now give.
	stored.Skills[0].Evidence = profile.EvidenceCertified
	if _, err := e.st.Profiles().UpdateProfile(ctx, stored); err != nil {
		t.Fatal(err)
	}
	p.Skills[0].Source = profile.SourceTraining
	got, err := e.svc.Put(ctx, ana, p)
	if err != nil {
		t.Fatal(err)
	}
	if sk := got.Skills[0]; sk.Evidence != profile.EvidenceCertified || sk.Source != profile.SourceTraining {
		t.Errorf("certified skill after the replace: %+v, want certified from training", sk)
	}
}
