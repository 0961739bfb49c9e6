package event

import (
	"context"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/schedule"
)

// Arrival is a person checked in at the door, with the interviews a
// walk-in was given in the schedule's free cells.
type Arrival struct {
	Registration Registration `json:"registration"`
	Interviews   []Interview  `json:"interviews"`
}

// Arrive checks a person in (officers): by their ticket, or, for a walk-in,
// by their profile id, which registers them on the spot and, once the
// schedule is made, gives them interviews in the cells still free from
// the next slot on, moving nobody.
func (s *Service) Arrive(ctx context.Context, by auth.Principal, id, ticket, profileID string) (Arrival, error) {
	switch {
	case by.Role != auth.RoleOfficer:
		return Arrival{}, failure.Forbiddenf("only officers check people in")
	case ticket != "":
		r, err := s.CheckIn(ctx, by, id, ticket)
		return Arrival{Registration: r, Interviews: []Interview{}}, err
	case profileID == "":
		return Arrival{}, failure.Field("ticket", "required", "")
	}
	if _, ok := s.index.Profile(profileID); !ok {
		return Arrival{}, failure.Field("profileId", "not_found", "")
	}
	var out Arrival
	_, err := s.change(ctx, id, func(e *Event) error {
		i := e.registration(profileID)
		if i < 0 {
			if err := s.add(e, Registration{ProfileID: profileID, By: by.UserID}); err != nil {
				return err
			}
			i = len(e.Registrations) - 1
		}
		now := s.now().UTC()
		if e.Registrations[i].CheckedInAt == nil {
			e.Registrations[i].CheckedInAt = &now
		}
		out = Arrival{Registration: e.Registrations[i], Interviews: []Interview{}}
		if e.Schedule == nil {
			return nil
		}
		added, err := s.fill(e, i, now)
		out.Interviews = added
		return err
	})
	return out, err
}

// fill gives registration i interviews in the schedule's free cells from
// the first slot that has not started at now.
func (s *Service) fill(e *Event, i int, now time.Time) ([]Interview, error) {
	pb, err := s.problem(*e)
	if err != nil {
		return nil, err
	}
	person := map[string]int{}
	for pi, pid := range pb.people {
		person[pid] = pi
	}
	employer := map[string]int{}
	for ei, p := range e.Employers {
		employer[p.EmployerID] = ei
	}
	var existing []schedule.Interview
	for _, iv := range e.Schedule.Interviews {
		pi, ok1 := person[iv.ProfileID]
		ei, ok2 := employer[iv.EmployerID]
		if ok1 && ok2 {
			existing = append(existing, schedule.Interview{Person: pi, Employer: ei, Table: iv.Table - 1, Slot: iv.Slot - 1})
		}
	}
	first, _ := s.at(e.Date, e.Starts)
	from := 0
	if elapsed := now.Sub(first); elapsed > 0 {
		step := time.Duration(e.InterviewMinutes) * time.Minute
		from = int((elapsed + step - 1) / step)
	}
	sc := e.Schedule
	hadNone := !sc.has(e.Registrations[i].ProfileID)
	var out []Interview
	for _, iv := range schedule.Fill(pb.in, existing, from, []int{i}) {
		next := s.interview(*e, pb, iv, len(sc.Interviews)+1)
		sc.Interviews = append(sc.Interviews, next)
		sc.Stats.Interviews++
		sc.Stats.Fit += iv.Weight
		out = append(out, next)
	}
	sc.Stats.People = len(e.Registrations)
	if hadNone && len(out) > 0 {
		sc.Stats.Covered++
		pid := e.Registrations[i].ProfileID
		sc.Unscheduled = slices.DeleteFunc(sc.Unscheduled, func(u Unscheduled) bool { return u.ProfileID == pid })
	}
	if out == nil {
		out = []Interview{}
	}
	return out, nil
}

func (sc *Schedule) has(profileID string) bool {
	for _, iv := range sc.Interviews {
		if iv.ProfileID == profileID {
			return true
		}
	}
	return false
}
