// Package insight computes what the labour office reports to the CARE-GET
// programme: the skills gap between what employers ask for and what
// job-seekers hold, the monitoring indicators of a period, and the CSV and
// XLSX exports of both and of the needs and matches behind them.
//
// Everything is computed from a Snapshot of the data the product already
// holds in memory (the search index's needs, profiles and employers, the
// match service's matches), never from the store's aggregation, whose
// embedded engine returns wrong figures without an error. The functions are
// pure: the same snapshot gives the same figures, which is what lets the
// tests pin every definition to an exact number.
package insight

import (
	"time"

	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Labels names skills, skill groups and occupations, and places a skill in
// its group. *taxonomy.Taxonomy satisfies it.
type Labels interface {
	// Label returns the preferred label of a skill, skill group or
	// occupation id in lang ("bg" or "en"), or "" for an unknown id.
	Label(id, lang string) string
	// GroupOf returns the id of the skill group a skill rolls up to, or ""
	// when it has none.
	GroupOf(skillID string) string
}

// PathwayParticipant is one person's place in a Care Career Path pathway,
// as the pathway package reports it. Only ids and keys: no names.
type PathwayParticipant struct {
	PathwayID string
	ProfileID string
	Stage     string // the stage key the participant is at
	Status    string // e.g. pending, started, completed
}

// Snapshot is the data insights are computed from. The caller fills it
// from memory (search.Index and match.Service) and must not change the
// slices while a computation or an export runs.
type Snapshot struct {
	Needs        []register.Need
	Employers    []register.Employer
	Profiles     []profile.Profile // current, consenting or not; erased ones left out
	Matches      []match.Match
	Participants []PathwayParticipant
	// Events are the Career & Skills Days with their figures, newest first.
	Events []event.Figures
	// Today is "now": it decides which needs are open (apply-by dates),
	// which outcomes are overdue, and the zone exported times are shown
	// in. Set it from the injected clock, in Europe/Sofia.
	Today time.Time
	// Labels names skills, groups and occupations; nil shows raw ids.
	Labels Labels
}

// today is Snapshot.Today as the YYYY-MM-DD string the domain compares
// dates with.
func (s Snapshot) today() string { return s.Today.Format(time.DateOnly) }

// loc is the zone times are shown in.
func (s Snapshot) loc() *time.Location {
	if s.Today.IsZero() {
		return time.UTC
	}
	return s.Today.Location()
}

// label returns the label of id in lang, or id itself when there is none.
func (s Snapshot) label(id, lang string) string {
	if id == "" {
		return ""
	}
	if s.Labels != nil {
		if l := s.Labels.Label(id, lang); l != "" {
			return l
		}
	}
	return id
}

func (s Snapshot) groupOf(skillID string) string {
	if s.Labels == nil {
		return ""
	}
	return s.Labels.GroupOf(skillID)
}

// verifiedEmployers maps employer id to its current verification.
func (s Snapshot) verifiedEmployers() map[string]bool {
	v := make(map[string]bool, len(s.Employers))
	for _, e := range s.Employers {
		v[e.ID] = e.Verified
	}
	return v
}

// counted reports whether a need counts as current demand on day today:
// it is open and its employer is verified now, and, unless it is a
// forecast, its apply-by date has not passed. Forecasts describe demand
// expected later, so an apply-by date does not end them; a forecast that
// is closed, filled or a draft, or whose employer is not verified, does not
// count. Drafts, closed and filled needs and needs of unverified employers
// never count: unverified employers may not be who they say they are.
func counted(n register.Need, employerVerified bool, today string) bool {
	if n.Kind == register.KindForecast {
		return n.Status == register.StatusOpen && employerVerified
	}
	return n.Public(employerVerified, today)
}

// positions is the number of places a need stands for: at least one.
func positions(n register.Need) int { return max(n.Positions, 1) }

// sectorOf is the need's sector, or its employer's when the need has none.
func sectorOf(n register.Need, employerSector map[string]string) string {
	if n.Sector != "" {
		return n.Sector
	}
	return employerSector[n.EmployerID]
}

// normLang is "en" for English and "bg" (the default) for anything else.
func normLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "bg"
}

// within reports whether t lies in [from, to], both ends included.
func within(t, from, to time.Time) bool {
	return !t.IsZero() && !t.Before(from) && !t.After(to)
}

// needKinds are the need kinds in report order.
var needKinds = []string{register.KindJob, register.KindInternship, register.KindApprenticeship,
	register.KindCarePathway, register.KindForecast}

// matchStates are the match states in report order.
var matchStates = []match.State{match.Applied, match.Proposed, match.Referred, match.Interview,
	match.Offered, match.Placed, match.Rejected, match.Withdrawn}
