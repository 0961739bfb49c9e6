package store

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/websession"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Retention removes records that have outlived their use: expired refresh
// tokens, revoked token families none of whose tokens is still valid,
// sign-in throttle entries with no recent failure, and old tombstones. Its
// methods scan whole collections: they are for the retention job in the
// background (internal/retention), never for a request path. Each removal
// is one delete by _id — an index search on the embedded store, under the
// write lock for that one document — so requests interleave with a long
// clean-up, and each is a compare-and-set on what the scan saw, so a
// document that changed since is left alone.
type Retention struct{ s *Store }

// Retention returns the store's clean-up operations.
func (s *Store) Retention() Retention { return Retention{s} }

// DeleteExpiredRefreshTokens removes refresh tokens that expired at or
// before now; an expired token is refused anyway, so nothing is lost but
// the record. It returns how many it removed.
func (r Retention) DeleteExpiredRefreshTokens(ctx context.Context, now time.Time) (int, error) {
	tokens := r.s.Sessions().tokens
	var expired []string
	err := tokens.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d refreshDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode refresh token: %w", err)
		}
		if !d.ExpiresAt.After(now) {
			expired = append(expired, d.Hash)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan refresh tokens: %w", err)
	}
	// A token's expiry never changes, so _id alone decides (an operator
	// in the filter would make the embedded store scan per delete).
	return r.deleteEach(ctx, tokens, expired, func(id string) bson.D {
		return bson.D{{Key: "_id", Value: id}}
	})
}

// DeleteSpentFamilies removes the records of revoked token families that
// hold no token valid at now: nothing is left for the revocation to refuse.
// Families are read before tokens, so a family revoked during the scan is
// kept until the next run, and a revoked family is issued no new tokens.
func (r Retention) DeleteSpentFamilies(ctx context.Context, now time.Time) (int, error) {
	sessions := r.s.Sessions()
	var families []string
	err := sessions.families.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d struct {
			ID string `bson:"_id"`
		}
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode token family: %w", err)
		}
		families = append(families, d.ID)
		return nil
	})
	if err != nil || len(families) == 0 {
		return 0, err
	}
	live := map[string]bool{}
	err = sessions.tokens.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d refreshDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode refresh token: %w", err)
		}
		if d.ExpiresAt.After(now) {
			live[d.Family] = true
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan refresh tokens: %w", err)
	}
	var spent []string
	for _, f := range families {
		if !live[f] {
			spent = append(spent, f)
		}
	}
	return r.deleteEach(ctx, sessions.families, spent, func(id string) bson.D {
		return bson.D{{Key: "_id", Value: id}}
	})
}

// DeleteIdleThrottleEntries removes sign-in throttle entries whose latest
// failure is at or before idleSince: they no longer slow anyone down. An
// entry that gained a failure since the scan (its version moved) is kept.
func (r Retention) DeleteIdleThrottleEntries(ctx context.Context, idleSince time.Time) (int, error) {
	c := r.s.Throttle().c
	type seen struct {
		key     string
		version int64
	}
	var idle []seen
	err := c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d throttleDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode throttle entry: %w", err)
		}
		if len(recent(d.Failures, idleSince)) == 0 {
			idle = append(idle, seen{d.Key, d.Version})
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan throttle entries: %w", err)
	}
	versions := make(map[string]int64, len(idle))
	keys := make([]string, len(idle))
	for i, x := range idle {
		keys[i], versions[x.key] = x.key, x.version
	}
	return r.deleteEach(ctx, c, keys, func(id string) bson.D {
		return bson.D{{Key: "_id", Value: id}, {Key: "v", Value: versions[id]}}
	})
}

// DeleteCardReadCountsBefore removes the daily counts of candidate-card
// reads of days before day (YYYY-MM-DD).
func (r Retention) DeleteCardReadCountsBefore(ctx context.Context, day string) (int, error) {
	return r.s.CardReads().ForgetBefore(ctx, day)
}

// DeleteNeedTombstones removes tombstones of deleted needs last written
// before olderThan whose sequence is at or below upToSeq — the search
// index's watermark, so the index has already applied the deletion and
// its start-up catch-up will never need the tombstone.
func (r Retention) DeleteNeedTombstones(ctx context.Context, olderThan time.Time, upToSeq int64) (int, error) {
	return r.deleteTombstones(ctx, r.s.Needs().c, "deleted", olderThan, upToSeq)
}

// DeleteProfileTombstones is DeleteNeedTombstones for erased profiles.
func (r Retention) DeleteProfileTombstones(ctx context.Context, olderThan time.Time, upToSeq int64) (int, error) {
	return r.deleteTombstones(ctx, r.s.Profiles().c, "erased", olderThan, upToSeq)
}

func (r Retention) deleteTombstones(ctx context.Context, c Collection, flag string, olderThan time.Time, upToSeq int64) (int, error) {
	type tomb struct {
		ID        string    `bson:"_id"`
		Seq       int64     `bson:"seq"`
		UpdatedAt time.Time `bson:"updatedAt"`
	}
	seqs := map[string]int64{}
	var ids []string
	err := c.Scan(ctx, bson.D{{Key: flag, Value: true}}, func(cur *mongo.Cursor) error {
		var d tomb
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode tombstone: %w", err)
		}
		if d.Seq <= upToSeq && d.UpdatedAt.Before(olderThan) {
			ids, seqs[d.ID] = append(ids, d.ID), d.Seq
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan %s tombstones: %w", c.what, err)
	}
	return r.deleteEach(ctx, c, ids, func(id string) bson.D {
		return bson.D{{Key: "_id", Value: id}, {Key: flag, Value: true}, {Key: "seq", Value: seqs[id]}}
	})
}

// deleteEach deletes each id's document if it still matches filter(id),
// one at a time, and returns how many it deleted.
func (r Retention) deleteEach(ctx context.Context, c Collection, ids []string, filter func(id string) bson.D) (int, error) {
	n := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		ok, err := c.retentionDelete(ctx, filter(id))
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// retentionDelete deletes the one document matching filter (which starts
// with _id), a compare-and-set like Update: on the embedded store the
// other fields are checked under the write lock after a read by _id.
func (c Collection) retentionDelete(ctx context.Context, filter bson.D) (bool, error) {
	var deleted bool
	err := c.write(ctx, func() error {
		filter, ok, err := c.byKey(ctx, filter)
		if err != nil || !ok {
			return err
		}
		res, err := c.c.DeleteOne(ctx, filter)
		if err != nil {
			return c.translate(err, "delete")
		}
		deleted = res.DeletedCount == 1
		return nil
	})
	return deleted, err
}

// DeleteExpiredWebSessions removes web sessions that are over by time at
// now (websession.Expired: idle for idle, or past their absolute end).
// Each removal is a compare-and-set on the last-seen time the scan read,
// so a session used since is kept.
func (r Retention) DeleteExpiredWebSessions(ctx context.Context, now time.Time, idle time.Duration) (int, error) {
	c := r.s.WebSessions().c
	seen := map[string]time.Time{}
	var expired []string
	err := c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d webSessionDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode web session: %w", err)
		}
		if websession.Expired(d.toDomain(), now, idle) {
			expired = append(expired, d.Hash)
			seen[d.Hash] = d.LastSeen
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan web sessions: %w", err)
	}
	return r.deleteEach(ctx, c, expired, func(id string) bson.D {
		return bson.D{{Key: "_id", Value: id}, {Key: "lastSeen", Value: seen[id]}}
	})
}

// DeleteOldNotifications removes inbox entries (internal/notify) created
// before readBefore that were read, and those created before unreadBefore
// that were not. A read entry is deleted by _id and its readAt as the scan
// saw it; an unread one by _id and readAt unset, so one marked read
// meanwhile is left for the next run (then by the read period), and each
// unread one deleted is then taken off its recipient's unread count, which
// marking it read can no longer do. Each one deleted is counted in its
// recipient's "gone" counter (Notifications.InboxGone), which the inbox's
// total and pages leave out.
func (r Retention) DeleteOldNotifications(ctx context.Context, readBefore, unreadBefore time.Time) (int, error) {
	x := r.s.Notifications()
	readAt := map[string]*time.Time{}
	recipient := map[string]string{}
	var ids []string
	err := x.n.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d notificationDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode notification: %w", err)
		}
		if (d.ReadAt != nil && d.CreatedAt.Before(readBefore)) || (d.ReadAt == nil && d.CreatedAt.Before(unreadBefore)) {
			ids = append(ids, d.ID)
			readAt[d.ID], recipient[d.ID] = d.ReadAt, d.Recipient
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan notifications: %w", err)
	}
	n := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		filter := bson.D{{Key: "_id", Value: id}, {Key: "readAt", Value: nil}}
		if at := readAt[id]; at != nil {
			filter[1].Value = *at
		}
		ok, err := x.n.retentionDelete(ctx, filter)
		if err != nil {
			return n, fmt.Errorf("delete notification %s: %w", id, err)
		}
		if !ok {
			continue
		}
		n++
		if _, err := x.seq.Next(ctx, "inboxgone/"+recipient[id]); err != nil {
			return n, fmt.Errorf("count notification %s gone: %w", id, err)
		}
		if readAt[id] == nil {
			if err := x.uncount(ctx, recipient[id]); err != nil {
				return n, fmt.Errorf("uncount notification %s: %w", id, err)
			}
		}
	}
	return n, nil
}

// DeleteOldCauses removes the records of causes told (Notifications.FirstTime)
// made before before. The retention job passes the unread period, the
// longest a notice is kept: by then every notice of the cause is gone, and
// the only cause that can come again is an outcome still overdue after it
// (told again, as it still is). A record never changes, so _id alone
// decides.
func (r Retention) DeleteOldCauses(ctx context.Context, before time.Time) (int, error) {
	c := r.s.Notifications().causes
	var ids []string
	err := c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d struct {
			ID string    `bson:"_id"`
			At time.Time `bson:"at"`
		}
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode notified cause: %w", err)
		}
		if d.At.Before(before) {
			ids = append(ids, d.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan notified causes: %w", err)
	}
	return r.deleteEach(ctx, c, ids, func(id string) bson.D { return bson.D{{Key: "_id", Value: id}} })
}

// DeleteOldMessages removes outbox messages (internal/notify) that are
// finished: sent before sentBefore, or failed (or uncertain) with their last
// attempt — else their queueing — before failedBefore. Pending and sending
// messages are never removed; the sender and the officers' outbox page
// take a missing message as finished. Each removal is a compare-and-set on
// the version the scan saw.
func (r Retention) DeleteOldMessages(ctx context.Context, sentBefore, failedBefore time.Time) (int, error) {
	c := r.s.Notifications().outbox
	versions := map[string]int64{}
	var ids []string
	err := c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d messageDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode outbox message: %w", err)
		}
		if finishedBefore(d, sentBefore, failedBefore) {
			ids, versions[d.ID] = append(ids, d.ID), d.Version
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan outbox: %w", err)
	}
	return r.deleteEach(ctx, c, ids, func(id string) bson.D {
		return bson.D{{Key: "_id", Value: id}, {Key: "v", Value: versions[id]}}
	})
}

// finishedBefore reports whether an outbox message is finished and old
// enough to go.
func finishedBefore(d messageDoc, sentBefore, failedBefore time.Time) bool {
	last := d.CreatedAt
	switch notify.Status(d.Status) {
	case notify.Sent:
		if d.SentAt != nil {
			last = *d.SentAt
		}
		return last.Before(sentBefore)
	case notify.Failed, notify.Uncertain:
		if d.ClaimedAt != nil {
			last = *d.ClaimedAt
		}
		return last.Before(failedBefore)
	}
	return false
}
