package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// CardReads counts employers' reads of candidate cards per UTC day, one
// document per counter and day, keyed "<day>/<name>": an increment is one
// atomic $inc under the write lock, and a retention job can drop past days
// by an _id range.
type CardReads struct {
	c     Collection
	batch *countBatch // CountRead's group commit (cards_count.go)
}

// CardReads returns the daily read counters. Each call has its own group
// commit of CountRead: keep the one the service uses.
func (s *Store) CardReads() CardReads {
	x := CardReads{c: s.Collection("card_reads", "card read counter")}
	x.batch = newCountBatch(x)
	return x
}

// CountReads adds one to each named counter of the day and returns the new
// values in order.
func (x CardReads) CountReads(ctx context.Context, day string, names ...string) ([]int64, error) {
	out := make([]int64, len(names))
	for i, name := range names {
		var doc struct {
			N int64 `bson:"n"`
		}
		err := x.c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: day + "/" + name}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}, {Key: "$set", Value: bson.D{{Key: "day", Value: day}}}},
			true, &doc)
		if err != nil {
			return nil, fmt.Errorf("count card reads %s on %s: %w", name, day, err)
		}
		out[i] = doc.N
	}
	return out, nil
}

// CountRead counts one read of a need's candidates against the day's
// bounds of the need and of its employer, and returns both new counts.
// Both live in the employer's document of the day ("<day>/employer/<id>":
// n for the employer, needs.<id> for each need), so one atomic $inc —
// one store write — counts both, the reads of one employer that arrive
// together share that write, and each write reserves numbers ahead for
// the replica's next reads (countBatch).
func (x CardReads) CountRead(ctx context.Context, day, employerID, needID string) (needReads, employerReads int64, err error) {
	if needID == "" || strings.ContainsAny(needID, ".$") {
		return 0, 0, fmt.Errorf("count card reads: need id %q cannot name a field", needID)
	}
	if len(day) != len(time.DateOnly) {
		return 0, 0, fmt.Errorf("count card reads: day %q is not YYYY-MM-DD", day)
	}
	return x.batch.count(ctx, day+"/employer/"+employerID, needID)
}

// ForgetBefore removes the counters of days before day (YYYY-MM-DD) and
// returns how many it removed: a past day's counts bound nothing. It scans
// the collection (days are short-lived, so it is small) and is for a
// retention job, never for a request.
func (x CardReads) ForgetBefore(ctx context.Context, day string) (int, error) {
	var old []string
	err := x.c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d struct {
			ID  string `bson:"_id"`
			Day string `bson:"day"`
		}
		if err := cur.Decode(&d); err != nil {
			return err
		}
		if d.Day < day {
			old = append(old, d.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("scan card read counters: %w", err)
	}
	for _, id := range old {
		if err := x.c.Delete(ctx, id); err != nil {
			return 0, fmt.Errorf("forget card read counter %s: %w", id, err)
		}
	}
	return len(old), nil
}

// CardAudit is the append-only log of card reads. Entries are keyed
// "<employer>/<n>" with n from a per-employer counter, so an employer's
// entries are read by key, never by a scan. It has no update or delete.
//
// Appends are group-committed (auditBatch): the entries of the requests
// that arrive while one insert runs go together in the next insertMany, one
// store write for all of them, and each request returns only once its own
// entry is stored. Key numbers are reserved from the counter in blocks
// held in memory, so most appends take no counter write; a block cut
// short by a restart leaves unused numbers, which Reads skips.
type CardAudit struct {
	c     Collection
	seq   Counters
	batch *auditBatch
}

// CardAudit returns the card-read audit log. Each call has its own
// group commit and key blocks: keep the one the service uses.
func (s *Store) CardAudit() CardAudit {
	a := CardAudit{c: s.Collection("card_audit", "card read"), seq: s.Counters()}
	a.batch = &auditBatch{a: a, blocks: map[string]*keyBlock{}}
	return a
}

type cardReadDoc struct {
	ID         string    `bson:"_id"`
	EmployerID string    `bson:"employerId"`
	ActorID    string    `bson:"actorId"`
	ActorRole  string    `bson:"actorRole"`
	NeedID     string    `bson:"needId"`
	ProfileIDs []string  `bson:"profileIds"`
	At         time.Time `bson:"at"`
	RequestID  string    `bson:"requestId,omitempty"`
}

// AppendRead writes one entry: it returns once the entry is stored (nil)
// or failed to be (the cards must then not be shown).
func (a CardAudit) AppendRead(ctx context.Context, r candidate.Read) error {
	if r.ProfileIDs == nil {
		r.ProfileIDs = []string{}
	}
	return a.batch.append(ctx, r)
}

// Reads returns every entry of the employer, oldest first.
func (a CardAudit) Reads(ctx context.Context, employerID string) ([]candidate.Read, error) {
	n, err := a.seq.Current(ctx, "card_audit/"+employerID)
	if err != nil {
		return nil, err
	}
	out := make([]candidate.Read, 0, n)
	for i := int64(1); i <= n; i++ {
		var d cardReadDoc
		err := a.c.Get(ctx, fmt.Sprintf("%s/%08d", employerID, i), &d)
		if isNotFound(err) {
			continue // a counter value taken by an append that then failed
		} else if err != nil {
			return nil, err
		}
		out = append(out, candidate.Read{ID: d.ID, EmployerID: d.EmployerID, ActorID: d.ActorID, ActorRole: auth.Role(d.ActorRole),
			NeedID: d.NeedID, ProfileIDs: d.ProfileIDs, At: d.At, RequestID: d.RequestID})
	}
	// Replicas (and a restart) number from their own key blocks, so the
	// keys' order is each replica's; the times are everyone's.
	slices.SortStableFunc(out, func(x, y candidate.Read) int { return x.At.Compare(y.At) })
	return out, nil
}
