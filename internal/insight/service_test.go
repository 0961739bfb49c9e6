package insight_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

type noSkills struct{}

func (noSkills) KnownSkill(string) bool { return false }

var officer = auth.Principal{UserID: "u-officer", Role: auth.RoleOfficer}

func ptr(s string) *string { return &s }

// world is the real store, search index (with the real taxonomy), match
// and pathway services, with one verified employer, one open need asking
// for a skill, one consenting person holding it, a match and an
// enrolment.
type world struct {
	svc   *insight.Service
	clock *clock
	pw    pathway.Pathway
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	tx, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	skill := "s-care"
	if err := st.Employers().InsertEmployer(ctx, register.Employer{ID: "e1", Name: "Clinic", EIK: "121212121", Verified: true}); err != nil {
		t.Fatal(err)
	}
	need := register.Need{ID: "n1", EmployerID: "e1", Kind: register.KindJob, Title: "Carer", Positions: 2, Sector: "care",
		Skills: []register.SkillRequirement{{ID: skill, Level: 2, Required: true}}, StartDate: "2027-01-15", ApplyBy: "2026-12-31",
		Status: register.StatusOpen, CreatedAt: c.Now(), UpdatedAt: c.Now()}
	if _, err := st.Needs().InsertNeed(ctx, need); err != nil {
		t.Fatal(err)
	}
	person := profile.Profile{ID: "u1", DisplayName: "Zlatka", BirthDate: "1990-05", Municipality: "Haskovo",
		Skills: []profile.Skill{{ID: skill, Level: 3}}, Consent: profile.Consent{Matching: true, UpdatedAt: c.Now()}}
	if _, err := st.Profiles().InsertProfile(ctx, person); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(t.TempDir(), tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.CatchUp(ctx, st.Source(), nil); err != nil {
		t.Fatal(err)
	}
	matches := match.NewService(st.Matches(), nil, st.Employers(), st.Profiles(), c.Now)
	if _, err := matches.Propose(ctx, officer, need, person, "r1"); err != nil {
		t.Fatal(err)
	}
	pathways := pathway.NewService(st.Pathways(), st.Participants(), st.Profiles(), nil, noSkills{}, c.Now)
	pw, err := pathways.Create(ctx, officer, pathway.Pathway{Name: map[string]string{"bg": "Път", "en": "Path"},
		Stages: []pathway.Stage{{Key: "orientation", Name: map[string]string{"bg": "Ориентиране", "en": "Orientation"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pathways.Enrol(ctx, officer, pw.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	return &world{svc: insight.NewService(ix.Register(), matches, pathways, tx, c.Now), clock: c, pw: pw}
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	e, ok := failure.As(err)
	if !ok || e.Kind != failure.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != field || e.Fields[0].Code != code {
		t.Fatalf("err = %v, want a field error %s %s", err, field, code)
	}
}

// TestSnapshotGathersFromMemory: the snapshot every insight counts over is
// gathered by the domain from the index's needs, profiles and employers,
// every match and every pathway's cohort, on the injected clock; only
// officers get one.
func TestSnapshotGathersFromMemory(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	snap, err := w.svc.Snapshot(ctx, officer)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Needs) != 1 || len(snap.Profiles) != 1 || len(snap.Employers) != 1 || len(snap.Matches) != 1 {
		t.Fatalf("snapshot: %d needs, %d profiles, %d employers, %d matches; want 1 each",
			len(snap.Needs), len(snap.Profiles), len(snap.Employers), len(snap.Matches))
	}
	want := insight.PathwayParticipant{PathwayID: w.pw.ID, ProfileID: "u1", Status: pathway.StatusActive} // no stage started yet
	if len(snap.Participants) != 1 || snap.Participants[0] != want {
		t.Fatalf("participants = %+v, want [%+v]", snap.Participants, want)
	}
	if !snap.Today.Equal(w.clock.Now()) || snap.Labels == nil {
		t.Fatalf("today = %v (want the clock's %v), labels %v", snap.Today, w.clock.Now(), snap.Labels)
	}
	for _, by := range []auth.Role{auth.RoleEmployer, auth.RoleJobseeker, auth.RoleAdmin} {
		p := auth.Principal{UserID: "x", Role: by}
		if _, err := w.svc.Snapshot(ctx, p); !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s: snapshot err = %v, want Forbidden", by, err)
		}
		if _, err := w.svc.Gap(ctx, p, insight.GapQuery{}); !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s: gap err = %v, want Forbidden", by, err)
		}
		if _, err := w.svc.Indicators(ctx, p, insight.Period{}); !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s: indicators err = %v, want Forbidden", by, err)
		}
		if _, err := w.svc.TableOf(ctx, p, insight.TableNeeds, insight.Period{}, insight.GapFilter{}); !failure.Is(err, failure.Forbidden) {
			t.Errorf("%s: table err = %v, want Forbidden", by, err)
		}
	}
}

// TestGapChecksItsQuery: the skills gap's kind and dimension are checked
// by the use case (the API's 400s come from here), the dimension defaults
// to skills, and the figures are those of the snapshot.
func TestGapChecksItsQuery(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.svc.Gap(ctx, officer, insight.GapQuery{Kind: "gig"})
	wantField(t, err, "kind", "oneof")
	if e, _ := failure.As(err); e.Fields[0].Param != "job, internship, apprenticeship, care_pathway, forecast" {
		t.Errorf("kind param = %q", e.Fields[0].Param)
	}
	_, err = w.svc.Gap(ctx, officer, insight.GapQuery{By: "colour"})
	wantField(t, err, "by", "oneof")

	rows, err := w.svc.Gap(ctx, officer, insight.GapQuery{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Dimension != insight.BySkill || rows[0].ID != "s-care" || rows[0].Demand != 2 || rows[0].Supply != 1 || rows[0].Gap != 1 {
		t.Fatalf("gap = %+v; want s-care: demand 2, supply 1, gap 1", rows)
	}
	rows, err = w.svc.Gap(ctx, officer, insight.GapQuery{Kind: register.KindInternship})
	if err != nil || rows == nil || len(rows) != 0 {
		t.Fatalf("gap of internships = %#v, %v; want an empty, non-nil list", rows, err)
	}
}

// TestPeriodDefaultsToTheYearSoFar: an absent day is the first of January
// or today, on the injected clock; a given empty or malformed day, or an end
// before the start, is refused.
func TestPeriodDefaultsToTheYearSoFar(t *testing.T) {
	now := time.Date(2026, 12, 7, 23, 30, 0, 0, time.FixedZone("EET", 2*3600)) // 21:30 UTC
	from, to, err := insight.Period{}.Range(now)
	if err != nil || !from.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) ||
		!to.Equal(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)) {
		t.Fatalf("default period = %v … %v, %v; want 2026-01-01 … the end of 2026-12-07 UTC", from, to, err)
	}
	from, to, err = insight.Period{From: ptr("2026-03-01"), To: ptr("2026-03-31")}.Range(now)
	if err != nil || from.Day() != 1 || to.Day() != 31 || to.Month() != time.March {
		t.Fatalf("March = %v … %v, %v", from, to, err)
	}
	_, _, err = insight.Period{From: ptr("")}.Range(now)
	wantField(t, err, "from", "date")
	_, _, err = insight.Period{To: ptr("2026-13-01")}.Range(now)
	wantField(t, err, "to", "date")
	_, _, err = insight.Period{From: ptr("2026-05-02"), To: ptr("2026-05-01")}.Range(now)
	wantField(t, err, "to", "after_start")
}

// TestIndicatorsAndTables: the indicators use case checks its period, and
// the table use case knows the four exports by name and no other.
func TestIndicatorsAndTables(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.svc.Indicators(ctx, officer, insight.Period{From: ptr("2026-12-08"), To: ptr("2026-12-01")})
	wantField(t, err, "to", "after_start")
	if _, err := w.svc.Indicators(ctx, officer, insight.Period{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.TableOf(ctx, officer, "people", insight.Period{}, insight.GapFilter{}); !failure.Is(err, failure.NotFound) {
		t.Fatalf("unknown table: %v, want NotFound", err)
	}
	_, err = w.svc.TableOf(ctx, officer, insight.TableIndicators, insight.Period{To: ptr("soon")}, insight.GapFilter{})
	wantField(t, err, "to", "date")
	for name, rows := range map[string]int{insight.TableNeeds: 1, insight.TableMatches: 1, insight.TableSkillsGap: 1} {
		tab, err := w.svc.TableOf(ctx, officer, name, insight.Period{}, insight.GapFilter{Lang: "en"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := 0
		for range tab.All() {
			n++
		}
		if n != rows {
			t.Errorf("%s: %d rows, want %d", name, n, rows)
		}
	}
}
