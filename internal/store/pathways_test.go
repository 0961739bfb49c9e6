package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

var pathwayT0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func samplePathway(id string) pathway.Pathway {
	return pathway.Pathway{
		ID:   id,
		Name: map[string]string{"bg": "Път към грижата", "en": "Care Career Path"},
		Stages: []pathway.Stage{
			{Key: "orientation", Name: map[string]string{"bg": "Ориентиране", "en": "Orientation"},
				Requirements: []pathway.Requirement{{Key: "medical", Name: map[string]string{"bg": "Медицинско", "en": "Medical certificate"}}}},
			{Key: "training", Name: map[string]string{"bg": "Обучение", "en": "Training"},
				GrantsSkills: []pathway.SkillGrant{{ID: "s-care", Level: 2}, {ID: "s-hygiene", Level: 1}}},
		},
		CreatedBy: "officer-1",
		CreatedAt: pathwayT0,
	}
}

func TestPathwayRoundTrip(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	pw := s.Pathways()
	want := samplePathway("p1")
	if err := pw.InsertPathway(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := pw.Pathway(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Pathway(p1) = %+v, want %+v", got, want)
	}
	if err := pw.InsertPathway(ctx, want); !failure.Is(err, failure.Conflict) {
		t.Fatalf("InsertPathway(same id) = %v, want Conflict", err)
	}
	if _, err := pw.Pathway(ctx, "nope"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("Pathway(nope) = %v, want NotFound", err)
	}
	if err := pw.InsertPathway(ctx, samplePathway("p2")); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := pw.PathwaysAfter(ctx, -1, func(p pathway.Pathway, _ int64) error { ids = append(ids, p.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"p1", "p2"}) {
		t.Fatalf("PathwaysAfter(-1) ids = %v, want [p1 p2]", ids)
	}
}

func sampleParticipant() pathway.Participant {
	return pathway.Participant{
		PathwayID: "p1", ProfileID: "u1", Status: pathway.StatusActive, Stage: "training",
		Stages: map[string]pathway.StageProgress{
			"orientation": {Status: pathway.StageCompleted, StartedAt: pathwayT0, CompletedAt: pathwayT0.Add(time.Hour)},
			"training":    {Status: pathway.StageStarted, StartedAt: pathwayT0.Add(2 * time.Hour)},
		},
		Checks:     map[string]pathway.Check{"medical": {Checked: true, On: "2026-03-01", By: "officer-1"}},
		Mentor:     "Мария Иванова",
		NextStep:   "Практика в МБАЛ Хасково",
		EnrolledAt: pathwayT0, AcceptedAt: pathwayT0, UpdatedAt: pathwayT0.Add(2 * time.Hour), Version: 3,
	}
}

func TestParticipantRoundTrip(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	pa := s.Participants()
	full := sampleParticipant()
	pending := pathway.Participant{PathwayID: "p1", ProfileID: "u2", Status: pathway.StatusPending,
		Stages: map[string]pathway.StageProgress{}, Checks: map[string]pathway.Check{},
		EnrolledAt: pathwayT0, UpdatedAt: pathwayT0, Version: 1}
	for _, want := range []pathway.Participant{full, pending} {
		if err := pa.InsertParticipant(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := pa.Participant(ctx, want.PathwayID, want.ProfileID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Participant(%s) = %+v, want %+v", want.Key(), got, want)
		}
	}
	if _, err := pa.Participant(ctx, "p1", "nobody"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("Participant(p1, nobody) = %v, want NotFound", err)
	}
}

func TestParticipantInsertTwiceIsConflict(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	pa := s.Participants()
	p := sampleParticipant()
	if err := pa.InsertParticipant(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.Status = pathway.StatusPending
	if err := pa.InsertParticipant(ctx, p); !failure.Is(err, failure.Conflict) {
		t.Fatalf("InsertParticipant(again) = %v, want Conflict", err)
	}
}

func TestUpdateParticipantIsCompareAndSet(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	pa := s.Participants()
	p := sampleParticipant()
	if err := pa.InsertParticipant(ctx, p); err != nil {
		t.Fatal(err)
	}
	next := p
	next.Mentor, next.Version = "Петър Петров", p.Version+1
	ok, err := pa.UpdateParticipant(ctx, next, p.Version)
	if err != nil || !ok {
		t.Fatalf("UpdateParticipant(v%d) = %v, %v; want true, nil", p.Version, ok, err)
	}
	stale := p
	stale.Mentor, stale.Version = "someone else", p.Version+1
	ok, err = pa.UpdateParticipant(ctx, stale, p.Version)
	if err != nil || ok {
		t.Fatalf("UpdateParticipant(stale v%d) = %v, %v; want false, nil", p.Version, ok, err)
	}
	got, err := pa.Participant(ctx, p.PathwayID, p.ProfileID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Mentor != "Петър Петров" || got.Version != p.Version+1 {
		t.Fatalf("after CAS: mentor %q v%d, want %q v%d", got.Mentor, got.Version, "Петър Петров", p.Version+1)
	}
}

// TestParticipantCheckDocumentHoldsOnlyTheFact reads the raw stored
// document: an entry check is the requirement key, the outcome, the day and
// the officer, and nothing that could hold a certificate's content.
func TestParticipantCheckDocumentHoldsOnlyTheFact(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	p := sampleParticipant()
	if err := s.Participants().InsertParticipant(ctx, p); err != nil {
		t.Fatal(err)
	}
	var raw bson.M
	if err := s.Collection("pathway_participants", "participant").Get(ctx, p.Key(), &raw); err != nil {
		t.Fatal(err)
	}
	checks, ok := raw["checks"].(bson.A)
	if !ok || len(checks) != 1 {
		t.Fatalf("stored checks = %#v, want one entry", raw["checks"])
	}
	var keys []string
	switch c := checks[0].(type) {
	case bson.D:
		for _, e := range c {
			keys = append(keys, e.Key)
		}
	case bson.M:
		for k := range c {
			keys = append(keys, k)
		}
	default:
		t.Fatalf("stored check = %#v, want a document", c)
	}
	slices.Sort(keys)
	if want := []string{"by", "checked", "key", "on"}; !slices.Equal(keys, want) {
		t.Fatalf("stored check fields = %v, want %v", keys, want)
	}
}

// A forgotten participant leaves a tombstone: not found by key, listed as
// forgotten to followers, never brought back by an update or an insert.
func TestDeleteAndEachParticipant(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	pa := s.Participants()
	for _, id := range []string{"u1", "u2", "u3"} {
		p := sampleParticipant()
		p.ProfileID = id
		if err := pa.InsertParticipant(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := pa.DeleteParticipant(ctx, "p1", "u2"); err != nil {
		t.Fatal(err)
	}
	if err := pa.DeleteParticipant(ctx, "p1", "u2"); err != nil {
		t.Fatalf("DeleteParticipant(absent) = %v, want nil", err)
	}
	if got := eachParticipantKey(t, pa); !slices.Equal(got, []string{"p1/u1", "p1/u3"}) {
		t.Fatalf("participants = %v, want [p1/u1 p1/u3]", got)
	}
	if _, err := pa.Participant(ctx, "p1", "u2"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("Participant(forgotten) = %v, want NotFound", err)
	}
	back := sampleParticipant()
	back.ProfileID, back.Version = "u2", 2
	if ok, err := pa.UpdateParticipant(ctx, back, 1); ok || err != nil {
		t.Fatalf("UpdateParticipant(forgotten) = %v, %v; want no match", ok, err)
	}
	if err := pa.InsertParticipant(ctx, back); !failure.Is(err, failure.Conflict) {
		t.Fatalf("InsertParticipant(forgotten) = %v, want Conflict", err)
	}
	var tombs []string
	if err := pa.ParticipantsAfter(ctx, -1, func(p pathway.Participant, forgotten bool, _ int64) error {
		if forgotten {
			tombs = append(tombs, p.Key())
		}
		return nil
	}); err != nil || !slices.Equal(tombs, []string{"p1/u2"}) {
		t.Fatalf("forgotten in ParticipantsAfter = %v, %v; want [p1/u2]", tombs, err)
	}
}

func eachParticipantKey(t *testing.T, pa store.Participants) []string {
	t.Helper()
	var keys []string
	err := pa.ParticipantsAfter(context.Background(), -1, func(p pathway.Participant, forgotten bool, _ int64) error {
		if !forgotten {
			keys = append(keys, p.Key())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}
