package store

import (
	"context"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Source reads whole collections for the search index's start-up catch-up
// and for rebuilds. It is not for request paths.
type Source struct{ s *Store }

// Source returns the store's bulk reader.
func (s *Store) Source() Source { return Source{s} }

// EachEmployer calls fn for every employer.
func (src Source) EachEmployer(ctx context.Context, fn func(register.Employer) error) error {
	return src.EmployersAfter(ctx, -1, fn)
}

// EachNeed calls fn for every need, tombstones included.
func (src Source) EachNeed(ctx context.Context, fn func(register.Need, bool) error) error {
	return src.NeedsAfter(ctx, -1, fn)
}

// EachProfile calls fn for every profile, tombstones included.
func (src Source) EachProfile(ctx context.Context, fn func(profile.Profile, bool) error) error {
	return src.ProfilesAfter(ctx, -1, fn)
}

// afterFilter selects the documents written after sequence value seq; -1
// selects every document (bulk-loaded ones of old have no seq).
func afterFilter(seq int64) bson.D {
	if seq < 0 {
		return nil
	}
	return bson.D{{Key: "seq", Value: bson.D{{Key: "$gt", Value: seq}}}}
}

// EmployersAfter calls fn for every employer written after sequence seq:
// what a replica polls to follow the others' writes (through the seq index
// on MongoDB).
func (src Source) EmployersAfter(ctx context.Context, seq int64, fn func(register.Employer) error) error {
	return src.s.Employers().c.scanAfter(ctx, seq, func(cur *mongo.Cursor) error {
		var d employerDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain())
	})
}

// NeedsAfter calls fn for every need written after sequence seq,
// tombstones included.
func (src Source) NeedsAfter(ctx context.Context, seq int64, fn func(register.Need, bool) error) error {
	return src.s.Needs().c.scanAfter(ctx, seq, func(cur *mongo.Cursor) error {
		var d needDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Deleted)
	})
}

// ProfilesAfter calls fn for every profile written after sequence seq,
// tombstones included.
func (src Source) ProfilesAfter(ctx context.Context, seq int64, fn func(profile.Profile, bool) error) error {
	return src.s.Profiles().c.scanAfter(ctx, seq, func(cur *mongo.Cursor) error {
		var d profileDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Erased)
	})
}
