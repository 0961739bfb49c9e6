package register

import (
	"context"
	"slices"

	"github.com/careget/skillsmatch/internal/failure"
)

// StatusExpired is the state a list shows for an open need past its
// apply-by date: nobody can apply any more, though nobody closed it. It is
// never stored; Need.StatusOn computes it.
const StatusExpired = "expired"

// ListStatuses are the states an employer's list of needs tells apart.
var ListStatuses = []string{StatusDraft, StatusOpen, StatusFilled, StatusClosed, StatusExpired}

// StatusOn is the need's state as a person reads it on day today: the
// stored status, except that an open need past its apply-by date is
// expired.
func (n Need) StatusOn(today string) string {
	if n.Status == StatusOpen && n.ApplyBy != "" && n.ApplyBy < today {
		return StatusExpired
	}
	return n.Status
}

// DuplicateNeed starts a new need with the content of need id: a draft,
// so that the employer checks the dates before anyone sees it. Only those
// who may change the need (members and officers) may copy it; creating the
// copy applies every rule of CreateNeed.
func (s *Service) DuplicateNeed(ctx context.Context, by Caller, id string) (Need, error) {
	n, manage, err := s.visibleNeed(ctx, by, id)
	if err != nil {
		return Need{}, err
	}
	if !manage {
		return Need{}, failure.Forbiddenf("only members and officers copy a need")
	}
	c := n
	c.ID, c.Status, c.Seq, c.Version = "", StatusDraft, 0, 0
	c.Skills, c.Languages = slices.Clone(n.Skills), slices.Clone(n.Languages)
	if n.EducationLevel != nil {
		lvl := *n.EducationLevel
		c.EducationLevel = &lvl
	}
	return s.CreateNeed(ctx, by, c)
}
