package profile

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
)

// Age limits of a profile. From 13 a pupil may keep a profile (career days
// and orientation reach the 7th grade), but under 14, Bulgaria's age of
// digital consent (Personal Data Protection Act, Art. 25c), the profile is
// held until an officer records a parent's or guardian's consent (see
// Profile.Held and RecordGuardianConsent).
const (
	MinAge = 13
	MaxAge = 100
)

// Service applies the profile rules.
type Service struct {
	profiles Profiles
	audit    Audit
	accounts Accounts
	catalog  Catalog
	erasure  Erasure
	access   EmployerAccess
	now      func() time.Time
	followed Followed // the replica's memory for read-only look-ups; nil reads the store
}

// Erasure is what erasing a person needs besides their profile: the
// other domains' records of them and their account.
type Erasure struct {
	Matches  MatchWithdrawer
	Pathways PathwayForgetter
	Rounds   RoundForgetter
	// Notifications forgets the person's inbox and preferences; nil when
	// nothing tells people (tests of other parts).
	Notifications NotificationForgetter
	Accounts      AccountDeleter
}

// NotificationForgetter deletes what is kept to tell a person things
// (notify.Service).
type NotificationForgetter interface {
	Forget(ctx context.Context, userID string) error
}

// NewService wires profiles to their stores. access decides which
// employers may read a full profile (match.Service); nil lets none.
func NewService(p Profiles, a Audit, acc Accounts, c Catalog, er Erasure, access EmployerAccess, now func() time.Time) *Service {
	return &Service{profiles: p, audit: a, accounts: acc, catalog: c, erasure: er, access: access, now: now}
}

// Put creates or replaces the caller's own profile. It is a
// compare-and-set on the stored version: when another write (a pathway
// stage certifying skills) came first, it reads again and re-applies the
// caller's profile, so certified evidence written meanwhile is kept. An
// erased profile stays erased (failure.NotFound).
func (s *Service) Put(ctx context.Context, by auth.Principal, p Profile) (Profile, error) {
	if by.Role != auth.RoleJobseeker {
		return Profile{}, failure.Forbiddenf("only job-seekers keep a profile")
	}
	if err := s.check(p); err != nil {
		return Profile{}, err
	}
	p.Guardian, p.Managed = nil, false // only officers record a guardian; see CreateInPerson
	p.Consent.RecordedBy, p.Consent.RecordedByID = "", ""
	return s.save(ctx, by.UserID, withAgeRules(p, s.now()), nil)
}

// save writes the profile id whole: a compare-and-set on the stored
// version that, when another write came first, reads again and re-applies
// input. An existing profile keeps its creation, its certified evidence
// and its guardian's consent (unless input records a new one); refuse, if
// given, may refuse to replace it. A missing one is created.
func (s *Service) save(ctx context.Context, id string, input Profile, refuse func(old Profile) error) (Profile, error) {
	for range failure.EditAttempts {
		p := input
		p.Skills = slices.Clone(input.Skills)
		now := s.now().UTC()
		old, err := s.profiles.Profile(ctx, id)
		exists := err == nil
		switch {
		case exists:
			if refuse != nil {
				if err := refuse(old); err != nil {
					return Profile{}, err
				}
			}
			p.CreatedAt, p.Version = old.CreatedAt, old.Version
			p.Skills = keepCertified(p.Skills, old.Skills)
			if old.Consent.Matching == p.Consent.Matching {
				p.Consent.UpdatedAt = old.Consent.UpdatedAt
			} else {
				p.Consent.UpdatedAt = now
			}
			p = keepGuardian(p, old, now)
		case failure.Is(err, failure.NotFound):
			p.CreatedAt, p.Consent.UpdatedAt = now, now
		default:
			return Profile{}, fmt.Errorf("put profile: %w", err)
		}
		p.ID, p.UpdatedAt = id, now
		for i := range p.Skills {
			if p.Skills[i].Evidence == "" {
				p.Skills[i].Evidence = EvidenceDeclared
			}
		}
		var out Profile
		if exists {
			out, err = s.profiles.UpdateProfile(ctx, p)
		} else {
			out, err = s.profiles.InsertProfile(ctx, p)
		}
		if failure.IsStale(err) {
			continue
		} else if err != nil {
			return Profile{}, fmt.Errorf("put profile: %w", err)
		}
		return out, nil
	}
	return Profile{}, failure.EditConflict("the profile")
}

// keepCertified keeps certified evidence for skills the person still lists:
// a replace by the person must not turn certified skills into declared ones.
// The source is the person's own word and is taken as they send it.
func keepCertified(next, prev []Skill) []Skill {
	certified := map[string]int{}
	for _, sk := range prev {
		if sk.Evidence == EvidenceCertified {
			certified[sk.ID] = sk.Level
		}
	}
	for i, sk := range next {
		if lvl, ok := certified[sk.ID]; ok && sk.Level <= lvl {
			next[i].Evidence = EvidenceCertified
		} else {
			next[i].Evidence = EvidenceDeclared
		}
	}
	return next
}

// Mine returns the caller's own profile.
func (s *Service) Mine(ctx context.Context, by auth.Principal) (Profile, error) {
	if by.Role != auth.RoleJobseeker {
		return Profile{}, failure.Forbiddenf("only job-seekers keep a profile")
	}
	return s.readProfile(ctx, by.UserID)
}

// Erase erases the caller, the one use case behind "delete my profile"
// wherever it is asked for. In order: the profile becomes a tombstone
// (final: no write brings it back, and the search index drops it), every
// open match is withdrawn, every pathway record is deleted, the rankings in
// placement rounds are forgotten, the inbox and
// notification preferences are deleted, and last the
// account goes, so that as long as anything is left the person can still
// sign in and ask again. Each step is idempotent, so Erase called again —
// after a failure, or simply twice — finishes what is left and succeeds.
// The audit log keeps its entries, which name the person only by the
// opaque id.
func (s *Service) Erase(ctx context.Context, by auth.Principal) error {
	if by.Role != auth.RoleJobseeker {
		return failure.Forbiddenf("only job-seekers keep a profile")
	}
	if _, err := s.profiles.EraseProfile(ctx, by.UserID); err != nil {
		return fmt.Errorf("erase profile: %w", err)
	}
	if err := s.erasure.Matches.WithdrawAll(ctx, by); err != nil {
		return fmt.Errorf("erase: withdraw matches: %w", err)
	}
	if err := s.erasure.Pathways.Forget(ctx, by.UserID); err != nil {
		return fmt.Errorf("erase: forget pathway records: %w", err)
	}
	if err := s.erasure.Rounds.Forget(ctx, by.UserID); err != nil {
		return fmt.Errorf("erase: %w", err)
	}
	if n := s.erasure.Notifications; n != nil {
		if err := n.Forget(ctx, by.UserID); err != nil {
			return fmt.Errorf("erase: %w", err)
		}
	}
	if err := s.erasure.Accounts.CloseAccount(ctx, by.UserID); err != nil {
		return fmt.Errorf("erase: delete account: %w", err)
	}
	return nil
}

// reader describes who reads a full profile and why, for the audit log.
type reader struct {
	auth.Principal
	Name         string
	Organisation string
	EmployerID   string
	Purpose      string
	RequestID    string
}

// LabourOffice is how the audit log names the labour office as a reader
// of a full profile; exports translate it.
const LabourOffice = "labour office"

// Purposes of a full-profile read. Officers give one of these (anything
// else is read as PurposeCaseReview); an employer's read is always
// PurposeReferral.
const (
	PurposeCaseReview     = "case_review"
	PurposeReferral       = "referral"
	PurposePlacementRound = "placement_round"
	PurposePathway        = "pathway"
	PurposeSupport        = "support"
)

var purposes = map[string]bool{PurposeCaseReview: true, PurposeReferral: true, PurposePlacementRound: true,
	PurposePathway: true, PurposeSupport: true}

// Asked is how a read of a full profile was asked for: the reason given
// (one of the Purpose constants) and the request's id, for the audit log.
type Asked struct {
	Purpose   string
	RequestID string
}

// ReadFull is the one use case behind "show me this person's full
// profile" (name and contact), wherever it is asked for. Officers may read
// any profile, for the purpose they give; an employer's member only while
// a match of a verified employer they belong to gives access
// (match.Match.Access, through EmployerAccess), and then for the
// referral. Anyone else, and an employer without access, is told the
// profile is not found, so that a refusal does not confirm it exists. The
// read is written to the person's audit log first, naming the reader and
// their organisation: if the log cannot be written, the read fails.
func (s *Service) ReadFull(ctx context.Context, by auth.Principal, id string, a Asked) (Profile, error) {
	r := reader{Principal: by, Purpose: a.Purpose, RequestID: a.RequestID, Name: s.nameOf(ctx, by)}
	if !purposes[r.Purpose] {
		r.Purpose = PurposeCaseReview
	}
	entitled := false
	if by.Role == auth.RoleOfficer {
		r.Organisation = LabourOffice
	} else if s.access != nil {
		e, ok, err := s.access.EmployerAccess(ctx, by, id)
		if err != nil {
			return Profile{}, err
		}
		r.EmployerID, r.Organisation, entitled = e.ID, e.Name, ok
		r.Purpose = PurposeReferral
	}
	return s.readFull(ctx, r, id, entitled)
}

// nameOf is the reader's name for the audit log. A reader whose account
// cannot be read (a race with its deletion) is logged by id alone: the
// read is still audited.
func (s *Service) nameOf(ctx context.Context, by auth.Principal) string {
	if u, err := s.accounts.User(ctx, by.UserID); err == nil {
		return u.Name
	}
	return ""
}

// readFull returns someone's full profile to an entitled reader, after
// writing the read to the audit log: if the log cannot be written, the read
// fails. Officers may read any profile; employers only candidates referred
// to them, which entitled tells (the referral workflow decides).
func (s *Service) readFull(ctx context.Context, r reader, id string, entitled bool) (Profile, error) {
	if r.Role != auth.RoleOfficer && !(r.Role == auth.RoleEmployer && entitled) {
		return Profile{}, failure.NotFoundf("profile")
	}
	p, err := s.profiles.Profile(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	v := View{SubjectID: id, ActorID: r.UserID, ActorName: r.Name, ActorRole: r.Role, Organisation: r.Organisation,
		EmployerID: r.EmployerID, Purpose: r.Purpose, At: s.now().UTC(), RequestID: r.RequestID}
	if err := s.audit.Append(ctx, v); err != nil {
		// %v, not %w: whatever the store said, a failed audit is our fault
		// (a 500), never something the caller could fix.
		return Profile{}, fmt.Errorf("audit profile read: %v", err)
	}
	return p, nil
}

// Export is everything held about a person.
type Export struct {
	Account     auth.User
	Profile     *Profile
	Views       []View
	GeneratedAt time.Time
}

// Export gathers everything held about the caller (GDPR Art. 15 and 20),
// including every read of their full profile by someone else.
func (s *Service) Export(ctx context.Context, by auth.Principal) (Export, error) {
	u, err := s.accounts.User(ctx, by.UserID)
	if err != nil {
		return Export{}, fmt.Errorf("export account: %w", err)
	}
	u.PasswordHash = ""
	out := Export{Account: u, GeneratedAt: s.now().UTC()}
	p, err := s.profiles.Profile(ctx, by.UserID)
	switch {
	case err == nil:
		out.Profile = &p
	case !failure.Is(err, failure.NotFound):
		return Export{}, fmt.Errorf("export profile: %w", err)
	}
	if out.Views, err = s.audit.Views(ctx, by.UserID); err != nil {
		return Export{}, fmt.Errorf("export views: %w", err)
	}
	return out, nil
}

func (s *Service) check(p Profile) error {
	fields := checkBirth(p, s.now())
	seen := map[string]bool{}
	for i, sk := range p.Skills {
		switch {
		case !s.catalog.KnownSkill(sk.ID):
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("skills[%d].id", i), Code: "unknown_skill"})
		case seen[sk.ID]:
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("skills[%d].id", i), Code: "unique"})
		}
		seen[sk.ID] = true
		if !ValidSource(sk.Source) {
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("skills[%d].source", i), Code: "oneof", Param: strings.Join(Sources, " ")})
		}
	}
	if p.AvailableTo != "" && p.AvailableTo < p.AvailableFrom {
		fields = append(fields, failure.FieldError{Field: "availableTo", Code: "after_start"})
	}
	if len(fields) > 0 {
		return failure.Fields(fields...)
	}
	return nil
}

// checkBirth checks the birth date against today. The date must be known to
// the month at least: a year alone cannot tell 13 from 14, 15 from 16 or 17
// from 18. The one exception is an older client that sends only a birth
// year which shows an adult whatever the month (the youngest age that year
// allows is 18 or more): no age rule depends on the month then.
func checkBirth(p Profile, now time.Time) []failure.FieldError {
	today := age.DateOf(now.UTC())
	span := fmt.Sprintf("%d..%d", MinAge, MaxAge)
	if p.BirthDate == "" {
		switch years := age.Year(p.BirthYear).On(today); {
		case p.BirthYear == 0:
			return []failure.FieldError{{Field: "birthDate", Code: "required"}}
		case years < age.Adult:
			return []failure.FieldError{{Field: "birthDate", Code: "birth_month_needed"}}
		case years > MaxAge:
			return []failure.FieldError{{Field: "birthYear", Code: "age", Param: span}}
		}
		return nil
	}
	b, err := age.Parse(p.BirthDate)
	if err != nil {
		return []failure.FieldError{{Field: "birthDate", Code: "birth_date"}}
	}
	var fields []failure.FieldError
	if years := b.On(today); years < MinAge || years > MaxAge {
		fields = append(fields, failure.FieldError{Field: "birthDate", Code: "age", Param: span})
	}
	if p.BirthYear != 0 && p.BirthYear != b.Year {
		fields = append(fields, failure.FieldError{Field: "birthYear", Code: "birth_year_differs"})
	}
	return fields
}

// withAgeRules fills in what the birth date decides when the person writes
// their profile: the year, for readers of the year alone, and whether the
// person is under 14 today, so that their profile needs a guardian's
// consent.
func withAgeRules(p Profile, now time.Time) Profile {
	p.BirthYear = p.Birth().Year
	p.NeedsGuardian = p.AgeOn(now) < age.DigitalConsent
	return p
}

// keepGuardian carries a recorded guardian's consent over a replace by the
// person (only officers record it), unless an officer records a new one. A person whose profile was held and
// who, now 14, saves it again gives their own consent: it dates from now.
func keepGuardian(p, old Profile, now time.Time) Profile {
	if p.Guardian == nil {
		p.Guardian = old.Guardian
	}
	if old.Held() && !p.NeedsGuardian {
		p.Consent.UpdatedAt = now
	}
	return p
}

// GuardianConsent is what an officer records of a guardian's consent.
type GuardianConsent struct {
	Name     string
	Relation string // GuardianParent or GuardianGuardian
	GivenOn  string // YYYY-MM-DD
}

// RecordGuardianConsent records, for the profile of a person under 14, the
// consent of their parent or guardian that an officer has seen (officers
// only). It releases the held profile: from then on the matching rules
// for young workers apply as to anyone (so under 15 the person is still
// never matched to work). The record is written to the person's audit log
// first, like every officer's access to a full profile: if the log cannot
// be written, nothing is recorded. A profile that needs no guardian's
// consent is failure.Conflict.
//
// The officer is named in the audit log by their account's name, as of the
// labour office; requestID ties the entry to the request.
func (s *Service) RecordGuardianConsent(ctx context.Context, by auth.Principal, id string, g GuardianConsent, requestID string) (Profile, error) {
	if by.Role != auth.RoleOfficer {
		return Profile{}, failure.Forbiddenf("only officers record a guardian's consent")
	}
	now := s.now().UTC()
	if err := checkGuardian(g, now); err != nil {
		return Profile{}, err
	}
	p, err := s.profiles.Profile(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	if err := guardianNeeded(p, id); err != nil {
		return Profile{}, err
	}
	r := reader{Principal: by, Name: s.nameOf(ctx, by), Organisation: LabourOffice, RequestID: requestID}
	v := View{SubjectID: id, ActorID: r.UserID, ActorName: r.Name, ActorRole: r.Role, Organisation: r.Organisation,
		Purpose: PurposeGuardianConsent, At: now, RequestID: r.RequestID}
	if err := s.audit.Append(ctx, v); err != nil {
		return Profile{}, fmt.Errorf("audit guardian consent: %v", err) // %v: see ReadFull
	}
	// A compare-and-set on the profile's version: a save by the person in
	// between is read again and the consent re-applied to it.
	for range failure.EditAttempts {
		p.Guardian = &Guardian{Name: g.Name, Relation: g.Relation, GivenOn: g.GivenOn, RecordedBy: r.UserID, RecordedAt: now}
		p.UpdatedAt = now
		out, err := s.profiles.UpdateProfile(ctx, p)
		if !failure.IsStale(err) {
			if err != nil {
				return Profile{}, fmt.Errorf("record guardian consent: %w", err)
			}
			return out, nil
		}
		if p, err = s.profiles.Profile(ctx, id); err != nil {
			return Profile{}, err
		}
		if err := guardianNeeded(p, id); err != nil {
			return Profile{}, err
		}
	}
	return Profile{}, failure.EditConflict("the profile")
}

// guardianNeeded says why a guardian's consent cannot be recorded for p, if
// it cannot: the profile is not held for one.
func guardianNeeded(p Profile, id string) error {
	if p.Held() {
		return nil
	}
	if p.Guardian != nil {
		return failure.Conflictf("guardian_recorded", "a guardian's consent is already recorded for profile %s", id)
	}
	return failure.Conflictf("no_guardian_needed", "profile %s needs no guardian's consent: its owner was 14 or older", id)
}

// PurposeGuardianConsent is the audit log's purpose of an officer's
// recording of a guardian's consent.
const PurposeGuardianConsent = "guardian_consent"

func checkGuardian(g GuardianConsent, now time.Time) error {
	var fields []failure.FieldError
	if g.Relation != GuardianParent && g.Relation != GuardianGuardian {
		fields = append(fields, failure.FieldError{Field: "relation", Code: "oneof", Param: GuardianParent + " " + GuardianGuardian})
	}
	given, err := age.ParseDay(g.GivenOn)
	switch {
	case err != nil:
		fields = append(fields, failure.FieldError{Field: "givenOn", Code: "date"})
	case age.DateOf(now).Before(given):
		fields = append(fields, failure.FieldError{Field: "givenOn", Code: "not_future"})
	}
	if len(fields) > 0 {
		return failure.Fields(fields...)
	}
	return nil
}
