package event

import (
	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
)

// Counts are one group's figures at an event.
type Counts struct {
	Registered     int `json:"registered"`
	Attended       int `json:"attended"`
	InterviewsHeld int `json:"interviewsHeld"` // interviews with an outcome
	Continued      int `json:"continued"`      // people with at least one "continue"
	Placed         int `json:"placed"`         // people placed later through a match the event made
}

// Indicators are an event's figures: people registered, attended, with a
// continue and placed later, in all and by age group and municipality;
// invitations and how many were answered by a registration; and the
// interviews scheduled and held (with an outcome).
type Indicators struct {
	Counts
	Invited        int               `json:"invited"`
	InvitedCame    int               `json:"invitedRegistered"` // invitations answered by registering
	Interviews     int               `json:"interviews"`
	ContinueCount  int               `json:"continues"`
	ByAgeGroup     map[string]Counts `json:"byAgeGroup"`
	ByMunicipality map[string]Counts `json:"byMunicipality"`
}

// unknownGroup is the group of a person whose age or municipality is not
// known (or whose profile is gone).
const unknownGroup = "unknown"

// Indicators computes an event's figures from memory (officers).
func (s *Service) Indicators(by auth.Principal, id string) (Indicators, error) {
	if by.Role != auth.RoleOfficer {
		return Indicators{}, failure.Forbiddenf("only officers read an event's indicators")
	}
	e, err := s.event(id)
	if err != nil {
		return Indicators{}, err
	}
	return s.indicators(e), nil
}

// Figures is an event with its indicators: a row group of the office's
// exports (internal/insight).
type Figures struct {
	ID           string
	Name         Text
	Date         string
	Municipality string // the venue's
	Indicators
}

// AllIndicators is every event's figures, newest day first as All lists
// them (officers), computed from memory like Indicators.
func (s *Service) AllIndicators(by auth.Principal) ([]Figures, error) {
	events, err := s.All(by)
	if err != nil {
		return nil, err
	}
	out := make([]Figures, len(events))
	for i, e := range events {
		out[i] = Figures{ID: e.ID, Name: e.Name, Date: e.Date, Municipality: e.Municipality, Indicators: s.indicators(e)}
	}
	return out, nil
}

// indicators counts e. A person's interviews held count in their groups;
// the event's total counts every interview with an outcome.
func (s *Service) indicators(e Event) Indicators {
	out := Indicators{ByAgeGroup: map[string]Counts{}, ByMunicipality: map[string]Counts{}}
	continued, held := map[string]bool{}, map[string]int{}
	heldAll := 0
	if e.Schedule != nil {
		out.Interviews = len(e.Schedule.Interviews)
		for _, iv := range e.Schedule.Interviews {
			if iv.Outcome != "" {
				heldAll++
				held[iv.ProfileID]++
			}
			if iv.Outcome == OutcomeContinue {
				out.ContinueCount++
				continued[iv.ProfileID] = true
			}
		}
	}
	out.Invited = len(e.Invitations)
	for _, iv := range e.Invitations {
		if e.Registered(iv.ProfileID) {
			out.InvitedCame++
		}
	}
	day, _ := age.ParseDay(e.Date)
	for _, r := range e.Registrations {
		c := Counts{Registered: 1, InterviewsHeld: held[r.ProfileID]}
		if r.CheckedInAt != nil {
			c.Attended = 1
		}
		if continued[r.ProfileID] {
			c.Continued = 1
		}
		if s.placed(r.ProfileID, e.ID) {
			c.Placed = 1
		}
		group, place := unknownGroup, unknownGroup
		if p, ok := s.index.Profile(r.ProfileID); ok {
			if b := p.Birth(); b.Known() {
				group = match.AgeGroup(b.On(day))
			}
			if p.Municipality != "" {
				place = p.Municipality
			}
		}
		out.Counts = out.Counts.plus(c)
		out.ByAgeGroup[group] = out.ByAgeGroup[group].plus(c)
		out.ByMunicipality[place] = out.ByMunicipality[place].plus(c)
	}
	out.InterviewsHeld = heldAll
	return out
}

// placed reports whether a match the event made placed the person.
func (s *Service) placed(profileID, eventID string) bool {
	for _, m := range s.referrer.Of(profileID) {
		if m.EventID == eventID && m.State == match.Placed {
			return true
		}
	}
	return false
}

func (c Counts) plus(d Counts) Counts {
	return Counts{Registered: c.Registered + d.Registered, Attended: c.Attended + d.Attended,
		InterviewsHeld: c.InterviewsHeld + d.InterviewsHeld, Continued: c.Continued + d.Continued, Placed: c.Placed + d.Placed}
}
