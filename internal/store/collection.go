package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/careget/skillsmatch/internal/failure"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection is a key-value view of one MongoDB collection: every method
// addresses documents by _id or by a unique-indexed field, and every write
// goes through the store's write lock.
type Collection struct {
	s    *Store
	c    *mongo.Collection
	what string // a noun for error messages: "user", "need"
}

// Collection returns the named collection; what names its documents in errors.
func (s *Store) Collection(name, what string) Collection {
	return Collection{s: s, c: s.db.Collection(name), what: what}
}

// Unique ensures a unique index on the given keys (ascending).
func (c Collection) Unique(ctx context.Context, name string, keys ...string) error {
	var spec bson.D
	for _, k := range keys {
		spec = append(spec, bson.E{Key: k, Value: 1})
	}
	return c.s.write(func() error {
		_, err := c.c.Indexes().CreateOne(ctx, mongo.IndexModel{
			Keys:    spec,
			Options: options.Index().SetUnique(true).SetName(name),
		})
		if err != nil {
			return fmt.Errorf("create unique index %s on %s: %w", name, c.c.Name(), err)
		}
		return nil
	})
}

// Insert adds doc; a duplicate _id or unique value is a failure.Conflict.
func (c Collection) Insert(ctx context.Context, doc any) error {
	return c.s.write(func() error {
		_, err := c.c.InsertOne(ctx, doc)
		return c.translate(err, "insert")
	})
}

// InsertMany adds docs in one call; the bulk path for imports and demos.
func (c Collection) InsertMany(ctx context.Context, docs []any) error {
	if len(docs) == 0 {
		return nil
	}
	return c.s.write(func() error {
		_, err := c.c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		return c.translate(err, "insert many")
	})
}

// Get decodes the document with the given _id into out.
func (c Collection) Get(ctx context.Context, id string, out any) error {
	return c.GetBy(ctx, "_id", id, out)
}

// GetBy decodes the document whose key field equals value into out. The
// field must be _id or uniquely indexed, or the embedded store scans.
func (c Collection) GetBy(ctx context.Context, field string, value any, out any) error {
	err := c.c.FindOne(ctx, bson.D{{Key: field, Value: value}}).Decode(out)
	return c.translate(err, "find")
}

// Replace replaces the document with doc's _id, inserting it if absent.
func (c Collection) Replace(ctx context.Context, id string, doc any) error {
	return c.s.write(func() error {
		_, err := c.c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true))
		return c.translate(err, "replace")
	})
}

// Update applies update to the one document matching filter (which must
// include _id) and reports whether one matched. Extra filter fields make it
// a compare-and-set.
func (c Collection) Update(ctx context.Context, filter, update bson.D) (bool, error) {
	var matched bool
	err := c.s.write(func() error {
		res, err := c.c.UpdateOne(ctx, filter, update)
		if err != nil {
			return c.translate(err, "update")
		}
		matched = res.MatchedCount == 1
		return nil
	})
	return matched, err
}

// ReplaceIf replaces the one document matching filter (which must include
// _id) with doc and reports whether one matched: a compare-and-set of a
// whole document.
func (c Collection) ReplaceIf(ctx context.Context, filter bson.D, doc any) (bool, error) {
	var matched bool
	err := c.s.write(func() error {
		res, err := c.c.ReplaceOne(ctx, filter, doc)
		if err != nil {
			return c.translate(err, "replace")
		}
		matched = res.MatchedCount == 1
		return nil
	})
	return matched, err
}

// FindOneAndUpdate applies update to the document matching filter and
// decodes the document after the update into out. With upsert, a missing
// document is created. No match is failure.NotFound.
func (c Collection) FindOneAndUpdate(ctx context.Context, filter, update bson.D, upsert bool, out any) error {
	return c.s.write(func() error {
		opts := options.FindOneAndUpdate().SetReturnDocument(options.After).SetUpsert(upsert)
		err := c.c.FindOneAndUpdate(ctx, filter, update, opts).Decode(out)
		return c.translate(err, "find and update")
	})
}

// Delete removes the document with the given _id; absent is not an error.
func (c Collection) Delete(ctx context.Context, id string) error {
	return c.s.write(func() error {
		_, err := c.c.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
		return c.translate(err, "delete")
	})
}

// Scan calls fn for every document matching filter, in no particular
// order (a sort would make the embedded store sort the whole collection).
// It reads the whole collection and is for start-up, rebuilds and
// exports — never for a request path.
func (c Collection) Scan(ctx context.Context, filter bson.D, fn func(cur *mongo.Cursor) error) error {
	if filter == nil {
		filter = bson.D{}
	}
	cur, err := c.c.Find(ctx, filter, options.Find().SetBatchSize(1000))
	if err != nil {
		return c.translate(err, "scan")
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if err := fn(cur); err != nil {
			return err
		}
	}
	return c.translate(cur.Err(), "scan")
}

func (c Collection) translate(err error, op string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return failure.NotFoundf(c.what)
	case mongo.IsDuplicateKeyError(err):
		return &failure.Error{Kind: failure.Conflict, Code: "duplicate", Detail: c.what + " already exists", Err: err}
	default:
		return fmt.Errorf("%s %s in %s: %w", op, c.what, c.c.Name(), err)
	}
}
