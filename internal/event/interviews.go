package event

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/schedule"
)

// Suggestion is a person who fits a need brought to the event.
type Suggestion struct {
	ProfileID  string  `json:"profileId"`
	Score      float64 `json:"score"`
	NeedID     string  `json:"needId"`
	EmployerID string  `json:"employerId"`
	Invited    bool    `json:"invited"`
}

// Suggested ranks the people who best fit the needs the employers bring,
// by the matching's own ranking and hard filters, each person once at
// their best need, leaving out the registered (officers).
func (s *Service) Suggested(ctx context.Context, by auth.Principal, id string, limit int) ([]Suggestion, error) {
	if by.Role != auth.RoleOfficer {
		return nil, failure.Forbiddenf("only officers invite")
	}
	e, err := s.event(id)
	if err != nil {
		return nil, err
	}
	best := map[string]Suggestion{}
	for _, p := range e.Employers {
		for _, nid := range p.NeedIDs {
			n, ok := s.index.Need(nid)
			if !ok {
				continue // deleted since the employer joined
			}
			ranked, err := s.index.MatchCandidates(ctx, n, limit)
			if err != nil {
				return nil, fmt.Errorf("rank candidates for need %s: %w", nid, err)
			}
			for _, r := range ranked {
				if cur, ok := best[r.ProfileID]; (!ok || r.Score > cur.Score) && !e.Registered(r.ProfileID) {
					best[r.ProfileID] = Suggestion{ProfileID: r.ProfileID, Score: r.Score, NeedID: nid,
						EmployerID: p.EmployerID, Invited: e.Invited(r.ProfileID)}
				}
			}
		}
	}
	out := make([]Suggestion, 0, len(best))
	for _, sg := range best {
		out = append(out, sg)
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ProfileID, b.ProfileID))
	})
	return out[:min(limit, len(out))], nil
}

// Invite records invitations of people in bulk (officers); inviting again
// is a no-op. Their replies are their registrations.
func (s *Service) Invite(ctx context.Context, by auth.Principal, id string, profileIDs []string) (Event, error) {
	if by.Role != auth.RoleOfficer {
		return Event{}, failure.Forbiddenf("only officers invite")
	}
	for i, pid := range profileIDs {
		if _, ok := s.index.Profile(pid); !ok {
			return Event{}, failure.Field(fmt.Sprintf("profileIds[%d]", i), "not_found", "")
		}
	}
	var fresh []string
	e, err := s.change(ctx, id, func(e *Event) error {
		if err := s.notPast(*e); err != nil {
			return err
		}
		fresh = fresh[:0]
		for _, pid := range profileIDs {
			if !e.Invited(pid) {
				e.Invitations = append(e.Invitations, Invitation{ProfileID: pid, By: by.UserID, At: s.now().UTC()})
				fresh = append(fresh, pid)
			}
		}
		return nil
	})
	if err == nil {
		s.notify(ctx, "event/"+e.ID+"/invitation", "invitation", e, fresh)
	}
	return e, err
}

// wishBonus is the weight a stated wish adds to a pair's fit (fit is
// scaled to 0–1000): the first wish counts about as much as a perfect fit.
func wishBonus(rank int) int64 { return int64(max(1000-250*rank, 250)) }

// MakeSchedule computes (or recomputes, until an interview has an
// outcome) the event's speed-interview schedule (officers).
func (s *Service) MakeSchedule(ctx context.Context, by auth.Principal, id string) (Event, error) {
	if by.Role != auth.RoleOfficer {
		return Event{}, failure.Forbiddenf("only officers make the schedule")
	}
	e, err := s.change(ctx, id, func(e *Event) error {
		if e.Schedule != nil && slices.ContainsFunc(e.Schedule.Interviews, func(iv Interview) bool { return iv.Outcome != "" }) {
			return failure.Conflictf("interviews_started", "interviews of event %s have outcomes: the schedule stays", e.ID)
		}
		sc, err := s.plan(*e)
		if err != nil {
			return err
		}
		e.Schedule = &sc
		return nil
	})
	if err == nil {
		// Each computed schedule is news: its time is in the key.
		s.notify(ctx, "event/"+e.ID+"/schedule/"+e.Schedule.At.Format(time.RFC3339Nano), "schedule", e, e.people())
	}
	return e, err
}

// problem is the scheduling problem: every registered person against
// every employer whose needs they pass the hard filters for, weighted by
// their best fit there plus their wish bonus. It also says which need
// each pair would be referred to.
type problem struct {
	in       schedule.Input
	people   []string // index → profile id
	bestNeed map[[2]int]string
}

func (s *Service) problem(e Event) (problem, error) {
	pb := problem{in: schedule.Input{Slots: e.Slots}, bestNeed: map[[2]int]string{}}
	for _, r := range e.Registrations {
		pb.people = append(pb.people, r.ProfileID)
		pb.in.People = append(pb.in.People, schedule.Person{Limit: e.PerPersonLimit})
	}
	for ei, p := range e.Employers {
		pb.in.Employers = append(pb.in.Employers, schedule.Employer{Tables: p.Tables})
		fit := map[int]float64{}
		for _, nid := range p.NeedIDs {
			n, ok := s.index.Need(nid)
			if !ok {
				continue
			}
			scores, err := s.index.ScoreCandidates(n, pb.people)
			if err != nil {
				return problem{}, fmt.Errorf("score need %s: %w", nid, err)
			}
			for pi, pid := range pb.people {
				if sc, ok := scores[pid]; ok && (sc > fit[pi] || pb.bestNeed[[2]int{pi, ei}] == "") {
					fit[pi], pb.bestNeed[[2]int{pi, ei}] = sc, nid
				}
			}
		}
		for pi := range pb.people {
			if _, ok := pb.bestNeed[[2]int{pi, ei}]; !ok {
				continue // fails the hard filters for every need: they do not meet
			}
			w := int64(math.Round(1000 * fit[pi]))
			if rank := slices.Index(e.Registrations[pi].Wishes, p.EmployerID); rank >= 0 {
				w += wishBonus(rank)
			}
			pb.in.Pairs = append(pb.in.Pairs, schedule.Pair{Person: pi, Employer: ei, Weight: w})
		}
	}
	return pb, nil
}

// interview turns the algorithm's interview into the event's, numbered n.
func (s *Service) interview(e Event, pb problem, iv schedule.Interview, n int) Interview {
	first, _ := s.at(e.Date, e.Starts)
	return Interview{N: n, Slot: iv.Slot + 1,
		StartsAt:   first.Add(time.Duration(iv.Slot*e.InterviewMinutes) * time.Minute).UTC(),
		EmployerID: e.Employers[iv.Employer].EmployerID, Table: iv.Table + 1, ProfileID: pb.people[iv.Person],
		NeedID: pb.bestNeed[[2]int{iv.Person, iv.Employer}]}
}

// plan makes the whole schedule.
func (s *Service) plan(e Event) (Schedule, error) {
	pb, err := s.problem(e)
	if err != nil {
		return Schedule{}, err
	}
	res := schedule.Make(pb.in)
	out := Schedule{At: s.now().UTC(), Stats: res.Stats, Interviews: []Interview{}, Unscheduled: []Unscheduled{}}
	for i, iv := range res.Interviews {
		out.Interviews = append(out.Interviews, s.interview(e, pb, iv, i+1))
	}
	for _, u := range res.Unscheduled {
		out.Unscheduled = append(out.Unscheduled, Unscheduled{ProfileID: pb.people[u.Person], Reason: u.Reason})
	}
	return out, nil
}

// ScheduleFor returns the schedule as the caller may see it: officers all
// of it, an employer's members its tables, a job-seeker their own
// interviews. No schedule yet is failure.NotFound.
func (s *Service) ScheduleFor(ctx context.Context, by auth.Principal, id string) (Schedule, error) {
	e, err := s.event(id)
	if err != nil {
		return Schedule{}, err
	}
	if e.Schedule == nil {
		return Schedule{}, failure.NotFoundf("schedule")
	}
	sc := *e.Schedule
	if by.Role == auth.RoleOfficer {
		return sc, nil
	}
	mine, err := s.mine(ctx, by, e)
	if err != nil {
		return Schedule{}, err
	}
	sc.Interviews = slices.DeleteFunc(slices.Clone(sc.Interviews), func(iv Interview) bool { return !mine(iv) })
	sc.Unscheduled = slices.DeleteFunc(slices.Clone(sc.Unscheduled), func(u Unscheduled) bool {
		return by.Role != auth.RoleJobseeker || u.ProfileID != by.UserID
	})
	sc.Stats = schedule.Stats{}
	return sc, nil
}

// mine says which interviews are the caller's: a job-seeker's own, or
// those at the tables of employers the caller is a member of.
func (s *Service) mine(ctx context.Context, by auth.Principal, e Event) (func(Interview) bool, error) {
	switch by.Role {
	case auth.RoleJobseeker:
		return func(iv Interview) bool { return iv.ProfileID == by.UserID }, nil
	case auth.RoleEmployer:
		member := map[string]bool{}
		for _, p := range e.Employers {
			emp, err := s.register.Employer(ctx, by, p.EmployerID)
			if err != nil && !failure.Is(err, failure.NotFound) {
				return nil, err
			}
			member[p.EmployerID] = err == nil && emp.IsMember(by.UserID)
		}
		return func(iv Interview) bool { return member[iv.EmployerID] }, nil
	}
	return func(Interview) bool { return false }, nil
}

// Outcome records the employer's decision after interview n; "continue"
// refers the person to the need they fit best there, as a match whose
// origin is the event. An officer may undo an outcome on the day it was
// recorded (Bulgaria's day): a continue's referral is rejected (unless it
// has ended already), and the interview waits for an outcome again.
func (s *Service) Outcome(ctx context.Context, by auth.Principal, id string, n int, outcome string) (Interview, error) {
	e, err := s.event(id)
	if err != nil {
		return Interview{}, err
	}
	if e.Schedule == nil || n < 1 || n > len(e.Schedule.Interviews) {
		return Interview{}, failure.NotFoundf("interview")
	}
	iv := e.Schedule.Interviews[n-1]
	if by.Role != auth.RoleOfficer {
		mine, err := s.mine(ctx, by, e)
		if err != nil {
			return Interview{}, err
		}
		if !mine(iv) || by.Role != auth.RoleEmployer {
			return Interview{}, failure.NotFoundf("interview")
		}
	}
	before := iv.Outcome
	switch outcome {
	case OutcomeUndo:
		if err := s.undo(ctx, by, &iv); err != nil {
			return Interview{}, err
		}
	case OutcomeContinue, OutcomeNo:
		if iv.Outcome != "" {
			return Interview{}, failure.Conflictf("outcome_recorded", "interview %d already has an outcome", n)
		}
		if outcome == OutcomeContinue {
			if iv.MatchID, err = s.refer(ctx, by, e.ID, iv); err != nil {
				return Interview{}, err
			}
		}
		now := s.now().UTC()
		iv.Outcome, iv.OutcomeAt = outcome, &now
	default:
		return Interview{}, failure.Field("outcome", "oneof", "continue no undo")
	}
	_, err = s.change(ctx, id, func(e *Event) error {
		if e.Schedule == nil || len(e.Schedule.Interviews) < n || e.Schedule.Interviews[n-1].Outcome != before {
			return failure.Conflictf("concurrent_change", "the schedule changed meanwhile")
		}
		e.Schedule.Interviews[n-1] = iv
		return nil
	})
	return iv, err
}

// undo takes an outcome back (officers, the day it was recorded).
func (s *Service) undo(ctx context.Context, by auth.Principal, iv *Interview) error {
	switch {
	case by.Role != auth.RoleOfficer:
		return failure.Forbiddenf("only officers undo an outcome")
	case iv.Outcome == "":
		return failure.Conflictf("no_outcome", "interview %d has no outcome to undo", iv.N)
	case iv.OutcomeAt == nil || iv.OutcomeAt.In(s.zone).Format(time.DateOnly) != s.now().In(s.zone).Format(time.DateOnly):
		return failure.Conflictf("undo_too_late", "an outcome can be undone only on the day it was recorded")
	}
	if iv.MatchID != "" {
		_, err := s.referrer.Move(ctx, by, iv.MatchID, match.Step{To: match.Rejected, Reason: "other",
			Note: "The Career & Skills Day's continue was undone by the labour office.", Visibility: match.NoteInternal})
		if err != nil && !failure.Is(err, failure.NotFound) {
			return err
		}
	}
	iv.Outcome, iv.OutcomeAt, iv.MatchID = "", nil, ""
	return nil
}

func (s *Service) refer(ctx context.Context, by auth.Principal, eventID string, iv Interview) (string, error) {
	need, ok := s.index.Need(iv.NeedID)
	if !ok {
		return "", failure.Conflictf("need_gone", "need %s no longer exists", iv.NeedID)
	}
	p, ok := s.index.Profile(iv.ProfileID)
	if !ok {
		return "", failure.Conflictf("profile_gone", "the person's profile no longer exists")
	}
	m, err := s.referrer.ReferFromEvent(ctx, by, need, p, eventID)
	if err != nil {
		return "", err
	}
	return m.ID, nil
}

// InviteBest invites the n people who best fit the needs brought and are
// not invited yet (officers); it returns how many it invited.
func (s *Service) InviteBest(ctx context.Context, by auth.Principal, id string, n int) (int, error) {
	sugg, err := s.Suggested(ctx, by, id, n)
	if err != nil {
		return 0, err
	}
	var ids []string
	for _, sg := range sugg {
		if !sg.Invited {
			ids = append(ids, sg.ProfileID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	_, err = s.Invite(ctx, by, id, ids)
	return len(ids), err
}

// All lists every event, newest day first (officers).
func (s *Service) All(by auth.Principal) ([]Event, error) {
	if by.Role != auth.RoleOfficer {
		return nil, failure.Forbiddenf("only officers list every event")
	}
	out := s.events.Values()
	slices.SortFunc(out, func(a, b Event) int {
		return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(b.Starts, a.Starts), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}
