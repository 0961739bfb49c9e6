package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ExplainFind returns the embedded server's plan for find(filter) on coll:
// FerretDB answers explain with SQLite's EXPLAIN QUERY PLAN, one line per
// step ("SEARCH … USING INDEX …" or "SCAN …").
func (s *Store) ExplainFind(ctx context.Context, coll string, filter bson.D) ([]string, error) {
	var res struct {
		QueryPlanner struct {
			Plan []string `bson:"Plan"`
		} `bson:"queryPlanner"`
	}
	err := s.db.RunCommand(ctx, bson.D{{Key: "explain", Value: bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: filter}}}}).Decode(&res)
	return res.QueryPlanner.Plan, err
}

// ExplainSQL returns SQLite's plans, made on a connection of our own, for
// the statements FerretDB v1.24 runs to find, update and delete by _id
// (copied from its backends/sqlite), and for GetBy's search of field (if
// field is not empty), on coll's table. (FerretDB's explain command plans
// on one of its pooled connections, which may still hold the schema from
// before an index rebuild until it next runs a statement.)
func (s *Store) ExplainSQL(ctx context.Context, coll, field string) (map[string][]string, error) {
	if s.files == nil {
		return nil, fmt.Errorf("not the embedded store")
	}
	tbl, err := s.files.table(ctx, s.db.Name(), coll)
	if err != nil || tbl == "" {
		return nil, fmt.Errorf("no table for %s: %v", coll, err)
	}
	statements := map[string]string{
		"find":   fmt.Sprintf(`SELECT %s FROM %q WHERE %s = ? LIMIT 1`, sjsonColumn, tbl, idExpr),
		"update": fmt.Sprintf(`UPDATE %q SET %s = '{}' WHERE %s = ?`, tbl, sjsonColumn, idExpr),
		"delete": fmt.Sprintf(`DELETE FROM %q WHERE %s IN (?)`, tbl, idExpr),
	}
	if field != "" {
		statements["lookup"] = lookupSQL(tbl, field)
	}
	plans := map[string][]string{}
	for name, q := range statements {
		if plans[name], err = s.files.explain(ctx, s.db.Name(), q, `"x"`); err != nil {
			return nil, fmt.Errorf("explain %s: %w", q, err)
		}
	}
	return plans, nil
}

// InsertUnprepared inserts doc as the store did before it prepared
// collections: FerretDB creates the collection with its own _id index.
func (c Collection) InsertUnprepared(ctx context.Context, doc any) error {
	_, err := c.c.InsertOne(ctx, doc)
	return err
}

// explain returns SQLite's plan for a query; tests use it.
func (f *sqliteFiles) explain(ctx context.Context, dbName, query string, args ...any) ([]string, error) {
	db, err := f.open(dbName)
	if err != nil {
		return nil, err
	}
	if db == nil {
		return nil, fmt.Errorf("database %s has no file", dbName)
	}
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
