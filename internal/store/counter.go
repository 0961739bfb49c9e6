package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Counters hands out increasing numbers per name. The search indexer
// follows each collection's counter as a watermark, so a counter must never
// hand out the same number twice, which needs the write lock on the
// embedded store.
type Counters struct{ c Collection }

// Counters returns the counters collection.
func (s *Store) Counters() Counters { return Counters{s.Collection("counters", "counter")} }

// Next increments the named counter and returns its new value (1 first).
func (c Counters) Next(ctx context.Context, name string) (int64, error) {
	var doc struct {
		N int64 `bson:"n"`
	}
	err := c.c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: name}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}}, true, &doc)
	if err != nil {
		return 0, fmt.Errorf("next %s: %w", name, err)
	}
	return doc.N, nil
}

// Current returns the counter's value without changing it (0 if unused).
func (c Counters) Current(ctx context.Context, name string) (int64, error) {
	var doc struct {
		N int64 `bson:"n"`
	}
	err := c.c.Get(ctx, name, &doc)
	if err != nil && !isNotFound(err) {
		return 0, err
	}
	return doc.N, nil
}

// Reserve adds n to the named counter in one increment and returns the
// first value of the block it reserved: the caller owns first..first+n-1.
// It is the bulk form of Next (Reserve(ctx, name, 1) equals Next).
func (c Counters) Reserve(ctx context.Context, name string, n int64) (first int64, err error) {
	if n < 1 {
		return 0, errors.New("reserve " + name + ": n must be at least 1")
	}
	var doc struct {
		N int64 `bson:"n"`
	}
	err = c.c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: name}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: n}}}}, true, &doc)
	if err != nil {
		return 0, fmt.Errorf("reserve %d of %s: %w", n, name, err)
	}
	return doc.N - n + 1, nil
}
