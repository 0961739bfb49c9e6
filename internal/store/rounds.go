package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/round"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Rounds keeps placement rounds, each one document, and (RoundPreferences)
// the job-seekers' rankings in them; a round stored before those had their
// own documents keeps its rankings in its "preferences" field, which is
// still read. Every write takes the next value of the "rounds" sequence,
// which the other replicas poll (internal/follow).
type Rounds struct {
	c   Collection
	seq Counters
	RoundPreferences
}

// Rounds returns the rounds collection with the preferences'.
func (s *Store) Rounds() Rounds {
	return Rounds{s.Collection("rounds", "round"), s.Counters(), s.RoundPreferences()}
}

type pairDoc struct {
	Candidate string `bson:"candidate"`
	Need      string `bson:"need"`
}

type roundDoc struct {
	ID           string              `bson:"_id"`
	Name         string              `bson:"name"`
	Programme    string              `bson:"programme"`
	NeedIDs      []string            `bson:"needIds"`
	ClosesAt     time.Time           `bson:"closesAt"`
	Status       string              `bson:"status"`
	CreatedBy    string              `bson:"createdBy"`
	CreatedAt    time.Time           `bson:"createdAt"`
	Preferences  map[string][]string `bson:"preferences"`
	NeedRankings map[string][]string `bson:"needRankings"`
	Pins         []pairDoc           `bson:"pins,omitempty"`
	Forbidden    []pairDoc           `bson:"forbidden,omitempty"`
	// LastRun is the run's result as JSON: a snapshot that is only ever
	// shown and published whole, never queried.
	LastRun string `bson:"lastRun,omitempty"`
	Version int64  `bson:"v"`
	Seq     int64  `bson:"seq"`
}

func pairsToDocs(ps []allocation.Pair) []pairDoc {
	out := make([]pairDoc, len(ps))
	for i, p := range ps {
		out[i] = pairDoc(p)
	}
	return out
}

func docsToPairs(ds []pairDoc) []allocation.Pair {
	out := make([]allocation.Pair, len(ds))
	for i, d := range ds {
		out[i] = allocation.Pair(d)
	}
	return out
}

func toRoundDoc(r round.Round) (roundDoc, error) {
	d := roundDoc{ID: r.ID, Name: r.Name, Programme: r.Programme, NeedIDs: r.NeedIDs, ClosesAt: r.ClosesAt, Status: r.Status,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, Preferences: r.Preferences, NeedRankings: r.NeedRankings,
		Pins: pairsToDocs(r.Pins), Forbidden: pairsToDocs(r.Forbidden), Version: r.Version}
	if r.LastRun != nil {
		b, err := json.Marshal(r.LastRun)
		if err != nil {
			return roundDoc{}, fmt.Errorf("encode run: %w", err)
		}
		d.LastRun = string(b)
	}
	return d, nil
}

func (d roundDoc) toDomain() (round.Round, error) {
	r := round.Round{ID: d.ID, Name: d.Name, Programme: d.Programme, NeedIDs: d.NeedIDs, ClosesAt: d.ClosesAt, Status: d.Status,
		CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt, Preferences: d.Preferences, NeedRankings: d.NeedRankings,
		Pins: docsToPairs(d.Pins), Forbidden: docsToPairs(d.Forbidden), Version: d.Version}
	if r.Preferences == nil {
		r.Preferences = map[string][]string{}
	}
	if r.NeedRankings == nil {
		r.NeedRankings = map[string][]string{}
	}
	if d.LastRun != "" {
		r.LastRun = new(round.Run)
		if err := json.Unmarshal([]byte(d.LastRun), r.LastRun); err != nil {
			return round.Round{}, fmt.Errorf("decode run of round %s: %w", d.ID, err)
		}
	}
	return r, nil
}

// InsertRound adds a round.
func (x Rounds) InsertRound(ctx context.Context, r round.Round) error {
	d, err := x.sequenced(ctx, r)
	if err != nil {
		return err
	}
	return x.c.Insert(ctx, d)
}

// UpdateRound replaces the round if its stored version is still version.
func (x Rounds) UpdateRound(ctx context.Context, r round.Round, version int64) (bool, error) {
	d, err := x.sequenced(ctx, r)
	if err != nil {
		return false, err
	}
	return x.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: r.ID}, {Key: "v", Value: version}}, d)
}

// sequenced is r's document with the next value of the change sequence.
func (x Rounds) sequenced(ctx context.Context, r round.Round) (roundDoc, error) {
	d, err := toRoundDoc(r)
	if err != nil {
		return roundDoc{}, err
	}
	if d.Seq, err = x.seq.Next(ctx, "rounds"); err != nil {
		return roundDoc{}, fmt.Errorf("write round %s: %w", r.ID, err)
	}
	return d, nil
}

// RoundsAfter calls fn for every round written after sequence seq (-1:
// every round), with the sequence of its last write.
func (x Rounds) RoundsAfter(ctx context.Context, seq int64, fn func(round.Round, int64) error) error {
	return x.c.Scan(ctx, afterFilter(seq), func(cur *mongo.Cursor) error {
		var d roundDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		r, err := d.toDomain()
		if err != nil {
			return err
		}
		return fn(r, d.Seq)
	})
}

// RoundPreferences keeps the job-seekers' rankings of rounds' needs, one
// document per round and person (a national round has 500,000): recording
// one writes one small document, where rewriting the round with every
// ranking took 1.5 s at 10,000 and timed out at 50,000. Every write takes
// the next value of the "round_preferences" sequence, which the replicas
// follow (internal/follow) through its seq index.
type RoundPreferences struct {
	c   Collection
	seq Counters
}

// RoundPreferences returns the round preferences collection.
func (s *Store) RoundPreferences() RoundPreferences {
	return RoundPreferences{s.Collection("round_preferences", "round preference"), s.Counters()}
}

type preferenceDoc struct {
	ID        string   `bson:"_id"` // round.PreferenceKey
	RoundID   string   `bson:"roundId"`
	ProfileID string   `bson:"profileId"`
	NeedIDs   []string `bson:"needIds"`
	Version   int64    `bson:"v"`
	Seq       int64    `bson:"seq"`
}

// PutPreference stores p if the person's stored ranking is still at
// version (0: none stored yet), and reports whether it did.
func (x RoundPreferences) PutPreference(ctx context.Context, p round.Preference, version int64) (bool, error) {
	seq, err := x.seq.Next(ctx, "round_preferences")
	if err != nil {
		return false, fmt.Errorf("write preference %s: %w", p.Key(), err)
	}
	d := preferenceDoc{ID: p.Key(), RoundID: p.RoundID, ProfileID: p.ProfileID, NeedIDs: p.NeedIDs, Version: p.Version, Seq: seq}
	if version == 0 {
		err := x.c.Insert(ctx, d)
		if failure.Is(err, failure.Conflict) {
			return false, nil // another request stored the first one
		}
		return err == nil, err
	}
	return x.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "v", Value: version}}, d)
}

// PreferencesAfter calls fn for every preference written after sequence
// seq (-1: every one), with the sequence of its last write.
func (x RoundPreferences) PreferencesAfter(ctx context.Context, seq int64, fn func(round.Preference, int64) error) error {
	return x.c.scanAfter(ctx, seq, func(cur *mongo.Cursor) error {
		var d preferenceDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(round.Preference{RoundID: d.RoundID, ProfileID: d.ProfileID, NeedIDs: d.NeedIDs, Version: d.Version}, d.Seq)
	})
}
