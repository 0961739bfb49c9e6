package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Retention of the account collections, for the retention job. Each reads
// its whole collection (Scan), so it is for a background job, never a
// request path; each deletion is by key.

// DeleteExpired removes the refresh tokens that expired before `before`,
// and the revoked families revoked before before−ttl: every token of such
// a family was issued before its revocation and so expired by then. It
// returns how many documents it removed.
func (s Sessions) DeleteExpired(ctx context.Context, before time.Time, ttl time.Duration) (int, error) {
	tokens, err := scanIDs(ctx, s.tokens, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("expired refresh tokens: %w", err)
	}
	families, err := scanIDs(ctx, s.families, bson.D{{Key: "revokedAt", Value: bson.D{{Key: "$lt", Value: before.Add(-ttl).UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("old token families: %w", err)
	}
	n := 0
	for _, c := range []struct {
		coll Collection
		ids  []string
	}{{s.tokens, tokens}, {s.families, families}} {
		for _, id := range c.ids {
			if err := c.coll.Delete(ctx, id); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// DeleteIdle removes the throttle entries with no attempt since `before`
// (pass now minus auth.ThrottleHorizon: no limit looks further back). An
// attempt recorded between the read and the deletion is lost with the
// entry: at worst one attempt goes uncounted.
func (t Throttle) DeleteIdle(ctx context.Context, before time.Time) (int, error) {
	var idle []string
	err := t.c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d throttleDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		if len(recent(d.Failures, before.Add(-time.Nanosecond))) == 0 {
			idle = append(idle, d.Key)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("idle throttle entries: %w", err)
	}
	for i, key := range idle {
		if err := t.c.Delete(ctx, key); err != nil {
			return i, err
		}
	}
	return len(idle), nil
}

// scanIDs returns the _id of every document matching filter.
func scanIDs(ctx context.Context, c Collection, filter bson.D) ([]string, error) {
	var ids []string
	err := c.Scan(ctx, filter, func(cur *mongo.Cursor) error {
		id, ok := cur.Current.Lookup("_id").StringValueOK()
		if ok {
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}
