package profile

import (
	"context"
	"fmt"
	"strings"

	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
)

// InPerson is what an officer records of a person who does not use the
// web, besides the profile: who recorded the consent the person gave in
// person, and for a minor the consent of the parent or guardian who came
// with them.
type InPerson struct {
	RecordedBy string
	Guardian   *GuardianConsent
}

// MaxRecordedBy bounds the name of who recorded a consent, in bytes.
const MaxRecordedBy = 200

// CreateInPerson creates the profile of a person who does not use the web,
// on their behalf (officers only): it gets its own id and no account
// (Profile.Managed), and from then on it is matched, shown on candidate
// cards and referred like any other. The consent was given in person, so
// who recorded it is required; a minor's profile also needs the consent of
// the parent or guardian who came with them, recorded by the officer.
func (s *Service) CreateInPerson(ctx context.Context, by auth.Principal, p Profile, in InPerson) (Profile, error) {
	p, err := s.inPerson(by, p, in)
	if err != nil {
		return Profile{}, err
	}
	return s.save(ctx, auth.NewID(), p, nil)
}

// UpdateInPerson replaces the profile of a person who does not use the web
// (officers only), under the same rules as CreateInPerson. A profile its
// owner keeps through an account is not the office's to edit:
// failure.Forbidden; a missing or erased one is failure.NotFound.
func (s *Service) UpdateInPerson(ctx context.Context, by auth.Principal, id string, p Profile, in InPerson) (Profile, error) {
	p, err := s.inPerson(by, p, in)
	if err != nil {
		return Profile{}, err
	}
	if _, err := s.managed(ctx, id); err != nil {
		return Profile{}, err
	}
	return s.save(ctx, id, p, func(old Profile) error {
		if !old.Managed {
			return failure.Forbiddenf("profile %s is kept by its owner", id)
		}
		return nil
	})
}

// inPerson checks an officer's in-person profile and fills in what the
// rules decide: the age rules, the consent's recorder and the guardian.
func (s *Service) inPerson(by auth.Principal, p Profile, in InPerson) (Profile, error) {
	if by.Role != auth.RoleOfficer {
		return Profile{}, failure.Forbiddenf("only officers keep a profile on a person's behalf")
	}
	now := s.now().UTC()
	fields := fieldsOf(s.check(p))
	in.RecordedBy = strings.TrimSpace(in.RecordedBy)
	switch {
	case in.RecordedBy == "":
		fields = append(fields, failure.FieldError{Field: "consent.recordedBy", Code: "required"})
	case len(in.RecordedBy) > MaxRecordedBy:
		fields = append(fields, failure.FieldError{Field: "consent.recordedBy", Code: "max", Param: fmt.Sprint(MaxRecordedBy)})
	}
	minor := p.Birth().Known() && p.AgeOn(now) < age.Adult
	if in.Guardian == nil && minor {
		fields = append(fields, failure.FieldError{Field: "guardian", Code: "guardian_required"})
	} else if in.Guardian != nil {
		fields = append(fields, fieldsOf(checkGuardian(*in.Guardian, now))...)
	}
	if len(fields) > 0 {
		return Profile{}, failure.Fields(fields...)
	}
	p = withAgeRules(p, now)
	p.Managed, p.Guardian = true, nil
	p.Consent.RecordedBy, p.Consent.RecordedByID = in.RecordedBy, by.UserID
	if g := in.Guardian; g != nil {
		p.Guardian = &Guardian{Name: g.Name, Relation: g.Relation, GivenOn: g.GivenOn, RecordedBy: by.UserID, RecordedAt: now}
	}
	return p, nil
}

// fieldsOf returns the field errors of a failure of check (nil for none).
func fieldsOf(err error) []failure.FieldError {
	if fe, ok := failure.As(err); ok {
		return fe.Fields
	}
	return nil
}

// managed returns the stored profile id if the office keeps it.
func (s *Service) managed(ctx context.Context, id string) (Profile, error) {
	p, err := s.profiles.Profile(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	if !p.Managed {
		return Profile{}, failure.Forbiddenf("profile %s is kept by its owner", id)
	}
	return p, nil
}

// EraseInPerson erases, on the person's request, a profile the office
// keeps for them (officers only): the same steps as Erase, acting as the
// person, whose id is the profile's; there is no account to delete. Like
// Erase it is idempotent: a profile already erased finishes what is left.
func (s *Service) EraseInPerson(ctx context.Context, by auth.Principal, id string) error {
	if by.Role != auth.RoleOfficer {
		return failure.Forbiddenf("only officers erase a profile on a person's behalf")
	}
	if _, err := s.managed(ctx, id); err != nil && !failure.Is(err, failure.NotFound) {
		return err
	}
	person := auth.Principal{UserID: id, Role: auth.RoleJobseeker}
	return s.Erase(ctx, person)
}

// ExportInPerson gathers everything held about a person whose profile the
// office keeps (officers only, to hand it to the person): the profile and
// every read of it. There is no account.
func (s *Service) ExportInPerson(ctx context.Context, by auth.Principal, id string) (Export, error) {
	if by.Role != auth.RoleOfficer {
		return Export{}, failure.Forbiddenf("only officers export a profile on a person's behalf")
	}
	p, err := s.managed(ctx, id)
	if err != nil {
		return Export{}, err
	}
	out := Export{Account: auth.User{ID: id, Role: auth.RoleJobseeker, Name: p.DisplayName}, Profile: &p, GeneratedAt: s.now().UTC()}
	if out.Views, err = s.audit.Views(ctx, id); err != nil {
		return Export{}, fmt.Errorf("export views: %w", err)
	}
	return out, nil
}
