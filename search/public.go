package search

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
)

// Bounds of a public search of needs.
const (
	MaxSkills       = 20 // skills a query may ask for
	DefaultPageSize = 20
	MaxPageSize     = 100
	MaxPage         = 1000
)

// Problems lists what is wrong with the query's own values as field
// errors, in the order of the API's query string: a kind that is not a
// need kind, more than MaxSkills skills. (How the values were written —
// a page that is no number, a place that is no "lat,lon" — is the
// adapter's to say.)
func (q NeedQuery) Problems() []failure.FieldError {
	var fields []failure.FieldError
	if q.Kind != "" && !slices.Contains(register.Kinds, q.Kind) {
		fields = append(fields, failure.FieldError{Field: "kind", Code: "oneof", Param: strings.Join(register.Kinds, ", ")})
	}
	if len(q.Skills) > MaxSkills {
		fields = append(fields, failure.FieldError{Field: "skill", Code: "max", Param: strconv.Itoa(MaxSkills)})
	}
	return fields
}

// PublicNeeds is the one use case behind the public search of needs
// (the API's GET /needs, the web's home page): it checks the query and
// searches the needs that are public today on the injected clock — open,
// of a verified employer, not past their apply-by date.
type PublicNeeds struct {
	ix  *Index
	now func() time.Time
}

// NewPublicNeeds searches ix on the clock now.
func NewPublicNeeds(ix *Index, now func() time.Time) *PublicNeeds {
	return &PublicNeeds{ix: ix, now: now}
}

// Search answers q (its Today is set here), with page 1 and
// DefaultPageSize when they are 0; a page or page size out of bounds, or
// a problem of the query (NeedQuery.Problems), is failure.Invalid.
func (p *PublicNeeds) Search(ctx context.Context, q NeedQuery) (NeedResults, error) {
	fields := q.Problems()
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultPageSize
	}
	if q.Page < 1 || q.Page > MaxPage {
		fields = append(fields, failure.FieldError{Field: "page", Code: "range", Param: "1.." + strconv.Itoa(MaxPage)})
	}
	if q.PageSize < 1 || q.PageSize > MaxPageSize {
		fields = append(fields, failure.FieldError{Field: "pageSize", Code: "range", Param: "1.." + strconv.Itoa(MaxPageSize)})
	}
	if len(fields) > 0 {
		return NeedResults{}, failure.Fields(fields...)
	}
	q.Today = p.today()
	return p.ix.SearchNeeds(ctx, q)
}

// Stamp is the stamp a search asked now would carry (search.Stamp): an
// adapter holding what it made of an answer of this stamp may serve it
// again without searching.
func (p *PublicNeeds) Stamp() Stamp {
	_, st := p.ix.searchCacheOf(p.today())
	return st
}

func (p *PublicNeeds) today() string { return p.now().UTC().Format(time.DateOnly) }
