package store

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/match"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Matches keeps the review workflow's matches. One match per need and
// person is enforced by a unique index.
// Every write takes the next value of the "matches" sequence, which the
// other replicas poll (internal/follow).
type Matches struct {
	c   Collection
	seq Counters
}

// Matches returns the matches collection.
func (s *Store) Matches() Matches { return Matches{s.Collection("matches", "match"), s.Counters()} }

func (m Matches) ensure(ctx context.Context) error {
	if err := m.c.Unique(ctx, "need_profile_unique", "needId", "profileId"); err != nil {
		return err
	}
	return m.c.Ordered(ctx, "seq")
}

type eventDoc struct {
	From string    `bson:"from,omitempty"`
	To   string    `bson:"to"`
	By   string    `bson:"by"`
	Role string    `bson:"role"`
	At   time.Time `bson:"at"`
	Note string    `bson:"note,omitempty"`
	// Visibility of the note; absent (old entries too) is internal.
	Visibility string `bson:"visibility,omitempty"`
	Reason     string `bson:"reason,omitempty"`
}

type matchDoc struct {
	ID             string     `bson:"_id"`
	NeedID         string     `bson:"needId"`
	ProfileID      string     `bson:"profileId"`
	EmployerID     string     `bson:"employerId"`
	Programme      string     `bson:"programme"`
	Origin         string     `bson:"origin"`
	RoundID        string     `bson:"roundId,omitempty"`
	EventID        string     `bson:"eventId,omitempty"`
	State          string     `bson:"state"`
	History        []eventDoc `bson:"history"`
	Reason         string     `bson:"reason,omitempty"`
	ReferredAt     *time.Time `bson:"referredAt,omitempty"`
	OutcomeDue     string     `bson:"outcomeDue,omitempty"`
	PermitRequired bool       `bson:"permitRequired"`
	AgeGroup       string     `bson:"ageGroup"`
	CreatedAt      time.Time  `bson:"createdAt"`
	UpdatedAt      time.Time  `bson:"updatedAt"`
	Version        int64      `bson:"v"`
	Seq            int64      `bson:"seq"`
}

func toMatchDoc(m match.Match) matchDoc {
	d := matchDoc{ID: m.ID, NeedID: m.NeedID, ProfileID: m.ProfileID, EmployerID: m.EmployerID, Programme: m.Programme,
		Origin: m.Origin, RoundID: m.RoundID, EventID: m.EventID, State: string(m.State), Reason: m.Reason, ReferredAt: m.ReferredAt,
		OutcomeDue: m.OutcomeDue, PermitRequired: m.PermitRequired, AgeGroup: m.AgeGroup, CreatedAt: m.CreatedAt,
		UpdatedAt: m.UpdatedAt, Version: m.Version}
	for _, e := range m.History {
		d.History = append(d.History, eventDoc{From: string(e.From), To: string(e.To), By: e.By, Role: string(e.Role), At: e.At, Note: e.Note, Visibility: e.Visibility, Reason: e.Reason})
	}
	return d
}

func (d matchDoc) toDomain() match.Match {
	m := match.Match{ID: d.ID, NeedID: d.NeedID, ProfileID: d.ProfileID, EmployerID: d.EmployerID, Programme: d.Programme,
		Origin: d.Origin, RoundID: d.RoundID, EventID: d.EventID, State: match.State(d.State), Reason: d.Reason, ReferredAt: d.ReferredAt,
		OutcomeDue: d.OutcomeDue, PermitRequired: d.PermitRequired, AgeGroup: d.AgeGroup, CreatedAt: d.CreatedAt,
		UpdatedAt: d.UpdatedAt, Version: d.Version}
	for _, e := range d.History {
		m.History = append(m.History, match.Event{From: match.State(e.From), To: match.State(e.To), By: e.By, Role: auth.Role(e.Role), At: e.At, Note: e.Note, Visibility: e.Visibility, Reason: e.Reason})
	}
	return m
}

// InsertMatch adds a match; a second one for the same need and person is
// failure.Conflict.
func (m Matches) InsertMatch(ctx context.Context, x match.Match) error {
	d, err := m.sequenced(ctx, x)
	if err != nil {
		return err
	}
	return m.c.Insert(ctx, d)
}

// sequenced is x's document with the next value of the change sequence.
func (m Matches) sequenced(ctx context.Context, x match.Match) (matchDoc, error) {
	seq, err := m.seq.Next(ctx, "matches")
	if err != nil {
		return matchDoc{}, fmt.Errorf("write match %s: %w", x.ID, err)
	}
	d := toMatchDoc(x)
	d.Seq = seq
	return d, nil
}

// Match returns the match with id.
func (m Matches) Match(ctx context.Context, id string) (match.Match, error) {
	var d matchDoc
	if err := m.c.Get(ctx, id, &d); err != nil {
		return match.Match{}, err
	}
	return d.toDomain(), nil
}

// UpdateMatch replaces the match if its stored version is still version.
func (m Matches) UpdateMatch(ctx context.Context, x match.Match, version int64) (bool, error) {
	d, err := m.sequenced(ctx, x)
	if err != nil {
		return false, err
	}
	return m.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: x.ID}, {Key: "v", Value: version}}, d)
}

// MatchesAfter calls fn for every match written after sequence seq (-1:
// every match), with the sequence of its last write.
func (m Matches) MatchesAfter(ctx context.Context, seq int64, fn func(match.Match, int64) error) error {
	return m.c.Scan(ctx, afterFilter(seq), func(cur *mongo.Cursor) error {
		var d matchDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Seq)
	})
}
