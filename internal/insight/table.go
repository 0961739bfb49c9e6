package insight

import (
	"cmp"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/register"
)

// Table is one sheet of an export: a header row and rows of cells. A cell
// is nil (empty), a string, an integer, a float64, a bool or a time.Time
// (exported in its own zone); anything else is exported as fmt.Sprint
// shows it.
type Table struct {
	Name   string // the sheet name
	Header []string
	Rows   [][]any
	// Each, when set, yields the rows instead of Rows, one at a time, so a
	// large export never holds them all in memory. It may reuse the slice
	// it yields: a consumer must be done with a row before asking for the
	// next.
	Each iter.Seq[[]any]
	// Widths are the XLSX column widths in characters; a missing or zero
	// width is sized from the header.
	Widths []float64
}

// All yields the table's rows: from Each when it is set, else from Rows.
func (t Table) All() iter.Seq[[]any] {
	if t.Each != nil {
		return t.Each
	}
	return slices.Values(t.Rows)
}

func headers(lang string, keys ...string) []string {
	h := make([]string, len(keys))
	for i, k := range keys {
		h[i] = word("col."+k, lang)
	}
	return h
}

// timeCell is a time in the snapshot's zone, or nil for no time.
func timeCell(t time.Time, loc *time.Location) any {
	if t.IsZero() {
		return nil
	}
	return t.In(loc)
}

func yesNo(b bool, lang string) string {
	if b {
		return word("yes", lang)
	}
	return word("no", lang)
}

// NeedsTable lists every need of the snapshot, drafts and closed ones
// included, oldest first, with whether it is open today (current demand,
// as the skills gap counts it). The rows are made as they are written.
func NeedsTable(s Snapshot, lang string) Table {
	lang = normLang(lang)
	employers := make(map[string]*register.Employer, len(s.Employers))
	for i := range s.Employers {
		employers[s.Employers[i].ID] = &s.Employers[i]
	}
	sectors := make(map[string]string, len(s.Employers))
	for _, e := range s.Employers {
		sectors[e.ID] = e.Sector
	}
	today, loc := s.today(), s.loc()
	return Table{
		Name: word("sheet.needs", lang),
		Header: headers(lang, "id", "employerId", "employer", "sector", "kind", "title", "occupationId",
			"occupation", "skills", "positions", "status", "openNow", "applyBy", "startDate", "municipality", "createdAt"),
		Widths: []float64{28, 28, 30, 16, 16, 40, 28, 30, 60, 10, 12, 10, 14, 14, 16, 20},
		Each: func(yield func([]any) bool) {
			order := byCreation(len(s.Needs), func(i int) (time.Time, string) { return s.Needs[i].CreatedAt, s.Needs[i].ID })
			row := make([]any, 16)
			var skills strings.Builder
			for _, i := range order {
				n := &s.Needs[i]
				var employerName string
				verified := false
				if e := employers[n.EmployerID]; e != nil {
					employerName, verified = e.Name, e.Verified
				}
				skills.Reset()
				for j, sk := range n.Skills {
					if j > 0 {
						skills.WriteString("; ")
					}
					skills.WriteString(s.label(sk.ID, lang))
					skills.WriteString(" (")
					skills.WriteString(strconv.Itoa(sk.Level))
					skills.WriteString(")")
				}
				row[0], row[1], row[2], row[3] = n.ID, n.EmployerID, employerName, sectorOf(*n, sectors)
				row[4], row[5], row[6], row[7] = valueWord(n.Kind, lang), n.Title, n.Occupation, s.label(n.Occupation, lang)
				row[8], row[9], row[10] = skills.String(), positions(*n), valueWord(n.Status, lang)
				row[11], row[12], row[13] = yesNo(counted(*n, verified, today), lang), n.ApplyBy, n.StartDate
				row[14], row[15] = n.Location.Municipality, timeCell(n.CreatedAt, loc)
				if !yield(row) {
					return
				}
			}
		},
	}
}

// MatchesTable lists every match, oldest first. It is pseudonymous: the
// job-seeker appears by profile id and age group only, never by name or
// contact. The rows are made as they are written.
func MatchesTable(s Snapshot, lang string) Table {
	lang = normLang(lang)
	titles := make(map[string]string, len(s.Needs))
	for _, n := range s.Needs {
		titles[n.ID] = n.Title
	}
	employers := make(map[string]string, len(s.Employers))
	for _, e := range s.Employers {
		employers[e.ID] = e.Name
	}
	today, loc := s.today(), s.loc()
	return Table{
		Name: word("sheet.matches", lang),
		Header: headers(lang, "id", "needId", "needTitle", "employerId", "employer", "programme", "origin", "roundId",
			"profileId", "ageGroup", "permit", "state", "reason", "matchCreatedAt", "referredAt", "outcomeDue", "overdue", "updatedAt"),
		Widths: []float64{28, 28, 40, 28, 30, 16, 16, 28, 28, 12, 12, 16, 20, 20, 20, 14, 12, 20},
		Each: func(yield func([]any) bool) {
			order := byCreation(len(s.Matches), func(i int) (time.Time, string) { return s.Matches[i].CreatedAt, s.Matches[i].ID })
			row := make([]any, 18)
			for _, i := range order {
				m := &s.Matches[i]
				var referred any
				if m.ReferredAt != nil {
					referred = timeCell(*m.ReferredAt, loc)
				}
				row[0], row[1], row[2], row[3] = m.ID, m.NeedID, titles[m.NeedID], m.EmployerID
				row[4], row[5], row[6], row[7] = employers[m.EmployerID], valueWord(m.Programme, lang), valueWord(m.Origin, lang), m.RoundID
				row[8], row[9], row[10], row[11] = m.ProfileID, m.AgeGroup, yesNo(m.PermitRequired, lang), valueWord(string(m.State), lang)
				row[12], row[13], row[14], row[15] = reasonWord(m.Reason, lang), timeCell(m.CreatedAt, loc), referred, m.OutcomeDue
				row[16], row[17] = yesNo(m.Overdue(today), lang), timeCell(m.UpdatedAt, loc)
				if !yield(row) {
					return
				}
			}
		},
	}
}

// byCreation returns the indexes 0..n-1 ordered by creation time, then id.
func byCreation(n int, key func(i int) (time.Time, string)) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		ta, ia := key(a)
		tb, ib := key(b)
		return cmp.Or(ta.Compare(tb), cmp.Compare(ia, ib))
	})
	return order
}

// IndicatorsTable lays the figures out as rows of indicator, breakdown and
// value, in the order of the Figures struct.
func IndicatorsTable(ind Figures, lang string) Table {
	lang = normLang(lang)
	var rows [][]any
	add := func(key, breakdown string, v any) {
		rows = append(rows, []any{word("ind."+key, lang), breakdown, v})
	}
	// each adds one row per key of m: the known keys in their order, then
	// any other key alphabetically.
	each := func(key string, m map[string]int, known []string, name func(string, string) string) {
		for _, k := range known {
			add(key, name(k, lang), m[k])
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !slices.Contains(known, k) {
				add(key, name(k, lang), m[k])
			}
		}
	}
	asIs := func(k, _ string) string { return k }
	states := make([]string, len(matchStates))
	for i, st := range matchStates {
		states[i] = string(st)
	}
	reasons := append(slices.Clone(match.RejectionReasons), "unspecified")

	add("from", "", ind.From)
	add("to", "", ind.To)
	add("asOf", "", ind.AsOf)
	add("employers.registered", "", ind.Employers.Registered)
	add("employers.verified", "", ind.Employers.Verified)
	add("employers.verifiedNow", "", ind.Employers.VerifiedNow)
	each("needs.created", ind.Needs.Created, needKinds, valueWord)
	each("needs.createdPositions", ind.Needs.CreatedPositions, needKinds, valueWord)
	each("needs.open", ind.Needs.Open, needKinds, valueWord)
	each("needs.openPositions", ind.Needs.OpenPositions, needKinds, valueWord)
	add("profiles.registered", "", ind.Profiles.Registered)
	add("profiles.consenting", "", ind.Profiles.Consenting)
	add("profiles.aged15to29", "", ind.Profiles.Aged15to29)
	add("profiles.share15to29", "", ind.Profiles.Share15to29)
	each("profiles.byAgeGroup", ind.Profiles.ByAgeGroup, ageGroups, groupWord)
	add("profiles.totalNow", "", ind.Profiles.TotalNow)
	add("profiles.consentingNow", "", ind.Profiles.ConsentingNow)
	add("matches.created", "", ind.Matches.Created)
	each("matches.byState", ind.Matches.ByState, states, valueWord)
	add("matches.referred", "", ind.Matches.Referred)
	add("matches.placed", "", ind.Matches.Placed)
	each("matches.placedBy", ind.Matches.PlacedByProgramme, needKinds[:4], valueWord)
	add("matches.rejected", "", ind.Matches.Rejected)
	each("matches.reasons", ind.Matches.RejectionReasons, reasons, reasonWord)
	add("matches.overdueNow", "", ind.Matches.OverdueNow)
	add("pathways.participants", "", ind.Pathways.Participants)
	add("pathways.people", "", ind.Pathways.People)
	each("pathways.byPathway", ind.Pathways.ByPathway, nil, asIs)
	each("pathways.byStage", ind.Pathways.ByStage, nil, asIs)
	each("pathways.byStatus", ind.Pathways.ByStatus, nil, asIs)
	return Table{Name: word("sheet.indicators", lang), Header: headers(lang, "indicator", "breakdown", "value"),
		Rows: rows, Widths: []float64{48, 28, 22}}
}

// GapTable lays skills gap rows out for a spreadsheet, in their order.
func GapTable(rows []GapRow, lang string) Table {
	lang = normLang(lang)
	out := make([][]any, len(rows))
	for i, r := range rows {
		var minLevel any
		if r.MinLevel > 0 {
			minLevel = r.MinLevel
		}
		out[i] = []any{word(r.Dimension, lang), r.ID, r.Label, r.GroupID, r.GroupLabel, minLevel,
			r.Needs, r.Demand, r.Supply, r.Gap}
	}
	return Table{Name: word("sheet.gap", lang),
		Header: headers(lang, "dimension", "id", "label", "groupId", "group", "minLevel", "needs", "demand", "supply", "gap"),
		Rows:   out, Widths: []float64{14, 28, 40, 28, 34, 12, 12, 14, 14, 12}}
}
