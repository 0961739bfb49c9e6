package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // the SQLite FerretDB uses, for the files below
)

// The embedded FerretDB v1.24 keeps each database in one SQLite file,
// <dir>/<database>.sqlite, in WAL mode: each collection is a table with one
// JSON column, _ferretdb_sjson, and each index an SQLite expression index
// on it (unique e-mail: _ferretdb_sjson->"email"). Its table of collections,
// _ferretdb_collections, maps collection names to table names. On that
// layout FerretDB itself makes every key look-up a scan:
//
//   - It pushes a filter down to SQLite only when the filter is exactly
//     {_id: <string or ObjectId>}, and then asks for
//     _ferretdb_sjson->'$._id' = ? while the _id index it made is on
//     _ferretdb_sjson->"_id". SQLite matches index expressions by their
//     text, so it reads the table until the row (EXPLAIN QUERY PLAN: SCAN):
//     1 ms for the first of 100,000 accounts, 0.8 s for the last.
//   - Any other filter — {email: x}, or {_id: x, v: n} for a
//     compare-and-set — is not pushed down at all: FerretDB decodes every
//     document in Go and tests it (7 s per look-up at 100,000 accounts).
//
// sqliteFiles opens the same files through a second connection pool (WAL
// lets readers and a writer share a file; FerretDB's writes commit before
// it answers, so a read that follows sees them) to fix the first and route
// around the second:
//
//   - idIndex rebuilds each collection's _id index on the very expression
//     FerretDB queries with (Store.prepare before a collection's first
//     write, Open for collections made before). It stays the unique index
//     FerretDB made, under its name, so FerretDB still reports a duplicate
//     _id from it, and no second index on every document slows inserts
//     down; "_id" and '$._id' pick the same member, so it holds the same
//     keys. Find, update and delete by _id then search it.
//   - lookup answers GetBy on a uniquely indexed field with one SQLite
//     index search on FerretDB's own unique index — the index that also
//     rejects the duplicates, in the same transaction as the documents,
//     so it can never disagree with them — and the document is then read
//     by _id through the driver.
//   - Compare-and-set filters become {_id} filters checked in Go under the
//     write lock (Collection.byKey); that needs no SQL.
//
// Afterwards (BenchmarkKeyLookups, 100,000 accounts): by _id 0.5 ms, by
// e-mail 0.6 ms, compare-and-set 1 ms, the same for the first and the last
// account.
//
// Rejected: a "keys" collection of {_id: "email:<address>", user: <id>}
// written before each account. It would work the same on MongoDB, but
// doubles the writes of every account (bulk loads included), leaves a
// dangling claim when the process dies between its two inserts (so a
// claim-repair protocol and a migration of existing data), and buys
// nothing on MongoDB, where the unique index already answers.
//
// This depends on FerretDB v1's private layout. v1.24.2 is the last v1
// release (v2 dropped SQLite), so the layout is frozen; TestKeyLookupsUseIndexes
// fails if a change of it brings the scans back.
type sqliteFiles struct {
	dir string

	mu  sync.Mutex
	dbs map[string]*sql.DB // per database, opened on first use

	// tables maps database + "\x00" + collection to its table, recorded
	// once the table's _id index is the searchable one. It is only a memo
	// of FerretDB's table names, which never change while a collection
	// exists; dropping a database through the Store forgets its entries.
	tables sync.Map
}

const (
	sjsonColumn    = "_ferretdb_sjson"
	collectionsTbl = "_ferretdb_collections"
	// idExpr is FerretDB's metadata.IDColumn: what its queries compare.
	idExpr = sjsonColumn + "->'$._id'"
)

func newSQLiteFiles(dir string) *sqliteFiles {
	return &sqliteFiles{dir: dir, dbs: map[string]*sql.DB{}}
}

// open returns the pool for the database's file, or nil when the database
// has no file yet (it has no collections then).
func (f *sqliteFiles) open(name string) (*sql.DB, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if db := f.dbs[name]; db != nil {
		return db, nil
	}
	file := filepath.Join(f.dir, name+".sqlite")
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	// mode=rw: never create a file FerretDB has not; the journal mode is
	// FerretDB's (WAL, recorded in the file); transactions (index rebuilds
	// only) take the write lock when they begin.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_txlock=immediate&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	f.dbs[name] = db
	return db, nil
}

// forget closes the database's pool and forgets its tables; call it before
// the database is dropped, so no connection keeps the removed file's WAL.
func (f *sqliteFiles) forget(name string) error {
	f.tables.Range(func(k, _ any) bool {
		if strings.HasPrefix(k.(string), name+"\x00") {
			f.tables.Delete(k)
		}
		return true
	})
	f.mu.Lock()
	defer f.mu.Unlock()
	db := f.dbs[name]
	delete(f.dbs, name)
	if db == nil {
		return nil
	}
	return db.Close()
}

func (f *sqliteFiles) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var errs []error
	for name, db := range f.dbs {
		errs = append(errs, db.Close())
		delete(f.dbs, name)
	}
	return errors.Join(errs...)
}

// table returns the collection's table, or "" when the collection does not
// exist.
func (f *sqliteFiles) table(ctx context.Context, dbName, coll string) (string, error) {
	if t, ok := f.tables.Load(dbName + "\x00" + coll); ok {
		return t.(string), nil
	}
	db, err := f.open(dbName)
	if err != nil || db == nil {
		return "", err
	}
	var t string
	err = db.QueryRowContext(ctx, `SELECT table_name FROM "`+collectionsTbl+`" WHERE name = ?`, coll).Scan(&t)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil && strings.Contains(err.Error(), "no such table"): // a file FerretDB is still setting up
		return "", nil
	case err != nil:
		return "", fmt.Errorf("find table of %s.%s: %w", dbName, coll, err)
	}
	return t, nil
}

// idIndex makes the collection's _id index the one FerretDB's queries can
// search, if the collection exists; it is idempotent. The rebuild runs in
// one transaction, so the unique constraint on _id never lapses; it takes
// the file's write lock for as long as it reads the table, once per
// collection.
func (f *sqliteFiles) idIndex(ctx context.Context, dbName, coll string) error {
	key := dbName + "\x00" + coll
	if _, ok := f.tables.Load(key); ok {
		return nil
	}
	tbl, err := f.table(ctx, dbName, coll)
	if err != nil || tbl == "" {
		return err
	}
	db, err := f.open(dbName)
	if err != nil {
		return err
	}
	index := tbl + "__id_" // FerretDB's name: the table, "_", the index "_id_"
	want := fmt.Sprintf("CREATE UNIQUE INDEX %q ON %q (%s)", index, tbl, idExpr)
	err = inTx(ctx, db, func(tx *sql.Tx) error { // BEGIN IMMEDIATE: one rebuild at a time
		var have string
		switch err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, index).Scan(&have); {
		case errors.Is(err, sql.ErrNoRows): // none: make it
		case err != nil:
			return err
		case have == want:
			return nil
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("DROP INDEX IF EXISTS %q", index)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, want)
		return err
	})
	if err != nil {
		return fmt.Errorf("rebuild _id index of %s.%s: %w", dbName, coll, err)
	}
	f.tables.Store(key, tbl)
	return nil
}

// idIndexAll runs idIndex on every collection of the database.
func (f *sqliteFiles) idIndexAll(ctx context.Context, dbName string) error {
	db, err := f.open(dbName)
	if err != nil || db == nil {
		return err
	}
	rows, err := db.QueryContext(ctx, `SELECT name FROM "`+collectionsTbl+`"`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		return fmt.Errorf("list collections of %s: %w", dbName, err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if err := f.idIndex(ctx, dbName, n); err != nil {
			return err
		}
	}
	return nil
}

// lookupSQL is the search of a top-level field's unique index: the field
// expression is written as FerretDB writes it in the index (a label after
// ->), so SQLite searches the index; the value is compared as FerretDB
// stores it, JSON-encoded by encoding/json (FerretDB's sjson encodes
// strings with json.Marshal).
func lookupSQL(tbl, field string) string {
	return fmt.Sprintf(`SELECT %[1]s->>'$._id', %[1]s->>'$."$s".p._id.t' FROM %[2]q WHERE %[1]s->'%[3]s' = ? LIMIT 2`,
		sjsonColumn, tbl, strings.ReplaceAll(field, "'", "''"))
}

// errNoPushdown means lookup cannot answer; the caller asks the driver.
var errNoPushdown = errors.New("no index look-up for this key")

// lookup returns the _id of the document whose top-level field equals
// value, searching the field's unique index. found is false when there is
// none. An _id that is not a string (FerretDB records each field's type in
// the document's "$s" schema) is errNoPushdown.
func (f *sqliteFiles) lookup(ctx context.Context, dbName, coll, field, value string) (id string, found bool, err error) {
	tbl, err := f.table(ctx, dbName, coll)
	if err != nil || tbl == "" {
		return "", false, err
	}
	db, err := f.open(dbName)
	if err != nil || db == nil {
		return "", false, err
	}
	arg, err := json.Marshal(value)
	if err != nil {
		return "", false, err
	}
	rows, err := db.QueryContext(ctx, lookupSQL(tbl, field), string(arg))
	if err != nil {
		return "", false, fmt.Errorf("look up %s.%s by %s: %w", dbName, coll, field, err)
	}
	defer rows.Close()
	n := 0
	var kind string
	for rows.Next() {
		if n++; n > 1 {
			return "", false, fmt.Errorf("look up %s.%s by %s: two documents match; is the field uniquely indexed?", dbName, coll, field)
		}
		if err := rows.Scan(&id, &kind); err != nil {
			return "", false, err
		}
	}
	if err := rows.Err(); err != nil {
		return "", false, err
	}
	if n == 0 {
		return "", false, nil
	}
	if kind != "string" {
		return "", false, errNoPushdown
	}
	return id, true, nil
}

func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
