// Package notify tells people what happened: every change a person must
// know about becomes a notification in their in-app inbox and, if they want
// it by e-mail, a message in a transactional outbox that a sender delivers
// over SMTP (sender.go).
//
// Notifications are stored recoverably after the change that caused them,
// not in the same write: the embedded store has no multi-document
// transactions, and a failure to notify must never fail the request. The
// domain services call the Notifier after their own write succeeded; each
// cause has a key (the match and its version, the employer and its
// version, …) recorded once per recipient, so telling again is harmless. A
// notification whose insert failed is kept for retry (Retry, run by the
// sender's loop); one lost to a crash between the change and its
// notification is not recovered — the change itself is never lost.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
)

// Kind is what a notification is about. Kinds is the one list of them.
type Kind string

// The kinds of notification.
const (
	Referral              Kind = "referral"               // an officer referred a job-seeker to an employer (both sides)
	MatchMoved            Kind = "match_moved"            // a match moved (each transition after it was made)
	RoundProposal         Kind = "round_proposal"         // a placement round proposed a match
	OutcomeDue            Kind = "outcome_due"            // the employer owes an outcome within 2 working days
	OutcomeOverdue        Kind = "outcome_overdue"        // the outcome is late (employer and the referring officer)
	VerificationGranted   Kind = "verification_granted"   // the office verified the employer
	VerificationWithdrawn Kind = "verification_withdrawn" // the office withdrew the verification
	EventInvitation       Kind = "event_invitation"       // invited to a Career & Skills Day
	EventSchedule         Kind = "event_schedule"         // the speed-interview schedule is out
	EventReminder         Kind = "event_reminder"         // the event is tomorrow
)

// Kinds lists every kind, in the order the preferences form shows them.
var Kinds = []Kind{Referral, MatchMoved, RoundProposal, OutcomeDue, OutcomeOverdue,
	VerificationGranted, VerificationWithdrawn, EventInvitation, EventSchedule, EventReminder}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Notification is one notice to one person. It names what it is about by
// id only; pages and mails put it into words for its recipient.
type Notification struct {
	Number     int64  // n-th of its recipient's: the inbox is read by key ("<recipient>/<n>")
	Recipient  string // user id
	Kind       Kind
	MatchID    string
	NeedID     string
	EmployerID string
	EventID    string
	State      string // for MatchMoved: the state the match moved to
	Title      string // the need's or event's title (public text, never a person's data)
	CreatedAt  time.Time
	ReadAt     *time.Time
}

// Preferences are a person's choices: which kinds they want by e-mail
// (every kind unless turned off; the in-app notice stays) and, for
// officers and employers, one daily digest instead of a mail each.
type Preferences struct {
	UserID   string
	EmailOff []Kind
	Digest   bool
	Version  int64 // 0 before the first save
}

// Wants reports whether the person wants kind k by e-mail.
func (p Preferences) Wants(k Kind) bool { return !slices.Contains(p.EmailOff, k) }

// Store keeps notifications, preferences and the outbox. Every method is a
// key read or write.
type Store interface {
	// FirstTime records cause key; false when it was recorded before.
	FirstTime(ctx context.Context, key string, at time.Time) (bool, error)
	// InsertNotification numbers n in its recipient's inbox, stores it and
	// counts it unread. An error with a numbered n means it was stored but
	// not counted.
	InsertNotification(ctx context.Context, n Notification) (Notification, error)
	// InboxSize is how many notifications the recipient ever had (their
	// counter).
	InboxSize(ctx context.Context, recipient string) (int64, error)
	// InboxGone is how many of them the retention job removed (old
	// ones), so that the inbox counts and pages what is left.
	InboxGone(ctx context.Context, recipient string) (int64, error)
	// Inbox returns up to count of the recipient's notifications numbered
	// newest and below, newest first.
	Inbox(ctx context.Context, recipient string, newest, count int64) ([]Notification, error)
	Notification(ctx context.Context, recipient string, n int64) (Notification, error)
	// MarkRead sets ReadAt if unset (atomic); false when it was read.
	MarkRead(ctx context.Context, recipient string, n int64, at time.Time) (bool, error)
	Unread(ctx context.Context, recipient string) (int64, error)
	// Preferences answers failure.NotFound before the first save.
	Preferences(ctx context.Context, userID string) (Preferences, error)
	// PutPreferences stores p if the stored version is still version (0:
	// none stored); false when another save came first.
	PutPreferences(ctx context.Context, p Preferences, version int64) (bool, error)
	// ForgetRecipient deletes the person's inbox and preferences (erasure).
	ForgetRecipient(ctx context.Context, recipient string) error
	Outbox
}

// Accounts gives a recipient's e-mail address, role and language.
type Accounts interface {
	User(ctx context.Context, id string) (auth.User, error)
}

// Employers gives an employer's members.
type Employers interface {
	Employer(ctx context.Context, id string) (register.Employer, error)
}

// Service emits notifications and answers the inbox and the preferences.
type Service struct {
	store     Store
	accounts  Accounts
	employers Employers
	now       func() time.Time
	log       *slog.Logger
	base      string // the site's address, for links in mails

	mu      sync.Mutex
	pending []pendingNotice // inserts that failed, kept for Retry
}

type pendingNotice struct {
	n       Notification // numbered once stored: then only its mail is pending
	attempt int
}

// NewService wires the notifications; base is the site's address that
// mails link to.
func NewService(st Store, accounts Accounts, employers Employers, base string, now func() time.Time, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, accounts: accounts, employers: employers, base: base, now: now, log: log}
}

func isNotFound(err error) bool { return failure.Is(err, failure.NotFound) }

// Notice is one cause to tell to its recipients.
type Notice struct {
	Key        string // the cause, unique per recipient: telling it twice does nothing
	Kind       Kind
	Recipients []string
	MatchID    string
	NeedID     string
	EmployerID string
	EventID    string
	State      string
	Title      string
}

// Tell stores the notice for each recipient (once per cause) and puts it
// in the outbox for those who want it by e-mail. It never fails the
// caller: errors are logged, and a failed insert is kept for Retry. It
// goes on when the caller's request ends, within a bound of its own.
func (s *Service) Tell(ctx context.Context, nt Notice) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	seen := map[string]bool{}
	for _, r := range nt.Recipients {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		first, err := s.store.FirstTime(ctx, nt.Key+"/"+r, s.now().UTC())
		if err != nil {
			s.log.ErrorContext(ctx, "notification not recorded", "kind", nt.Kind, "err", err)
			continue
		}
		if !first {
			continue
		}
		n := Notification{Recipient: r, Kind: nt.Kind, MatchID: nt.MatchID, NeedID: nt.NeedID, EmployerID: nt.EmployerID,
			EventID: nt.EventID, State: nt.State, Title: nt.Title, CreatedAt: s.now().UTC()}
		s.deliver(ctx, n, 0)
	}
}

func (s *Service) deliver(ctx context.Context, n Notification, attempt int) {
	stored, err := n, error(nil)
	if n.Number == 0 {
		stored, err = s.store.InsertNotification(ctx, n)
	}
	if err != nil && stored.Number != 0 {
		// Stored, but not counted unread: the badge is one low; inserting
		// again would tell twice.
		s.log.ErrorContext(ctx, "notification stored but not counted unread", "kind", n.Kind, "err", err)
	} else if err != nil {
		s.log.ErrorContext(ctx, "notification insert failed; kept for retry", "kind", n.Kind, "err", err)
		s.keep(n, attempt)
		return
	}
	if err := s.enqueue(ctx, stored); err != nil {
		s.log.ErrorContext(ctx, "notification not put in the outbox; kept for retry", "kind", n.Kind, "err", err)
		s.keep(stored, attempt)
	}
}

func (s *Service) keep(n Notification, attempt int) {
	s.mu.Lock()
	s.pending = append(s.pending, pendingNotice{n, attempt + 1})
	s.mu.Unlock()
}

// maxInsertAttempts bounds Retry of one notification.
const maxInsertAttempts = 10

// Retry inserts the notifications whose insert failed. It answers how many
// remain.
func (s *Service) Retry(ctx context.Context) int {
	s.mu.Lock()
	todo := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, p := range todo {
		if p.attempt >= maxInsertAttempts {
			s.log.ErrorContext(ctx, "notification dropped after retries", "kind", p.n.Kind, "recipient", p.n.Recipient)
			continue
		}
		s.deliver(ctx, p.n, p.attempt)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// PageSize is the inbox's page.
const PageSize = 20

// Inbox is a page of a person's notifications, newest first.
type Inbox struct {
	Items  []Notification
	Total  int64
	Unread int64
	Page   int
	Pages  int
}

// Inbox returns page (from 1) of the caller's notifications.
func (s *Service) Inbox(ctx context.Context, by auth.Principal, page int) (Inbox, error) {
	if page < 1 {
		return Inbox{}, failure.Field("page", "min", "1")
	}
	size, err := s.store.InboxSize(ctx, by.UserID)
	if err != nil {
		return Inbox{}, fmt.Errorf("inbox: %w", err)
	}
	gone, err := s.store.InboxGone(ctx, by.UserID)
	if err != nil {
		return Inbox{}, fmt.Errorf("inbox: %w", err)
	}
	total := max(size-gone, 0)
	pages := int((total + PageSize - 1) / PageSize)
	var items []Notification
	// Old numbers may be gone (retention), so a page is found by counting
	// the ones left from the newest: the pages before it are read too.
	if skip := int64(page-1) * PageSize; skip < total {
		if items, err = s.store.Inbox(ctx, by.UserID, size, skip+PageSize); err != nil {
			return Inbox{}, fmt.Errorf("inbox: %w", err)
		}
		items = items[min(int(skip), len(items)):]
	}
	unread, err := s.store.Unread(ctx, by.UserID)
	if err != nil {
		return Inbox{}, fmt.Errorf("inbox: %w", err)
	}
	return Inbox{Items: items, Total: total, Unread: max(unread, 0), Page: page, Pages: max(pages, 1)}, nil
}

// Unread is the caller's count of unread notifications: one key read, for
// the badge on every page.
func (s *Service) Unread(ctx context.Context, by auth.Principal) (int64, error) {
	n, err := s.store.Unread(ctx, by.UserID)
	return max(n, 0), err
}

// MarkRead marks the caller's n-th notification read: it is looked up
// among the caller's own only, so another's cannot be reached. An unknown
// one is failure.NotFound; marking twice is fine.
func (s *Service) MarkRead(ctx context.Context, by auth.Principal, n int64) error {
	if _, err := s.store.Notification(ctx, by.UserID, n); err != nil {
		if failure.Is(err, failure.NotFound) {
			return failure.NotFoundf("notification")
		}
		return fmt.Errorf("mark read: %w", err)
	}
	if _, err := s.store.MarkRead(ctx, by.UserID, n, s.now().UTC()); err != nil {
		return fmt.Errorf("mark read: %w", err)
	}
	return nil
}

// markAllBound is how many of the newest notifications "mark all read"
// looks at: older ones are read, or were never going to be.
const markAllBound = 200

// MarkAllRead marks the caller's newest notifications read.
func (s *Service) MarkAllRead(ctx context.Context, by auth.Principal) error {
	total, err := s.store.InboxSize(ctx, by.UserID)
	if err != nil {
		return fmt.Errorf("mark all read: %w", err)
	}
	items, err := s.store.Inbox(ctx, by.UserID, total, markAllBound)
	if err != nil {
		return fmt.Errorf("mark all read: %w", err)
	}
	var errs []error
	for _, n := range items {
		if n.ReadAt == nil {
			if _, err := s.store.MarkRead(ctx, by.UserID, n.Number, s.now().UTC()); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Preferences returns the caller's preferences (the defaults before the
// first save).
func (s *Service) Preferences(ctx context.Context, by auth.Principal) (Preferences, error) {
	p, err := s.store.Preferences(ctx, by.UserID)
	if failure.Is(err, failure.NotFound) {
		return Preferences{UserID: by.UserID}, nil
	}
	return p, err
}

// SetPreferences saves the caller's preferences whole. Only officers and
// employers may take the daily digest.
func (s *Service) SetPreferences(ctx context.Context, by auth.Principal, emailOff []Kind, digest bool) (Preferences, error) {
	for _, k := range emailOff {
		if !k.Valid() {
			return Preferences{}, failure.Field("emailOff", "oneof", string(k))
		}
	}
	if digest && by.Role != auth.RoleOfficer && by.Role != auth.RoleEmployer {
		return Preferences{}, failure.Field("digest", "role", "")
	}
	off := slices.Clone(emailOff)
	slices.Sort(off)
	off = slices.Compact(off)
	for range failure.EditAttempts {
		cur, err := s.Preferences(ctx, by)
		if err != nil {
			return Preferences{}, fmt.Errorf("preferences: %w", err)
		}
		next := Preferences{UserID: by.UserID, EmailOff: off, Digest: digest, Version: cur.Version + 1}
		ok, err := s.store.PutPreferences(ctx, next, cur.Version)
		if err != nil {
			return Preferences{}, fmt.Errorf("save preferences: %w", err)
		}
		if ok {
			return next, nil
		}
	}
	return Preferences{}, failure.EditConflict("the preferences")
}

func failureForbidden() error { return failure.Forbiddenf("only officers see the outbox") }

// Configure sets the site's address that mails link to and the logger;
// called once at start-up, before requests are served.
func (s *Service) Configure(base string, log *slog.Logger) {
	s.base = base
	if log != nil {
		s.log = log
	}
}

// KindsFor are the kinds a role can receive, for its preferences form:
// job-seekers are told of their matches, proposals and events; employers
// also of outcomes and verification; officers of overdue outcomes and
// events.
func KindsFor(role auth.Role) []Kind {
	events := []Kind{EventInvitation, EventSchedule, EventReminder}
	switch role {
	case auth.RoleJobseeker:
		return append([]Kind{Referral, MatchMoved, RoundProposal}, events...)
	case auth.RoleEmployer:
		return append([]Kind{Referral, MatchMoved, OutcomeDue, OutcomeOverdue, VerificationGranted, VerificationWithdrawn}, events...)
	case auth.RoleOfficer:
		return append([]Kind{OutcomeOverdue}, events...)
	}
	return nil
}

// Forget deletes what is kept to tell a person things: their inbox and
// their preferences; a step of the person's erasure (profile.Service.Erase).
// Their mails still in the outbox are dropped when due, since the sender
// reads the account again and it is gone.
func (s *Service) Forget(ctx context.Context, userID string) error {
	if err := s.store.ForgetRecipient(ctx, userID); err != nil {
		return fmt.Errorf("forget notifications: %w", err)
	}
	return nil
}
