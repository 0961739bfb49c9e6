package notify_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// product is the wired product (app.Wire) with a job-seeker's profile, an
// employer with one member, an officer and a need.
type product struct {
	env                     *apptest.Env
	seeker, member, officer auth.Principal
	employer                register.Employer
	need                    register.Need
}

func newProduct(t *testing.T) product {
	t.Helper()
	ctx := context.Background()
	env := apptest.Open(t, apptest.Options{})
	p := product{env: env, seeker: auth.Principal{UserID: auth.NewID(), Role: auth.RoleJobseeker},
		member: auth.Principal{UserID: auth.NewID(), Role: auth.RoleEmployer}, officer: auth.Principal{UserID: auth.NewID(), Role: auth.RoleOfficer}}
	for i, pr := range []auth.Principal{p.seeker, p.member, p.officer} {
		u := auth.User{ID: pr.UserID, Email: string(rune('a'+i)) + "@example.bg", Role: pr.Role, Name: "N", Locale: "bg"}
		if err := env.Store.Users().InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	p.employer = register.Employer{ID: auth.NewID(), Name: "Фирма", EIK: "121212121", Members: []string{p.member.UserID}, Verified: true, Version: 1}
	if err := env.Store.Employers().InsertEmployer(ctx, p.employer); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Store.Profiles().InsertProfile(ctx, profile.Profile{ID: p.seeker.UserID, DisplayName: "Ана", BirthDate: "1995-04"}); err != nil {
		t.Fatal(err)
	}
	p.need = register.Need{ID: auth.NewID(), EmployerID: p.employer.ID, Kind: register.KindJob, Title: "Санитар",
		StartDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}
	return p
}

func (p product) inbox(t *testing.T, svc *notify.Service, who auth.Principal) []notify.Notification {
	t.Helper()
	in, err := svc.Inbox(context.Background(), who, 1)
	if err != nil {
		t.Fatal(err)
	}
	return in.Items
}

func kinds(ns []notify.Notification) []notify.Kind {
	var out []notify.Kind
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

// The product's services tell: a round's proposal, the referral (both
// sides), a move (not to whoever made it), the verification decision.
func TestTheWorkflowTellsWhoMustKnow(t *testing.T) {
	ctx := context.Background()
	p := newProduct(t)
	svc := p.env.Services
	pr, _ := svc.Profiles.Mine(ctx, p.seeker)
	m, err := svc.Matches.Propose(ctx, p.officer, p.need, pr, "round-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Matches.Transition(ctx, p.officer, m.ID, match.Referred, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Matches.Transition(ctx, p.member, m.ID, match.Interview, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Register.Decide(ctx, p.officer, p.employer.ID, register.Decision{Verified: false, Reason: "EIK struck off"}); err != nil {
		t.Fatal(err)
	}
	want := map[string][]notify.Kind{
		"seeker":  {notify.MatchMoved, notify.Referral, notify.RoundProposal},
		"member":  {notify.VerificationWithdrawn, notify.Referral},
		"officer": nil,
	}
	for who, by := range map[string]auth.Principal{"seeker": p.seeker, "member": p.member, "officer": p.officer} {
		got := kinds(p.inbox(t, svc.Notify, by))
		if len(got) != len(want[who]) {
			t.Errorf("%s told %v, want %v", who, got, want[who])
			continue
		}
		for i := range got {
			if got[i] != want[who][i] {
				t.Errorf("%s told %v, want %v", who, got, want[who])
				break
			}
		}
	}
	// Each notice is in the outbox (everyone wants every kind by default).
	_, last, err := p.env.Store.Notifications().OutboxBounds(ctx)
	if err != nil || last != 5 {
		t.Errorf("outbox holds %d messages (%v), want 5", last, err)
	}
}

// flaky is the store failing notification inserts while broken, and
// outbox inserts while outboxBroken.
type flaky struct {
	notify.Store
	broken, outboxBroken *atomic.Bool
}

func (f flaky) InsertMessage(ctx context.Context, m notify.Message) (notify.Message, error) {
	if f.outboxBroken.Load() {
		return notify.Message{}, errors.New("outbox unavailable")
	}
	return f.Store.InsertMessage(ctx, m)
}

func (f flaky) InsertNotification(ctx context.Context, n notify.Notification) (notify.Notification, error) {
	if f.broken.Load() {
		return notify.Notification{}, errors.New("store unavailable")
	}
	return f.Store.InsertNotification(ctx, n)
}

// A failure to notify does not fail the move; the notice is kept and
// inserted by the retry.
func TestAFailedNoticeNeitherFailsTheMoveNorIsLost(t *testing.T) {
	ctx := context.Background()
	p := newProduct(t)
	svc := p.env.Services
	broken, outboxBroken := &atomic.Bool{}, &atomic.Bool{}
	broken.Store(true)
	notices := notify.NewService(flaky{p.env.Store.Notifications(), broken, outboxBroken}, p.env.Store.Users(), p.env.Store.Employers(), "http://x", time.Now, nil)
	svc.Matches.NotifyWith(notices)
	pr, _ := svc.Profiles.Mine(ctx, p.seeker)
	m, err := svc.Matches.Propose(ctx, p.officer, p.need, pr, "round-1")
	if err != nil {
		t.Fatalf("propose with notifications failing = %v, want it done", err)
	}
	if _, err := svc.Matches.Transition(ctx, p.officer, m.ID, match.Referred, "", ""); err != nil {
		t.Fatalf("refer with notifications failing = %v, want it done", err)
	}
	if got := p.inbox(t, notices, p.seeker); len(got) != 0 {
		t.Fatalf("seeker told %v while the store failed", kinds(got))
	}
	if left := notices.Retry(ctx); left != 3 {
		t.Errorf("retry while still broken leaves %d, want the 3 notices kept", left)
	}
	broken.Store(false)
	if left := notices.Retry(ctx); left != 0 {
		t.Errorf("retry leaves %d, want 0", left)
	}
	if got := kinds(p.inbox(t, notices, p.seeker)); len(got) != 2 {
		t.Errorf("seeker told %v after the retry, want the proposal and the referral", got)
	}
	if got := kinds(p.inbox(t, notices, p.member)); len(got) != 1 || got[0] != notify.Referral {
		t.Errorf("member told %v after the retry, want the referral", got)
	}
	// The outbox failing: the notice is in the inbox at once, its mail
	// is queued by the retry.
	outboxBroken.Store(true)
	if _, err := svc.Matches.Transition(ctx, p.member, m.ID, match.Interview, "", ""); err != nil {
		t.Fatalf("move with the outbox failing = %v, want it done", err)
	}
	if got := kinds(p.inbox(t, notices, p.seeker)); len(got) != 3 {
		t.Errorf("seeker told %v, want the move too", got)
	}
	_, before, _ := p.env.Store.Notifications().OutboxBounds(ctx)
	outboxBroken.Store(false)
	if left := notices.Retry(ctx); left != 0 {
		t.Errorf("retry leaves %d, want 0", left)
	}
	if _, after, _ := p.env.Store.Notifications().OutboxBounds(ctx); after != before+1 {
		t.Errorf("outbox grew from %d to %d, want the move's mail queued by the retry", before, after)
	}
	if got := kinds(p.inbox(t, notices, p.seeker)); len(got) != 3 {
		t.Errorf("after the retry the seeker has %v, want the same 3 notices (not told twice)", got)
	}
}

// A Career & Skills Day tells: the invitation to the people invited; the
// schedule to everyone registered and to the members of the employers
// with a table; and the day before, once however often the job runs, the
// reminder to the same people.
func TestCareerDaysTellWhoMustKnow(t *testing.T) {
	ctx := context.Background()
	p := newProduct(t)
	svc := p.env.Services
	sofia, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	tomorrow := time.Now().In(sofia).AddDate(0, 0, 1).Format(time.DateOnly)
	e := event.Event{ID: auth.NewID(), Name: event.Text{BG: "Ден на кариерата", EN: "Career Day"}, Date: tomorrow,
		Starts: "10:00", Ends: "14:00", Slots: 6, InterviewMinutes: 10, PerPersonLimit: 2, Version: 1,
		Employers:     []event.Participant{{EmployerID: p.employer.ID, Tables: 1}},
		Registrations: []event.Registration{{ProfileID: p.seeker.UserID, Ticket: "T1"}}}
	svc.Notify.EventNotice(ctx, "event/"+e.ID+"/invitation", "invitation", e, []string{p.seeker.UserID})
	svc.Notify.EventNotice(ctx, "event/"+e.ID+"/schedule/1", "schedule", e, []string{p.seeker.UserID})
	if err := p.env.Store.Events().InsertEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := svc.Events.Load(ctx); err != nil {
		t.Fatal(err)
	}
	svc.Events.RemindTomorrow(ctx)
	svc.Events.RemindTomorrow(ctx) // the job runs hourly: told once
	want := map[string][]notify.Kind{
		"seeker": {notify.EventReminder, notify.EventSchedule, notify.EventInvitation},
		"member": {notify.EventReminder, notify.EventSchedule},
	}
	for who, by := range map[string]auth.Principal{"seeker": p.seeker, "member": p.member} {
		if got := kinds(p.inbox(t, svc.Notify, by)); !slices.Equal(got, want[who]) {
			t.Errorf("%s told %v, want %v (newest first)", who, got, want[who])
		}
	}
}

// A person's erasure deletes their inbox and preferences with the rest.
func TestErasureForgetsTheInbox(t *testing.T) {
	ctx := context.Background()
	p := newProduct(t)
	svc := p.env.Services
	pr, _ := svc.Profiles.Mine(ctx, p.seeker)
	if _, err := svc.Matches.Propose(ctx, p.officer, p.need, pr, "round-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Notify.SetPreferences(ctx, p.seeker, []notify.Kind{notify.MatchMoved}, false); err != nil {
		t.Fatal(err)
	}
	if got := p.inbox(t, svc.Notify, p.seeker); len(got) != 1 {
		t.Fatalf("before the erasure the inbox holds %d, want the round's proposal", len(got))
	}
	if err := svc.Profiles.Erase(ctx, p.seeker); err != nil {
		t.Fatal(err)
	}
	if got := p.inbox(t, svc.Notify, p.seeker); len(got) != 0 {
		t.Errorf("after the erasure the inbox holds %+v, want nothing", got)
	}
	if _, err := p.env.Store.Notifications().Preferences(ctx, p.seeker.UserID); !failure.Is(err, failure.NotFound) {
		t.Errorf("preferences after the erasure: %v, want not found", err)
	}
}
