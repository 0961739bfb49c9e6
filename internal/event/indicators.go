package event

import (
	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
)

// Counts are one group's figures at an event.
type Counts struct {
	Registered int `json:"registered"`
	Attended   int `json:"attended"`
	Continued  int `json:"continued"` // people with at least one "continue"
	Placed     int `json:"placed"`    // people placed later through a match the event made
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
	InterviewsHeld int               `json:"interviewsHeld"`
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
	out := Indicators{ByAgeGroup: map[string]Counts{}, ByMunicipality: map[string]Counts{}}
	continued := map[string]bool{}
	if e.Schedule != nil {
		out.Interviews = len(e.Schedule.Interviews)
		for _, iv := range e.Schedule.Interviews {
			if iv.Outcome != "" {
				out.InterviewsHeld++
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
		c := Counts{Registered: 1}
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
	return out, nil
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
	return Counts{c.Registered + d.Registered, c.Attended + d.Attended, c.Continued + d.Continued, c.Placed + d.Placed}
}
