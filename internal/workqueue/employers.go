package workqueue

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/translit"
)

// EmployersPageSize is how many employers a page of the list holds.
const EmployersPageSize = 20

// MaxQuery bounds the search text of the employer list, in bytes.
const MaxQuery = 200

// EmployerQuery filters the office's employer list. Verified nil lists
// all; Q matches the name (folded like the search: any case, accents,
// Cyrillic or its Latin spelling) or the start of the EIK. Page counts
// from 1.
type EmployerQuery struct {
	Verified *bool
	Q        string
	Page     int
}

// EmployerPage is one page of the list: names in alphabetical order, and
// how many employers match in all.
type EmployerPage struct {
	Employers []register.Employer
	Total     int
	Page      int
	Pages     int
}

// Employers is the one use case behind the office's employer list
// (officers only), answered from memory.
func (s *Service) Employers(ctx context.Context, by auth.Principal, q EmployerQuery) (EmployerPage, error) {
	if by.Role != auth.RoleOfficer {
		return EmployerPage{}, failure.Forbiddenf("only officers list employers")
	}
	if len(q.Q) > MaxQuery {
		return EmployerPage{}, failure.Field("q", "max", "200")
	}
	if q.Page < 1 {
		q.Page = 1
	}
	want := translit.Fold(strings.TrimSpace(q.Q))
	type hit struct {
		e   register.Employer
		key string
	}
	var hits []hit
	for _, e := range s.employers.Employers() {
		if q.Verified != nil && e.Verified != *q.Verified {
			continue
		}
		key := translit.Fold(e.Name)
		if want != "" && !strings.Contains(key, want) && !strings.HasPrefix(e.EIK, strings.TrimSpace(q.Q)) {
			continue
		}
		hits = append(hits, hit{e, key})
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.e.ID, b.e.ID)) })
	out := EmployerPage{Total: len(hits), Page: q.Page, Pages: (len(hits) + EmployersPageSize - 1) / EmployersPageSize}
	from := min((q.Page-1)*EmployersPageSize, len(hits))
	for _, h := range hits[from:min(from+EmployersPageSize, len(hits))] {
		out.Employers = append(out.Employers, h.e)
	}
	return out, nil
}
