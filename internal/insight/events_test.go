package insight_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

// careerDay is the wired product (app.Wire) after a Career & Skills Day in
// Haskovo on 10 December 2026: three people registered — Ana (born March
// 2000, Haskovo: 26, "25-29"), Boris (born January 2010, Dimitrovgrad: 16,
// "15-17") and Vera (no birth date, no municipality: "unknown") — Ana and
// Boris checked in, Ana's interview ended in "continue" (a referral the
// event made, which the employer then placed), Boris's in "no", Vera's was
// never held. The outcomes and the placement go through the services.
func careerDay(t *testing.T) (*apptest.Env, string) {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	now := time.Date(2026, 12, 10, 13, 0, 0, 0, time.UTC)
	member := auth.Principal{UserID: "u-hr", Role: auth.RoleEmployer}
	if err := st.Employers().InsertEmployer(ctx, register.Employer{ID: "e1", Name: "Clinic", EIK: "121212121",
		Members: []string{member.UserID}, Verified: true, Version: 1}); err != nil {
		t.Fatal(err)
	}
	need := register.Need{ID: "n1", EmployerID: "e1", Kind: register.KindJob, Title: "Carer", Positions: 2, Sector: "care",
		StartDate: "2027-01-15", ApplyBy: "2026-12-31", Status: register.StatusOpen, CreatedAt: now, UpdatedAt: now}
	if _, err := st.Needs().InsertNeed(ctx, need); err != nil {
		t.Fatal(err)
	}
	for _, p := range []profile.Profile{
		{ID: "p-ana", DisplayName: "Ana", BirthDate: "2000-03", Municipality: "Haskovo"},
		{ID: "p-boris", DisplayName: "Boris", BirthDate: "2010-01", Municipality: "Dimitrovgrad"},
		{ID: "p-vera", DisplayName: "Vera"},
	} {
		if _, err := st.Profiles().InsertProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	in := now.Add(-3 * time.Hour)
	reg := func(id string, checkedIn bool) event.Registration {
		r := event.Registration{ProfileID: id, Ticket: "T-" + id, At: now.AddDate(0, 0, -5)}
		if checkedIn {
			r.CheckedInAt = &in
		}
		return r
	}
	iv := func(n int, profileID string) event.Interview {
		return event.Interview{N: n, Slot: n, EmployerID: "e1", Table: 1, ProfileID: profileID, NeedID: "n1"}
	}
	day := event.Event{ID: "ev1", Name: event.Text{BG: "Ден на кариерата", EN: "Career Day"}, Date: "2026-12-10",
		Starts: "10:00", Ends: "14:00", Municipality: "Haskovo", Location: "Town hall", Capacity: 50,
		InterviewMinutes: 10, Slots: 6, PerPersonLimit: 2, Version: 1,
		Employers:     []event.Participant{{EmployerID: "e1", NeedIDs: []string{"n1"}, Tables: 1}},
		Registrations: []event.Registration{reg("p-ana", true), reg("p-boris", true), reg("p-vera", false)},
		Schedule:      &event.Schedule{Interviews: []event.Interview{iv(1, "p-ana"), iv(2, "p-boris"), iv(3, "p-vera")}}}
	if err := st.Events().InsertEvent(ctx, day); err != nil {
		t.Fatal(err)
	}
	env := apptest.Open(t, apptest.Options{Store: st, Now: func() time.Time { return now }})
	svc := env.Services
	ana, err := svc.Events.Outcome(ctx, member, "ev1", 1, event.OutcomeContinue)
	if err != nil || ana.MatchID == "" {
		t.Fatalf("Ana's continue = %+v, %v; want a referral", ana, err)
	}
	if _, err := svc.Events.Outcome(ctx, member, "ev1", 2, event.OutcomeNo); err != nil {
		t.Fatal(err)
	}
	for _, to := range []match.State{match.Offered, match.Placed} {
		if _, err := svc.Matches.Transition(ctx, member, ana.MatchID, to, "", ""); err != nil {
			t.Fatalf("move Ana's match to %s: %v", to, err)
		}
	}
	return env, "ev1"
}

// TestEventsTableCountsTheDay: the events export of the wired product
// counts the day from memory — in all, by age group on the event's day and
// by municipality — people registered, attended, interviews held,
// continued and placed later through the event's match; the CSV and the
// XLSX both carry the figures under bilingual headers.
func TestEventsTableCountsTheDay(t *testing.T) {
	env, id := careerDay(t)
	ctx := context.Background()
	officer := auth.Principal{UserID: "u-officer", Role: auth.RoleOfficer}
	// id, name, date, venue, dimension, group | registered, attended, held, continued, placed
	want := [][]string{
		{id, "Career Day", "2026-12-10", "Haskovo", "all", "", "3", "2", "2", "1", "1"},
		{id, "Career Day", "2026-12-10", "Haskovo", "age group", "15-17", "1", "1", "1", "0", "0"},
		{id, "Career Day", "2026-12-10", "Haskovo", "age group", "18-24", "0", "0", "0", "0", "0"},
		{id, "Career Day", "2026-12-10", "Haskovo", "age group", "25-29", "1", "1", "1", "1", "1"},
		{id, "Career Day", "2026-12-10", "Haskovo", "age group", "30+", "0", "0", "0", "0", "0"},
		{id, "Career Day", "2026-12-10", "Haskovo", "age group", "unknown", "1", "0", "0", "0", "0"},
		{id, "Career Day", "2026-12-10", "Haskovo", "municipality", "Dimitrovgrad", "1", "1", "1", "0", "0"},
		{id, "Career Day", "2026-12-10", "Haskovo", "municipality", "Haskovo", "1", "1", "1", "1", "1"},
		{id, "Career Day", "2026-12-10", "Haskovo", "municipality", "unknown", "1", "0", "0", "0", "0"},
	}
	tab, err := env.Services.Insights.TableOf(ctx, officer, insight.TableEvents, insight.Period{}, insight.GapFilter{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"Event ID", "Event", "Date", "Event municipality", "Dimension", "Breakdown",
		"Registered", "Attended", "Interviews held", "Continued", "Placed later"}

	var csvOut bytes.Buffer
	if err := insight.Write(&csvOut, "csv", tab); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("read the CSV: %v\n%s", err, csvOut.String())
	}
	if !slices.Equal(got[0], header) {
		t.Errorf("CSV header = %q, want %q", got[0], header)
	}
	if !slices.EqualFunc(got[1:], want, slices.Equal) {
		t.Errorf("CSV rows:\n%q\nwant\n%q", got[1:], want)
	}

	var xlsxOut bytes.Buffer
	if err := insight.Write(&xlsxOut, "xlsx", tab); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsxOut)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	rows, err := f.GetRows("Career days")
	if err != nil {
		t.Fatalf("sheets %q: %v", f.GetSheetList(), err)
	}
	// Trailing empty cells are left off by GetRows: the totals' breakdown
	// is empty but not trailing, so every row is whole.
	if len(rows) != 1+len(want) || !slices.Equal(rows[0], header) || !slices.EqualFunc(rows[1:], want, slices.Equal) {
		t.Errorf("XLSX rows:\n%q\nwant the header and\n%q", rows, want)
	}

	bg, err := env.Services.Insights.TableOf(ctx, officer, insight.TableEvents, insight.Period{}, insight.GapFilter{Lang: "bg"})
	if err != nil {
		t.Fatal(err)
	}
	if bg.Name != "Дни на кариерата" || bg.Header[10] != "Назначени впоследствие" || bg.Rows[0][1] != "Ден на кариерата" || bg.Rows[0][4] != "общо" {
		t.Errorf("Bulgarian table %q %q, first row %v; want Bulgarian names", bg.Name, bg.Header, bg.Rows[0])
	}
	if _, err := env.Services.Insights.TableOf(ctx, auth.Principal{UserID: "u-hr", Role: auth.RoleEmployer},
		insight.TableEvents, insight.Period{}, insight.GapFilter{}); err == nil {
		t.Error("an employer got the events export")
	}
}
