package candidate

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Limits bound an employer's card reads per UTC day. A read is one
// request, whatever its page size (at most 100 cards).
type Limits struct {
	PerNeed     int64 // reads of one need's candidates
	PerEmployer int64 // reads of all the employer's needs together
}

// DefaultLimits are generous for a person at work (a need read fifty times
// a day is someone refining it all day) and far below what walking the
// pool takes: 200 reads of 100 cards show at most 20,000 cards a day,
// mostly the same people, and each read is in the audit log.
var DefaultLimits = Limits{PerNeed: 50, PerEmployer: 200}

// Outcomes of a request for cards, as counted in Stats.
const (
	OutcomeServed  = "served"  // cards shown
	OutcomeRefused = "refused" // not verified, not open or expired: 403
	OutcomeLimited = "limited" // over the day's bound: 429
)

// Roles that read cards, as counted in Stats.
var statRoles = []auth.Role{auth.RoleEmployer, auth.RoleOfficer}

var statOutcomes = []string{OutcomeServed, OutcomeRefused, OutcomeLimited}

// Stat is one counter of Stats.
type Stat struct {
	Role    auth.Role
	Outcome string
	Reads   int64 // requests
	Cards   int64 // cards shown (served requests only)
}

// Service is the candidates use case.
type Service struct {
	needs     Needs
	employers Employers
	ranker    Ranker
	labels    Labels
	counters  Counters
	audit     Audit
	key       []byte
	limits    Limits
	now       func() time.Time

	reads [2][3]atomic.Int64 // role × outcome, for /metrics
	cards [2]atomic.Int64

	labelCache sync.Map // labelKey → the skill's label (label)
}

// NewService wires the use case; key keys the pseudonyms.
func NewService(needs Needs, employers Employers, ranker Ranker, labels Labels, counters Counters, audit Audit,
	key []byte, limits Limits, now func() time.Time) *Service {
	return &Service{needs: needs, employers: employers, ranker: ranker, labels: labels, counters: counters,
		audit: audit, key: key, limits: limits, now: now}
}

// Query is what a caller asks of Cards.
type Query struct {
	Limit     int    // cards on the page
	Lang      string // of the skills' labels
	RequestID string // for the audit log
}

// Cards returns the ranked candidate cards for a need, if the caller may
// see them (see the package comment): the check, the day's bound, the
// ranking, the cards and the audit entry, in that order. Nothing is shown
// if the audit entry cannot be written.
func (s *Service) Cards(ctx context.Context, by auth.Principal, needID string, q Query) ([]Match, error) {
	n, err := s.needs.ManagedNeed(ctx, by, needID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if by.Role != auth.RoleOfficer {
		e, err := s.employers.Employer(ctx, n.EmployerID)
		if err != nil {
			return nil, fmt.Errorf("employer of need %s: %w", n.ID, err)
		}
		if err := MayShow(n, e.Verified, now); err != nil {
			s.count(by.Role, OutcomeRefused, 0)
			return nil, err
		}
		if err := s.bound(ctx, n, now); err != nil {
			if failure.Is(err, failure.TooMany) {
				s.count(by.Role, OutcomeLimited, 0)
			}
			return nil, err
		}
	}
	ranked, err := s.ranker.RankCandidates(ctx, n, q.Limit, q.Lang)
	if err != nil {
		return nil, fmt.Errorf("rank candidates of need %s: %w", n.ID, err)
	}
	out := make([]Match, 0, len(ranked))
	read := Read{EmployerID: n.EmployerID, ActorID: by.UserID, ActorRole: by.Role, NeedID: n.ID, At: now,
		RequestID: q.RequestID, ProfileIDs: make([]string, 0, len(ranked))}
	for _, r := range ranked {
		card := s.card(r.Profile, n.EmployerID, q.Lang)
		if by.Role == auth.RoleOfficer {
			card.ProfileID = r.Profile.ID
		}
		out = append(out, Match{Card: card, Score: r.Score, Explanation: r.Explanation, PermitRequired: r.PermitRequired})
		read.ProfileIDs = append(read.ProfileIDs, r.Profile.ID)
	}
	if err := s.audit.AppendRead(ctx, read); err != nil {
		// %v, not %w: a failed audit is our fault (a 500), whatever the store said.
		return nil, fmt.Errorf("audit card read of need %s: %v", n.ID, err)
	}
	s.count(by.Role, OutcomeServed, int64(len(out)))
	return out, nil
}

// MayShow is the rule of who sees candidates, for employers: the need must
// be open, of a verified employer, and not past its apply-by date (Bulgarian
// and English texts of the three answers are the API's). It is
// register.Need.Public, with the reason when it fails.
func MayShow(n register.Need, employerVerified bool, now time.Time) error {
	today := now.UTC().Format(time.DateOnly)
	switch {
	case !employerVerified:
		return failure.New(failure.Forbidden, "employer_not_verified",
			"employer %s is not verified by the labour office: its needs show no candidates until it is", n.EmployerID)
	case n.Status != register.StatusOpen:
		return failure.New(failure.Forbidden, "need_not_open", "need %s is %s: only open needs show candidates", n.ID, n.Status)
	case n.ApplyBy != "" && n.ApplyBy < today:
		return failure.New(failure.Forbidden, "need_expired", "need %s took applications until %s", n.ID, n.ApplyBy)
	}
	if !n.Public(employerVerified, today) {
		// The cases above are Public's; this keeps the two from drifting apart.
		return failure.New(failure.Forbidden, "need_not_open", "need %s is not public", n.ID)
	}
	return nil
}

// bound counts the read against the need's and the employer's day and
// refuses it over either limit, until the next UTC day. Refused reads
// count too: a client that keeps asking stays refused.
func (s *Service) bound(ctx context.Context, n register.Need, now time.Time) error {
	day := now.Format(time.DateOnly)
	needReads, employerReads, err := s.counters.CountRead(ctx, day, n.EmployerID, n.ID)
	if err != nil {
		return fmt.Errorf("count card reads: %w", err)
	}
	if needReads <= s.limits.PerNeed && employerReads <= s.limits.PerEmployer {
		return nil
	}
	e := failure.New(failure.TooMany, "card_reads_exceeded",
		"the day's candidate reads are used up (%d per need, %d per employer); more tomorrow (UTC)", s.limits.PerNeed, s.limits.PerEmployer)
	next := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	e.RetryAfter = max(1, int(next.Sub(now).Seconds()+0.999))
	return e
}

func (s *Service) card(p profile.Profile, employerID, lang string) Card {
	c := Card{ID: profile.Pseudonym(s.key, employerID, p.ID), Skills: make([]Skill, 0, len(p.Skills)),
		Languages: make([]profile.Language, 0, len(p.Languages)), EducationLevel: p.EducationLevel,
		Municipality: p.Municipality, AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo, Hours: p.Hours}
	for _, sk := range p.Skills {
		c.Skills = append(c.Skills, Skill{ID: sk.ID, Label: s.label(sk.ID, lang), Level: sk.Level, Evidence: sk.Evidence})
	}
	c.Languages = append(c.Languages, p.Languages...)
	return c
}

// label names a skill on a card. A page of 20 cards names a few hundred
// skills, and the taxonomy's two map lookups for each were a tenth of the
// page's time; the labels are fixed while the server runs (imported ones
// are applied at start), so they are kept here once asked, for the
// product's two languages and the taxonomy's skills only: at most twice
// its size.
func (s *Service) label(id, lang string) string {
	k := labelKey{id, lang}
	if l, ok := s.labelCache.Load(k); ok {
		return l.(string)
	}
	l := s.labels.Label(id, lang)
	if l != "" && (lang == "bg" || lang == "en") {
		s.labelCache.Store(k, l)
	}
	return l
}

type labelKey struct{ id, lang string }

func (s *Service) count(role auth.Role, outcome string, cards int64) {
	r, o := roleIndex(role), outcomeIndex(outcome)
	if r < 0 || o < 0 {
		return
	}
	s.reads[r][o].Add(1)
	s.cards[r].Add(cards)
}

// Stats returns the counts since start, for /metrics: requests per role
// and outcome, and cards shown per role (on the served rows).
func (s *Service) Stats() []Stat {
	var out []Stat
	for r, role := range statRoles {
		for o, outcome := range statOutcomes {
			st := Stat{Role: role, Outcome: outcome, Reads: s.reads[r][o].Load()}
			if outcome == OutcomeServed {
				st.Cards = s.cards[r].Load()
			}
			out = append(out, st)
		}
	}
	return out
}

// Reads returns the audit entries of an employer's card reads (officers).
func (s *Service) Reads(ctx context.Context, by auth.Principal, employerID string) ([]Read, error) {
	if by.Role != auth.RoleOfficer {
		return nil, failure.Forbiddenf("only officers read the audit log")
	}
	return s.audit.Reads(ctx, employerID)
}

func roleIndex(r auth.Role) int {
	for i, x := range statRoles {
		if x == r {
			return i
		}
	}
	return -1
}

func outcomeIndex(o string) int {
	for i, x := range statOutcomes {
		if x == o {
			return i
		}
	}
	return -1
}
