package app

import (
	"context"
	"fmt"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/profile"
)

// certifier adds the skills a completed Care Career Path stage grants to
// the person's profile, through the profile store that the search index
// follows, so that ranking counts them at once. It is a read-modify-write
// by compare-and-set on the profile's version: when the person edited the
// profile meanwhile it reads again and merges the grant into that. An
// erased profile stays erased: the grant fails with failure.NotFound and
// writes nothing.
type certifier struct{ profiles profile.Profiles }

func (c certifier) Certify(ctx context.Context, profileID string, skills []profile.Skill) error {
	for range failure.EditAttempts {
		p, err := c.profiles.Profile(ctx, profileID)
		if err != nil {
			return fmt.Errorf("certify skills of %s: %w", profileID, err)
		}
		p.Skills = pathway.MergeCertified(p.Skills, skills)
		_, err = c.profiles.UpdateProfile(ctx, p)
		if failure.IsStale(err) {
			continue
		} else if err != nil {
			return fmt.Errorf("certify skills of %s: %w", profileID, err)
		}
		return nil
	}
	return fmt.Errorf("certify skills of %s: %w", profileID, failure.EditConflict("the profile"))
}
