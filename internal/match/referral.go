package match

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/follow"
	"github.com/careget/skillsmatch/internal/register"
)

// A referral request is an employer's "ask the labour office to refer
// this candidate", made from a pseudonymous card: the officer accepts it
// (a direct referral, Service.Refer) or declines it with a reason the
// employer reads. The employer never learns who the candidate is until an
// officer refers them, so a request carries the card's pseudonym for the
// employer and the profile id for the office only (Request.ViewFor).

// RequestState is where a referral request stands.
type RequestState string

// The request states.
const (
	RequestPending  RequestState = "pending"
	RequestAccepted RequestState = "accepted"
	RequestDeclined RequestState = "declined"
)

// RequestStates are the states, in the order of the office's queue tabs.
var RequestStates = []RequestState{RequestPending, RequestAccepted, RequestDeclined}

// MaxNote bounds an officer's note and a decline reason, in characters.
const MaxNote = 2000

// Request is one referral request.
type Request struct {
	ID          string // RequestID(need, profile): one request per need and person
	NeedID      string
	EmployerID  string
	ProfileID   string // the office only
	CandidateID string // the card's pseudonym the employer asked with
	RequestedBy string // the employer's member
	State       RequestState
	Reason      string // why the office declined; the employer reads it
	MatchID     string // the match an acceptance referred
	DecidedBy   string // the office only
	DecidedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64
}

// RequestID is the id of the request of a need for a person. It is derived,
// so that a second request for the same pair is the same document (the
// store's _id decides, not a check first), and hashed, so that an employer
// holding it cannot read the person's profile id from it.
func RequestID(needID, profileID string) string {
	h := sha256.Sum256([]byte(needID + "\x00" + profileID))
	return hex.EncodeToString(h[:16])
}

// ViewFor returns the request as by may see it: the office sees all; an
// employer neither the profile id nor which officer decided.
func (r Request) ViewFor(by auth.Principal) Request {
	if by.Role == auth.RoleOfficer {
		return r
	}
	r.ProfileID, r.DecidedBy = "", ""
	return r
}

// RequestStore keeps referral requests.
type RequestStore interface {
	// InsertRequest adds r; one with the same id is failure.Conflict.
	InsertRequest(ctx context.Context, r Request) error
	// UpdateRequest stores r if the stored version is still version.
	UpdateRequest(ctx context.Context, r Request, version int64) (bool, error)
	// RequestsAfter calls fn for every request written after sequence seq
	// (-1: every one) with the sequence of its last write: the start-up
	// read and the poll for other replicas' writes (internal/follow).
	RequestsAfter(ctx context.Context, seq int64, fn func(r Request, seq int64) error) error
}

// Resolver finds the person behind a candidate card's pseudonym for one of
// the caller's needs, under the rule of who may see cards (internal/candidate):
// a pseudonym not among the need's candidates is a field error.
type Resolver interface {
	Resolve(ctx context.Context, by auth.Principal, needID, candidateID string) (register.Need, string, error)
}

// ManagedNeeds gives a need the caller manages (its employer's members and
// officers); see register.Service.ManagedNeed.
type ManagedNeeds interface {
	ManagedNeed(ctx context.Context, by auth.Principal, id string) (register.Need, error)
}

// Referrals is the referral requests' use cases. Like Service it keeps
// every request in memory as well as in the store, so that the office's
// queue and counts need no store scan; Load fills it at start-up.
type Referrals struct {
	store    RequestStore
	matches  *Service
	needs    ManagedNeeds
	resolver Resolver
	now      func() time.Time

	requests *follow.Set[Request]
}

// NewReferrals wires the use cases. The resolver comes later
// (ResolveWith): the candidate cards are built where the pseudonym key is.
func NewReferrals(st RequestStore, matches *Service, needs ManagedNeeds, now func() time.Time) *Referrals {
	requests := follow.NewSet("referral requests", st.RequestsAfter, follow.Rules[Request]{
		ID:      func(r Request) string { return r.ID },
		Version: func(r Request) int64 { return r.Version },
	})
	return &Referrals{store: st, matches: matches, needs: needs, now: now, requests: requests}
}

// ResolveWith sets how pseudonyms are resolved.
func (s *Referrals) ResolveWith(r Resolver) { s.resolver = r }

// Load reads every request into memory.
func (s *Referrals) Load(ctx context.Context) error { return s.requests.Load(ctx) }

// Poll reads the requests other replicas wrote since the last poll and
// keeps each one newer than the version held; it returns how many.
func (s *Referrals) Poll(ctx context.Context) (int, error) { return s.requests.Poll(ctx, s.now()) }

func (s *Referrals) remember(r Request) { s.requests.Keep(r) }

func (s *Referrals) lookup(id string) (Request, bool) { return s.requests.Get(id) }

// Ask records an employer's request that the office refer the candidate
// of a card (by its pseudonym) to one of its needs. The cards' rule holds:
// the caller is a member of the need's employer, the employer is verified,
// the need open and not expired, and the candidate among its candidates.
// A second request for the same need and person answers the pending one
// (created false); one already decided, or a person already referred, is
// failure.Conflict.
func (s *Referrals) Ask(ctx context.Context, by auth.Principal, needID, candidateID string) (Request, bool, error) {
	if by.Role != auth.RoleEmployer {
		return Request{}, false, failure.Forbiddenf("only employers ask for referrals")
	}
	if s.resolver == nil {
		return Request{}, false, fmt.Errorf("referral requests: no resolver wired")
	}
	n, profileID, err := s.resolver.Resolve(ctx, by, needID, candidateID)
	if err != nil {
		return Request{}, false, err
	}
	id := RequestID(n.ID, profileID)
	if r, ok := s.lookup(id); ok {
		return s.again(by, r)
	}
	if m, ok := s.matches.find(n.ID, profileID); ok && m.WasReferred() {
		return Request{}, false, failure.Conflictf("already_referred", "this candidate is already referred to need %s", n.ID)
	}
	now := s.now().UTC()
	r := Request{ID: id, NeedID: n.ID, EmployerID: n.EmployerID, ProfileID: profileID, CandidateID: candidateID,
		RequestedBy: by.UserID, State: RequestPending, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := s.store.InsertRequest(ctx, r); failure.Is(err, failure.Conflict) {
		// Another request for the pair won the insert: answer as a second one.
		if prior, ok := s.lookup(id); ok {
			return s.again(by, prior)
		}
		return Request{}, false, failure.Conflictf("request_exists", "a referral request for this candidate exists")
	} else if err != nil {
		return Request{}, false, fmt.Errorf("ask referral: %w", err)
	}
	s.remember(r)
	return r.ViewFor(by), true, nil
}

// again answers a second request for a pair: the pending one, or a
// conflict naming how it was decided.
func (s *Referrals) again(by auth.Principal, r Request) (Request, bool, error) {
	switch r.State {
	case RequestPending:
		return r.ViewFor(by), false, nil
	case RequestAccepted:
		return Request{}, false, failure.Conflictf("already_referred", "the office already referred this candidate")
	}
	return Request{}, false, failure.Conflictf("request_declined", "the office declined this request: %s", r.Reason)
}

// List is the office's queue of requests in a state (pending when
// empty), oldest first: the first asked is the first answered.
func (s *Referrals) List(ctx context.Context, by auth.Principal, state string) ([]Request, error) {
	if by.Role != auth.RoleOfficer {
		return nil, failure.Forbiddenf("only officers read the referral requests")
	}
	st := RequestState(state)
	if st == "" {
		st = RequestPending
	}
	if !slices.Contains(RequestStates, st) {
		return nil, failure.Field("state", "oneof", "pending, accepted, declined")
	}
	return s.collect(by, func(r Request) bool { return r.State == st }), nil
}

// ForNeed returns the requests of one need the caller manages, oldest
// first, as the caller may see them.
func (s *Referrals) ForNeed(ctx context.Context, by auth.Principal, needID string) ([]Request, error) {
	n, err := s.needs.ManagedNeed(ctx, by, needID)
	if err != nil {
		return nil, err
	}
	return s.collect(by, func(r Request) bool { return r.NeedID == n.ID }), nil
}

func (s *Referrals) collect(by auth.Principal, keep func(Request) bool) []Request {
	out := []Request{}
	for _, r := range s.requests.Filter(keep) {
		out = append(out, r.ViewFor(by))
	}
	slices.SortFunc(out, func(a, b Request) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Get returns one request (officers).
func (s *Referrals) Get(ctx context.Context, by auth.Principal, id string) (Request, error) {
	if by.Role != auth.RoleOfficer {
		return Request{}, failure.NotFoundf("referral request")
	}
	r, ok := s.lookup(id)
	if !ok {
		return Request{}, failure.NotFoundf("referral request")
	}
	return r, nil
}

// PendingReferralRequests counts the requests waiting for an officer, for
// the office's dashboard.
func (s *Referrals) PendingReferralRequests(ctx context.Context, by auth.Principal) (int, error) {
	if by.Role != auth.RoleOfficer {
		return 0, failure.Forbiddenf("only officers read the referral requests")
	}
	return s.requests.Count(func(r Request) bool { return r.State == RequestPending }), nil
}

// Accept is an officer's direct referral (Service.Refer) of the requested
// candidate, with the officer's note, that also marks the request
// accepted. A candidate referred meanwhile (by another route) is linked,
// not referred twice.
func (s *Referrals) Accept(ctx context.Context, by auth.Principal, id string, note Note) (Request, Match, error) {
	r, err := s.pending(by, id)
	if err != nil {
		return Request{}, Match{}, err
	}
	m, err := s.matches.Refer(ctx, by, Referral{NeedID: r.NeedID, ProfileID: r.ProfileID, Note: note})
	if fe, ok := failure.As(err); ok && fe.Code == "already_referred" && m.ID != "" {
		err = nil
	}
	if err != nil {
		return Request{}, Match{}, err
	}
	next, err := s.decide(ctx, by, r, func(n *Request) { n.State, n.MatchID = RequestAccepted, m.ID })
	return next, m, err
}

// Decline turns a request down with a reason the employer reads.
func (s *Referrals) Decline(ctx context.Context, by auth.Principal, id, reason string) (Request, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Request{}, failure.Field("reason", "required", "")
	}
	if err := checkText("reason", reason); err != nil {
		return Request{}, err
	}
	r, err := s.pending(by, id)
	if err != nil {
		return Request{}, err
	}
	return s.decide(ctx, by, r, func(n *Request) { n.State, n.Reason = RequestDeclined, reason })
}

func (s *Referrals) pending(by auth.Principal, id string) (Request, error) {
	if by.Role != auth.RoleOfficer {
		return Request{}, failure.Forbiddenf("only officers decide referral requests")
	}
	r, ok := s.lookup(id)
	if !ok {
		return Request{}, failure.NotFoundf("referral request")
	}
	if r.State != RequestPending {
		return Request{}, failure.Conflictf("request_decided", "the request is %s already", r.State)
	}
	return r, nil
}

// decide stores the officer's decision, compare-and-set on the version
// read: a request decided meanwhile by another officer answers 409.
func (s *Referrals) decide(ctx context.Context, by auth.Principal, r Request, change func(*Request)) (Request, error) {
	now := s.now().UTC()
	next := r
	change(&next)
	next.DecidedBy, next.DecidedAt, next.UpdatedAt, next.Version = by.UserID, &now, now, r.Version+1
	ok, err := s.store.UpdateRequest(ctx, next, r.Version)
	if err != nil {
		return Request{}, fmt.Errorf("decide referral request %s: %w", r.ID, err)
	}
	if !ok {
		return Request{}, failure.Conflictf("request_decided", "another officer decided the request first")
	}
	s.remember(next)
	return next, nil
}

// Note is an officer's note on a referral and who may read it.
type Note struct {
	Text       string
	Visibility string // NoteInternal (the default) or NoteShared
}

// Referral is an officer's direct referral of a person to a need.
type Referral struct {
	NeedID, ProfileID string
	Note              Note
}

// Refer is the officer's direct referral: the match of the person and the
// need is created in state referred, with the officer's note and the
// outcome due date of every referral (OutcomeDays working days). It works
// for any profile that consents to matching, including one an officer
// entered for a person without an account, and for any open need. A match
// that waits for review (applied, proposed) is referred instead; one
// referred already is failure.Conflict "already_referred", returned with
// that match.
func (s *Service) Refer(ctx context.Context, by auth.Principal, r Referral) (Match, error) {
	if by.Role != auth.RoleOfficer {
		return Match{}, failure.Forbiddenf("only officers refer candidates")
	}
	text := strings.TrimSpace(r.Note.Text)
	if err := checkText("note", text); err != nil {
		return Match{}, err
	}
	if !ValidVisibility(r.Note.Visibility) {
		return Match{}, failure.Field("visibility", "oneof", NoteInternal+", "+NoteShared)
	}
	if m, ok := s.find(r.NeedID, r.ProfileID); ok {
		if m.State == Applied || m.State == Proposed {
			return s.Move(ctx, by, m.ID, Step{To: Referred, Note: text, Visibility: r.Note.Visibility})
		}
		return m, failure.Conflictf("already_referred", "this person already has a %s match for need %s", m.State, r.NeedID)
	}
	n, err := s.needs.Need(ctx, by, r.NeedID)
	if err != nil {
		return Match{}, err
	}
	if n.Kind == register.KindForecast || n.Status != register.StatusOpen {
		return Match{}, failure.Conflictf("not_open", "need %s takes no referrals", r.NeedID)
	}
	p, err := s.profiles.Profile(ctx, r.ProfileID)
	if err != nil {
		return Match{}, fmt.Errorf("refer profile %s: %w", r.ProfileID, err)
	}
	if !p.Consent.Matching {
		return Match{}, failure.Conflictf("no_consent", "profile %s does not consent to matching", p.ID)
	}
	visibility := r.Note.Visibility
	if visibility == "" {
		visibility = NoteInternal
	}
	return s.create(ctx, n, p, "referral", "", Referred, by, text, visibility)
}

// find returns the match of a need and a person, if any.
func (s *Service) find(needID, profileID string) (Match, bool) {
	for _, m := range s.matches.InGroup(profileID) {
		if m.NeedID == needID {
			return m, true
		}
	}
	return Match{}, false
}

// AddNote adds a note to a match's history without moving it (an event
// from its state to the same state), internal unless shared. Officers may
// note any match; employers the matches referred to them.
func (s *Service) AddNote(ctx context.Context, by auth.Principal, id string, note Note) (Match, error) {
	text := strings.TrimSpace(note.Text)
	if text == "" {
		return Match{}, failure.Field("note", "required", "")
	}
	if err := checkText("note", text); err != nil {
		return Match{}, err
	}
	if !ValidVisibility(note.Visibility) {
		return Match{}, failure.Field("visibility", "oneof", NoteInternal+", "+NoteShared)
	}
	if by.Role != auth.RoleOfficer && by.Role != auth.RoleEmployer {
		return Match{}, failure.Forbiddenf("only officers and employers note matches")
	}
	m, err := s.get(ctx, by, id)
	if err != nil {
		return Match{}, err
	}
	visibility := note.Visibility
	if visibility == "" {
		visibility = NoteInternal
	}
	now := s.now().UTC()
	next := m
	next.History = append(slices.Clip(m.History), Event{From: m.State, To: m.State, By: by.UserID, Role: by.Role, At: now, Note: text, Visibility: visibility})
	next.UpdatedAt, next.Version = now, m.Version+1
	ok, err := s.store.UpdateMatch(ctx, next, m.Version)
	if err != nil {
		return Match{}, fmt.Errorf("note match %s: %w", id, err)
	}
	if !ok {
		return Match{}, failure.Conflictf("concurrent_move", "the match was moved by another request")
	}
	s.remember(next)
	return next.ViewFor(by), nil
}

// IsNote reports whether the event is a note, not a move.
func (e Event) IsNote() bool { return e.From != "" && e.From == e.To }

// checkText bounds a note or reason and refuses control characters.
func checkText(field, text string) error {
	if utf8.RuneCountInString(text) > MaxNote {
		return failure.Field(field, "max", strconv.Itoa(MaxNote))
	}
	if strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) {
		return failure.Field(field, "nocontrol", "")
	}
	return nil
}

// DueSoonDays is how close (in working days) an outcome due date is
// flagged as close.
const DueSoonDays = 2

// Due says how a referred match's outcome due date stands on day now:
// "overdue", "soon" (at most DueSoonDays working days left) or "".
func (m Match) Due(now time.Time) string {
	if m.State != Referred || m.OutcomeDue == "" {
		return ""
	}
	today := now.UTC().Format(time.DateOnly)
	if m.Overdue(today) {
		return "overdue"
	}
	if AddWorkingDays(now.UTC(), DueSoonDays).Format(time.DateOnly) >= m.OutcomeDue {
		return "soon"
	}
	return ""
}
