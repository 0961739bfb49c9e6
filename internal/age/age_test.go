package age_test

import (
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/age"
)

func day(t *testing.T, s string) age.Date {
	t.Helper()
	d, err := age.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want age.Birth
		ok   bool
	}{
		{"2011-03", age.Birth{Year: 2011, Month: 3}, true},
		{"2011-03-15", age.Birth{Year: 2011, Month: 3, Day: 15}, true},
		{"2012-02-29", age.Birth{Year: 2012, Month: 2, Day: 29}, true},
		{"2011", age.Birth{}, false}, // a year alone cannot decide the limits
		{"2011-13", age.Birth{}, false},
		{"2011-02-29", age.Birth{}, false},
		{"2011-3", age.Birth{}, false},
		{"", age.Birth{}, false},
		{"abcd-ef", age.Birth{}, false},
	} {
		got, err := age.Parse(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("Parse(%q).String() = %q", tt.in, got.String())
		}
	}
}

// TestOn pins the exact ages around birthdays, for each precision: a month
// or a year alone gives the youngest age possible.
func TestOn(t *testing.T) {
	for _, tt := range []struct {
		birth age.Birth
		on    string
		want  int
	}{
		// Known to the day.
		{age.Birth{Year: 2010, Month: 6, Day: 15}, "2026-06-14", 15},
		{age.Birth{Year: 2010, Month: 6, Day: 15}, "2026-06-15", 16},
		{age.Birth{Year: 2010, Month: 6, Day: 15}, "2026-12-31", 16},
		// Known to the month: the birthday is taken as the month's last day.
		{age.Birth{Year: 2010, Month: 6}, "2026-06-29", 15},
		{age.Birth{Year: 2010, Month: 6}, "2026-06-30", 16},
		{age.Birth{Year: 2010, Month: 6}, "2026-07-01", 16},
		{age.Birth{Year: 2010, Month: 6}, "2026-05-31", 15},
		{age.Birth{Year: 2012, Month: 2}, "2026-02-28", 13}, // February of a leap year has 29 days
		{age.Birth{Year: 2012, Month: 2}, "2026-03-01", 14},
		{age.Birth{Year: 2011, Month: 2}, "2025-02-28", 14},
		// 29 February: a year older on 1 March in other years.
		{age.Birth{Year: 2012, Month: 2, Day: 29}, "2026-02-28", 13},
		{age.Birth{Year: 2012, Month: 2, Day: 29}, "2026-03-01", 14},
		{age.Birth{Year: 2012, Month: 2, Day: 29}, "2028-02-29", 16},
		// Known to the year only: 31 December.
		{age.Year(2010), "2026-12-30", 15},
		{age.Year(2010), "2026-12-31", 16},
		{age.Year(2010), "2026-01-01", 15},
		// Before the birth.
		{age.Birth{Year: 2030, Month: 1}, "2026-01-01", -5},
	} {
		if got := tt.birth.On(day(t, tt.on)); got != tt.want {
			t.Errorf("%v.On(%s) = %d, want %d", tt.birth, tt.on, got, tt.want)
		}
	}
}

func TestRules(t *testing.T) {
	light := age.Work{Light: true, PartTime: true}
	for _, tt := range []struct {
		name       string
		years      int
		work       age.Work
		want       age.Bar
		wantPermit bool
	}{
		{"13, light part-time work", 13, light, age.BarUnderAge, true},
		{"14, light part-time work", 14, light, age.BarUnderAge, true},
		{"15, light part-time work", 15, light, 0, true},
		{"15, part-time work not flagged light", 15, age.Work{PartTime: true}, age.BarNotLight, true},
		{"15, light full-time work", 15, age.Work{Light: true}, age.BarFullTime, true},
		{"15, light night work", 15, age.Work{Light: true, PartTime: true, Night: true}, age.BarNight, true},
		{"16, full-time work", 16, age.Work{}, 0, true},
		{"17, night and hazardous work", 17, age.Work{Night: true, Hazardous: true}, age.BarNight | age.BarHazardous, true},
		{"18, night and hazardous work", 18, age.Work{Night: true, Hazardous: true}, 0, false},
	} {
		bars, permit := age.Rules(tt.years, tt.work)
		if bars != tt.want || permit != tt.wantPermit {
			t.Errorf("%s: Rules = %b, %v; want %b, %v", tt.name, bars, permit, tt.want, tt.wantPermit)
		}
	}
}

// TestFirstDayAged agrees with On: the day before it the person may be
// younger, from it on they are not.
func TestFirstDayAged(t *testing.T) {
	for _, tt := range []struct {
		birth age.Birth
		years int
		want  string
	}{
		{age.Birth{Year: 2010, Month: 6, Day: 15}, 16, "2026-06-15"},
		{age.Birth{Year: 2010, Month: 6}, 16, "2026-06-30"},
		{age.Birth{Year: 2012, Month: 2}, 14, "2026-03-01"}, // born up to 29 February 2012
		{age.Birth{Year: 2012, Month: 2}, 16, "2028-02-29"},
		{age.Year(2008), 18, "2026-12-31"},
	} {
		got := tt.birth.FirstDayAged(tt.years)
		if got.String() != tt.want {
			t.Errorf("%v.FirstDayAged(%d) = %s, want %s", tt.birth, tt.years, got, tt.want)
		}
		if tt.birth.On(got) != tt.years {
			t.Errorf("%v.On(%s) = %d, want %d", tt.birth, got, tt.birth.On(got), tt.years)
		}
		before := day(t, time.Date(got.Year, time.Month(got.Month), got.Day-1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
		if tt.birth.On(before) != tt.years-1 {
			t.Errorf("%v.On(%s) = %d, want %d", tt.birth, before, tt.birth.On(before), tt.years-1)
		}
	}
}
