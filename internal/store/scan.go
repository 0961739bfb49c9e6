package store

import (
	"context"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Source reads whole collections for the search index's start-up catch-up
// and for rebuilds. It is not for request paths.
type Source struct{ s *Store }

// Source returns the store's bulk reader.
func (s *Store) Source() Source { return Source{s} }

// EachEmployer calls fn for every employer.
func (src Source) EachEmployer(ctx context.Context, fn func(register.Employer) error) error {
	return src.s.Employers().c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d employerDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain())
	})
}

// EachNeed calls fn for every need, tombstones included.
func (src Source) EachNeed(ctx context.Context, fn func(register.Need, bool) error) error {
	return src.s.Needs().c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d needDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Deleted)
	})
}

// EachProfile calls fn for every profile, tombstones included.
func (src Source) EachProfile(ctx context.Context, fn func(profile.Profile, bool) error) error {
	return src.s.Profiles().c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d profileDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Erased)
	})
}
