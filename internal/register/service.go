package register

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
)

// Service applies the register's rules: who may see and change what.
type Service struct {
	employers   Employers
	needs       Needs
	memberships Memberships
	catalog     Catalog
	now         func() time.Time
	notifier    Notifier
	followed    Followed // the replica's memory for read-only look-ups; nil reads the store
}

// NewService wires the register to its stores.
func NewService(e Employers, n Needs, m Memberships, c Catalog, now func() time.Time) *Service {
	return &Service{employers: e, needs: n, memberships: m, catalog: c, now: now}
}

// CreateEmployer registers an organisation with the caller as its first
// member. It starts unverified: its needs are not public until an officer
// verifies it.
func (s *Service) CreateEmployer(ctx context.Context, by Caller, e Employer) (Employer, error) {
	if by.Role != auth.RoleEmployer {
		return Employer{}, failure.Forbiddenf("only employer accounts create employers")
	}
	if !ValidEIK(e.EIK) {
		return Employer{}, failure.Field("eik", "eik", "")
	}
	if !ValidWebsite(e.Website) {
		return Employer{}, failure.Field("website", "http_url", "")
	}
	now := s.now().UTC()
	e.ID, e.Verified, e.Verification, e.Version = auth.NewID(), false, nil, 1
	e.Members = []string{by.UserID}
	e.CreatedAt, e.UpdatedAt = now, now
	if err := s.employers.InsertEmployer(ctx, e); err != nil {
		if failure.Is(err, failure.Conflict) {
			return Employer{}, failure.Conflictf("eik_taken", "an employer with EIK %s exists", e.EIK)
		}
		return Employer{}, fmt.Errorf("create employer: %w", err)
	}
	if err := s.memberships.AddEmployer(ctx, by.UserID, e.ID); err != nil {
		return Employer{}, fmt.Errorf("record membership: %w", err)
	}
	return e, nil
}

// Employer returns an employer the caller may see: anyone sees verified
// ones, members and officers see all; others get failure.NotFound.
func (s *Service) Employer(ctx context.Context, by Caller, id string) (Employer, error) {
	e, err := s.readEmployer(ctx, id)
	if err != nil {
		return Employer{}, err
	}
	return visibleEmployer(by, e)
}

func visibleEmployer(by Caller, e Employer) (Employer, error) {
	if !e.Verified && !canManage(by, e) {
		return Employer{}, failure.NotFoundf("employer")
	}
	return e, nil
}

// EmployerPatch holds the fields a PATCH may change; nil means unchanged.
type EmployerPatch struct {
	Name, Sector, Municipality, Address, Website *string
	Location                                     *GeoPoint
}

// UpdateEmployer changes an employer's details (members and officers).
// The patch never touches the verification, so re-applying it on a fresh
// read after a lost compare-and-set keeps an officer's decision made
// meanwhile.
func (s *Service) UpdateEmployer(ctx context.Context, by Caller, id string, p EmployerPatch) (Employer, error) {
	if p.Website != nil && !ValidWebsite(*p.Website) {
		return Employer{}, failure.Field("website", "http_url", "")
	}
	return s.changeEmployer(ctx, by, id, func(e *Employer) error {
		if !canManage(by, *e) {
			return failure.Forbiddenf("only members and officers change an employer")
		}
		set(&e.Name, p.Name)
		set(&e.Sector, p.Sector)
		set(&e.Municipality, p.Municipality)
		set(&e.Address, p.Address)
		set(&e.Website, p.Website)
		if p.Location != nil {
			e.Location = *p.Location
		}
		return nil
	})
}

// Verify records an officer's decision on an employer; see Decide.
func (s *Service) Verify(ctx context.Context, by Caller, id string, verified bool, note string) (Employer, error) {
	return s.Decide(ctx, by, id, Decision{Verified: verified, Note: note})
}

// Decision is an officer's decision on an employer's verification. Reason
// says why a verification is withdrawn, in words the employer reads.
type Decision struct {
	Verified     bool
	Note, Reason string
}

// MaxReason bounds a withdrawal's reason, in bytes.
const MaxReason = 1000

// Decide records an officer's decision on an employer. Withdrawing the
// verification of a verified employer needs a reason, because the
// employer's needs vanish at once and the employer must learn why. It
// changes the verification only, so a racing edit of the details cannot
// undo it, nor it the edit.
func (s *Service) Decide(ctx context.Context, by Caller, id string, d Decision) (Employer, error) {
	d.Reason = strings.TrimSpace(d.Reason)
	if len(d.Reason) > MaxReason {
		return Employer{}, failure.Field("reason", "max", fmt.Sprint(MaxReason))
	}
	e, err := s.changeEmployer(ctx, by, id, func(e *Employer) error {
		if by.Role != auth.RoleOfficer {
			return failure.Forbiddenf("only officers verify employers")
		}
		if e.Verified && !d.Verified && d.Reason == "" {
			return failure.Field("reason", "required", "")
		}
		if d.Verified {
			d.Reason = "" // a reason explains a withdrawal only
		}
		e.Verified = d.Verified
		e.Verification = &Verification{Verified: d.Verified, Note: d.Note, Reason: d.Reason, By: by.UserID, At: s.now().UTC()}
		return nil
	})
	if err == nil {
		s.notifyVerification(ctx, e)
	}
	return e, err
}

// changeEmployer is the read-modify-write of an employer: it reads the
// employer as the caller may see it, applies change and writes it back by
// compare-and-set on its version; when another write came first it reads
// again and re-applies change, a few times, then gives up with
// "edit_conflict".
func (s *Service) changeEmployer(ctx context.Context, by Caller, id string, change func(*Employer) error) (Employer, error) {
	for range failure.EditAttempts {
		e, err := s.employers.Employer(ctx, id) // the stored version: the compare-and-set starts from it
		if err == nil {
			e, err = visibleEmployer(by, e)
		}
		if err != nil {
			return Employer{}, err
		}
		if err := change(&e); err != nil {
			return Employer{}, err
		}
		e.UpdatedAt = s.now().UTC()
		out, err := s.employers.UpdateEmployer(ctx, e)
		if failure.IsStale(err) {
			continue
		} else if err != nil {
			return Employer{}, fmt.Errorf("update employer %s: %w", id, err)
		}
		return out, nil
	}
	return Employer{}, failure.EditConflict("the employer")
}

func canManage(by Caller, e Employer) bool {
	return by.Role == auth.RoleOfficer || (by.Role == auth.RoleEmployer && e.IsMember(by.UserID))
}

// CreateNeed adds a need for an employer the caller belongs to (or any, for
// officers).
func (s *Service) CreateNeed(ctx context.Context, by Caller, n Need) (Need, error) {
	e, err := s.employers.Employer(ctx, n.EmployerID)
	if failure.Is(err, failure.NotFound) {
		return Need{}, failure.Field("employerId", "not_found", "")
	} else if err != nil {
		return Need{}, fmt.Errorf("create need: %w", err)
	}
	if !canManage(by, e) {
		if !e.Verified {
			return Need{}, failure.Field("employerId", "not_found", "")
		}
		return Need{}, failure.New(failure.Forbidden, "not_member", "you are not a member of employer %s", e.ID)
	}
	if n.Status == "" {
		n.Status = StatusOpen
	}
	if err := s.checkNeed(n); err != nil {
		return Need{}, err
	}
	now := s.now().UTC()
	n.ID, n.CreatedBy, n.CreatedAt, n.UpdatedAt = auth.NewID(), by.UserID, now, now
	created, err := s.needs.InsertNeed(ctx, n)
	if err != nil {
		return Need{}, fmt.Errorf("create need: %w", err)
	}
	return created, nil
}

// Need returns a need the caller may see; see Need.Public.
func (s *Service) Need(ctx context.Context, by Caller, id string) (Need, error) {
	n, _, err := s.visibleNeed(ctx, by, id, false)
	return n, err
}

// visibleNeed returns the need and whether the caller may change it. A
// read-only use case reads the replica's memory (stored false, see
// Followed); a read-modify-write reads the store (stored true), so that
// its compare-and-set starts from the stored version.
func (s *Service) visibleNeed(ctx context.Context, by Caller, id string, stored bool) (Need, bool, error) {
	readNeed, readEmployer := s.readNeed, s.readEmployer
	if stored {
		readNeed, readEmployer = s.needs.Need, s.employers.Employer
	}
	n, err := readNeed(ctx, id)
	if err != nil {
		return Need{}, false, err
	}
	e, err := readEmployer(ctx, n.EmployerID)
	if err != nil {
		return Need{}, false, fmt.Errorf("employer of need %s: %w", id, err)
	}
	manage := canManage(by, e)
	if !manage && !n.Public(e.Verified, s.today()) {
		return Need{}, false, failure.NotFoundf("need")
	}
	return n, manage, nil
}

// NeedPatch holds the fields a PATCH may change; nil means unchanged.
type NeedPatch struct {
	Kind, Title, Description, Occupation, Sector, WorkMode, Hours *string
	StartDate, EndDate, ApplyBy, Status                           *string
	Skills                                                        *[]SkillRequirement
	Languages                                                     *[]Language
	EducationLevel                                                **int
	Location                                                      *Location
	Positions                                                     *int
	NightWork, Hazardous                                          *bool
	LightWork                                                     *bool
	Pay                                                           **PayRange // set, or clear with a nil *PayRange
}

// UpdateNeed applies a partial update; the merged need must be valid. It
// is a compare-and-set on the need's version: when another write came
// first it reads again and re-applies the patch, a few times, then gives
// up with "edit_conflict". A need deleted meanwhile stays deleted
// (failure.NotFound).
func (s *Service) UpdateNeed(ctx context.Context, by Caller, id string, p NeedPatch) (Need, error) {
	for range failure.EditAttempts {
		n, manage, err := s.visibleNeed(ctx, by, id, true)
		if err != nil {
			return Need{}, err
		}
		if !manage {
			return Need{}, failure.Forbiddenf("only members and officers change a need")
		}
		p.apply(&n)
		if err := s.checkNeed(n); err != nil {
			return Need{}, err
		}
		n.UpdatedAt = s.now().UTC()
		updated, err := s.needs.UpdateNeed(ctx, n)
		if failure.IsStale(err) {
			continue
		} else if err != nil {
			return Need{}, fmt.Errorf("update need %s: %w", id, err)
		}
		return updated, nil
	}
	return Need{}, failure.EditConflict("the need")
}

func (p NeedPatch) apply(n *Need) {
	for dst, src := range map[*string]*string{
		&n.Kind: p.Kind, &n.Title: p.Title, &n.Description: p.Description, &n.Occupation: p.Occupation,
		&n.Sector: p.Sector, &n.WorkMode: p.WorkMode, &n.Hours: p.Hours, &n.StartDate: p.StartDate,
		&n.EndDate: p.EndDate, &n.ApplyBy: p.ApplyBy, &n.Status: p.Status,
	} {
		set(dst, src)
	}
	if p.Skills != nil {
		n.Skills = *p.Skills
	}
	if p.Languages != nil {
		n.Languages = *p.Languages
	}
	if p.EducationLevel != nil {
		n.EducationLevel = *p.EducationLevel
	}
	if p.Location != nil {
		n.Location = *p.Location
	}
	if p.Positions != nil {
		n.Positions = *p.Positions
	}
	if p.NightWork != nil {
		n.NightWork = *p.NightWork
	}
	if p.Hazardous != nil {
		n.Hazardous = *p.Hazardous
	}
	if p.LightWork != nil {
		n.LightWork = *p.LightWork
	}
	if p.Pay != nil {
		n.Pay = *p.Pay
	}
}

// DeleteNeed removes a need (members and officers).
func (s *Service) DeleteNeed(ctx context.Context, by Caller, id string) error {
	_, manage, err := s.visibleNeed(ctx, by, id, true)
	if err != nil {
		return err
	}
	if !manage {
		return failure.Forbiddenf("only members and officers delete a need")
	}
	// The store's tombstone wins over any edit racing it: no edit brings
	// the need back.
	_, err = s.needs.DeleteNeed(ctx, id)
	return err
}

// checkNeed enforces the rules that tags on a request body cannot express.
func (s *Service) checkNeed(n Need) error {
	var fields []failure.FieldError
	seen := map[string]bool{}
	for i, sk := range n.Skills {
		switch {
		case !s.catalog.KnownSkill(sk.ID):
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("skills[%d].id", i), Code: "unknown_skill"})
		case seen[sk.ID]:
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("skills[%d].id", i), Code: "unique"})
		}
		seen[sk.ID] = true
	}
	if n.Occupation != "" && !s.catalog.KnownOccupation(n.Occupation) {
		fields = append(fields, failure.FieldError{Field: "occupation", Code: "unknown_occupation"})
	}
	fields = append(fields, checkPay(n.Pay)...)
	if n.EndDate != "" && n.EndDate < n.StartDate {
		fields = append(fields, failure.FieldError{Field: "endDate", Code: "after_start"})
	}
	if strings.TrimSpace(n.Title) == "" {
		fields = append(fields, failure.FieldError{Field: "title", Code: "required"})
	}
	if len(fields) > 0 {
		return failure.Fields(fields...)
	}
	return nil
}

func (s *Service) today() string { return s.now().UTC().Format(time.DateOnly) }

func set(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

// ManagedNeed returns a need the caller manages (members and officers),
// for views that only they may have, such as its ranked candidates: a need
// the caller may see but not manage is failure.Forbidden, one it may not
// see failure.NotFound.
func (s *Service) ManagedNeed(ctx context.Context, by Caller, id string) (Need, error) {
	n, manage, err := s.visibleNeed(ctx, by, id, false)
	if err != nil {
		return Need{}, err
	}
	if !manage {
		return Need{}, failure.Forbiddenf("only members and officers see a need's candidates")
	}
	return n, nil
}
