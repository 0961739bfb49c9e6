package store

import (
	"context"
	"fmt"
)

// ExplainAfter returns SQLite's plan for idsAfter's search of coll's seq.
func (s *Store) ExplainAfter(ctx context.Context, coll string) ([]string, error) {
	if s.files == nil {
		return nil, fmt.Errorf("not the embedded store")
	}
	tbl, err := s.files.table(ctx, s.db.Name(), coll)
	if err != nil || tbl == "" {
		return nil, fmt.Errorf("no table for %s: %v", coll, err)
	}
	return s.files.explain(ctx, s.db.Name(), afterSQL(tbl, "seq"), 9)
}
