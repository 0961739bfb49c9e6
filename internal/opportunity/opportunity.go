// Package opportunity is the job-seeker's view of the needs: the
// opportunities they may be matched to, ranked and explained, the near
// misses and the skills that would open most. It is the one use case
// behind "my matches", so that the API and the web pages share one rule of
// what a person is matched to; the ranking itself is the search engine's
// (Ranker), the mirror of internal/candidate for employers.
package opportunity

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// Match is one need ranked for the person, with the explanation of its
// score.
type Match struct {
	Need           register.Need
	Score          float64
	Explanation    score.Explanation
	PermitRequired bool // the person is under 18: the employer needs a labour inspectorate permit
}

// Matches is the person's view: matches, and when few fit, the nearest
// needs with what is missing, and the skills that would open most.
type Matches struct {
	Items      []Match
	NearMisses []Match
	NextSkills []score.NextSkill
	// Held is true while the profile waits for a guardian's consent
	// (profile.Profile.Held): it is matched to nothing until then.
	Held bool
}

type (
	// Profiles gives the caller's own profile (profile.Service.Mine).
	Profiles interface {
		Mine(ctx context.Context, by auth.Principal) (profile.Profile, error)
	}
	// Ranker ranks the public needs a person may be matched to on day
	// today (YYYY-MM-DD), of kind ("" for all) (search.Index.RankNeeds).
	Ranker interface {
		RankNeeds(ctx context.Context, p profile.Profile, kind string, limit int, lang, today string) (Matches, error)
	}
)

// Query asks for the caller's matches: of one kind ("" for every kind
// a person is matched to), at most Limit (DefaultLimit when 0, at most
// MaxLimit), labelled in Lang.
type Query struct {
	Kind  string
	Limit int
	Lang  string
}

// Bounds of Query.Limit.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Kinds are the need kinds a person is matched to. Forecasts describe
// demand expected later: counted in the office's figures, never matched.
var Kinds = []string{register.KindJob, register.KindInternship, register.KindApprenticeship, register.KindCarePathway}

// Service is the job-seeker's view of the needs.
type Service struct {
	profiles Profiles
	ranker   Ranker
	now      func() time.Time
}

// NewService wires the view to the profiles and the ranking.
func NewService(p Profiles, r Ranker, now func() time.Time) *Service {
	return &Service{profiles: p, ranker: r, now: now}
}

// ForMe ranks the needs open today (on the injected clock) that the
// caller, a job-seeker, may be matched to with their own profile. A kind
// that is not matched (forecasts, unknown ones) is a failure.Field error;
// a caller without a profile gets failure.NotFound, anyone but a
// job-seeker failure.Forbidden (profile.Service.Mine).
func (s *Service) ForMe(ctx context.Context, by auth.Principal, q Query) (Matches, error) {
	if q.Kind != "" && !slices.Contains(Kinds, q.Kind) {
		return Matches{}, failure.Field("kind", "oneof", "job, internship, apprenticeship, care_pathway")
	}
	switch {
	case q.Limit <= 0:
		q.Limit = DefaultLimit
	case q.Limit > MaxLimit:
		q.Limit = MaxLimit
	}
	me, err := s.profiles.Mine(ctx, by)
	if err != nil {
		return Matches{}, err
	}
	out, err := s.ranker.RankNeeds(ctx, me, q.Kind, q.Limit, q.Lang, s.now().UTC().Format(time.DateOnly))
	if err != nil {
		return Matches{}, fmt.Errorf("rank needs: %w", err)
	}
	out.Held = me.Held()
	return out, nil
}
