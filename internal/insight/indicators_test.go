package insight

import (
	"reflect"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
)

func april(t *testing.T) (time.Time, time.Time) {
	t.Helper()
	from, to, err := DayRange("2026-04-01", "2026-04-30", sofia)
	if err != nil {
		t.Fatalf("DayRange: %v", err)
	}
	return from, to
}

func TestIndicators(t *testing.T) {
	from, to := april(t)
	got := Indicators(fixture(), from, to)
	want := Figures{
		From: from, To: to, AsOf: "2026-05-15",
		Employers: EmployerFigures{
			Registered:  1, // e3 (e1 in March, e2 in December)
			Verified:    1, // e1, verified on 2 April (e2 in January; e3 not at all)
			VerifiedNow: 2,
		},
		Needs: NeedFigures{
			// n1, n4 (closed now, still created), n9 (00:00 on 1 April); n2 (23:59:59 on 30 April); n8 (closed forecast).
			// Not: n5 (unverified), n6 (23:59:59 on 31 March), n7 (draft), n3 (00:00 on 1 May).
			Created:          map[string]int{"job": 3, "internship": 1, "apprenticeship": 0, "care_pathway": 0, "forecast": 1},
			CreatedPositions: map[string]int{"job": 6, "internship": 1, "apprenticeship": 0, "care_pathway": 0, "forecast": 7},
			// n1, n9; n2; n3.
			Open:          map[string]int{"job": 2, "internship": 1, "apprenticeship": 0, "care_pathway": 0, "forecast": 1},
			OpenPositions: map[string]int{"job": 4, "internship": 1, "apprenticeship": 0, "care_pathway": 0, "forecast": 5},
		},
		Profiles: ProfileFigures{
			Registered: 7, // p1, p2, p3, p5, p6 (00:00 on 1 April), p7, p8; not p4 (May)
			Consenting: 5, // p1, p2, p5, p6, p8
			// Youngest age in 2026: p1 25, p2 29 (born 1996: 29 or 30, counted as 29), p3 20, p6 15;
			// not p7 (35), p8 (14), p5 (no birth year).
			Aged15to29:    4,
			Share15to29:   4.0 / 7.0,
			ByAgeGroup:    map[string]int{"15-17": 2, "18-24": 1, "25-29": 2, "30+": 1, "unknown": 1},
			TotalNow:      8,
			ConsentingNow: 6,
		},
		Matches: MatchFigures{
			Created: 7, // m1, m3, m4, m5, m7, m8, m9; not m2 (March), m6 (May)
			ByState: map[string]int{"applied": 0, "proposed": 0, "referred": 1, "interview": 0, "offered": 0,
				"placed": 2, "rejected": 3, "withdrawn": 1},
			Referred:          4, // m1, m2 (00:00 on 1 April), m3, m8 (ReferredAt); not m5 (00:00 on 1 May), m6
			Placed:            1, // m3 (30 April); m1 was placed in May
			PlacedByProgramme: map[string]int{"job": 0, "internship": 1, "apprenticeship": 0, "care_pathway": 0},
			Rejected:          4, // m2, m4, m8 (no history), m9 (no reason)
			RejectionReasons: map[string]int{"skills": 1, "availability": 0, "distance": 1, "no_reply": 1,
				"position_filled": 0, "other": 0, "unspecified": 1},
			OverdueNow: 1, // m5, due 10 May; m6 is due 20 May
		},
		Pathways: PathwayFigures{
			Participants: 4, People: 3,
			ByPathway: map[string]int{"pw1": 3, "pw2": 1},
			ByStage:   map[string]int{"orientation": 3, "training": 1},
			ByStatus:  map[string]int{"started": 2, "completed": 1, "pending": 1},
		},
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Indicators(April).%s =\n%+v\nwant\n%+v", name, got, want)
		}
	}
	check("Employers", got.Employers, want.Employers)
	check("Needs", got.Needs, want.Needs)
	check("Profiles", got.Profiles, want.Profiles)
	check("Matches", got.Matches, want.Matches)
	check("Pathways", got.Pathways, want.Pathways)
	check("whole", got, want)
}

func TestIndicatorsPeriodBoundaries(t *testing.T) {
	tests := []struct {
		from, to                   string
		needsJob, referred, placed int
		registered                 int
	}{
		{"2026-04-01", "2026-04-01", 1, 1, 0, 1}, // n9 and m2's referral at 00:00:00; p6 at 00:00:00
		{"2026-03-31", "2026-03-31", 1, 0, 0, 0}, // n6 at 23:59:59
		{"2026-04-30", "2026-04-30", 0, 0, 1, 1}, // m3 placed at 23:00; p5
		{"2026-05-01", "2026-05-31", 0, 2, 1, 1}, // m5 (00:00 on 1 May), m6; m1 placed; p4
		{"2026-06-01", "2026-06-30", 0, 0, 0, 0},
	}
	for _, tt := range tests {
		from, to, err := DayRange(tt.from, tt.to, sofia)
		if err != nil {
			t.Fatalf("DayRange(%s, %s): %v", tt.from, tt.to, err)
		}
		got := Indicators(fixture(), from, to)
		if got.Needs.Created["job"] != tt.needsJob || got.Matches.Referred != tt.referred ||
			got.Matches.Placed != tt.placed || got.Profiles.Registered != tt.registered {
			t.Errorf("Indicators(%s..%s): jobs created %d, referred %d, placed %d, registered %d; want %d, %d, %d, %d",
				tt.from, tt.to, got.Needs.Created["job"], got.Matches.Referred, got.Matches.Placed, got.Profiles.Registered,
				tt.needsJob, tt.referred, tt.placed, tt.registered)
		}
	}
}

func TestIndicatorsAgeUsesPeriodEndYear(t *testing.T) {
	// p7 (born 1990) is 35 or 36 in 2026 but 19 at the youngest in 2010:
	// the year the period ends decides.
	s := fixture()
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, sofia)
	to := time.Date(2026, 12, 31, 0, 0, 0, 0, sofia)
	if got := Indicators(s, from, to).Profiles.Aged15to29; got != 4 { // p1, p2, p3, p6 as before
		t.Errorf("Indicators(..2026).Aged15to29 = %d, want 4", got)
	}
	for i := range s.Profiles {
		s.Profiles[i].CreatedAt = time.Date(2010, 6, 1, 0, 0, 0, 0, sofia)
	}
	to = time.Date(2010, 12, 31, 0, 0, 0, 0, sofia)
	if got := Indicators(s, from, to).Profiles.Aged15to29; got != 1 { // p7: 2010-1990-1 = 19
		t.Errorf("Indicators(..2010).Aged15to29 = %d, want 1", got)
	}
}

func TestDayRange(t *testing.T) {
	from, to, err := DayRange("2026-04-01", "2026-04-30", sofia)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 4, 1, 0, 0, 0, 0, sofia); !from.Equal(want) {
		t.Errorf("from = %v, want %v", from, want)
	}
	if want := time.Date(2026, 4, 30, 23, 59, 59, 999999999, sofia); !to.Equal(want) {
		t.Errorf("to = %v, want %v", to, want)
	}
	for _, bad := range [][2]string{{"2026-04-31", "2026-05-01"}, {"2026-04-01", "tomorrow"}, {"2026-05-01", "2026-04-30"}} {
		if _, _, err := DayRange(bad[0], bad[1], sofia); !failure.Is(err, failure.Invalid) {
			t.Errorf("DayRange(%s, %s) error = %v, want a failure.Invalid field error", bad[0], bad[1], err)
		}
	}
}
