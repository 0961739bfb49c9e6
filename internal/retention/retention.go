// Package retention removes what the product no longer needs to keep:
// expired refresh tokens and the records of spent token families, web
// sessions over by time, sign-in
// throttle entries with no recent failure, the tombstones of deleted
// needs and erased profiles once the search index has applied them and a
// retention period has passed, old inbox notifications (and the records
// of the causes they told) and finished outbox e-mails. `skillsmatch serve` runs it periodically;
// `skillsmatch retention` runs it once.
package retention

import (
	"context"
	"errors"
	"fmt"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/websession"
	"log/slog"
	"time"
)

// Store is what the job removes from (internal/store implements it). Each
// method scans a collection and removes what its arguments allow; none is
// for a request path.
type Store interface {
	DeleteExpiredRefreshTokens(ctx context.Context, now time.Time) (int, error)
	DeleteSpentFamilies(ctx context.Context, now time.Time) (int, error)
	DeleteIdleThrottleEntries(ctx context.Context, idleSince time.Time) (int, error)
	DeleteNeedTombstones(ctx context.Context, olderThan time.Time, upToSeq int64) (int, error)
	DeleteProfileTombstones(ctx context.Context, olderThan time.Time, upToSeq int64) (int, error)
	// DeleteCardReadCountsBefore removes employers' daily counts of
	// candidate-card reads (internal/candidate) of days before day.
	DeleteCardReadCountsBefore(ctx context.Context, day string) (int, error)
	// DeleteExpiredWebSessions removes the web app's sessions over by
	// time (internal/websession).
	DeleteExpiredWebSessions(ctx context.Context, now time.Time, idle time.Duration) (int, error)
	// DeleteOldNotifications removes inbox entries created before
	// readBefore and read, or before unreadBefore and unread, keeping
	// each recipient's unread count right (internal/notify).
	DeleteOldNotifications(ctx context.Context, readBefore, unreadBefore time.Time) (int, error)
	// DeleteOldCauses removes the records of causes told before before,
	// which keep a cause from being told twice.
	DeleteOldCauses(ctx context.Context, before time.Time) (int, error)
	// DeleteOldMessages removes outbox messages sent before sentBefore, or
	// failed for good with their last attempt before failedBefore; never
	// one still to be sent.
	DeleteOldMessages(ctx context.Context, sentBefore, failedBefore time.Time) (int, error)
}

// Watermarks returns the sequence up to which the search index has applied
// every change of needs and of profiles durably (search.Index.DurableWatermarks:
// for profiles, the start-up snapshot's mark).
type Watermarks func() (needs, profiles int64)

// Config sets the periods.
type Config struct {
	// TombstoneAge is how long a tombstone is kept after the deletion.
	// Beyond the watermark rule it covers what the watermark does not see:
	// an index restored from a backup, a replica's index that lags.
	TombstoneAge time.Duration
	// ThrottleIdle is how long a throttle entry is kept after its latest
	// failure. It must be at least the longest window the sign-in throttle
	// counts failures over, or a removal would forgive failures still
	// counted: auth.ThrottleHorizon, the default.
	ThrottleIdle time.Duration
	// InboxReadAge is how long a read notification is kept after it was
	// made; InboxUnreadAge the same for an unread one, which is kept
	// longer: its owner has not seen it yet.
	InboxReadAge, InboxUnreadAge time.Duration
	// SentAge is how long an e-mail sent is kept in the outbox (its text
	// is already gone: only what and to whom, masked, remains); FailedAge
	// how long one that failed for good is kept after its last attempt, so
	// that officers can still see it at /office/outbox.
	SentAge, FailedAge time.Duration
}

// Days is a number of days as a duration.
func Days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// DefaultConfig keeps tombstones 30 days, throttle entries as long as any
// sign-in limit looks back, read notifications 180 days and unread ones a
// year, sent e-mails 30 days and failed ones 90.
func DefaultConfig() Config {
	return Config{TombstoneAge: Days(30), ThrottleIdle: auth.ThrottleHorizon, InboxReadAge: Days(180),
		InboxUnreadAge: Days(365), SentAge: Days(30), FailedAge: Days(90)}
}

// Job is the retention job.
type Job struct {
	store Store
	marks Watermarks
	cfg   Config
	now   func() time.Time
	log   *slog.Logger
}

// New returns a job. marks may be nil only when the caller has no index:
// then no tombstone is ever removed.
func New(s Store, marks Watermarks, cfg Config, now func() time.Time, log *slog.Logger) *Job {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	def := DefaultConfig()
	for _, p := range []struct{ got, def *time.Duration }{{&cfg.ThrottleIdle, &def.ThrottleIdle}, {&cfg.TombstoneAge, &def.TombstoneAge},
		{&cfg.InboxReadAge, &def.InboxReadAge}, {&cfg.InboxUnreadAge, &def.InboxUnreadAge}, {&cfg.SentAge, &def.SentAge},
		{&cfg.FailedAge, &def.FailedAge}} {
		if *p.got <= 0 {
			*p.got = *p.def
		}
	}
	return &Job{store: s, marks: marks, cfg: cfg, now: now, log: log}
}

// Result counts what one run removed.
type Result struct {
	RefreshTokens     int `json:"refreshTokens"`
	TokenFamilies     int `json:"tokenFamilies"`
	ThrottleEntries   int `json:"throttleEntries"`
	NeedTombstones    int `json:"needTombstones"`
	ProfileTombstones int `json:"profileTombstones"`
	CardReadCounts    int `json:"cardReadCounts"`
	WebSessions       int `json:"webSessions"`
	Notifications     int `json:"notifications"`
	CausesTold        int `json:"causesTold"`
	OutboxMessages    int `json:"outboxMessages"`
}

// Run removes everything due at the job's clock. A failing step does not
// stop the others; the errors are returned together with what was removed.
func (j *Job) Run(ctx context.Context) (Result, error) {
	now := j.now().UTC()
	var res Result
	var errs []error
	step := func(name string, n *int, fn func() (int, error)) {
		var err error
		if *n, err = fn(); err != nil {
			errs = append(errs, fmt.Errorf("retention: %s: %w", name, err))
		}
	}
	step("refresh tokens", &res.RefreshTokens, func() (int, error) { return j.store.DeleteExpiredRefreshTokens(ctx, now) })
	step("token families", &res.TokenFamilies, func() (int, error) { return j.store.DeleteSpentFamilies(ctx, now) })
	step("throttle entries", &res.ThrottleEntries, func() (int, error) {
		return j.store.DeleteIdleThrottleEntries(ctx, now.Add(-j.cfg.ThrottleIdle))
	})
	// Counts are per UTC day: a past day's count bounds nothing.
	step("card read counts", &res.CardReadCounts, func() (int, error) {
		return j.store.DeleteCardReadCountsBefore(ctx, now.Format(time.DateOnly))
	})
	step("web sessions", &res.WebSessions, func() (int, error) {
		return j.store.DeleteExpiredWebSessions(ctx, now, websession.DefaultIdleTimeout)
	})
	step("notifications", &res.Notifications, func() (int, error) {
		return j.store.DeleteOldNotifications(ctx, now.Add(-j.cfg.InboxReadAge), now.Add(-j.cfg.InboxUnreadAge))
	})
	// A cause is remembered as long as an unread notice of it may be kept.
	step("causes told", &res.CausesTold, func() (int, error) {
		return j.store.DeleteOldCauses(ctx, now.Add(-j.cfg.InboxUnreadAge))
	})
	step("outbox messages", &res.OutboxMessages, func() (int, error) {
		return j.store.DeleteOldMessages(ctx, now.Add(-j.cfg.SentAge), now.Add(-j.cfg.FailedAge))
	})
	if j.marks != nil {
		// Read once, before the scans: a tombstone written after this
		// read has a higher sequence and is kept.
		needMark, profMark := j.marks()
		olderThan := now.Add(-j.cfg.TombstoneAge)
		step("need tombstones", &res.NeedTombstones, func() (int, error) {
			return j.store.DeleteNeedTombstones(ctx, olderThan, needMark)
		})
		step("profile tombstones", &res.ProfileTombstones, func() (int, error) {
			return j.store.DeleteProfileTombstones(ctx, olderThan, profMark)
		})
	}
	return res, errors.Join(errs...)
}

// RunLogged runs the job once and logs its result; it is the work of the
// "retention" lease (internal/lease), which runs it once per period on one
// replica.
func (j *Job) RunLogged(ctx context.Context) error {
	begin := time.Now()
	res, err := j.Run(ctx)
	if err != nil {
		return fmt.Errorf("retention (removed %+v): %w", res, err)
	}
	j.log.Info("retention", "removed", res, "took", time.Since(begin).Round(time.Millisecond).String())
	return nil
}
