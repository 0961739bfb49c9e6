// Package age computes a person's age from a birth date known to the day,
// to the month or (for profiles written before birth dates were asked)
// only to the year, and holds the Bulgarian age limits that the profile
// and matching rules apply. Where the day or month is not known it assumes
// the latest birthday they allow, so the age is the youngest the person
// can be: a rule that protects minors must never treat one as older.
//
// It is a leaf package with no dependencies, so that the profile rules,
// the match workflow and the scoring hard filters share one definition.
package age

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits in Bulgarian law.
const (
	// DigitalConsent is the age of digital consent (GDPR Art. 8 as set by
	// Art. 25c of the Personal Data Protection Act): younger people need a
	// parent's or guardian's consent.
	DigitalConsent = 14
	// LightWork is the age from which light work is allowed, with a
	// Labour Inspectorate permit (Labour Code Art. 301(2)).
	LightWork = 15
	// Working is the minimum working age (Labour Code Art. 301(1)).
	Working = 16
	// Adult is adulthood: below it, every hire needs a Labour Inspectorate
	// permit (Art. 302–303) and night or hazardous work is forbidden.
	Adult = 18
)

// Date is a calendar day.
type Date struct{ Year, Month, Day int }

// DateOf returns t's calendar day in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, int(m), d}
}

// ParseDay parses YYYY-MM-DD.
func ParseDay(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("day %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// String is YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Birth is a birth date. Month and Day are 0 when not known.
type Birth struct{ Year, Month, Day int }

// Year returns a birth known by its year only.
func Year(y int) Birth { return Birth{Year: y} }

// Parse parses a birth date given to the month ("YYYY-MM") or the day
// ("YYYY-MM-DD"). A year alone is refused: it cannot tell whether a
// person is 13 or 14, 15 or 16, 17 or 18 on a given day.
func Parse(s string) (Birth, error) {
	switch len(s) {
	case len("2006-01"):
		t, err := time.Parse("2006-01", s)
		if err != nil {
			break
		}
		return Birth{Year: t.Year(), Month: int(t.Month())}, nil
	case len(time.DateOnly):
		d, err := ParseDay(s)
		if err != nil {
			break
		}
		return Birth(d), nil
	}
	return Birth{}, fmt.Errorf("birth date %q: want YYYY-MM or YYYY-MM-DD", s)
}

// Known reports whether at least the year is known.
func (b Birth) Known() bool { return b.Year > 0 }

// HasMonth reports whether the month is known: enough for the rules to be
// exact but for a person's birthday month itself.
func (b Birth) HasMonth() bool { return b.Month > 0 }

// String is YYYY-MM-DD, YYYY-MM or YYYY, as precise as known; "" if unknown.
func (b Birth) String() string {
	switch {
	case !b.Known():
		return ""
	case b.Month == 0:
		return strconv.Itoa(b.Year)
	case b.Day == 0:
		return fmt.Sprintf("%04d-%02d", b.Year, b.Month)
	}
	return Date(b).String()
}

// Latest is the latest day the birth may have been: the day itself, the
// last day of the month, or 31 December.
func (b Birth) Latest() Date {
	switch {
	case b.Month == 0:
		return Date{b.Year, 12, 31}
	case b.Day == 0:
		last := time.Date(b.Year, time.Month(b.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return Date{b.Year, b.Month, last}
	}
	return Date(b)
}

// On returns the person's age in whole years on the day, the youngest the
// known part of the birth date allows. Someone born on 29 February turns
// a year older on 1 March in other years. Before the birth it is negative.
func (b Birth) On(d Date) int { return Years(b.Latest(), d) }

// FirstDayAged is the first day on which the person is surely the given
// age: the birthday of the latest possible birth day that many years on
// (1 March for 29 February in other years).
func (b Birth) FirstDayAged(years int) Date {
	born := b.Latest()
	d := Date{born.Year + years, born.Month, born.Day}
	if d.Month == 2 && d.Day == 29 && !isLeap(d.Year) {
		d.Month, d.Day = 3, 1
	}
	return d
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Years is the age on day d of someone born on day born.
func Years(born, d Date) int {
	years := d.Year - born.Year
	if d.Month < born.Month || (d.Month == born.Month && d.Day < born.Day) {
		years--
	}
	return years
}

// Work is what the young-worker rules look at in a piece of work.
type Work struct {
	Light     bool // flagged as light work: fit for a 15-year-old
	PartTime  bool
	Night     bool
	Hazardous bool
}

// Bar is a set of young-worker rules a person fails for a piece of work.
type Bar uint8

// The young-worker rules.
const (
	BarUnderAge  Bar = 1 << iota // under 15: no work at all
	BarNotLight                  // 15: light work only
	BarFullTime                  // under 16: part-time only
	BarNight                     // under 18: no night work
	BarHazardous                 // under 18: no hazardous work
)

// Rules applies the young-worker rules to someone of the given age (on
// the day the work starts). Every kind of need that is matched (job,
// internship, apprenticeship, care pathway placement) is work. permit is
// true for anyone under 18: a hire needs a Labour Inspectorate permit.
func Rules(years int, w Work) (bars Bar, permit bool) {
	if years >= Adult {
		return 0, false
	}
	switch {
	case years < LightWork:
		bars |= BarUnderAge // no work at all: the other limits add nothing
	case years < Working:
		if !w.Light {
			bars |= BarNotLight
		}
		if !w.PartTime {
			bars |= BarFullTime
		}
	}
	if w.Night {
		bars |= BarNight
	}
	if w.Hazardous {
		bars |= BarHazardous
	}
	return bars, true
}

// Has reports whether bars include r.
func (bars Bar) Has(r Bar) bool { return bars&r != 0 }

// Words describes the bars for an error message, in English.
func (bars Bar) Words() string {
	var out []string
	for _, x := range []struct {
		b Bar
		s string
	}{
		{BarUnderAge, "under 15: no work"},
		{BarNotLight, "under 16: light work only"},
		{BarFullTime, "under 16: part-time only"},
		{BarNight, "under 18: no night work"},
		{BarHazardous, "under 18: no hazardous work"},
	} {
		if bars.Has(x.b) {
			out = append(out, x.s)
		}
	}
	return strings.Join(out, "; ")
}
