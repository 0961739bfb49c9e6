package store

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Referrals keeps employers' referral requests. A request's _id is derived
// from its need and person (match.RequestID), so the key itself keeps one
// request per pair; no other index is needed.
type Referrals struct{ c Collection }

// Referrals returns the referral requests collection.
func (s *Store) Referrals() Referrals {
	return Referrals{s.Collection("referral_requests", "referral request")}
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
	return r.c.Insert(ctx, toRequestDoc(x))
}

// UpdateRequest replaces the request if its stored version is still version.
func (r Referrals) UpdateRequest(ctx context.Context, x match.Request, version int64) (bool, error) {
	return r.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: x.ID}, {Key: "v", Value: version}}, toRequestDoc(x))
}

// EachRequest calls fn for every request (start-up only).
func (r Referrals) EachRequest(ctx context.Context, fn func(match.Request) error) error {
	return r.c.Scan(ctx, nil, func(cur *mongo.Cursor) error {
		var d requestDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain())
	})
}
