package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// The change sequence on the embedded store. Collection.Ordered asks
// FerretDB for an index on seq, which it makes on _ferretdb_sjson->"seq":
// the JSON text of the number, which sorts '10' before '9', and which
// FerretDB itself never searches (it pushes down {_id} filters only). So a
// read of what was written past a sequence — the search index's start
// from its snapshot — decoded every document of the collection in Go.
// orderedIndex rebuilds that index, under FerretDB's name, on
// _ferretdb_sjson->>'$.seq' (the number as an SQLite integer, missing for
// documents of old without seq, as $gt skips them), and idsAfter searches
// it; the documents are then read by _id through the driver. It is still
// one index per collection, so writes cost what they did.

// orderedExpr is the expression of the rebuilt index on field.
func orderedExpr(field string) string {
	return fmt.Sprintf("%s->>'$.%s'", sjsonColumn, field)
}

// orderedIndex makes the collection's <field>_order index one SQLite can
// range-search by number; it is idempotent.
func (f *sqliteFiles) orderedIndex(ctx context.Context, dbName, coll, field string) error {
	tbl, err := f.table(ctx, dbName, coll)
	if err != nil || tbl == "" {
		return err
	}
	db, err := f.open(dbName)
	if err != nil || db == nil {
		return err
	}
	index := tbl + "_" + field + "_order" // FerretDB's name: the table, "_", the index name
	want := fmt.Sprintf("CREATE INDEX %q ON %q (%s)", index, tbl, orderedExpr(field))
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		var have string
		switch err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, index).Scan(&have); {
		case errors.Is(err, sql.ErrNoRows): // FerretDB made none: leave its metadata alone
			return nil
		case err != nil:
			return err
		case have == want:
			return nil
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("DROP INDEX %q", index)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, want)
		return err
	})
	if err != nil {
		return fmt.Errorf("rebuild %s_order index of %s.%s: %w", field, dbName, coll, err)
	}
	return nil
}

// afterSQL selects the _id of every document whose field is above a number,
// searching the rebuilt index.
func afterSQL(tbl, field string) string {
	return fmt.Sprintf(`SELECT %s->>'$._id' FROM %q WHERE %s > ?`, sjsonColumn, tbl, orderedExpr(field))
}

// idsAfter returns the _id of every document of coll whose field is above
// seq.
func (f *sqliteFiles) idsAfter(ctx context.Context, dbName, coll, field string, seq int64) ([]string, error) {
	tbl, err := f.table(ctx, dbName, coll)
	if err != nil || tbl == "" {
		return nil, err
	}
	db, err := f.open(dbName)
	if err != nil || db == nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, afterSQL(tbl, strings.ReplaceAll(field, "'", "''")), seq)
	if err != nil {
		return nil, fmt.Errorf("find %s.%s after %s %d: %w", dbName, coll, field, seq, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// maxReadsByKey bounds the documents scanAfter reads one by one (about
// 0.5 ms each); past it, one scan of the collection is cheaper.
const maxReadsByKey = 20_000

// scanAfter calls fn for every document written after sequence seq. On
// the embedded store it finds them through the seq index and reads each
// by _id; elsewhere (MongoDB, which has the index) it filters.
func (c Collection) scanAfter(ctx context.Context, seq int64, fn func(cur *mongo.Cursor) error) error {
	if c.s.files == nil || seq < 0 {
		return c.Scan(ctx, afterFilter(seq), fn)
	}
	ids, err := c.s.files.idsAfter(ctx, c.s.db.Name(), c.c.Name(), "seq", seq)
	if err != nil {
		return err
	}
	if len(ids) > maxReadsByKey {
		return c.Scan(ctx, afterFilter(seq), fn)
	}
	for _, id := range ids {
		err := c.read(ctx, id, fn)
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) { // removed since (retention): nothing to follow
			return err
		}
	}
	return nil
}

// read calls fn with a cursor on the one document id.
func (c Collection) read(ctx context.Context, id string, fn func(cur *mongo.Cursor) error) error {
	cur, err := c.c.Find(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return c.translate(err, "find")
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if err := fn(cur); err != nil {
			return err
		}
	}
	return c.translate(cur.Err(), "find")
}
