package notify

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/register"
)

// MatchChanged tells who must know of a stored change of m (from is the
// state before; "" for a new match): a round's proposal to the job-seeker;
// a referral (new or from an application) to the job-seeker and the
// employer's members; every later move to the job-seeker and, once the
// employer saw the match, to its members.
// Nobody is told of their own move, and a new application tells no one
// (it is in the office's queue).
func (s *Service) MatchChanged(ctx context.Context, from match.State, m match.Match) {
	actor := ""
	if len(m.History) > 0 {
		actor = m.History[len(m.History)-1].By
	}
	nt := Notice{Key: fmt.Sprintf("match/%s/v%d", m.ID, m.Version), MatchID: m.ID, NeedID: m.NeedID,
		EmployerID: m.EmployerID, State: string(m.State)}
	switch {
	case from == "" && m.State == match.Proposed:
		nt.Kind, nt.Recipients = RoundProposal, []string{m.ProfileID}
	case m.State == match.Referred:
		// Also a match born referred: an officer's direct referral, an
		// employer's "continue" at a Career & Skills Day.
		nt.Kind, nt.Recipients = Referral, append([]string{m.ProfileID}, s.members(ctx, m.EmployerID)...)
	case from == "":
		return
	default:
		nt.Kind, nt.Recipients = MatchMoved, []string{m.ProfileID}
		if m.WasReferred() {
			nt.Recipients = append(nt.Recipients, s.members(ctx, m.EmployerID)...)
		}
	}
	nt.Recipients = slices.DeleteFunc(nt.Recipients, func(r string) bool { return r == actor })
	s.Tell(ctx, nt)
}

// VerificationDecided tells the employer's members of the office's decision.
func (s *Service) VerificationDecided(ctx context.Context, e register.Employer) {
	kind := VerificationGranted
	if !e.Verified {
		kind = VerificationWithdrawn
	}
	s.Tell(ctx, Notice{Key: fmt.Sprintf("employer/%s/v%d", e.ID, e.Version), Kind: kind, Recipients: e.Members, EmployerID: e.ID})
}

func (s *Service) members(ctx context.Context, employerID string) []string {
	e, err := s.employers.Employer(ctx, employerID)
	if err != nil {
		s.log.ErrorContext(ctx, "employer's members unknown: not told", "err", err)
		return nil
	}
	return e.Members
}

// DueWithin is how many working days before its due date the employer is
// reminded of an outcome it owes.
const DueWithin = 2

// Outcomes tells employers of referrals whose outcome is due within
// DueWithin working days, and employers and the referring officer of
// those overdue — each once per match and due date, however often it runs
// (the background job runs it hourly over the matches in memory).
func (s *Service) Outcomes(ctx context.Context, ms []match.Match) {
	now := s.now().UTC()
	today := now.Format(time.DateOnly)
	soon := match.AddWorkingDays(now, DueWithin).Format(time.DateOnly)
	for _, m := range ms {
		if m.State != match.Referred || m.OutcomeDue == "" {
			continue
		}
		nt := Notice{MatchID: m.ID, NeedID: m.NeedID, EmployerID: m.EmployerID, State: m.OutcomeDue}
		switch {
		case m.Overdue(today):
			nt.Kind, nt.Key = OutcomeOverdue, "overdue/"+m.ID+"/"+m.OutcomeDue
			nt.Recipients = append(s.members(ctx, m.EmployerID), referrer(m))
		case m.OutcomeDue <= soon:
			nt.Kind, nt.Key = OutcomeDue, "due/"+m.ID+"/"+m.OutcomeDue
			nt.Recipients = s.members(ctx, m.EmployerID)
		default:
			continue
		}
		s.Tell(ctx, nt)
	}
}

// referrer is the officer who last referred m.
func referrer(m match.Match) string {
	for _, e := range slices.Backward(m.History) {
		if e.To == match.Referred {
			return e.By
		}
	}
	return ""
}

// eventKinds are the event domain's words for its notices.
var eventKinds = map[string]Kind{"invitation": EventInvitation, "schedule": EventSchedule, "reminder": EventReminder}

// EventNotice tells of a Career & Skills Day: invitations to the people
// invited; the schedule and the day-before reminder to everyone registered
// and to the members of every employer with a table. The title is the
// event's name in Bulgarian, the language of the place; the mail and the
// inbox link to the event's page.
func (s *Service) EventNotice(ctx context.Context, key, kind string, e event.Event, people []string) {
	k, ok := eventKinds[kind]
	if !ok {
		s.log.ErrorContext(ctx, "unknown event notice: not told", "kind", kind)
		return
	}
	recipients := slices.Clone(people)
	if k != EventInvitation {
		for _, p := range e.Employers {
			recipients = append(recipients, s.members(ctx, p.EmployerID)...)
		}
	}
	s.Tell(ctx, Notice{Key: key, Kind: k, Recipients: recipients, EventID: e.ID, Title: e.Name.BG})
}
