package insight

import (
	"maps"
	"slices"

	"github.com/careget/skillsmatch/internal/event"
)

// EventsTable lists every Career & Skills Day of the snapshot, newest day
// first (as the office's list of events shows them): for
// each event a row of its totals, a row per age group (on the event's day;
// every group, zeros included, so the report keeps its shape) and a row per
// municipality its registered people live in (alphabetically, "unknown"
// last). Each row counts the people registered, those who attended
// (checked in), the interviews held (with an outcome), the people with at
// least one "continue" and those placed later through a match the event
// made (event.Counts). Pseudonymous: no person appears.
func EventsTable(s Snapshot, lang string) Table {
	lang = normLang(lang)
	var rows [][]any
	for _, e := range s.Events {
		name := e.Name.BG
		if lang == "en" {
			name = e.Name.EN
		}
		add := func(dimension, group string, c event.Counts) {
			rows = append(rows, []any{e.ID, name, e.Date, e.Municipality, word(dimension, lang), group,
				c.Registered, c.Attended, c.InterviewsHeld, c.Continued, c.Placed})
		}
		add("all", "", e.Counts)
		for _, g := range ageGroups {
			add("ageGroup", groupWord(g, lang), e.ByAgeGroup[g])
		}
		places := slices.Sorted(maps.Keys(e.ByMunicipality))
		if i := slices.Index(places, unknownAge); i >= 0 {
			places = append(slices.Delete(places, i, i+1), unknownAge)
		}
		for _, m := range places {
			add("municipality", groupWord(m, lang), e.ByMunicipality[m])
		}
	}
	return Table{Name: word("sheet.events", lang),
		Header: headers(lang, "eventId", "event", "date", "venue", "dimension", "breakdown",
			"registered", "attended", "interviewsHeld", "continued", "placedLater"),
		Rows: rows, Widths: []float64{28, 40, 12, 20, 18, 20, 14, 14, 16, 14, 16}}
}

// groupWord names the unknown group in lang and shows any other as it is.
func groupWord(g, lang string) string {
	if g == unknownAge {
		return word("unknown", lang)
	}
	return g
}
