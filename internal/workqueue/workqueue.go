// Package workqueue is the labour office's daily work: the queues of
// things that wait for a person (the "Today" dashboard) and the list of
// employers the office verifies. Everything is gathered from memory (the
// search index's employers and needs, the match and pathway services'
// in-memory sets), never by scanning the store.
package workqueue

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/register"
)

// What the queues are gathered from: memory only.
type (
	// Employers gives every employer (mirror.Register.Employers).
	Employers interface {
		Employers() []register.Employer
	}
	// Needs gives a need by id from memory (mirror.Register.Need).
	Needs interface {
		Need(id string) (register.Need, bool)
	}
	// Matches gives every match (match.Service.All).
	Matches interface {
		All() []match.Match
	}
	// Pathways gives the pathways and their cohorts (pathway.Service).
	Pathways interface {
		List(ctx context.Context) ([]pathway.Pathway, error)
		Cohort(ctx context.Context, by auth.Principal, pathwayID string) ([]pathway.Participant, error)
	}
	// ReferralRequests counts employers' requests that an officer refer a
	// candidate, still waiting for an answer.
	ReferralRequests interface {
		PendingReferralRequests(ctx context.Context, by auth.Principal) (int, error)
	}
)

// Queue kinds, in the order the dashboard shows them.
const (
	QueueVerification    = "verification"      // organisations waiting for verification
	QueueReferralRequest = "referral_requests" // employers ask the office to refer a candidate
	QueueApplications    = "applications"      // new applications (matches in applied)
	QueueOverdue         = "overdue"           // outcomes overdue (match.Match.Overdue)
	QueuePathway         = "pathway"           // participants waiting for acceptance
	QueuePermits         = "permits"           // minors whose placement needs a Labour Inspectorate permit
)

// FirstItems is how many items of each queue the dashboard shows.
const FirstItems = 5

// Item is one thing waiting, as the dashboard lists it: no personal data,
// so that the dashboard is no read of anyone's identity.
type Item struct {
	ID       string    // the employer's, the match's, or the pathway participant's profile id
	Title    string    // the employer's name, the need's title, or the pathway's name (by language)
	Employer string    // the employer's name, for matches
	Since    time.Time // how long it has waited
	Due      string    // YYYY-MM-DD, for overdue outcomes
	Pathway  string    // the pathway's id, for participants
	NeedID   string    // the need's id, for matches
}

// Queue is one queue: how many wait and the oldest few.
type Queue struct {
	Kind  string
	Count int
	Items []Item
}

// Today is the dashboard: the queues that need a person.
type Today struct {
	Queues []Queue
	Date   string // YYYY-MM-DD
}

// Service gathers the office's queues and lists.
type Service struct {
	employers Employers
	needs     Needs
	matches   Matches
	pathways  Pathways
	requests  ReferralRequests
	now       func() time.Time
}

// NewService wires the office's work to the in-memory sets. requests may
// be nil: the dashboard then has no referral-request queue.
func NewService(e Employers, n Needs, m Matches, p Pathways, requests ReferralRequests, now func() time.Time) *Service {
	return &Service{employers: e, needs: n, matches: m, pathways: p, requests: requests, now: now}
}

// Today is the one use case behind the office's dashboard (officers only).
func (s *Service) Today(ctx context.Context, by auth.Principal, lang string) (Today, error) {
	if by.Role != auth.RoleOfficer {
		return Today{}, failure.Forbiddenf("only officers see the office's queues")
	}
	today := s.now().UTC().Format(time.DateOnly)
	employers := s.employers.Employers()
	out := Today{Date: today, Queues: []Queue{verificationQueue(employers)}}
	if s.requests != nil {
		n, err := s.requests.PendingReferralRequests(ctx, by)
		if err != nil {
			return Today{}, fmt.Errorf("today: referral requests: %w", err)
		}
		out.Queues = append(out.Queues, Queue{Kind: QueueReferralRequest, Count: n})
	}
	out.Queues = append(out.Queues, s.matchQueues(today, employers)...)
	pq, err := s.pathwayQueue(ctx, by, lang)
	if err != nil {
		return Today{}, err
	}
	out.Queues = append(out.Queues, pq)
	return out, nil
}

// verificationQueue lists the organisations never decided on, oldest
// first. One whose verification an officer withdrew is not waiting: the
// office has decided.
func verificationQueue(employers []register.Employer) Queue {
	q := Queue{Kind: QueueVerification}
	for _, e := range employers {
		if !e.Verified && e.Verification == nil {
			q.Items = append(q.Items, Item{ID: e.ID, Title: e.Name, Since: e.CreatedAt})
		}
	}
	return first(q)
}

// matchQueues are the queues of matches: new applications, overdue
// outcomes and placements that need a permit.
func (s *Service) matchQueues(today string, employers []register.Employer) []Queue {
	apps, overdue, permits := Queue{Kind: QueueApplications}, Queue{Kind: QueueOverdue}, Queue{Kind: QueuePermits}
	names := make(map[string]string, len(employers))
	for _, e := range employers {
		names[e.ID] = e.Name
	}
	for _, m := range s.matches.All() {
		it := Item{ID: m.ID, NeedID: m.NeedID, Employer: names[m.EmployerID], Since: m.UpdatedAt, Due: m.OutcomeDue}
		switch {
		case m.State == match.Applied:
			it.Since = m.CreatedAt
			apps.Items = append(apps.Items, it)
		case m.Overdue(today):
			overdue.Items = append(overdue.Items, it)
		case NeedsPermit(m):
			permits.Items = append(permits.Items, it)
		}
	}
	qs := []Queue{first(apps), first(overdue), first(permits)}
	for _, q := range qs {
		for i, it := range q.Items {
			if n, ok := s.needs.Need(it.NeedID); ok {
				q.Items[i].Title = n.Title
			}
		}
	}
	return qs
}

// NeedsPermit reports whether a match waits on a Labour Inspectorate
// permit: the person may be under 18 on the need's start date (the
// internal/age rules, applied when the match was made) and has been
// offered the place or taken it.
func NeedsPermit(m match.Match) bool {
	return m.PermitRequired && (m.State == match.Offered || m.State == match.Placed)
}

// pathwayQueue lists the participants waiting for an officer to accept
// them, oldest first.
func (s *Service) pathwayQueue(ctx context.Context, by auth.Principal, lang string) (Queue, error) {
	q := Queue{Kind: QueuePathway}
	pws, err := s.pathways.List(ctx)
	if err != nil {
		return Queue{}, fmt.Errorf("today: pathways: %w", err)
	}
	for _, pw := range pws {
		cohort, err := s.pathways.Cohort(ctx, by, pw.ID)
		if err != nil {
			return Queue{}, fmt.Errorf("today: cohort of %s: %w", pw.ID, err)
		}
		for _, p := range cohort {
			if p.Status == pathway.StatusPending {
				q.Items = append(q.Items, Item{ID: p.ProfileID, Pathway: pw.ID, Title: cmp.Or(pw.Name[lang], pw.Name["en"]), Since: p.EnrolledAt})
			}
		}
	}
	return first(q), nil
}

// first counts the queue and keeps its oldest few items.
func first(q Queue) Queue {
	q.Count = len(q.Items)
	slices.SortFunc(q.Items, func(a, b Item) int {
		return cmp.Or(a.Since.Compare(b.Since), strings.Compare(a.ID, b.ID))
	})
	q.Items = slices.Clip(q.Items[:min(len(q.Items), FirstItems)])
	return q
}
