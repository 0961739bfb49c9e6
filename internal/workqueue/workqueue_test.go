package workqueue_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/workqueue"
)

var officer = auth.Principal{UserID: "officer", Role: auth.RoleOfficer}

// world is the product wired on a real embedded store, with a clock the
// test moves.
type world struct {
	t   *testing.T
	svc app.Services
	now time.Time
	n   int
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	env := apptest.Open(t, apptest.Options{Now: func() time.Time { return w.now }})
	w.svc = env.Services
	return w
}

// employer registers an organisation as a new employer account.
func (w *world) employer(name string) (register.Employer, auth.Principal) {
	w.t.Helper()
	ctx := context.Background()
	w.n++
	u, err := w.svc.Auth.Register(ctx, auth.NewAccount{Email: fmt.Sprintf("e%d@example.bg", w.n),
		Password: "correct horse battery staple", Name: "Owner", Role: auth.RoleEmployer})
	if err != nil {
		w.t.Fatal(err)
	}
	by := auth.Principal{UserID: u.ID, Role: auth.RoleEmployer}
	e, err := w.svc.Register.CreateEmployer(ctx, by, register.Employer{Name: name, EIK: eik(w.n), Sector: "healthcare",
		Municipality: "Хасково"})
	if err != nil {
		w.t.Fatal(err)
	}
	w.now = w.now.Add(time.Minute)
	return e, by
}

func eik(n int) string {
	for h := 20000000 + n*7919; ; h++ {
		for d := range 10 {
			if e := strconv.Itoa(h) + strconv.Itoa(d); register.ValidEIK(e) {
				return e
			}
		}
	}
}

// person is a job-seeker with a profile, born on birth (YYYY-MM).
func (w *world) person(birth string) auth.Principal {
	w.t.Helper()
	ctx := context.Background()
	w.n++
	u, err := w.svc.Auth.Register(ctx, auth.NewAccount{Email: fmt.Sprintf("p%d@example.bg", w.n),
		Password: "correct horse battery staple", Name: "Person", Role: auth.RoleJobseeker})
	if err != nil {
		w.t.Fatal(err)
	}
	by := auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker}
	if _, err := w.svc.Profiles.Put(ctx, by, profile.Profile{DisplayName: "Person", BirthDate: birth, Municipality: "Хасково",
		AvailableFrom: "2026-03-01", Consent: profile.Consent{Matching: true}}); err != nil {
		w.t.Fatal(err)
	}
	return by
}

func (w *world) need(by auth.Principal, employerID, title string) register.Need {
	w.t.Helper()
	n, err := w.svc.Register.CreateNeed(context.Background(), by, register.Need{EmployerID: employerID, Kind: register.KindJob,
		Title: title, Sector: "healthcare", Positions: 1, Hours: "part_time", LightWork: true, StartDate: "2026-04-01",
		Status: register.StatusOpen, Location: register.Location{Municipality: "Хасково"}})
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *world) move(by auth.Principal, id string, to match.State) {
	w.t.Helper()
	if _, err := w.svc.Matches.Transition(context.Background(), by, id, to, "", ""); err != nil {
		w.t.Fatalf("move %s to %s: %v", id, to, err)
	}
}

func queue(t *testing.T, today workqueue.Today, kind string) workqueue.Queue {
	t.Helper()
	for _, q := range today.Queues {
		if q.Kind == kind {
			return q
		}
	}
	t.Fatalf("no queue %s in %+v", kind, today.Queues)
	return workqueue.Queue{}
}

// TestTodayGathersTheQueues: the dashboard counts organisations waiting
// for verification (not ones the office decided on), new applications,
// overdue outcomes and minors offered a place (the permit); it omits the
// referral-request queue while nothing provides it; only officers see it.
func TestTodayGathersTheQueues(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	waiting, _ := w.employer("Дом Щастие")
	verified, boss := w.employer("МБАЛ Хасково")
	refused, _ := w.employer("Фирма")
	for _, d := range []struct {
		id string
		ok bool
	}{{verified.ID, true}, {refused.ID, false}} {
		if _, err := w.svc.Register.Verify(ctx, officer, d.id, d.ok, "checked"); err != nil {
			t.Fatal(err)
		}
	}
	applied := w.need(boss, verified.ID, "Санитар")
	late := w.need(boss, verified.ID, "Болногледач")
	young := w.need(boss, verified.ID, "Помощник в кухня")
	adult, teen := w.person("1990-05"), w.person("2010-06") // 15 on the need's start
	if _, err := w.svc.Matches.Apply(ctx, adult, applied.ID, ""); err != nil {
		t.Fatal(err)
	}
	m, err := w.svc.Matches.Apply(ctx, adult, late.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	w.move(officer, m.ID, match.Referred)
	mt, err := w.svc.Matches.Apply(ctx, teen, young.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	w.move(officer, mt.ID, match.Referred)
	w.move(boss, mt.ID, match.Offered)
	w.now = w.now.AddDate(0, 0, 15) // past the referral's 7 working days

	today, err := w.svc.Office.Today(ctx, officer, "bg")
	if err != nil {
		t.Fatal(err)
	}
	if q := queue(t, today, workqueue.QueueVerification); q.Count != 1 || q.Items[0].ID != waiting.ID || q.Items[0].Title != "Дом Щастие" {
		t.Errorf("verification queue = %+v, want only %s", q, waiting.ID)
	}
	if q := queue(t, today, workqueue.QueueApplications); q.Count != 1 || q.Items[0].Title != "Санитар" || q.Items[0].Employer != "МБАЛ Хасково" {
		t.Errorf("applications = %+v, want the one application to Санитар", q)
	}
	if q := queue(t, today, workqueue.QueueOverdue); q.Count != 1 || q.Items[0].ID != m.ID || q.Items[0].Due == "" {
		t.Errorf("overdue = %+v, want %s with its due date", q, m.ID)
	}
	if q := queue(t, today, workqueue.QueuePermits); q.Count != 1 || q.Items[0].ID != mt.ID {
		t.Errorf("permits = %+v, want the 15-year-old's offer %s", q, mt.ID)
	}
	if q := queue(t, today, workqueue.QueuePathway); q.Count != 0 {
		t.Errorf("pathway = %+v, want none", q)
	}
	// The product wires the employers' referral requests: none asked yet.
	if q := queue(t, today, workqueue.QueueReferralRequest); q.Count != 0 {
		t.Errorf("referral requests = %+v, want none", q)
	}
	if _, err := w.svc.Office.Today(ctx, boss, "bg"); !failure.Is(err, failure.Forbidden) {
		t.Errorf("an employer's Today = %v, want Forbidden", err)
	}
}

// pending is a referral-request source with a fixed count.
type pending int

func (p pending) PendingReferralRequests(context.Context, auth.Principal) (int, error) {
	return int(p), nil
}

// TestTodayShowsReferralRequestsWhenWired: with a source, the queue is there.
func TestTodayShowsReferralRequestsWhenWired(t *testing.T) {
	w := newWorld(t)
	env := w.svc
	svc := workqueue.NewService(noEmployers{}, nil, env.Matches, env.Pathways, pending(3), time.Now)
	today, err := svc.Today(context.Background(), officer, "en")
	if err != nil {
		t.Fatal(err)
	}
	if q := queue(t, today, workqueue.QueueReferralRequest); q.Count != 3 {
		t.Errorf("referral requests = %+v, want 3", q)
	}
}

type noEmployers struct{}

func (noEmployers) Employers() []register.Employer { return nil }
