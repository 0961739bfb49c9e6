package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

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
	return c.write(ctx, func() error {
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

// Ordered ensures a plain ascending index on field: the change sequence
// that replicas poll on MongoDB (the embedded store, which one process
// owns, is never polled).
func (c Collection) Ordered(ctx context.Context, field string) error {
	return c.write(ctx, func() error {
		_, err := c.c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: field, Value: 1}},
			Options: options.Index().SetName(field + "_order")})
		if err != nil {
			return fmt.Errorf("create index %s_order on %s: %w", field, c.c.Name(), err)
		}
		if c.s.files != nil { // searchable by number on the embedded store (sqlite_seq.go)
			return c.s.files.orderedIndex(ctx, c.s.db.Name(), c.c.Name(), field)
		}
		return nil
	})
}

// Insert adds doc; a duplicate _id or unique value is a failure.Conflict.
func (c Collection) Insert(ctx context.Context, doc any) error {
	return c.write(ctx, func() error {
		_, err := c.c.InsertOne(ctx, doc)
		return c.translate(err, "insert")
	})
}

// InsertMany adds docs in one call; the bulk path for imports and demos.
func (c Collection) InsertMany(ctx context.Context, docs []any) error {
	if len(docs) == 0 {
		return nil
	}
	return c.write(ctx, func() error {
		_, err := c.c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		return c.translate(err, "insert many")
	})
}

// Get decodes the document with the given _id into out.
func (c Collection) Get(ctx context.Context, id string, out any) error {
	err := c.c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(out)
	return c.translate(err, "find")
}

// GetBy decodes the document whose key field equals value into out. The
// field must be _id or uniquely indexed (Unique). On the embedded store a
// string value of a top-level field is found by searching the field's
// unique index in SQLite, then the document by _id (see sqliteFiles):
// FerretDB itself would decode every document of the collection.
func (c Collection) GetBy(ctx context.Context, field string, value any, out any) error {
	if str, ok := value.(string); ok && field != "_id" && c.s.files != nil && plainField(field) {
		err := c.getByIndex(ctx, field, str, out)
		if !errors.Is(err, errNoPushdown) {
			return err
		}
	}
	err := c.c.FindOne(ctx, bson.D{{Key: field, Value: value}}).Decode(out)
	return c.translate(err, "find")
}

func (c Collection) getByIndex(ctx context.Context, field, value string, out any) error {
	// A document can change between the index search and the read by _id;
	// the read checks the field, and a few retries settle a race.
	for range 3 {
		id, found, err := c.s.files.lookup(ctx, c.s.db.Name(), c.c.Name(), field, value)
		if err != nil {
			return err
		}
		if !found {
			return failure.NotFoundf(c.what)
		}
		var raw bson.Raw
		err = c.c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&raw)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		} else if err != nil {
			return c.translate(err, "find")
		}
		if got, ok := raw.Lookup(field).StringValueOK(); !ok || got != value {
			continue
		}
		return c.translate(bson.Unmarshal(raw, out), "decode")
	}
	return failure.NotFoundf(c.what)
}

// plainField reports whether a field name is a top-level name of letters,
// digits and underscores: the names the index search writes into SQL.
func plainField(f string) bool {
	for _, r := range f {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return f != ""
}

// Put writes doc whole under id, creating it if absent. It is only for
// documents written whole from outside input and never read, modified and
// written back, tombstoned or versioned (imported taxonomy labels): an
// upsert would bring a deleted document back and overwrite a concurrent
// change. Request paths create with Insert and change with ReplaceIf on a
// version, or with Update of single fields.
func (c Collection) Put(ctx context.Context, id string, doc any) error {
	return c.write(ctx, func() error {
		_, err := c.c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true))
		return c.translate(err, "put")
	})
}

// Update applies update to the one document matching filter (which must
// include _id) and reports whether one matched. Extra filter fields make it
// a compare-and-set.
func (c Collection) Update(ctx context.Context, filter, update bson.D) (bool, error) {
	var matched bool
	err := c.write(ctx, func() error {
		filter, ok, err := c.byKey(ctx, filter)
		if err != nil || !ok {
			return err
		}
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
	err := c.write(ctx, func() error {
		filter, ok, err := c.byKey(ctx, filter)
		if err != nil || !ok {
			return err
		}
		res, err := c.c.ReplaceOne(ctx, filter, doc)
		if err != nil {
			return c.translate(err, "replace")
		}
		matched = res.MatchedCount == 1
		return nil
	})
	return matched, err
}

// versionFilter is the compare-and-set filter {_id: id, v: version} of a
// versioned document, with any extra conditions (a tombstone flag that
// must be absent). Version 0 is a document without a v field — written
// before documents had versions, or by a bulk load — which {v: null}
// matches, on MongoDB as in byKey.
func versionFilter(id string, version int64, extra ...bson.E) bson.D {
	var v any = version
	if version == 0 {
		v = nil
	}
	return append(bson.D{{Key: "_id", Value: id}, {Key: "v", Value: v}}, extra...)
}

// lostWrite says why a compare-and-set of the document id matched
// nothing: failure.NotFound when it is absent or a tombstone (tombField
// set), else failure.Stale — another write changed its version first.
func (c Collection) lostWrite(ctx context.Context, id, tombField string) error {
	var raw bson.Raw
	if err := c.Get(ctx, id, &raw); err != nil {
		return err
	}
	if tombField != "" {
		if dead, _ := raw.Lookup(tombField).BooleanOK(); dead {
			return failure.NotFoundf(c.what)
		}
	}
	return failure.Stale(c.what)
}

// FindOneAndUpdate applies update to the document matching filter and
// decodes the document after the update into out. With upsert, a missing
// document is created. No match is failure.NotFound.
func (c Collection) FindOneAndUpdate(ctx context.Context, filter, update bson.D, upsert bool, out any) error {
	return c.write(ctx, func() error {
		opts := options.FindOneAndUpdate().SetReturnDocument(options.After).SetUpsert(upsert)
		err := c.c.FindOneAndUpdate(ctx, filter, update, opts).Decode(out)
		return c.translate(err, "find and update")
	})
}

// Delete removes the document with the given _id; absent is not an error.
func (c Collection) Delete(ctx context.Context, id string) error {
	return c.write(ctx, func() error {
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

// write runs fn under the store's write lock, after preparing the
// collection on the embedded store (Store.prepare).
func (c Collection) write(ctx context.Context, fn func() error) error {
	return c.s.write(func() error {
		if err := c.s.prepare(ctx, c.c.Name()); err != nil {
			return fmt.Errorf("prepare %s: %w", c.c.Name(), err)
		}
		return fn()
	})
}

// byKey turns a compare-and-set filter — {_id: id, field: value, ...} —
// into {_id: id} on the serialised embedded store, after checking the other
// fields on the document read by _id, and reports whether the document
// matched. FerretDB searches (since Store.prepare, by index) only a filter
// that is exactly {_id: x}, and tests any other filter on every document
// of the collection, decoded in Go. The check and the write that follows
// are one step because the caller holds the write lock, which every write
// to the embedded store takes. Filters it cannot judge exactly like
// MongoDB (operators, dotted paths, arrays, sub-documents) go to the
// server unchanged, as they do on MongoDB.
func (c Collection) byKey(ctx context.Context, filter bson.D) (bson.D, bool, error) {
	if !c.s.serial || c.s.files == nil || len(filter) < 2 {
		return filter, true, nil
	}
	var id string
	var rest bson.D
	for _, e := range filter {
		if s, ok := e.Value.(string); ok && e.Key == "_id" && id == "" {
			id = s
		} else {
			rest = append(rest, e)
		}
	}
	if id == "" {
		return filter, true, nil
	}
	var doc bson.Raw
	err := c.c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, c.translate(err, "find")
	}
	for _, e := range rest {
		match, decided := fieldEquals(doc, e.Key, e.Value)
		if !decided {
			return filter, true, nil
		}
		if !match {
			return nil, false, nil
		}
	}
	return bson.D{{Key: "_id", Value: id}}, true, nil
}

// fieldEquals tests doc against the filter condition {key: want} as MongoDB
// does, for the cases it can decide: a top-level field and a scalar want;
// null matches a missing field; numbers compare by value across int32,
// int64 and double.
func fieldEquals(doc bson.Raw, key string, want any) (match, decided bool) {
	if key == "" || key[0] == '$' || strings.Contains(key, ".") {
		return false, false
	}
	t, data, err := bson.MarshalValue(want)
	if err != nil {
		return false, false
	}
	w := bson.RawValue{Type: t, Value: data}
	got := doc.Lookup(key) // the zero value when the field is missing
	switch {
	case got.Type == 0:
		return w.Type == bson.TypeNull, true
	case w.Type == bson.TypeNull:
		return got.Type == bson.TypeNull, got.Type != bson.TypeArray // an array holding null would match
	case got.Type == bson.TypeArray || got.Type == bson.TypeEmbeddedDocument:
		return false, false
	case isNumber(w.Type) && isNumber(got.Type):
		return numbersEqual(w, got), true
	}
	switch w.Type {
	case bson.TypeString, bson.TypeBoolean, bson.TypeDateTime, bson.TypeObjectID:
		return w.Type == got.Type && bytes.Equal(w.Value, got.Value), true
	}
	return false, false
}

func isNumber(t bson.Type) bool {
	return t == bson.TypeInt32 || t == bson.TypeInt64 || t == bson.TypeDouble
}

func numbersEqual(a, b bson.RawValue) bool {
	if a.Type == bson.TypeDouble || b.Type == bson.TypeDouble {
		return a.AsFloat64() == b.AsFloat64()
	}
	return a.AsInt64() == b.AsInt64()
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
