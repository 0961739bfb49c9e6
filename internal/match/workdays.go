package match

import "time"

// OutcomeDays is how many working days an employer has to report the
// outcome of a referral by the labour office (the Bulgarian rule for
// referrals under the Employment Promotion Act).
const OutcomeDays = 7

// AddWorkingDays returns the date n Bulgarian working days after t:
// weekends and official public holidays (Labour Code Art. 154) do not count.
// Holidays that fall on a weekend move to the next working day(s) as the law
// says; the extra days the Council of Ministers sometimes grants are not
// known in advance and are not counted.
func AddWorkingDays(t time.Time, n int) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if WorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDay reports whether d is a working day in Bulgaria.
func WorkingDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !holidays(d.Year())[d.Format(time.DateOnly)]
}

// holidays returns the non-working days of a year: the fixed-date official
// holidays, Orthodox Good Friday to Easter Monday, and for each fixed
// holiday on a weekend the next working day (Labour Code Art. 154(2)).
func holidays(year int) map[string]bool {
	fixed := []time.Time{
		date(year, 1, 1), date(year, 3, 3), date(year, 5, 1), date(year, 5, 6), date(year, 5, 24),
		date(year, 9, 6), date(year, 9, 22), date(year, 12, 24), date(year, 12, 25), date(year, 12, 26),
	}
	out := map[string]bool{}
	easter := orthodoxEaster(year)
	for _, off := range []int{-2, -1, 0, 1} { // Good Friday to Easter Monday
		out[easter.AddDate(0, 0, off).Format(time.DateOnly)] = true
	}
	for _, h := range fixed {
		out[h.Format(time.DateOnly)] = true
	}
	// Each fixed holiday on a weekend gives the next free working day off.
	for _, h := range fixed {
		if wd := h.Weekday(); wd != time.Saturday && wd != time.Sunday {
			continue
		}
		d := h
		for {
			d = d.AddDate(0, 0, 1)
			key := d.Format(time.DateOnly)
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !out[key] {
				out[key] = true
				break
			}
		}
	}
	return out
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// orthodoxEaster is Meeus's Julian algorithm converted to the Gregorian
// calendar (valid 1900–2099).
func orthodoxEaster(year int) time.Time {
	a, b, c := year%4, year%7, year%19
	d := (19*c + 15) % 30
	e := (2*a + 4*b - d + 34) % 7
	month := (d + e + 114) / 31
	day := (d+e+114)%31 + 1
	return date(year, time.Month(month), day).AddDate(0, 0, 13)
}
