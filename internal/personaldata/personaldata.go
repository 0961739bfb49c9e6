// Package personaldata is the person's right of access and to data
// portability (GDPR Art. 15 and 20): everything the product holds about a
// job-seeker, gathered from every domain that holds some of it, as one
// value. It is its own package because it reads profiles, matches and
// pathways together, and match and pathway already import profile.
package personaldata

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/profile"
)

// The parts of the export that each domain owns.
type (
	// Profiles gives the account, the profile and every read of it by
	// someone else (profile.Service.Export).
	Profiles interface {
		Export(ctx context.Context, by auth.Principal) (profile.Export, error)
		// ExportInPerson is the same for a profile the labour office keeps
		// for a person who does not use the web (officers only).
		ExportInPerson(ctx context.Context, by auth.Principal, id string) (profile.Export, error)
	}
	// Matches gives the person's own matches as they may see them
	// (match.Service.ForPerson): no officer's id, no internal note.
	Matches interface {
		ForPerson(by auth.Principal) []match.Match
	}
	// Pathways gives every Care Career Path participation of the person
	// (pathway.Service.Of).
	Pathways interface {
		Of(profileID string) []pathway.Participant
	}
)

// Export is everything held about a person.
type Export struct {
	profile.Export // the account (no password hash), the profile if any, the reads of it, when generated
	// Matches are the person's matches, oldest first; each one's Access
	// is the period during which the employer could read the full profile.
	Matches []match.Match
	// Pathways are the person's pathway participations, oldest first.
	Pathways []pathway.Participant
	// Today is the day the export was generated (UTC, YYYY-MM-DD), the
	// day against which each match's outcome is overdue or not
	// (match.Match.Overdue).
	Today string
}

// Service gathers the export.
type Service struct {
	profiles Profiles
	matches  Matches
	pathways Pathways
}

// NewService wires the export to the domains that hold the data.
func NewService(p Profiles, m Matches, pw Pathways) *Service {
	return &Service{profiles: p, matches: m, pathways: pw}
}

// Export is the one use case behind "download everything you hold about
// me", wherever it is asked for: the caller's account, profile, every read
// of the profile by someone else, their matches with the employer's
// access period, and their pathway records. Only job-seekers have these
// records; anyone else is refused.
func (s *Service) Export(ctx context.Context, by auth.Principal) (Export, error) {
	if by.Role != auth.RoleJobseeker {
		return Export{}, failure.Forbiddenf("only job-seekers export their personal data")
	}
	e, err := s.profiles.Export(ctx, by)
	if err != nil {
		return Export{}, fmt.Errorf("personal data: %w", err)
	}
	return Export{Export: e, Matches: s.matches.ForPerson(by), Pathways: s.pathways.Of(by.UserID),
		Today: e.GeneratedAt.UTC().Format(time.DateOnly)}, nil
}

// ExportInPerson is Export for a person who does not use the web, whose
// profile the labour office keeps (officers only, to hand it to the
// person on their request): the same parts, the person's matches as they
// would see them. It has no account.
func (s *Service) ExportInPerson(ctx context.Context, by auth.Principal, id string) (Export, error) {
	e, err := s.profiles.ExportInPerson(ctx, by, id)
	if err != nil {
		return Export{}, fmt.Errorf("personal data: %w", err)
	}
	person := auth.Principal{UserID: id, Role: auth.RoleJobseeker}
	return Export{Export: e, Matches: s.matches.ForPerson(person), Pathways: s.pathways.Of(id),
		Today: e.GeneratedAt.UTC().Format(time.DateOnly)}, nil
}
