package app

import (
	"context"
	"fmt"

	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/profile"
)

// certifier adds the skills a completed Care Career Path stage grants to
// the person's profile, through the profile store that the search index
// follows, so that ranking counts them at once. It is a read-modify-write:
// a profile edit by the person in the same instant could be overwritten
// (profiles carry no version yet); the stage stays completed, and posting
// the completion again re-applies the grant.
type certifier struct{ profiles profile.Profiles }

func (c certifier) Certify(ctx context.Context, profileID string, skills []profile.Skill) error {
	p, err := c.profiles.Profile(ctx, profileID)
	if err != nil {
		return fmt.Errorf("certify skills of %s: %w", profileID, err)
	}
	p.Skills = pathway.MergeCertified(p.Skills, skills)
	if _, err := c.profiles.PutProfile(ctx, p); err != nil {
		return fmt.Errorf("certify skills of %s: %w", profileID, err)
	}
	return nil
}
