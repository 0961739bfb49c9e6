// Package employerneeds is the employer's list of its own needs ("My
// needs"): every need in every state with its counts of candidates,
// applications and referrals, answered from the in-memory copies the
// search index and the match workflow keep, never by a store scan. It is
// the one use case behind GET /api/v1/employers/{id}/needs and the
// /employer pages.
package employerneeds

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/register"
)

// CandidateCap bounds the candidate count of a need: the ranking is run
// with this limit, so a list of many needs stays cheap and "50+" says
// enough to an employer deciding where to look.
const CandidateCap = 50

// PageSize is how many needs a page of the list holds. Only the page's
// drafts and open needs are ranked for their candidate count: at city
// scale (the demo's largest employer has 236 needs) counting every need on
// one request took seconds.
const PageSize = 10

// Needs are the in-memory needs and their ranking (search.Index).
type Needs interface {
	EmployerNeeds(employerID string) []register.Need
	CountCandidates(ctx context.Context, n register.Need, limit int) (int, error)
}

// Matches are the in-memory matches (match.Service), with the day they
// count as today.
type Matches interface {
	CountsByNeed(needIDs []string) map[string]match.NeedCounts
	Today() string
}

// Employers answers which employer a caller may see (register.Service).
type Employers interface {
	Employer(ctx context.Context, by auth.Principal, id string) (register.Employer, error)
}

// Accounts reads an account, for the employers its user belongs to.
type Accounts interface {
	User(ctx context.Context, id string) (auth.User, error)
}

// Service lists employers' needs.
type Service struct {
	needs     Needs
	matches   Matches
	employers Employers
	accounts  Accounts
}

// NewService wires the list to the index, the matches, the register and
// the accounts.
func NewService(n Needs, m Matches, e Employers, a Accounts) *Service {
	return &Service{needs: n, matches: m, employers: e, accounts: a}
}

// Row is one need of the list.
type Row struct {
	Need   register.Need
	Status string // register.Need.StatusOn today: "expired" for an open need past its apply-by date
	// Candidates is the number the ranking admits, up to CandidateCap
	// (Capped then), counted for drafts and open needs only: a closed,
	// filled or expired need takes no one new, and a forecast is never
	// matched (Counted false).
	Candidates   int
	Capped       bool
	Counted      bool
	Applications int
	Referrals    int
}

// Page is one page of an employer's needs.
type Page struct {
	Rows  []Row
	Total int // needs in the status on every page
	Page  int // from 1
}

// List returns the page-th page (from 1) of the needs of employer id in
// status ("" for every state; else one of register.ListStatuses), newest
// first. Officers see any
// employer's; members their own, once the office verified the employer
// (403 employer_not_verified before: the office checks every organisation
// before it sees young people's data, and the counts are of them); anyone
// else gets what register.Service.Employer answers (404 for an unverified
// employer) or 403 not_member.
func (s *Service) List(ctx context.Context, by auth.Principal, id, status string, page int) (Page, error) {
	if status != "" && !slices.Contains(register.ListStatuses, status) {
		return Page{}, failure.Fields(failure.FieldError{Field: "status", Code: "oneof", Param: strings.Join(register.ListStatuses, ", ")})
	}
	if page < 1 {
		return Page{}, failure.Fields(failure.FieldError{Field: "page", Code: "range", Param: "1.."})
	}
	e, err := s.employers.Employer(ctx, by, id)
	if err != nil {
		return Page{}, err
	}
	if err := mayList(by, e); err != nil {
		return Page{}, err
	}
	return s.page(ctx, e.ID, status, page)
}

func mayList(by auth.Principal, e register.Employer) error {
	switch {
	case by.Role == auth.RoleOfficer:
		return nil
	case by.Role != auth.RoleEmployer || !e.IsMember(by.UserID):
		return failure.New(failure.Forbidden, "not_member", "you are not a member of employer %s", e.ID)
	case !e.Verified:
		return failure.New(failure.Forbidden, "employer_not_verified",
			"employer %s is not verified: the labour office checks every organisation first", e.ID)
	}
	return nil
}

// page selects the needs in status, newest first, and counts those of
// the page-th page.
func (s *Service) page(ctx context.Context, employerID, status string, page int) (Page, error) {
	today := s.matches.Today()
	var rows []Row
	for _, n := range s.needs.EmployerNeeds(employerID) {
		if st := n.StatusOn(today); status == "" || st == status {
			rows = append(rows, Row{Need: n, Status: st})
		}
	}
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(b.Need.CreatedAt.Compare(a.Need.CreatedAt), strings.Compare(a.Need.ID, b.Need.ID))
	})
	out := Page{Total: len(rows), Page: page}
	out.Rows = rows[min((page-1)*PageSize, len(rows)):min(page*PageSize, len(rows))]
	return out, s.count(ctx, out.Rows)
}

// count fills in the rows' counts: applications and referrals from the
// matches in memory, candidates from the ranking for drafts and open needs.
func (s *Service) count(ctx context.Context, rows []Row) error {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Need.ID
	}
	counts := s.matches.CountsByNeed(ids)
	for i := range rows {
		r := &rows[i]
		c := counts[r.Need.ID]
		r.Applications, r.Referrals = c.Applications, c.Referrals
		if (r.Status != register.StatusDraft && r.Status != register.StatusOpen) || r.Need.Kind == register.KindForecast {
			continue
		}
		n, err := s.needs.CountCandidates(ctx, r.Need, CandidateCap)
		if err != nil {
			return fmt.Errorf("count candidates of need %s: %w", r.Need.ID, err)
		}
		r.Candidates, r.Capped, r.Counted = n, n >= CandidateCap, true
	}
	return nil
}

// Organisation is the caller's organisation (their first), or nil before
// they registered one. Only employer accounts have one.
func (s *Service) Organisation(ctx context.Context, by auth.Principal) (*register.Employer, error) {
	if by.Role != auth.RoleEmployer {
		return nil, failure.Forbiddenf("only employer accounts have an employer's workspace")
	}
	u, err := s.accounts.User(ctx, by.UserID)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", by.UserID, err)
	}
	if len(u.EmployerIDs) == 0 {
		return nil, nil
	}
	e, err := s.employers.Employer(ctx, by, u.EmployerIDs[0])
	if err != nil {
		return nil, fmt.Errorf("employer of %s: %w", by.UserID, err)
	}
	return &e, nil
}

// Desk is what the employer's workspace shows: the caller's organisation
// (none yet: Employer nil) and, once it is verified, a page of its needs.
type Desk struct {
	Employer *register.Employer
	Needs    Page // empty until the office verified the employer
}

// Desk returns the caller's workspace: their first organisation, and the
// page-th page of its needs when verified (a page past the end is empty).
// Only employer accounts have one.
func (s *Service) Desk(ctx context.Context, by auth.Principal, page int) (Desk, error) {
	e, err := s.Organisation(ctx, by)
	if err != nil || e == nil {
		return Desk{}, err
	}
	d := Desk{Employer: e}
	if e.Verified {
		if d.Needs, err = s.page(ctx, e.ID, "", max(page, 1)); err != nil {
			return Desk{}, err
		}
	}
	return d, nil
}
