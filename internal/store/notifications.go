package store

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/notify"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Notifications keeps notifications, the causes already told, people's
// preferences and the e-mail outbox (internal/notify). Every read and
// write is by key: a person's inbox is "<recipient>/<n>" with n from their
// counter (like the audit log), and the outbox "<n>" from one counter with
// the sender's cursor beside it.
type Notifications struct {
	n, causes, prefs, outbox, cursor Collection
	seq                              Counters
}

// Notifications returns the notifications' collections.
func (s *Store) Notifications() Notifications {
	return Notifications{n: s.Collection("notifications", "notification"), causes: s.Collection("notify_causes", "notified cause"),
		prefs: s.Collection("notify_prefs", "notification preferences"), outbox: s.Collection("outbox", "outbox message"),
		cursor: s.Collection("outbox_cursor", "outbox cursor"), seq: s.Counters()}
}

var _ notify.Store = Notifications{}

type notificationDoc struct {
	ID         string     `bson:"_id"`
	N          int64      `bson:"n"`
	Recipient  string     `bson:"recipient"`
	Kind       string     `bson:"kind"`
	MatchID    string     `bson:"matchId,omitempty"`
	NeedID     string     `bson:"needId,omitempty"`
	EmployerID string     `bson:"employerId,omitempty"`
	EventID    string     `bson:"eventId,omitempty"`
	State      string     `bson:"state,omitempty"`
	Title      string     `bson:"title,omitempty"`
	CreatedAt  time.Time  `bson:"createdAt"`
	ReadAt     *time.Time `bson:"readAt"`
}

func (d notificationDoc) toDomain() notify.Notification {
	n := notify.Notification{Number: d.N, Recipient: d.Recipient, Kind: notify.Kind(d.Kind), MatchID: d.MatchID, NeedID: d.NeedID,
		EmployerID: d.EmployerID, EventID: d.EventID, State: d.State, Title: d.Title, CreatedAt: d.CreatedAt.UTC()}
	if d.ReadAt != nil {
		at := d.ReadAt.UTC()
		n.ReadAt = &at
	}
	return n
}

func inboxKey(recipient string, n int64) string { return fmt.Sprintf("%s/%08d", recipient, n) }

// FirstTime records a cause by inserting its key: a second insert is a
// conflict, which answers false.
func (x Notifications) FirstTime(ctx context.Context, key string, at time.Time) (bool, error) {
	err := x.causes.Insert(ctx, bson.D{{Key: "_id", Value: key}, {Key: "at", Value: at}})
	if failure.Is(err, failure.Conflict) {
		return false, nil
	}
	return err == nil, err
}

// InsertNotification takes the recipient's next number, stores n and
// counts it unread.
func (x Notifications) InsertNotification(ctx context.Context, n notify.Notification) (notify.Notification, error) {
	k, err := x.seq.Next(ctx, "inbox/"+n.Recipient)
	if err != nil {
		return notify.Notification{}, err
	}
	n.Number = k
	if err := x.n.Insert(ctx, notificationDoc{ID: inboxKey(n.Recipient, k), N: k, Recipient: n.Recipient, Kind: string(n.Kind), MatchID: n.MatchID,
		NeedID: n.NeedID, EmployerID: n.EmployerID, EventID: n.EventID, State: n.State, Title: n.Title, CreatedAt: n.CreatedAt}); err != nil {
		return notify.Notification{}, fmt.Errorf("insert notification: %w", err)
	}
	if _, err := x.seq.Next(ctx, "unread/"+n.Recipient); err != nil {
		return n, fmt.Errorf("count unread: %w", err)
	}
	return n, nil
}

// InboxSize is the recipient's counter.
func (x Notifications) InboxSize(ctx context.Context, recipient string) (int64, error) {
	return x.seq.Current(ctx, "inbox/"+recipient)
}

// InboxGone is how many of the recipient's notifications the retention job
// removed (Retention.DeleteOldNotifications counts them).
func (x Notifications) InboxGone(ctx context.Context, recipient string) (int64, error) {
	return x.seq.Current(ctx, "inboxgone/"+recipient)
}

// Inbox reads up to count notifications by key from newest down.
func (x Notifications) Inbox(ctx context.Context, recipient string, newest, count int64) ([]notify.Notification, error) {
	var out []notify.Notification
	for k := newest; k >= 1 && int64(len(out)) < count; k-- {
		n, err := x.Notification(ctx, recipient, k)
		if isNotFound(err) {
			continue // a number taken by an insert that then failed
		} else if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Notification reads one notification.
func (x Notifications) Notification(ctx context.Context, recipient string, n int64) (notify.Notification, error) {
	var d notificationDoc
	if err := x.n.Get(ctx, inboxKey(recipient, n), &d); err != nil {
		return notify.Notification{}, err
	}
	return d.toDomain(), nil
}

// MarkRead sets readAt where it is unset (a compare-and-set on the field)
// and then takes one off the unread count, so two requests marking it
// read at once count it once.
func (x Notifications) MarkRead(ctx context.Context, recipient string, n int64, at time.Time) (bool, error) {
	ok, err := x.n.Update(ctx, bson.D{{Key: "_id", Value: inboxKey(recipient, n)}, {Key: "readAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "readAt", Value: at}}}})
	if err != nil || !ok {
		return false, err
	}
	return true, x.uncount(ctx, recipient)
}

// uncount takes one off the recipient's unread count.
func (x Notifications) uncount(ctx context.Context, recipient string) error {
	_, err := x.seq.c.Update(ctx, bson.D{{Key: "_id", Value: "unread/" + recipient}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(-1)}}}})
	return err
}

// Unread is the recipient's unread count: one key read.
func (x Notifications) Unread(ctx context.Context, recipient string) (int64, error) {
	return x.seq.Current(ctx, "unread/"+recipient)
}

type prefsDoc struct {
	ID       string   `bson:"_id"`
	EmailOff []string `bson:"emailOff"`
	Digest   bool     `bson:"digest"`
	Version  int64    `bson:"v"`
}

// Preferences reads a person's preferences.
func (x Notifications) Preferences(ctx context.Context, userID string) (notify.Preferences, error) {
	var d prefsDoc
	if err := x.prefs.Get(ctx, userID, &d); err != nil {
		return notify.Preferences{}, err
	}
	p := notify.Preferences{UserID: d.ID, Digest: d.Digest, Version: d.Version}
	for _, k := range d.EmailOff {
		p.EmailOff = append(p.EmailOff, notify.Kind(k))
	}
	return p, nil
}

// PutPreferences inserts (version 0) or compare-and-sets the preferences.
func (x Notifications) PutPreferences(ctx context.Context, p notify.Preferences, version int64) (bool, error) {
	d := prefsDoc{ID: p.UserID, EmailOff: []string{}, Digest: p.Digest, Version: p.Version}
	for _, k := range p.EmailOff {
		d.EmailOff = append(d.EmailOff, string(k))
	}
	if version == 0 {
		err := x.prefs.Insert(ctx, d)
		if failure.Is(err, failure.Conflict) {
			return false, nil
		}
		return err == nil, err
	}
	return x.prefs.ReplaceIf(ctx, versionFilter(p.UserID, version), d)
}

type messageDoc struct {
	ID           string     `bson:"_id"`
	Seq          int64      `bson:"seq"`
	Notification int64      `bson:"notification,omitempty"`
	Recipient    string     `bson:"recipient"`
	To           string     `bson:"to"`
	Lang         string     `bson:"lang"`
	Kind         string     `bson:"kind,omitempty"`
	Digest       string     `bson:"digest,omitempty"`
	Subject      string     `bson:"subject"`
	Body         string     `bson:"body"`
	Status       string     `bson:"status"`
	Attempts     int        `bson:"attempts"`
	NextAt       time.Time  `bson:"nextAt"`
	CreatedAt    time.Time  `bson:"createdAt"`
	ClaimedAt    *time.Time `bson:"claimedAt,omitempty"`
	SentAt       *time.Time `bson:"sentAt,omitempty"`
	LastError    string     `bson:"lastError,omitempty"`
	Version      int64      `bson:"v"`
}

func outboxKey(seq int64) string { return fmt.Sprintf("%012d", seq) }

func toMessageDoc(m notify.Message) messageDoc {
	return messageDoc{ID: outboxKey(m.Seq), Seq: m.Seq, Notification: m.Notification, Recipient: m.Recipient, To: m.To,
		Lang: m.Lang, Kind: string(m.Kind), Digest: m.Digest, Subject: m.Subject, Body: m.Body, Status: string(m.Status),
		Attempts: m.Attempts, NextAt: m.NextAt, CreatedAt: m.CreatedAt, ClaimedAt: m.ClaimedAt, SentAt: m.SentAt,
		LastError: m.LastError, Version: m.Version}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// InsertMessage takes the outbox's next sequence and stores m.
func (x Notifications) InsertMessage(ctx context.Context, m notify.Message) (notify.Message, error) {
	seq, err := x.seq.Next(ctx, "outbox")
	if err != nil {
		return notify.Message{}, err
	}
	m.Seq = seq
	if err := x.outbox.Insert(ctx, toMessageDoc(m)); err != nil {
		return notify.Message{}, fmt.Errorf("insert outbox message: %w", err)
	}
	return m, nil
}

// Message reads one message.
func (x Notifications) Message(ctx context.Context, seq int64) (notify.Message, error) {
	var d messageDoc
	if err := x.outbox.Get(ctx, outboxKey(seq), &d); err != nil {
		return notify.Message{}, err
	}
	return notify.Message{Seq: d.Seq, Notification: d.Notification, Recipient: d.Recipient, To: d.To, Lang: d.Lang,
		Kind: notify.Kind(d.Kind), Digest: d.Digest, Subject: d.Subject, Body: d.Body, Status: notify.Status(d.Status),
		Attempts: d.Attempts, NextAt: d.NextAt.UTC(), CreatedAt: d.CreatedAt.UTC(), ClaimedAt: utcPtr(d.ClaimedAt),
		SentAt: utcPtr(d.SentAt), LastError: d.LastError, Version: d.Version}, nil
}

// UpdateMessage is a compare-and-set on the message's version.
func (x Notifications) UpdateMessage(ctx context.Context, m notify.Message, version int64) (bool, error) {
	return x.outbox.ReplaceIf(ctx, versionFilter(outboxKey(m.Seq), version), toMessageDoc(m))
}

const cursorID = "sender"

// OutboxBounds reads the cursor and the outbox's counter.
func (x Notifications) OutboxBounds(ctx context.Context) (first, last int64, err error) {
	var d struct {
		N int64 `bson:"n"`
	}
	if err := x.cursor.Get(ctx, cursorID, &d); err != nil && !isNotFound(err) {
		return 0, 0, err
	}
	last, err = x.seq.Current(ctx, "outbox")
	return max(d.N, 1), last, err
}

// AdvanceOutbox moves the cursor by compare-and-set on its value.
func (x Notifications) AdvanceOutbox(ctx context.Context, from, to int64) error {
	if from <= 1 {
		err := x.cursor.Insert(ctx, bson.D{{Key: "_id", Value: cursorID}, {Key: "n", Value: to}})
		if !failure.Is(err, failure.Conflict) {
			return err
		}
	}
	_, err := x.cursor.Update(ctx, bson.D{{Key: "_id", Value: cursorID}, {Key: "n", Value: from}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: to}}}})
	return err
}

// ForgetRecipient deletes a person's inbox, one notification at a time by
// key, and their preferences; the counters stay (numbers under the opaque
// id, like the audit's), so a notice racing the erasure never reuses a
// number. Absent entries are no error: it may run again.
func (x Notifications) ForgetRecipient(ctx context.Context, recipient string) error {
	size, err := x.InboxSize(ctx, recipient)
	if err != nil {
		return err
	}
	for k := int64(1); k <= size; k++ {
		if err := x.n.Delete(ctx, inboxKey(recipient, k)); err != nil {
			return fmt.Errorf("forget notification %d: %w", k, err)
		}
	}
	return x.prefs.Delete(ctx, recipient)
}
