package store

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/pathway"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Pathways keeps the Care Career Path definitions, keyed by id. Each is
// written once, with the next value of the "pathways" sequence, which the
// other replicas poll (internal/follow).
type Pathways struct {
	c   Collection
	seq Counters
}

// Pathways returns the pathways collection.
func (s *Store) Pathways() Pathways {
	return Pathways{s.Collection("pathways", "pathway"), s.Counters()}
}

type pathwayGrantDoc struct {
	ID    string `bson:"id"`
	Level int    `bson:"level"`
}

type pathwayRequirementDoc struct {
	Key  string            `bson:"key"`
	Name map[string]string `bson:"name"`
}

type pathwayStageDoc struct {
	Key          string                  `bson:"key"`
	Name         map[string]string       `bson:"name"`
	Requirements []pathwayRequirementDoc `bson:"requirements,omitempty"`
	GrantsSkills []pathwayGrantDoc       `bson:"grantsSkills,omitempty"`
}

type pathwayDoc struct {
	ID        string            `bson:"_id"`
	Name      map[string]string `bson:"name"`
	Stages    []pathwayStageDoc `bson:"stages"`
	CreatedBy string            `bson:"createdBy"`
	CreatedAt time.Time         `bson:"createdAt"`
	Seq       int64             `bson:"seq"`
}

func toPathwayDoc(p pathway.Pathway) pathwayDoc {
	d := pathwayDoc{ID: p.ID, Name: maps.Clone(p.Name), CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt}
	for _, st := range p.Stages {
		sd := pathwayStageDoc{Key: st.Key, Name: maps.Clone(st.Name)}
		for _, r := range st.Requirements {
			sd.Requirements = append(sd.Requirements, pathwayRequirementDoc{Key: r.Key, Name: maps.Clone(r.Name)})
		}
		for _, g := range st.GrantsSkills {
			sd.GrantsSkills = append(sd.GrantsSkills, pathwayGrantDoc{ID: g.ID, Level: g.Level})
		}
		d.Stages = append(d.Stages, sd)
	}
	return d
}

func (d pathwayDoc) toDomain() pathway.Pathway {
	p := pathway.Pathway{ID: d.ID, Name: d.Name, CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt}
	for _, sd := range d.Stages {
		st := pathway.Stage{Key: sd.Key, Name: sd.Name}
		for _, r := range sd.Requirements {
			st.Requirements = append(st.Requirements, pathway.Requirement{Key: r.Key, Name: r.Name})
		}
		for _, g := range sd.GrantsSkills {
			st.GrantsSkills = append(st.GrantsSkills, pathway.SkillGrant{ID: g.ID, Level: g.Level})
		}
		p.Stages = append(p.Stages, st)
	}
	return p
}

// InsertPathway adds a pathway; a taken id is failure.Conflict.
func (x Pathways) InsertPathway(ctx context.Context, p pathway.Pathway) error {
	seq, err := x.seq.Next(ctx, "pathways")
	if err != nil {
		return fmt.Errorf("insert pathway %s: %w", p.ID, err)
	}
	d := toPathwayDoc(p)
	d.Seq = seq
	return x.c.Insert(ctx, d)
}

// Pathway returns the pathway with id, or failure.NotFound.
func (x Pathways) Pathway(ctx context.Context, id string) (pathway.Pathway, error) {
	var d pathwayDoc
	if err := x.c.Get(ctx, id, &d); err != nil {
		return pathway.Pathway{}, err
	}
	return d.toDomain(), nil
}

// PathwaysAfter calls fn for every pathway written after sequence seq
// (-1: every pathway), with its sequence.
func (x Pathways) PathwaysAfter(ctx context.Context, seq int64, fn func(pathway.Pathway, int64) error) error {
	return x.c.Scan(ctx, afterFilter(seq), func(cur *mongo.Cursor) error {
		var d pathwayDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Seq)
	})
}

// Participants keeps the people on pathways, keyed "<pathway>/<profile>":
// the key makes a second enrolment a duplicate, with no index needed.
// Every write takes the next value of the "participants" sequence, and a
// forgotten participant (an erasure) leaves a tombstone with nothing but
// its key, so that the other replicas' polls see it go.
type Participants struct {
	c   Collection
	seq Counters
}

// Participants returns the participants collection.
func (s *Store) Participants() Participants {
	return Participants{s.Collection("pathway_participants", "participant"), s.Counters()}
}

type participantStageDoc struct {
	Key         string     `bson:"key"`
	Status      string     `bson:"status"`
	StartedAt   *time.Time `bson:"startedAt,omitempty"`
	CompletedAt *time.Time `bson:"completedAt,omitempty"`
}

// participantCheckDoc is all that is kept of an entry check: whether the
// requirement was met, on which day, by whom. There is deliberately no
// field for a document, its content or a note.
type participantCheckDoc struct {
	Key     string `bson:"key"`
	Checked bool   `bson:"checked"`
	On      string `bson:"on"`
	By      string `bson:"by"`
}

type participantDoc struct {
	ID         string                `bson:"_id"`
	PathwayID  string                `bson:"pathwayId"`
	ProfileID  string                `bson:"profileId"`
	Status     string                `bson:"status"`
	Stage      string                `bson:"stage,omitempty"`
	Stages     []participantStageDoc `bson:"stages,omitempty"`
	Checks     []participantCheckDoc `bson:"checks,omitempty"`
	Mentor     string                `bson:"mentor,omitempty"`
	NextStep   string                `bson:"nextStep,omitempty"`
	EnrolledAt time.Time             `bson:"enrolledAt"`
	AcceptedAt *time.Time            `bson:"acceptedAt,omitempty"`
	UpdatedAt  time.Time             `bson:"updatedAt"`
	Version    int64                 `bson:"v"`
	Seq        int64                 `bson:"seq"`
	Forgotten  bool                  `bson:"forgotten,omitempty"` // a tombstone: final
}

// optionalTime stores a zero time as an absent field.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fromOptionalTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// toParticipantDoc writes the stage and check maps as arrays sorted by
// key, so a document's shape never depends on map order.
func toParticipantDoc(p pathway.Participant) participantDoc {
	d := participantDoc{ID: p.Key(), PathwayID: p.PathwayID, ProfileID: p.ProfileID, Status: p.Status, Stage: p.Stage,
		Mentor: p.Mentor, NextStep: p.NextStep, EnrolledAt: p.EnrolledAt, AcceptedAt: optionalTime(p.AcceptedAt),
		UpdatedAt: p.UpdatedAt, Version: p.Version}
	for _, k := range slices.Sorted(maps.Keys(p.Stages)) {
		sp := p.Stages[k]
		d.Stages = append(d.Stages, participantStageDoc{Key: k, Status: sp.Status,
			StartedAt: optionalTime(sp.StartedAt), CompletedAt: optionalTime(sp.CompletedAt)})
	}
	for _, k := range slices.Sorted(maps.Keys(p.Checks)) {
		c := p.Checks[k]
		d.Checks = append(d.Checks, participantCheckDoc{Key: k, Checked: c.Checked, On: c.On, By: c.By})
	}
	return d
}

func (d participantDoc) toDomain() pathway.Participant {
	p := pathway.Participant{PathwayID: d.PathwayID, ProfileID: d.ProfileID, Status: d.Status, Stage: d.Stage,
		Stages: make(map[string]pathway.StageProgress, len(d.Stages)), Checks: make(map[string]pathway.Check, len(d.Checks)),
		Mentor: d.Mentor, NextStep: d.NextStep, EnrolledAt: d.EnrolledAt, AcceptedAt: fromOptionalTime(d.AcceptedAt),
		UpdatedAt: d.UpdatedAt, Version: d.Version}
	for _, s := range d.Stages {
		p.Stages[s.Key] = pathway.StageProgress{Status: s.Status, StartedAt: fromOptionalTime(s.StartedAt),
			CompletedAt: fromOptionalTime(s.CompletedAt)}
	}
	for _, c := range d.Checks {
		p.Checks[c.Key] = pathway.Check{Checked: c.Checked, On: c.On, By: c.By}
	}
	return p
}

// InsertParticipant adds a participant; a second one for the same pathway
// and person is failure.Conflict — a forgotten one's tombstone too.
func (x Participants) InsertParticipant(ctx context.Context, p pathway.Participant) error {
	d, err := x.sequenced(ctx, toParticipantDoc(p))
	if err != nil {
		return err
	}
	return x.c.Insert(ctx, d)
}

func (x Participants) sequenced(ctx context.Context, d participantDoc) (participantDoc, error) {
	seq, err := x.seq.Next(ctx, "participants")
	if err != nil {
		return participantDoc{}, fmt.Errorf("write participant %s: %w", d.ID, err)
	}
	d.Seq = seq
	return d, nil
}

// Participant returns the person's participation in the pathway, or
// failure.NotFound (forgotten ones too).
func (x Participants) Participant(ctx context.Context, pathwayID, profileID string) (pathway.Participant, error) {
	var d participantDoc
	if err := x.c.Get(ctx, pathway.Key(pathwayID, profileID), &d); err != nil {
		return pathway.Participant{}, err
	}
	if d.Forgotten {
		return pathway.Participant{}, failure.NotFoundf("participant")
	}
	return d.toDomain(), nil
}

// UpdateParticipant replaces the participant if its stored version is
// still version, and reports whether it did. A tombstone's version is
// never one a participant had, so no update brings a forgotten one back.
func (x Participants) UpdateParticipant(ctx context.Context, p pathway.Participant, version int64) (bool, error) {
	d, err := x.sequenced(ctx, toParticipantDoc(p))
	if err != nil {
		return false, err
	}
	return x.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: p.Key()}, {Key: "v", Value: version}}, d)
}

// forgottenVersion is a tombstone's version: above any a participant
// reaches, so a follower holding any version takes the tombstone as newer.
const forgottenVersion = math.MaxInt64

// DeleteParticipant forgets the participant, leaving a tombstone with its
// key only; absent is not an error.
func (x Participants) DeleteParticipant(ctx context.Context, pathwayID, profileID string) error {
	key := pathway.Key(pathwayID, profileID)
	seq, err := x.seq.Next(ctx, "participants")
	if err != nil {
		return fmt.Errorf("forget participant %s: %w", key, err)
	}
	tomb := bson.D{{Key: "_id", Value: key}, {Key: "pathwayId", Value: pathwayID}, {Key: "profileId", Value: profileID},
		{Key: "forgotten", Value: true}, {Key: "v", Value: int64(forgottenVersion)}, {Key: "seq", Value: seq}}
	_, err = x.c.ReplaceIf(ctx, bson.D{{Key: "_id", Value: key}}, tomb)
	return err
}

// ParticipantsAfter calls fn for every participant written after sequence
// seq (-1: every one), tombstones included (forgotten), with its sequence.
func (x Participants) ParticipantsAfter(ctx context.Context, seq int64, fn func(p pathway.Participant, forgotten bool, seq int64) error) error {
	return x.c.Scan(ctx, afterFilter(seq), func(cur *mongo.Cursor) error {
		var d participantDoc
		if err := cur.Decode(&d); err != nil {
			return err
		}
		return fn(d.toDomain(), d.Forgotten, d.Seq)
	})
}
