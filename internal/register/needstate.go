package register

import (
	"context"
	"fmt"
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
	n, manage, err := s.visibleNeed(ctx, by, id, false)
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
	if n.Pay != nil {
		pay := *n.Pay
		c.Pay = &pay
	}
	return s.CreateNeed(ctx, by, c)
}

// MaxPay bounds a pay range (gross euros a month): a larger figure is a
// typing slip.
const MaxPay = 100_000

// checkPay is the rule of a pay range: whole euros from 0 to MaxPay, the
// least not above the most.
func checkPay(p *PayRange) []failure.FieldError {
	switch {
	case p == nil:
		return nil
	case p.Min < 0 || p.Min > MaxPay:
		return []failure.FieldError{{Field: "pay.min", Code: "range", Param: fmt.Sprintf("0..%d", MaxPay)}}
	case p.Max < p.Min || p.Max > MaxPay:
		return []failure.FieldError{{Field: "pay.max", Code: "pay_range"}}
	}
	return nil
}
