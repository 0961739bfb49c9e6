package match

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/follow"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Needs gives the need a match is about, as the caller may see it.
type Needs interface {
	Need(ctx context.Context, by auth.Principal, id string) (register.Need, error)
}

// Employers gives an employer with its members.
type Employers interface {
	Employer(ctx context.Context, id string) (register.Employer, error)
}

// Profiles gives a job-seeker's profile.
type Profiles interface {
	Profile(ctx context.Context, id string) (profile.Profile, error)
}

// Service runs the review workflow. It keeps every match in memory as
// well as in the store, because the office's queue filters and counts in
// ways the embedded store could only answer by scanning; the store stays
// the source of truth: Load rebuilds the memory at start-up and Poll
// follows the other replicas' writes (a follow.Set, by person).
type Service struct {
	store     Store
	needs     Needs
	employers Employers
	profiles  Profiles
	now       func() time.Time
	notifier  Notifier

	matches *follow.Set[Match] // grouped by profile id
}

// NewService wires the workflow.
func NewService(st Store, needs Needs, employers Employers, profiles Profiles, now func() time.Time) *Service {
	matches := follow.NewSet("matches", st.MatchesAfter, follow.Rules[Match]{
		ID:      func(m Match) string { return m.ID },
		Version: func(m Match) int64 { return m.Version },
		Group:   func(m Match) string { return m.ProfileID },
	})
	return &Service{store: st, needs: needs, employers: employers, profiles: profiles, now: now, matches: matches}
}

// Load reads every match into memory.
func (s *Service) Load(ctx context.Context) error { return s.matches.Load(ctx) }

// Poll reads the matches other replicas wrote since the last poll and
// keeps each one newer than the version held; it returns how many.
func (s *Service) Poll(ctx context.Context) (int, error) { return s.matches.Poll(ctx, s.now()) }

func (s *Service) remember(m Match) { s.matches.Keep(m) }

// MaxApplyNote bounds the short note a job-seeker may send with an
// application, in characters.
const MaxApplyNote = 500

// Apply records a job-seeker's application to a public need, with an
// optional short note to the office and the employer (shared, so both
// may read it once the match reaches them). Applying twice is
// failure.Conflict.
func (s *Service) Apply(ctx context.Context, by auth.Principal, needID, note string) (Match, error) {
	if by.Role != auth.RoleJobseeker {
		return Match{}, failure.Forbiddenf("only job-seekers apply")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxApplyNote {
		return Match{}, failure.Field("note", "max", strconv.Itoa(MaxApplyNote))
	}
	if strings.ContainsFunc(note, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) {
		return Match{}, failure.Field("note", "nocontrol", "")
	}
	n, err := s.needs.Need(ctx, by, needID)
	if err != nil {
		return Match{}, err
	}
	if n.Kind == register.KindForecast || n.Status != register.StatusOpen {
		return Match{}, failure.Conflictf("not_open", "need %s does not take applications", needID)
	}
	p, err := s.profiles.Profile(ctx, by.UserID)
	if failure.Is(err, failure.NotFound) {
		return Match{}, failure.Conflictf("no_profile", "create a profile before applying")
	} else if err != nil {
		return Match{}, fmt.Errorf("apply: %w", err)
	}
	m, err := s.create(ctx, n, p, "application", "", Applied, by, note, NoteShared)
	return m.ViewFor(by), err
}

// Propose creates a match in state proposed for a placement round.
func (s *Service) Propose(ctx context.Context, by auth.Principal, n register.Need, p profile.Profile, roundID string) (Match, error) {
	return s.create(ctx, n, p, "round", roundID, Proposed, by, "", "")
}

// ReferFromEvent creates a match in state referred after an employer's
// "continue" at a Career & Skills Day: the employer met the person, so no
// officer stands between them any more.
func (s *Service) ReferFromEvent(ctx context.Context, by auth.Principal, n register.Need, p profile.Profile, eventID string) (Match, error) {
	return s.create(ctx, n, p, "event", eventID, Referred, by, "", "")
}

func (s *Service) create(ctx context.Context, n register.Need, p profile.Profile, origin, originID string, state State, by auth.Principal, note, visibility string) (Match, error) {
	now := s.now().UTC()
	years, minor, err := YoungWorker(n, p, now)
	if err != nil {
		return Match{}, err
	}
	m := Match{ID: auth.NewID(), NeedID: n.ID, ProfileID: p.ID, EmployerID: n.EmployerID, Programme: n.Kind,
		Origin: origin, State: state, PermitRequired: minor,
		AgeGroup: AgeGroup(years), CreatedAt: now, UpdatedAt: now, Version: 1,
		History: []Event{{To: state, By: by.UserID, Role: by.Role, At: now}}}
	switch origin {
	case "round":
		m.RoundID = originID
	case "event":
		m.EventID = originID
	}
	if state == Referred {
		m.ReferredAt = &now
		m.OutcomeDue = AddWorkingDays(now, OutcomeDays).Format(time.DateOnly)
	}
	if note != "" {
		m.History[0].Note, m.History[0].Visibility = note, visibility
	}
	if err := s.store.InsertMatch(ctx, m); err != nil {
		if failure.Is(err, failure.Conflict) {
			return Match{}, failure.Conflictf("already_applied", "this person already has a match for need %s", n.ID)
		}
		return Match{}, fmt.Errorf("create match: %w", err)
	}
	s.remember(m)
	// An erasure may have run between the profile read and the insert,
	// and listed the person's matches before this one: look again, and
	// withdraw it if the profile is gone. (An erasure later than this look
	// lists the match, which is remembered by then, and withdraws it.)
	if _, err := s.profiles.Profile(ctx, p.ID); failure.Is(err, failure.NotFound) {
		next := m
		next.History = append(slices.Clip(m.History), Event{From: m.State, To: Withdrawn, By: by.UserID, Role: by.Role, At: now, Note: "profile erased"})
		next.State, next.Version = Withdrawn, m.Version+1
		if ok, err := s.store.UpdateMatch(ctx, next, m.Version); err != nil {
			return Match{}, fmt.Errorf("withdraw match of an erased profile: %w", err)
		} else if ok {
			s.remember(next)
		}
		return Match{}, failure.NotFoundf("profile")
	} else if err != nil {
		return Match{}, fmt.Errorf("create match: %w", err)
	}
	s.notify(ctx, "", m)
	return m, nil
}

// YoungWorker applies the rules that keep young people from work they may
// not do, whatever the path to a match (an application, a round, an
// officer): a held profile (under 14, no guardian's consent) is never
// matched, and the young-worker rules of internal/age apply to the
// person's age on the need's start date, as in matching (search/score).
// It returns that age and whether the hire needs a permit.
func YoungWorker(n register.Need, p profile.Profile, now time.Time) (years int, permit bool, err error) {
	if p.Held() {
		return 0, false, failure.Conflictf("guardian_pending", "profile %s waits for a guardian's consent", p.ID)
	}
	if !p.Birth().Known() {
		return 0, false, failure.Conflictf("age_unknown", "profile %s has no birth date", p.ID)
	}
	start, err := age.ParseDay(n.StartDate)
	if err != nil {
		start = age.DateOf(now) // needs are checked to have one; never older than today
	}
	years = p.Birth().On(start)
	bars, permit := age.Rules(years, age.Work{Light: n.LightWork, PartTime: n.Hours == "part_time",
		Night: n.NightWork, Hazardous: n.Hazardous})
	if bars != 0 {
		return 0, false, failure.Conflictf("minor_not_allowed", "the rules for young workers do not allow this work: %s", bars.Words())
	}
	return years, permit, nil
}

// Get returns a match the caller may see, as they may see it (ViewFor).
func (s *Service) Get(ctx context.Context, by auth.Principal, id string) (Match, error) {
	m, err := s.get(ctx, by, id)
	return m.ViewFor(by), err
}

// get returns a match the caller may see, whole.
func (s *Service) get(ctx context.Context, by auth.Principal, id string) (Match, error) {
	m, ok := s.matches.Get(id)
	if !ok {
		return Match{}, failure.NotFoundf("match")
	}
	visible, err := s.visible(ctx, by, m)
	if err != nil {
		return Match{}, err
	}
	if !visible {
		return Match{}, failure.NotFoundf("match")
	}
	return m, nil
}

func (s *Service) visible(ctx context.Context, by auth.Principal, m Match) (bool, error) {
	switch by.Role {
	case auth.RoleOfficer:
		return true, nil
	case auth.RoleJobseeker:
		return m.ProfileID == by.UserID, nil
	case auth.RoleEmployer:
		if !m.WasReferred() {
			return false, nil
		}
		return s.isMember(ctx, by.UserID, m.EmployerID)
	}
	return false, nil
}

func (s *Service) isMember(ctx context.Context, userID, employerID string) (bool, error) {
	e, err := s.employers.Employer(ctx, employerID)
	if failure.Is(err, failure.NotFound) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("employer %s: %w", employerID, err)
	}
	return e.IsMember(userID), nil
}

// Transition moves a match, as the table allows. A move the caller's role
// may not make is failure.Forbidden; one the table lacks from the current
// state, or that another request made first, is failure.Conflict.
func (s *Service) Transition(ctx context.Context, by auth.Principal, id string, to State, note, reason string) (Match, error) {
	return s.Move(ctx, by, id, Step{To: to, Note: note, Reason: reason})
}

// Step is a requested move with its note.
type Step struct {
	To         State
	Note       string
	Visibility string // of the note: NoteInternal (the default) or NoteShared
	Reason     string // for rejections
}

// Move is Transition with the note's visibility. It returns the match as
// the caller may see it.
func (s *Service) Move(ctx context.Context, by auth.Principal, id string, st Step) (Match, error) {
	to, note, reason := st.To, st.Note, st.Reason
	if !ValidVisibility(st.Visibility) {
		return Match{}, failure.Field("visibility", "oneof", NoteInternal+", "+NoteShared)
	}
	visibility := st.Visibility
	if note == "" {
		visibility = ""
	} else if visibility == "" {
		visibility = NoteInternal
	}
	m, err := s.get(ctx, by, id)
	if err != nil {
		return Match{}, err
	}
	switch Decide(m.State, to, by.Role) {
	case WrongRole:
		return Match{}, failure.Forbiddenf("role %s may not move a match from %s to %s", by.Role, m.State, to)
	case NotFromHere:
		return Match{}, failure.Conflictf("forbidden_move", "no move from %s to %s", m.State, to)
	}
	if to == Rejected && !ValidReason(reason) {
		return Match{}, failure.Field("reason", "oneof", strings.Join(RejectionReasons, ", "))
	}
	if to != Rejected {
		reason = "" // a reason belongs to rejections only
	}
	now := s.now().UTC()
	next := m
	next.History = append(slices.Clip(m.History), Event{From: m.State, To: to, By: by.UserID, Role: by.Role, At: now, Note: note, Visibility: visibility, Reason: reason})
	next.State, next.UpdatedAt, next.Version = to, now, m.Version+1
	if to == Rejected {
		next.Reason = reason
	}
	if to == Referred {
		next.ReferredAt = &now
		next.OutcomeDue = AddWorkingDays(now, OutcomeDays).Format(time.DateOnly)
	}
	ok, err := s.store.UpdateMatch(ctx, next, m.Version)
	if err != nil {
		return Match{}, fmt.Errorf("move match %s: %w", id, err)
	}
	if !ok {
		return Match{}, failure.Conflictf("concurrent_move", "the match was moved by another request")
	}
	s.remember(next)
	s.notify(ctx, m.State, next)
	return next.ViewFor(by), nil
}

// Filter selects matches for a list.
type Filter struct {
	State, NeedID, ProfileID, EmployerID, Programme, AgeGroup string
	Overdue                                                   bool
}

// List returns the matches the caller may see that pass the filter,
// newest first: officers see all, employers those referred to their
// organisations, job-seekers their own.
func (s *Service) List(ctx context.Context, by auth.Principal, f Filter) ([]Match, error) {
	today := s.now().UTC().Format(time.DateOnly)
	keep := func(m Match) bool { return f.matches(m, today) }
	var all []Match
	if f.ProfileID != "" { // a person's matches are a group: no walk of every match
		all = slices.DeleteFunc(s.matches.InGroup(f.ProfileID), func(m Match) bool { return !keep(m) })
	} else {
		all = s.matches.Filter(keep)
	}
	out := all[:0]
	members := map[string]bool{}
	for _, m := range all {
		ok, err := s.visibleCached(ctx, by, m, members)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m.ViewFor(by))
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (s *Service) visibleCached(ctx context.Context, by auth.Principal, m Match, members map[string]bool) (bool, error) {
	if by.Role != auth.RoleEmployer || !m.WasReferred() {
		return s.visible(ctx, by, m)
	}
	if ok, seen := members[m.EmployerID]; seen {
		return ok, nil
	}
	ok, err := s.isMember(ctx, by.UserID, m.EmployerID)
	members[m.EmployerID] = ok
	return ok, err
}

// Problems lists what is wrong with the filter as field errors, in the
// order of the query: a state that is not one, an age group that is not
// one of AgeGroups.
func (f Filter) Problems() []failure.FieldError {
	var fields []failure.FieldError
	if f.State != "" && !State(f.State).Valid() {
		fields = append(fields, failure.FieldError{Field: "state", Code: "oneof", Param: "applied, proposed, referred, interview, offered, placed, rejected, withdrawn"})
	}
	if f.AgeGroup != "" && !slices.Contains(AgeGroups, f.AgeGroup) {
		fields = append(fields, failure.FieldError{Field: "ageGroup", Code: "oneof", Param: strings.Join(AgeGroups, ", ")})
	}
	return fields
}

// Page is one page of a list of matches.
type Page struct {
	Items []Match
	Total int // matches on every page
}

// ListPage is the one use case behind a paged list of matches: List's
// matches (the filter checked: failure.Fields), newest first, the page-th
// (from 1) page of size. A page past the end is empty.
func (s *Service) ListPage(ctx context.Context, by auth.Principal, f Filter, page, size int) (Page, error) {
	if fields := f.Problems(); len(fields) > 0 {
		return Page{}, failure.Fields(fields...)
	}
	if page < 1 || size < 1 {
		return Page{}, failure.Fields(failure.FieldError{Field: "page", Code: "range", Param: "1.."})
	}
	all, err := s.List(ctx, by, f)
	if err != nil {
		return Page{}, err
	}
	return Page{Items: all[min((page-1)*size, len(all)):min(page*size, len(all))], Total: len(all)}, nil
}

// Today is the day (UTC, YYYY-MM-DD) on the service's clock, against
// which an outcome is overdue (Match.Overdue).
func (s *Service) Today() string { return s.now().UTC().Format(time.DateOnly) }

func (f Filter) matches(m Match, today string) bool {
	return (f.State == "" || string(m.State) == f.State) && (f.NeedID == "" || m.NeedID == f.NeedID) &&
		(f.ProfileID == "" || m.ProfileID == f.ProfileID) && (f.EmployerID == "" || m.EmployerID == f.EmployerID) &&
		(f.Programme == "" || m.Programme == f.Programme) && (f.AgeGroup == "" || m.AgeGroup == f.AgeGroup) &&
		(!f.Overdue || m.Overdue(today))
}

// EmployerAccess says whether an employer user may read a person's full
// profile (name and contact) now, and through which of its organisations,
// for the audit log: a match of the person with that organisation must be
// in its access period (Match.Access: from the referral to a withdrawal or
// rejection, or AccessAfterPlacement after a placement), and the
// organisation must still be verified (an employer whose verification the
// office withdrew loses the access with it).
func (s *Service) EmployerAccess(ctx context.Context, by auth.Principal, profileID string) (register.Employer, bool, error) {
	if by.Role != auth.RoleEmployer {
		return register.Employer{}, false, nil
	}
	now := s.now().UTC()
	var ids []string
	for _, m := range s.Of(profileID) {
		if m.EmployerMayRead(now) && !slices.Contains(ids, m.EmployerID) {
			ids = append(ids, m.EmployerID)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		e, err := s.employers.Employer(ctx, id)
		if failure.Is(err, failure.NotFound) {
			continue
		} else if err != nil {
			return register.Employer{}, false, fmt.Errorf("employer %s: %w", id, err)
		}
		if e.Verified && e.IsMember(by.UserID) {
			return e, true, nil
		}
	}
	return register.Employer{}, false, nil
}

// ForPerson returns the caller's own matches as they may see them, with
// each match's Access period, for their export.
func (s *Service) ForPerson(by auth.Principal) []Match {
	ms := s.Of(by.UserID)
	for i, m := range ms {
		ms[i] = m.ViewFor(by)
	}
	return ms
}

// Of returns every match of a person, for their export.
func (s *Service) Of(profileID string) []Match {
	out := s.matches.InGroup(profileID)
	slices.SortFunc(out, func(a, b Match) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

// All returns every match, for the office's insights and exports.
func (s *Service) All() []Match { return s.matches.Values() }

// WithdrawAll withdraws every open match of the person, as their erasure
// requires: employers and the office stop acting on them at once. The
// records stay, naming the person only by the opaque id, so that figures
// still add up. A match that another request moves meanwhile is read
// again and withdrawn from its new state, unless that state is final. It
// is idempotent: called again it withdraws what is still open.
func (s *Service) WithdrawAll(ctx context.Context, by auth.Principal) error {
	for _, m := range s.Of(by.UserID) {
		if err := s.withdraw(ctx, by, m.ID); err != nil {
			return fmt.Errorf("withdraw match %s: %w", m.ID, err)
		}
	}
	return nil
}

func (s *Service) withdraw(ctx context.Context, by auth.Principal, id string) error {
	for range failure.EditAttempts {
		m, err := s.Get(ctx, by, id)
		if err != nil {
			return err
		}
		if m.State.Final() {
			return nil
		}
		_, err = s.Transition(ctx, by, id, Withdrawn, "profile erased", "")
		if fe, ok := failure.As(err); ok && fe.Code == "concurrent_move" {
			continue
		}
		return err
	}
	return failure.EditConflict("the match")
}
