package event

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // events are timed in Europe/Sofia wherever the server runs
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/follow"
	"rsc.io/qr"
)

// DefaultPerPersonLimit is how many interviews a person gets at most when
// the officer does not say.
const DefaultPerPersonLimit = 3

// Service runs events over an in-memory copy (a follow.Set: loaded at
// start, following the other replicas' writes).
type Service struct {
	store    Store
	register Register
	index    Index
	referrer Referrer
	now      func() time.Time
	zone     *time.Location

	notifier Notifier

	changing sync.Mutex // one change to an event at a time in this process
	events   *follow.Set[Event]
}

// NewService wires events.
func NewService(st Store, reg Register, ix Index, ref Referrer, now func() time.Time) *Service {
	zone, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	events := follow.NewSet("events", st.EventsAfter, follow.Rules[Event]{
		ID:      func(e Event) string { return e.ID },
		Version: func(e Event) int64 { return e.Version },
	})
	return &Service{store: st, register: reg, index: ix, referrer: ref, now: now, zone: zone, events: events}
}

// Load reads every event into memory.
func (s *Service) Load(ctx context.Context) error { return s.events.Load(ctx) }

// Poll reads the events other replicas wrote since the last poll and keeps
// each one newer than the version held; it returns how many.
func (s *Service) Poll(ctx context.Context) (int, error) { return s.events.Poll(ctx, s.now()) }

// Create adds an event (officers).
func (s *Service) Create(ctx context.Context, by auth.Principal, e Event) (Event, error) {
	if by.Role != auth.RoleOfficer {
		return Event{}, failure.Forbiddenf("only officers create events")
	}
	if e.PerPersonLimit == 0 {
		e.PerPersonLimit = min(DefaultPerPersonLimit, e.Slots)
	}
	if err := s.check(e); err != nil {
		return Event{}, err
	}
	e.ID, e.CreatedBy, e.CreatedAt, e.Version = auth.NewID(), by.UserID, s.now().UTC(), 1
	e.Employers, e.Registrations, e.Invitations, e.Schedule = nil, nil, nil, nil
	if err := s.store.InsertEvent(ctx, e); err != nil {
		return Event{}, fmt.Errorf("create event: %w", err)
	}
	s.events.Keep(e)
	return e, nil
}

// check keeps the rules of an event's fields the binding cannot see: the
// day exists, the interviews fit between the start and the end.
func (s *Service) check(e Event) error {
	var fields []failure.FieldError
	bad := func(field, code, param string) {
		fields = append(fields, failure.FieldError{Field: field, Code: code, Param: param})
	}
	between := func(field string, n, lo, hi int) {
		if n < lo || n > hi {
			bad(field, "range", fmt.Sprintf("%d–%d", lo, hi))
		}
	}
	for field, text := range map[string]string{"name.bg": e.Name.BG, "name.en": e.Name.EN} {
		between(field, utf8.RuneCountInString(strings.TrimSpace(text)), 3, 200)
	}
	if strings.TrimSpace(e.Municipality) == "" {
		bad("municipality", "required", "")
	}
	if strings.TrimSpace(e.Location) == "" {
		bad("location", "required", "")
	}
	between("capacity", e.Capacity, 1, 5000)
	between("interviewMinutes", e.InterviewMinutes, 5, 120)
	between("slots", e.Slots, 1, 48)
	starts, err1 := s.at(e.Date, e.Starts)
	ends, err2 := s.at(e.Date, e.Ends)
	switch {
	case err1 != nil:
		bad("date", "datetime", "2006-01-02 15:04")
	case err2 != nil:
		bad("ends", "datetime", "15:04")
	case !ends.After(starts):
		bad("ends", "gtfield", "starts")
	case starts.Add(time.Duration(e.Slots*e.InterviewMinutes) * time.Minute).After(ends):
		bad("slots", "max", "the interviews must end by the event's end")
	}
	if e.Slots >= 1 && (e.PerPersonLimit < 1 || e.PerPersonLimit > e.Slots) {
		bad("perPersonLimit", "max", fmt.Sprint(e.Slots))
	}
	if len(fields) > 0 {
		return failure.Fields(fields...)
	}
	return nil
}

func (s *Service) at(date, clock string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02 15:04", date+" "+clock, s.zone)
}

// Upcoming lists the events from today on, soonest first (anyone).
func (s *Service) Upcoming() []Event {
	today := s.now().In(s.zone).Format(time.DateOnly)
	var out []Event
	for _, e := range s.events.Filter(func(e Event) bool { return e.Date >= today }) {
		out = append(out, e.Public())
	}
	slices.SortFunc(out, func(a, b Event) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Starts, b.Starts), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Public is what anyone may see of an event: no one's registration, and
// not which account brought an employer.
func (e Event) Public() Event {
	e.Registrations, e.Invitations, e.Schedule = nil, nil, nil
	e.Employers = slices.Clone(e.Employers)
	for i := range e.Employers {
		e.Employers[i].JoinedBy = ""
	}
	return e
}

// Get returns an event as the caller may see it: officers everything,
// others the public part and their own registration.
func (s *Service) Get(by auth.Principal, id string) (Event, error) {
	e, err := s.event(id)
	if err != nil || by.Role == auth.RoleOfficer {
		return e, err
	}
	view := e.Public()
	if i := e.registration(by.UserID); i >= 0 && by.Role == auth.RoleJobseeker {
		view.Registrations = []Registration{e.Registrations[i]}
	}
	return view, nil
}

func (s *Service) event(id string) (Event, error) {
	e, ok := s.events.Get(id)
	if !ok {
		return Event{}, failure.NotFoundf("event")
	}
	return e, nil
}

// change applies fn to a deep copy of the event and stores it by
// compare-and-set; the lock keeps this process's changes in line, the
// version any other's.
func (s *Service) change(ctx context.Context, id string, fn func(*Event) error) (Event, error) {
	s.changing.Lock()
	defer s.changing.Unlock()
	cur, ok := s.events.Get(id)
	if !ok {
		return Event{}, failure.NotFoundf("event")
	}
	next := cur.clone()
	if err := fn(&next); err != nil {
		return Event{}, err
	}
	next.Version = cur.Version + 1
	ok, err := s.store.UpdateEvent(ctx, next, cur.Version)
	if err != nil {
		return Event{}, fmt.Errorf("update event %s: %w", id, err)
	}
	if !ok {
		return Event{}, failure.Conflictf("concurrent_change", "the event was changed by another request")
	}
	s.events.Keep(next)
	return next, nil
}

func (e Event) clone() Event {
	e.Sectors = slices.Clone(e.Sectors)
	e.Employers = slices.Clone(e.Employers)
	e.Registrations = slices.Clone(e.Registrations)
	e.Invitations = slices.Clone(e.Invitations)
	if e.Schedule != nil {
		sc := *e.Schedule
		sc.Interviews, sc.Unscheduled = slices.Clone(sc.Interviews), slices.Clone(sc.Unscheduled)
		e.Schedule = &sc
	}
	return e
}

// Join adds a verified employer with the needs it brings and its tables
// (its members); joining again replaces the needs and tables.
func (s *Service) Join(ctx context.Context, by auth.Principal, id, employerID string, needIDs []string, tables int) (Event, error) {
	emp, err := s.register.Employer(ctx, by, employerID)
	switch {
	case err != nil:
		return Event{}, err
	case !emp.IsMember(by.UserID) && by.Role != auth.RoleOfficer:
		return Event{}, failure.Forbiddenf("only the employer's members bring it to an event")
	case !emp.Verified:
		return Event{}, failure.Conflictf("event_employer_not_verified", "only verified employers join events")
	}
	fields := joinShape(needIDs, tables)
	for i, nid := range needIDs {
		n, err := s.register.ManagedNeed(ctx, by, nid)
		switch {
		case failure.Is(err, failure.NotFound), failure.Is(err, failure.Forbidden), err == nil && n.EmployerID != employerID:
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("needIds[%d]", i), Code: "not_found"})
		case err != nil:
			return Event{}, err
		case slices.Index(needIDs, nid) != i:
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("needIds[%d]", i), Code: "unique"})
		}
	}
	if len(fields) > 0 {
		return Event{}, failure.Fields(fields...)
	}
	return s.change(ctx, id, func(e *Event) error {
		if err := s.notPast(*e); err != nil {
			return err
		}
		p := Participant{EmployerID: employerID, NeedIDs: needIDs, Tables: tables, JoinedBy: by.UserID, At: s.now().UTC()}
		if i := e.participant(employerID); i >= 0 {
			e.Employers[i] = p
		} else {
			e.Employers = append(e.Employers, p)
		}
		return nil
	})
}

// MaxTables is how many interview tables one employer brings at most.
const MaxTables = 20

// joinShape checks what a join brings before any need is read: at least
// one need, and 1..MaxTables tables.
func joinShape(needIDs []string, tables int) []failure.FieldError {
	var fields []failure.FieldError
	if len(needIDs) == 0 {
		fields = append(fields, failure.FieldError{Field: "needIds", Code: "required"})
	}
	if tables < 1 || tables > MaxTables {
		fields = append(fields, failure.FieldError{Field: "tables", Code: "range", Param: fmt.Sprintf("1..%d", MaxTables)})
	}
	return fields
}

func (s *Service) notPast(e Event) error {
	if e.Date < s.now().In(s.zone).Format(time.DateOnly) {
		return failure.Conflictf("event_past", "event %s is over", e.ID)
	}
	return nil
}

// RegisterSelf registers the job-seeker with the employers they would most
// like to meet (employer ids, most wanted first); again replaces the wishes.
func (s *Service) RegisterSelf(ctx context.Context, by auth.Principal, id string, wishes []string) (Event, error) {
	if by.Role != auth.RoleJobseeker {
		return Event{}, failure.Forbiddenf("job-seekers register themselves; officers register groups")
	}
	if _, ok := s.index.Profile(by.UserID); !ok {
		return Event{}, failure.Conflictf("no_profile", "create a profile before registering for an event")
	}
	return s.change(ctx, id, func(e *Event) error {
		if err := s.notPast(*e); err != nil {
			return err
		}
		for i, w := range wishes {
			if e.participant(w) < 0 {
				return failure.Field(fmt.Sprintf("wishes[%d]", i), "not_found", "")
			}
			if slices.Index(wishes, w) != i {
				return failure.Field(fmt.Sprintf("wishes[%d]", i), "unique", "")
			}
		}
		if i := e.registration(by.UserID); i >= 0 {
			e.Registrations[i].Wishes = wishes
			return nil
		}
		return s.add(e, Registration{ProfileID: by.UserID, Wishes: wishes, By: by.UserID})
	})
}

// RegisterGroup registers people an officer brings: a school class with
// its teacher as contact, or people who do not use the web. People
// already registered stay as they are.
func (s *Service) RegisterGroup(ctx context.Context, by auth.Principal, id string, profileIDs []string, group, contact string) (Event, error) {
	if by.Role != auth.RoleOfficer {
		return Event{}, failure.Forbiddenf("only officers register others")
	}
	for i, pid := range profileIDs {
		if _, ok := s.index.Profile(pid); !ok {
			return Event{}, failure.Field(fmt.Sprintf("profileIds[%d]", i), "not_found", "")
		}
	}
	return s.change(ctx, id, func(e *Event) error {
		if err := s.notPast(*e); err != nil {
			return err
		}
		for _, pid := range profileIDs {
			if e.Registered(pid) {
				continue
			}
			if err := s.add(e, Registration{ProfileID: pid, By: by.UserID, Group: group, Contact: contact}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) add(e *Event, r Registration) error {
	if len(e.Registrations) >= e.Capacity {
		return failure.Conflictf("event_full", "event %s is full", e.ID)
	}
	r.Ticket, r.At = newTicket(), s.now().UTC()
	e.Registrations = append(e.Registrations, r)
	return nil
}

// ticketAlphabet leaves out letters and digits people confuse (0/O, 1/I).
const ticketAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newTicket is a 10-character code, about 50 bits: too many to guess at
// the door.
func newTicket() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	for i := range b {
		b[i] = ticketAlphabet[int(b[i])%len(ticketAlphabet)]
	}
	return string(b)
}

// CheckIn marks the ticket's holder as arrived (officers at the door);
// checking in twice keeps the first time.
func (s *Service) CheckIn(ctx context.Context, by auth.Principal, id, ticket string) (Registration, error) {
	if by.Role != auth.RoleOfficer {
		return Registration{}, failure.Forbiddenf("only officers check people in")
	}
	var out Registration
	_, err := s.change(ctx, id, func(e *Event) error {
		for i := range e.Registrations {
			r := &e.Registrations[i]
			if r.Ticket != ticket {
				continue
			}
			if r.CheckedInAt == nil {
				now := s.now().UTC()
				r.CheckedInAt = &now
			}
			out = *r
			return nil
		}
		return failure.NotFoundf("ticket")
	})
	return out, err
}

// Ticket returns the job-seeker's own registration with its ticket code.
func (s *Service) Ticket(by auth.Principal, id string) (Registration, error) {
	e, err := s.event(id)
	if err != nil {
		return Registration{}, err
	}
	if i := e.registration(by.UserID); i >= 0 && by.Role == auth.RoleJobseeker {
		return e.Registrations[i], nil
	}
	return Registration{}, failure.NotFoundf("registration")
}

// Enrolment is a registration: a job-seeker's own, with the employers they
// want to meet, or an officer's, of a group of people.
type Enrolment struct {
	Wishes         []string
	ProfileIDs     []string
	Group, Contact string
}

// Enrol registers as the caller's role does: officers a group, job-seekers
// themselves.
func (s *Service) Enrol(ctx context.Context, by auth.Principal, id string, r Enrolment) (Event, error) {
	if by.Role != auth.RoleOfficer {
		return s.RegisterSelf(ctx, by, id, r.Wishes)
	}
	if len(r.ProfileIDs) == 0 {
		return Event{}, failure.Field("profileIds", "required", "")
	}
	return s.RegisterGroup(ctx, by, id, r.ProfileIDs, r.Group, r.Contact)
}

// Span is when the event starts and ends, in Bulgaria's time zone.
func (s *Service) Span(e Event) (starts, ends time.Time) {
	starts, _ = s.at(e.Date, e.Starts)
	ends, _ = s.at(e.Date, e.Ends)
	return starts, ends
}

// TicketPNG is a ticket code as a QR code image, for the door.
func TicketPNG(ticket string) ([]byte, error) {
	code, err := qr.Encode(ticket, qr.M)
	if err != nil {
		return nil, fmt.Errorf("ticket QR code: %w", err)
	}
	code.Scale = 8
	return code.PNG(), nil
}
