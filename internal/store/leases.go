package store

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/lease"
)

// Leases keeps the background jobs' leases (internal/lease), one document
// per job, changed only by insert and compare-and-set on its version.
type Leases struct{ c Collection }

// Leases returns the leases collection.
func (s *Store) Leases() Leases { return Leases{s.Collection("leases", "lease")} }

type leaseDoc struct {
	ID      string    `bson:"_id"`
	Holder  string    `bson:"holder"`
	Expires time.Time `bson:"expires"`
	LastRun time.Time `bson:"lastRun"`
	Version int64     `bson:"v"`
}

func toLeaseDoc(l lease.Lease) leaseDoc {
	return leaseDoc{ID: l.Name, Holder: l.Holder, Expires: l.Expires, LastRun: l.LastRun, Version: l.Version}
}

// Lease reads the named lease.
func (ls Leases) Lease(ctx context.Context, name string) (lease.Lease, error) {
	var d leaseDoc
	if err := ls.c.Get(ctx, name, &d); err != nil {
		return lease.Lease{}, err
	}
	return lease.Lease{Name: d.ID, Holder: d.Holder, Expires: d.Expires.UTC(), LastRun: d.LastRun.UTC(), Version: d.Version}, nil
}

// InsertLease creates a lease; failure.Conflict when it exists.
func (ls Leases) InsertLease(ctx context.Context, l lease.Lease) error {
	return ls.c.Insert(ctx, toLeaseDoc(l))
}

// ReplaceLease writes l if the stored lease still has version.
func (ls Leases) ReplaceLease(ctx context.Context, l lease.Lease, version int64) (bool, error) {
	return ls.c.ReplaceIf(ctx, versionFilter(l.Name, version), toLeaseDoc(l))
}
