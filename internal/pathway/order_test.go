package pathway_test

import (
	"context"
	"testing"

	"github.com/careget/skillsmatch/internal/pathway"
)

// gatedParticipants is the real store's participants with a pause: after
// it has stored the change from version gate it waits for release before
// returning, so that request remembers its change after a later one did,
// as when two officers' requests race.
type gatedParticipants struct {
	pathway.Participants
	gate            int64
	stored, release chan struct{}
}

func (g gatedParticipants) UpdateParticipant(ctx context.Context, p pathway.Participant, version int64) (bool, error) {
	ok, err := g.Participants.UpdateParticipant(ctx, p, version)
	if version == g.gate {
		close(g.stored)
		<-g.release
	}
	return ok, err
}

// The cohort board (memory) must end with the newest stored version, not
// with whichever racing request remembered its change last.
func TestCohortKeepsTheNewerOfTwoRacingChanges(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	gate := gatedParticipants{Participants: e.st.Participants(), gate: 1, stored: make(chan struct{}), release: make(chan struct{})}
	e.svc = newService(e.st, gate, e.clock)
	if err := e.svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	pw := e.active(t) // u1 at version 1

	done := make(chan error, 1)
	go func() {
		_, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "orientation", Status: pathway.StageStarted})
		done <- err
	}()
	<-gate.stored // version 2 is stored; its request has not remembered it yet
	p, err := e.svc.Progress(ctx, officer, pw.ID, "u1", pathway.Move{Stage: "training", Status: pathway.StageStarted})
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 3 {
		t.Fatalf("second change stored version %d, want 3", p.Version)
	}
	close(gate.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	cohort, err := e.svc.Cohort(ctx, officer, pw.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cohort) != 1 || cohort[0].Version != 3 || cohort[0].Stage != "training" {
		t.Errorf("cohort after two racing changes = %+v, want u1 at version 3 in training", cohort)
	}
}
