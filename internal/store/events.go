package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/event"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Events keeps Career & Skills Days, one document each. Every write takes
// the next value of the "events" sequence, which the other replicas poll
// (internal/follow).
type Events struct {
	c   Collection
	seq Counters
}

// Events returns the events collection.
func (s *Store) Events() Events { return Events{s.Collection("events", "event"), s.Counters()} }

type dayDoc struct {
	ID               string     `bson:"_id"`
	Name             event.Text `bson:"name"`
	Description      event.Text `bson:"description"`
	Date             string     `bson:"date"`
	Starts           string     `bson:"starts"`
	Ends             string     `bson:"ends"`
	Municipality     string     `bson:"municipality"`
	Location         string     `bson:"location"`
	Sectors          []string   `bson:"sectors"`
	Capacity         int        `bson:"capacity"`
	InterviewMinutes int        `bson:"interviewMinutes"`
	Slots            int        `bson:"slots"`
	PerPersonLimit   int        `bson:"perPersonLimit"`
	CreatedBy        string     `bson:"createdBy"`
	CreatedAt        time.Time  `bson:"createdAt"`
	// Taking part is kept as JSON: the lists are loaded whole at start and
	// changed whole by compare-and-set, never queried.
	Participation string `bson:"participation"`
	Version       int64  `bson:"v"`
	Seq           int64  `bson:"seq"`
}

// participation is what people and employers did at an event.
type participation struct {
	Employers     []event.Participant  `json:"employers,omitempty"`
	Registrations []event.Registration `json:"registrations,omitempty"`
	Invitations   []event.Invitation   `json:"invitations,omitempty"`
	Schedule      *event.Schedule      `json:"schedule,omitempty"`
}

func toDayDoc(e event.Event) (dayDoc, error) {
	b, err := json.Marshal(participation{e.Employers, e.Registrations, e.Invitations, e.Schedule})
	if err != nil {
		return dayDoc{}, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	return dayDoc{ID: e.ID, Name: e.Name, Description: e.Description, Date: e.Date, Starts: e.Starts, Ends: e.Ends,
		Municipality: e.Municipality, Location: e.Location, Sectors: e.Sectors, Capacity: e.Capacity,
		InterviewMinutes: e.InterviewMinutes, Slots: e.Slots, PerPersonLimit: e.PerPersonLimit,
		CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt, Participation: string(b), Version: e.Version}, nil
}

func (d dayDoc) toDomain() (event.Event, error) {
	var p participation
	if d.Participation != "" {
		if err := json.Unmarshal([]byte(d.Participation), &p); err != nil {
			return event.Event{}, fmt.Errorf("decode event %s: %w", d.ID, err)
		}
	}
	return event.Event{ID: d.ID, Name: d.Name, Description: d.Description, Date: d.Date, Starts: d.Starts, Ends: d.Ends,
		Municipality: d.Municipality, Location: d.Location, Sectors: d.Sectors, Capacity: d.Capacity,
		InterviewMinutes: d.InterviewMinutes, Slots: d.Slots, PerPersonLimit: d.PerPersonLimit,
		CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt, Employers: p.Employers, Registrations: p.Registrations,
		Invitations: p.Invitations, Schedule: p.Schedule, Version: d.Version}, nil
}

// InsertEvent adds an event.
func (x Events) InsertEvent(ctx context.Context, e event.Event) error {
	d, err := x.sequenced(ctx, e)
	if err != nil {
		return err
	}
	return x.c.Insert(ctx, d)
}

// UpdateEvent replaces the event if its stored version is still version.
func (x Events) UpdateEvent(ctx context.Context, e event.Event, version int64) (bool, error) {
	d, err := x.sequenced(ctx, e)
	if err != nil {
		return false, err
	}
	return x.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: e.ID}, {Key: "v", Value: version}}, d)
}

func (x Events) sequenced(ctx context.Context, e event.Event) (dayDoc, error) {
	d, err := toDayDoc(e)
	if err != nil {
		return dayDoc{}, err
	}
	if d.Seq, err = x.seq.Next(ctx, "events"); err != nil {
		return dayDoc{}, fmt.Errorf("write event %s: %w", e.ID, err)
	}
	return d, nil
}

// EventsAfter calls fn for every event written after sequence seq (-1:
// every one), with the sequence of its last write.
func (x Events) EventsAfter(ctx context.Context, seq int64, fn func(event.Event, int64) error) error {
	return x.c.Scan(ctx, afterFilter(seq), func(cur *mongo.Cursor) error {
		var d dayDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		e, err := d.toDomain()
		if err != nil {
			return err
		}
		return fn(e, d.Seq)
	})
}
