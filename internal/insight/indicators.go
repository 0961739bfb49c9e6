package insight

import (
	"cmp"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/register"
)

// Figures are the monitoring indicators the labour office reports to the
// programme for a period [From, To], both ends included. A figure "in the
// period" counts records created, or moves made, at an instant in the
// period; a figure "now" describes the data as it stands on AsOf, whatever
// the period. Maps keyed by kind, state or reason list every known key,
// zeros included, so reports keep their shape.
type Figures struct {
	From      time.Time       `json:"from"`
	To        time.Time       `json:"to"`
	AsOf      string          `json:"asOf"` // Snapshot.Today, YYYY-MM-DD
	Employers EmployerFigures `json:"employers"`
	Needs     NeedFigures     `json:"needs"`
	Profiles  ProfileFigures  `json:"profiles"`
	Matches   MatchFigures    `json:"matches"`
	Pathways  PathwayFigures  `json:"pathways"`
}

// EmployerFigures count employers.
type EmployerFigures struct {
	// Registered: employers created in the period.
	Registered int `json:"registered"`
	// Verified: employers verified now whose verification is dated in the
	// period (their creation date when the verification has no date).
	Verified int `json:"verified"`
	// VerifiedNow: every employer verified now.
	VerifiedNow int `json:"verifiedNow"`
}

// NeedFigures count needs of the Skills Needs Register, by kind.
type NeedFigures struct {
	// Created: needs created in the period that are not drafts now, of
	// employers verified now (drafts were never published; unverified
	// employers may not be who they say they are).
	Created map[string]int `json:"created"`
	// CreatedPositions: the positions of those needs (at least one each).
	CreatedPositions map[string]int `json:"createdPositions"`
	// Open: needs that are current demand now: open, of an employer
	// verified now, not past their apply-by date (forecasts: open, of a
	// verified employer, whatever their apply-by date). The needs the
	// skills gap counts.
	Open map[string]int `json:"open"`
	// OpenPositions: the positions of those needs.
	OpenPositions map[string]int `json:"openPositions"`
}

// ProfileFigures count job-seekers' profiles. Erased profiles are gone
// from the snapshot and are not counted.
type ProfileFigures struct {
	// Registered: profiles created in the period.
	Registered int `json:"registered"`
	// Consenting: of those, the ones consenting to matching now.
	Consenting int `json:"consenting"`
	// Aged15to29: of those, the ones aged 15 to 29. Only the birth year is
	// known, so the age is the youngest the person can be in the year the
	// period ends: that year minus the birth year, minus one (as the
	// matching rules assume). Profiles without a birth year are not counted.
	Aged15to29 int `json:"aged15to29"`
	// Share15to29: Aged15to29 / Registered, between 0 and 1; 0 when no
	// profile was registered.
	Share15to29 float64 `json:"share15to29"`
	// ByAgeGroup: the registered profiles by match.AgeGroup of that same
	// age; "unknown" for profiles without a birth year.
	ByAgeGroup map[string]int `json:"byAgeGroup"`
	// TotalNow: every profile held now.
	TotalNow int `json:"totalNow"`
	// ConsentingNow: every profile consenting to matching now.
	ConsentingNow int `json:"consentingNow"`
}

// MatchFigures count matches and the moves of the review workflow. A move
// is dated by the match's history event for it.
type MatchFigures struct {
	// Created: matches created in the period (applications and proposals).
	Created int `json:"created"`
	// ByState: those matches by their state now.
	ByState map[string]int `json:"byState"`
	// Referred: matches an officer referred in the period (a match is
	// referred at most once; a history without the move falls back to
	// ReferredAt).
	Referred int `json:"referred"`
	// Placed: matches moved to placed in the period.
	Placed int `json:"placed"`
	// PlacedByProgramme: those placements by the need's kind.
	PlacedByProgramme map[string]int `json:"placedByProgramme"`
	// Rejected: matches moved to rejected in the period.
	Rejected int `json:"rejected"`
	// RejectionReasons: those rejections by reason (match.RejectionReasons;
	// "unspecified" when none was recorded).
	RejectionReasons map[string]int `json:"rejectionReasons"`
	// OverdueNow: referred matches whose employer's outcome is late now
	// (match.Match.Overdue), whenever they were created.
	OverdueNow int `json:"overdueNow"`
}

// PathwayFigures count Care Career Path participants now (participation
// carries no dates, so the period does not apply).
type PathwayFigures struct {
	// Participants: participant entries (one per person and pathway).
	Participants int `json:"participants"`
	// People: distinct profiles among them.
	People int `json:"people"`
	// ByPathway, ByStage, ByStatus: the entries by pathway id, by the stage
	// key they are at (keys of different pathways are added together) and
	// by status.
	ByPathway map[string]int `json:"byPathway"`
	ByStage   map[string]int `json:"byStage"`
	ByStatus  map[string]int `json:"byStatus"`
}

// unknownAge is the ByAgeGroup key of profiles without a birth year.
const unknownAge = "unknown"

// ageGroups are the ByAgeGroup keys in report order.
var ageGroups = []string{"15-17", "18-24", "25-29", "30+", unknownAge}

// Indicators computes the figures of the period [from, to] (both included;
// see DayRange) from the snapshot. Each figure's definition is on its
// field.
func Indicators(s Snapshot, from, to time.Time) Figures {
	today := s.today()
	verified := s.verifiedEmployers()
	out := Figures{From: from, To: to, AsOf: today}

	for _, e := range s.Employers {
		if within(e.CreatedAt, from, to) {
			out.Employers.Registered++
		}
		if !e.Verified {
			continue
		}
		out.Employers.VerifiedNow++
		at := e.CreatedAt
		if e.Verification != nil && !e.Verification.At.IsZero() {
			at = e.Verification.At
		}
		if within(at, from, to) {
			out.Employers.Verified++
		}
	}

	nf := NeedFigures{Created: zeros(needKinds), CreatedPositions: zeros(needKinds),
		Open: zeros(needKinds), OpenPositions: zeros(needKinds)}
	for i := range s.Needs {
		n := &s.Needs[i]
		v := verified[n.EmployerID]
		if within(n.CreatedAt, from, to) && v && n.Status != register.StatusDraft {
			nf.Created[n.Kind]++
			nf.CreatedPositions[n.Kind] += positions(*n)
		}
		if counted(*n, v, today) {
			nf.Open[n.Kind]++
			nf.OpenPositions[n.Kind] += positions(*n)
		}
	}
	out.Needs = nf

	pf := ProfileFigures{ByAgeGroup: zeros(ageGroups)}
	for i := range s.Profiles {
		p := &s.Profiles[i]
		pf.TotalNow++
		if p.Consent.Matching {
			pf.ConsentingNow++
		}
		if !within(p.CreatedAt, from, to) {
			continue
		}
		pf.Registered++
		if p.Consent.Matching {
			pf.Consenting++
		}
		if p.BirthYear <= 0 {
			pf.ByAgeGroup[unknownAge]++
			continue
		}
		age := to.Year() - p.BirthYear - 1 // the youngest the person can be that year
		pf.ByAgeGroup[match.AgeGroup(age)]++
		if age >= 15 && age <= 29 {
			pf.Aged15to29++
		}
	}
	if pf.Registered > 0 {
		pf.Share15to29 = float64(pf.Aged15to29) / float64(pf.Registered)
	}
	out.Profiles = pf

	states := make([]string, len(matchStates))
	for i, st := range matchStates {
		states[i] = string(st)
	}
	mf := MatchFigures{ByState: zeros(states), PlacedByProgramme: zeros(needKinds[:4]),
		RejectionReasons: zeros(append(match.RejectionReasons[:len(match.RejectionReasons):len(match.RejectionReasons)], "unspecified"))}
	for i := range s.Matches {
		m := &s.Matches[i]
		if within(m.CreatedAt, from, to) {
			mf.Created++
			mf.ByState[string(m.State)]++
		}
		if at, _, ok := movedTo(m, match.Referred); ok && within(at, from, to) {
			mf.Referred++
		}
		if at, _, ok := movedTo(m, match.Placed); ok && within(at, from, to) {
			mf.Placed++
			mf.PlacedByProgramme[m.Programme]++
		}
		if at, ev, ok := movedTo(m, match.Rejected); ok && within(at, from, to) {
			mf.Rejected++
			mf.RejectionReasons[cmp.Or(ev.Reason, m.Reason, "unspecified")]++
		}
		if m.Overdue(today) {
			mf.OverdueNow++
		}
	}
	out.Matches = mf

	pw := PathwayFigures{ByPathway: map[string]int{}, ByStage: map[string]int{}, ByStatus: map[string]int{}}
	people := map[string]bool{}
	for _, p := range s.Participants {
		pw.Participants++
		people[p.ProfileID] = true
		pw.ByPathway[p.PathwayID]++
		pw.ByStage[p.Stage]++
		pw.ByStatus[p.Status]++
	}
	pw.People = len(people)
	out.Pathways = pw
	return out
}

// movedTo finds when the match last moved to state, from its history. A
// match whose history lacks the move (older records) falls back to
// ReferredAt for a referral, or to UpdatedAt when it is in the state now.
func movedTo(m *match.Match, state match.State) (time.Time, match.Event, bool) {
	for i := len(m.History) - 1; i >= 0; i-- {
		if ev := m.History[i]; ev.To == state {
			return ev.At, ev, true
		}
	}
	switch {
	case state == match.Referred && m.ReferredAt != nil:
		return *m.ReferredAt, match.Event{}, true
	case m.State == state:
		return m.UpdatedAt, match.Event{}, true
	}
	return time.Time{}, match.Event{}, false
}

// zeros returns a map with every key at zero.
func zeros(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for _, k := range keys {
		m[k] = 0
	}
	return m
}

// DayRange turns two calendar days (YYYY-MM-DD) into the period Indicators
// takes: from the first instant of from to the last instant of to, in loc
// (nil is UTC). A malformed day, or to before from, is a failure.Field
// error.
func DayRange(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	f, err := time.ParseInLocation(time.DateOnly, from, loc)
	if err != nil {
		return time.Time{}, time.Time{}, failure.Field("from", "datetime", time.DateOnly)
	}
	t, err := time.ParseInLocation(time.DateOnly, to, loc)
	if err != nil {
		return time.Time{}, time.Time{}, failure.Field("to", "datetime", time.DateOnly)
	}
	if t.Before(f) {
		return time.Time{}, time.Time{}, failure.Field("to", "gtefield", "from")
	}
	return f, t.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
}
