package store

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Referrals keeps employers' referral requests. A request's _id is derived
// from its need and person (match.RequestID), so the key itself keeps one
// request per pair; no other index is needed.
// Every write takes the next value of the "referral_requests" sequence,
// which the other replicas poll (internal/follow).
type Referrals struct {
	c   Collection
	seq Counters
}

// Referrals returns the referral requests collection.
func (s *Store) Referrals() Referrals {
	return Referrals{s.Collection("referral_requests", "referral request"), s.Counters()}
}

type requestDoc struct {
	ID          string     `bson:"_id"`
	NeedID      string     `bson:"needId"`
	EmployerID  string     `bson:"employerId"`
	ProfileID   string     `bson:"profileId"`
	CandidateID string     `bson:"candidateId"`
	RequestedBy string     `bson:"requestedBy"`
	State       string     `bson:"state"`
	Reason      string     `bson:"reason,omitempty"`
	MatchID     string     `bson:"matchId,omitempty"`
	DecidedBy   string     `bson:"decidedBy,omitempty"`
	DecidedAt   *time.Time `bson:"decidedAt,omitempty"`
	CreatedAt   time.Time  `bson:"createdAt"`
	UpdatedAt   time.Time  `bson:"updatedAt"`
	Version     int64      `bson:"v"`
	Seq         int64      `bson:"seq"`
}

func toRequestDoc(r match.Request) requestDoc {
	return requestDoc{ID: r.ID, NeedID: r.NeedID, EmployerID: r.EmployerID, ProfileID: r.ProfileID,
		CandidateID: r.CandidateID, RequestedBy: r.RequestedBy, State: string(r.State), Reason: r.Reason,
		MatchID: r.MatchID, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, Version: r.Version}
}

func (d requestDoc) toDomain() match.Request {
	return match.Request{ID: d.ID, NeedID: d.NeedID, EmployerID: d.EmployerID, ProfileID: d.ProfileID,
		CandidateID: d.CandidateID, RequestedBy: d.RequestedBy, State: match.RequestState(d.State), Reason: d.Reason,
		MatchID: d.MatchID, DecidedBy: d.DecidedBy, DecidedAt: d.DecidedAt, CreatedAt: d.CreatedAt,
		UpdatedAt: d.UpdatedAt, Version: d.Version}
}

// InsertRequest adds a request; one with the same id is failure.Conflict.
func (r Referrals) InsertRequest(ctx context.Context, x match.Request) error {
	d, err := r.sequenced(ctx, x)
	if err != nil {
		return err
	}
	return r.c.Insert(ctx, d)
}

// UpdateRequest replaces the request if its stored version is still version.
func (r Referrals) UpdateRequest(ctx context.Context, x match.Request, version int64) (bool, error) {
	d, err := r.sequenced(ctx, x)
	if err != nil {
		return false, err
	}
	return r.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: x.ID}, {Key: "v", Value: version}}, d)
}

func (r Referrals) sequenced(ctx context.Context, x match.Request) (requestDoc, error) {
	seq, err := r.seq.Next(ctx, "referral_requests")
	if err != nil {
		return requestDoc{}, fmt.Errorf("write referral request %s: %w", x.ID, err)
	}
	d := toRequestDoc(x)
	d.Seq = seq
	return d, nil
}

// RequestsAfter calls fn for every request written after sequence seq (-1:
// every one), with the sequence of its last write.
func (r Referrals) RequestsAfter(ctx context.Context, seq int64, fn func(match.Request, int64) error) error {
	return r.c.Scan(ctx, afterFilter(seq), func(cur *mongo.Cursor) error {
		var d requestDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Seq)
	})
}
