package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
)

// Status is where a message is in the outbox.
type Status string

// A message is pending until a sender claims it (sending); then sent, or
// pending again with a later NextAt after a failed attempt, or failed after
// MaxAttempts. A claim that never reported back (its sender died mid-send)
// becomes uncertain and is not sent again: see Sender.
const (
	Pending   Status = "pending"
	Sending   Status = "sending"
	Sent      Status = "sent"
	Failed    Status = "failed"
	Uncertain Status = "uncertain"
)

// Message is one mail in the outbox, numbered in the order it was queued.
type Message struct {
	Seq          int64
	Notification int64  // its number in the recipient's inbox; 0 for a digest
	Recipient    string // user id
	To           string // e-mail address
	Lang         string
	Kind         Kind
	Digest       string // the day (YYYY-MM-DD) a digest covers; "" for a single notice
	Subject      string
	Body         string
	Status       Status
	Attempts     int
	NextAt       time.Time
	CreatedAt    time.Time
	ClaimedAt    *time.Time
	SentAt       *time.Time
	LastError    string
	Version      int64
}

// Outbox keeps messages by sequence, and the sender's cursor: every
// message below it is finished.
type Outbox interface {
	// InsertMessage numbers m (the next sequence) and stores it.
	InsertMessage(ctx context.Context, m Message) (Message, error)
	Message(ctx context.Context, seq int64) (Message, error)
	// UpdateMessage stores m if the stored version is still version.
	UpdateMessage(ctx context.Context, m Message, version int64) (bool, error)
	// OutboxBounds returns the cursor (the first unfinished message, 1
	// when none was ever finished) and the last sequence handed out.
	OutboxBounds(ctx context.Context) (first, last int64, err error)
	// AdvanceOutbox moves the cursor from from to to, if still at from.
	AdvanceOutbox(ctx context.Context, from, to int64) error
}

// Mailer hands one mail to an SMTP server.
type Mailer interface {
	Send(ctx context.Context, to, subject, body, messageID string) error
}

// Sender delivers the outbox. Run it under a lease, so one replica sends.
//
// The guarantee: each message is handed to the SMTP server at most once.
// A sender claims a message by compare-and-set (pending → sending) before
// sending, and records the outcome after; a second sender, or the same one
// after a restart, never claims a message that is sending. A failed
// attempt (the server down, refusing, timing out) puts the message back to
// pending with exponential backoff, up to MaxAttempts. If the sender dies
// between the claim and the record, the message stays sending; after
// ClaimTimeout it is marked uncertain — not sent again, since it may have
// arrived — and shown so at /office/outbox. Each mail carries a
// Message-ID made from its sequence, so a receiving system can tell a copy.
type Sender struct {
	store    Store
	accounts Accounts
	mailer   Mailer // nil: no SMTP configured, messages stay in the outbox
	domain   string // of the Message-IDs
	base     string
	now      func() time.Time
	log      *slog.Logger
	notices  *Service
}

// MaxAttempts bounds the attempts to send one message.
const MaxAttempts = 8

// ClaimTimeout is how long a claim may stay unreported before the message
// is taken as uncertain.
const ClaimTimeout = 5 * time.Minute

// batch bounds one pass of the sender.
const batch = 200

// NewSender builds the outbox's sender over svc's store.
func NewSender(svc *Service, mailer Mailer, domain string) *Sender {
	return NewSenderOver(svc, svc.store, mailer, domain)
}

// NewSenderOver is NewSender over another view of the store (tests stand
// in a store that dies mid-send).
func NewSenderOver(svc *Service, st Store, mailer Mailer, domain string) *Sender {
	return &Sender{store: st, accounts: svc.accounts, mailer: mailer, domain: domain, base: svc.base,
		now: svc.now, log: svc.log, notices: svc}
}

// Backoff is the wait after the n-th failed attempt: 30 s doubling, at
// most an hour.
func Backoff(n int) time.Duration {
	return min(30*time.Second<<min(max(n-1, 0), 7), time.Hour)
}

// Run is one pass: it retries failed notification inserts, then sends
// every message that is due, oldest first, and moves the cursor past the
// finished ones.
func (s *Sender) Run(ctx context.Context) error {
	s.notices.Retry(ctx)
	if s.mailer == nil {
		return nil
	}
	first, last, err := s.store.OutboxBounds(ctx)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	cursor, done := first, true
	var errs []error
	for seq := first; seq <= last && seq < first+batch; seq++ {
		finished, err := s.one(ctx, seq)
		if err != nil {
			errs = append(errs, err)
		}
		done = done && finished
		if done {
			cursor = seq + 1
		}
	}
	if cursor > first {
		errs = append(errs, s.store.AdvanceOutbox(ctx, first, cursor))
	}
	return errors.Join(errs...)
}

// one handles message seq and says whether it is finished.
func (s *Sender) one(ctx context.Context, seq int64) (bool, error) {
	m, err := s.store.Message(ctx, seq)
	if isNotFound(err) {
		return true, nil // a sequence taken by an insert that failed
	} else if err != nil {
		return false, err
	}
	now := s.now().UTC()
	switch m.Status {
	case Sent, Failed, Uncertain:
		return true, nil
	case Sending:
		if m.ClaimedAt != nil && now.Sub(*m.ClaimedAt) > ClaimTimeout {
			was := m.Version
			m.Status, m.LastError, m.Version = Uncertain, "claim not reported: the sender stopped mid-send", m.Version+1
			m.To, m.Body = MaskAddress(m.To), ""
			ok, err := s.store.UpdateMessage(ctx, m, was)
			return ok, err
		}
		return false, nil
	}
	if now.Before(m.NextAt) {
		return false, nil
	}
	return s.send(ctx, m, now)
}

// send claims m, sends it and records the outcome. The recipient's
// account is read again first: a deleted account's mail is dropped, and
// a changed address is used.
func (s *Sender) send(ctx context.Context, m Message, now time.Time) (bool, error) {
	was := m.Version
	u, err := s.accounts.User(ctx, m.Recipient)
	if isNotFound(err) {
		m.Status, m.LastError, m.To, m.Body, m.Version = Failed, "account deleted", "", "", m.Version+1
		ok, err := s.store.UpdateMessage(ctx, m, was)
		return ok, err
	} else if err != nil {
		return false, fmt.Errorf("recipient of message %d: %w", m.Seq, err)
	}
	m.To = u.Email
	m.Status, m.ClaimedAt, m.Attempts, m.Version = Sending, &now, m.Attempts+1, m.Version+1
	if m.Digest != "" {
		if err := s.composeDigest(ctx, &m); err != nil {
			return false, err
		}
	}
	ok, err := s.store.UpdateMessage(ctx, m, was)
	if err != nil || !ok {
		return false, err // another sender claimed it
	}
	sendErr := s.mailer.Send(ctx, m.To, m.Subject, m.Body, fmt.Sprintf("outbox-%d@%s", m.Seq, s.domain))
	claimed := m.Version
	done := s.now().UTC()
	m.Version++
	switch {
	case sendErr == nil:
		// What was sent is not kept: the outbox shows that it went, and
		// to whom only masked.
		m.Status, m.SentAt, m.LastError, m.To, m.Body = Sent, &done, "", MaskAddress(m.To), ""
	case m.Attempts >= MaxAttempts:
		m.Status, m.LastError = Failed, sendErr.Error()
	default:
		m.Status, m.LastError, m.NextAt = Pending, sendErr.Error(), done.Add(Backoff(m.Attempts))
	}
	if _, err := s.store.UpdateMessage(ctx, m, claimed); err != nil {
		return false, fmt.Errorf("record message %d: %w", m.Seq, err)
	}
	if sendErr != nil {
		s.log.WarnContext(ctx, "mail not sent", "seq", m.Seq, "attempt", m.Attempts, "err", sendErr)
	}
	return m.Status != Pending, nil
}

// composeDigest fills a digest's subject and body from its recipient's
// notifications of its day, read by key from the newest back.
func (s *Sender) composeDigest(ctx context.Context, m *Message) error {
	u, err := s.accounts.User(ctx, m.Recipient)
	if err != nil {
		return fmt.Errorf("digest recipient: %w", err)
	}
	total, err := s.store.InboxSize(ctx, m.Recipient)
	if err != nil {
		return err
	}
	items, err := s.store.Inbox(ctx, m.Recipient, total, markAllBound)
	if err != nil {
		return err
	}
	var day []Notification
	for _, n := range items {
		if n.CreatedAt.UTC().Format(time.DateOnly) == m.Digest {
			day = append([]Notification{n}, day...)
		}
	}
	m.Subject, m.Body = composeDigest(day, u, s.base)
	return nil
}

// OutboxPage is the newest messages for the office's outbox page.
type OutboxPage struct {
	Messages []Message
	Last     int64
	Cursor   int64
}

// Outbox returns up to n of the newest messages, for officers.
func (s *Service) Outbox(ctx context.Context, by auth.Principal, n int) (OutboxPage, error) {
	if by.Role != auth.RoleOfficer {
		return OutboxPage{}, failureForbidden()
	}
	first, last, err := s.store.OutboxBounds(ctx)
	if err != nil {
		return OutboxPage{}, fmt.Errorf("outbox: %w", err)
	}
	page := OutboxPage{Last: last, Cursor: first}
	for seq := last; seq >= 1 && len(page.Messages) < n; seq-- {
		m, err := s.store.Message(ctx, seq)
		if isNotFound(err) {
			continue
		} else if err != nil {
			return OutboxPage{}, fmt.Errorf("outbox: %w", err)
		}
		m.Body = "" // the page shows what and to whom, not the text
		page.Messages = append(page.Messages, m)
	}
	return page, nil
}

// MaskAddress shows enough of an address to tell messages apart, not to
// read it off a screen: "a***@example.bg".
func MaskAddress(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" {
		return "***"
	}
	if strings.HasSuffix(local, "***") {
		return addr // masked already
	}
	return local[:1] + "***@" + domain
}
