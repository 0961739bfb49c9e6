package register_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// The read-modify-writes of the register on the real store, with a
// competing write made, deterministically, between a service's read and
// its write: the racing stores below make that write through the same
// real store just before passing the service's write on.

type catalog struct{}

func (catalog) KnownSkill(string) bool      { return true }
func (catalog) KnownOccupation(string) bool { return true }

var (
	officer = auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	owner   = auth.Principal{UserID: "owner", Role: auth.RoleEmployer}
	now     = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
)

// racingEmployers withdraws the employer's verification (as an officer
// would) before each of the first races writes it is given.
type racingEmployers struct {
	register.Employers
	raw   store.Employers
	races *int
}

func (r racingEmployers) UpdateEmployer(ctx context.Context, e register.Employer) (register.Employer, error) {
	if *r.races > 0 {
		*r.races--
		cur, err := r.raw.Employer(ctx, e.ID)
		if err != nil {
			return register.Employer{}, err
		}
		cur.Verified = false
		cur.Verification = &register.Verification{Verified: false, Note: "struck off", By: "other officer", At: now()}
		if _, err := r.raw.UpdateEmployer(ctx, cur); err != nil {
			return register.Employer{}, err
		}
	}
	return r.Employers.UpdateEmployer(ctx, e)
}

func newEmployer(t *testing.T, st *store.Store, races *int) (*register.Service, string) {
	t.Helper()
	ctx := context.Background()
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Users().InsertUser(ctx, auth.User{ID: owner.UserID, Email: "owner@example.org", Role: auth.RoleEmployer}); err != nil {
		t.Fatal(err)
	}
	svc := register.NewService(racingEmployers{st.Employers(), st.Employers(), races}, st.Needs(), st.Users(), catalog{}, now)
	e, err := svc.CreateEmployer(ctx, owner, register.Employer{Name: "Clinic", EIK: "000695235"})
	if err != nil {
		t.Fatal(err)
	}
	plain := register.NewService(st.Employers(), st.Needs(), st.Users(), catalog{}, now)
	if _, err := plain.Verify(ctx, officer, e.ID, true, "checked"); err != nil {
		t.Fatal(err)
	}
	return svc, e.ID
}

// TestEmployerEditKeepsARacingVerificationDecision: an officer withdraws
// the verification between the member's read and write; the edit is
// applied again on a fresh read, and the decision stands.
func TestEmployerEditKeepsARacingVerificationDecision(t *testing.T) {
	st := storetest.Open(t)
	races := 1
	svc, id := newEmployer(t, st, &races)
	name := "Clinic Haskovo"
	got, err := svc.UpdateEmployer(context.Background(), owner, id, register.EmployerPatch{Name: &name})
	if err != nil {
		t.Fatalf("UpdateEmployer = %v", err)
	}
	stored, err := st.Employers().Employer(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Verified || stored.Verification == nil || stored.Verification.Note != "struck off" || stored.Name != name || got.Verified {
		t.Fatalf("after an edit raced by a withdrawal: stored %+v, returned verified %v; want unverified (struck off) and renamed", stored, got.Verified)
	}
}

// TestEmployerEditGivesUpWithEditConflict: when every try loses, the edit
// ends in a clear conflict and writes nothing of its own.
func TestEmployerEditGivesUpWithEditConflict(t *testing.T) {
	st := storetest.Open(t)
	races := failure.EditAttempts
	svc, id := newEmployer(t, st, &races)
	name := "Clinic Haskovo"
	_, err := svc.UpdateEmployer(context.Background(), owner, id, register.EmployerPatch{Name: &name})
	if fe, ok := failure.As(err); !ok || fe.Kind != failure.Conflict || fe.Code != "edit_conflict" {
		t.Fatalf("UpdateEmployer losing every try = %v, want a Conflict edit_conflict", err)
	}
	if stored, _ := st.Employers().Employer(context.Background(), id); stored.Name == name {
		t.Fatalf("a failed edit was written: %+v", stored)
	}
}

// deletingNeeds deletes the need (as another member would) just before
// passing an update on.
type deletingNeeds struct {
	register.Needs
	raw store.Needs
}

func (d deletingNeeds) UpdateNeed(ctx context.Context, n register.Need) (register.Need, error) {
	if _, err := d.raw.DeleteNeed(ctx, n.ID); err != nil {
		return register.Need{}, err
	}
	return d.Needs.UpdateNeed(ctx, n)
}

// TestNeedEditAfterARacingDeletionIsNotFound: an edit that read the need
// before its deletion answers not found and does not bring it back.
func TestNeedEditAfterARacingDeletionIsNotFound(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	races := 0
	_, empID := newEmployer(t, st, &races)
	svc := register.NewService(st.Employers(), deletingNeeds{st.Needs(), st.Needs()}, st.Users(), catalog{}, now)
	n, err := svc.CreateNeed(ctx, owner, register.Need{EmployerID: empID, Kind: register.KindJob, Title: "Nurse", StartDate: "2026-09-01"})
	if err != nil {
		t.Fatal(err)
	}
	title := "Senior nurse"
	if _, err := svc.UpdateNeed(ctx, owner, n.ID, register.NeedPatch{Title: &title}); !failure.Is(err, failure.NotFound) {
		t.Fatalf("UpdateNeed raced by a deletion = %v, want NotFound", err)
	}
	if got, err := st.Needs().Need(ctx, n.ID); !failure.Is(err, failure.NotFound) {
		t.Fatalf("the deleted need came back: %+v, %v", got, err)
	}
}
