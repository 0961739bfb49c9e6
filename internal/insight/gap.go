package insight

import (
	"cmp"
	"slices"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// The dimensions GapBy rolls the skills gap up by.
const (
	BySkill      = "skill"
	ByGroup      = "group"
	ByOccupation = "occupation"
	BySector     = "sector"
)

// Dimensions lists the dimensions GapBy accepts.
var Dimensions = []string{BySkill, ByGroup, ByOccupation, BySector}

// GapFilter selects the needs whose demand is counted. Supply is never
// filtered: a person's skills are supply for every sector.
type GapFilter struct {
	Sector string // only needs of this sector (the need's, else its employer's); "" for all
	Kind   string // only needs of this kind; "" for all kinds, forecasts included (an unknown kind matches nothing: the HTTP layer validates)
	Lang   string // labels in "bg" (the default) or "en"
}

// GapRow is one line of the skills gap: one skill, skill group, occupation
// or sector. See GapBy for what each figure counts.
type GapRow struct {
	Dimension  string `json:"dimension"`            // skill, group, occupation or sector
	ID         string `json:"id"`                   // the skill, group or occupation id, or the sector; "" for needs without one
	Label      string `json:"label"`                // the label in the filter's language
	GroupID    string `json:"groupId,omitempty"`    // skill rows: the skill's group
	GroupLabel string `json:"groupLabel,omitempty"` // skill rows: the group's label
	MinLevel   int    `json:"minLevel,omitempty"`   // skill rows: the lowest level any counted need asks
	Needs      int    `json:"needs"`                // counted needs behind the demand
	Demand     int    `json:"demand"`               // positions
	Supply     int    `json:"supply"`               // consenting profiles
	Gap        int    `json:"gap"`                  // Demand - Supply; negative is a surplus
}

// SkillsGap is GapBy(s, BySkill, f).
func SkillsGap(s Snapshot, f GapFilter) []GapRow {
	rows, _ := GapBy(s, BySkill, f) // BySkill is always valid
	return rows
}

// GapBy computes the skills gap rolled up by dimension, sorted by gap,
// largest first, then by id. An unknown dimension is a failure.Field error.
//
// The needs counted are those current on Snapshot.Today (open, of a
// verified employer, not past their apply-by date; forecasts count while
// open, whatever their apply-by date) that pass the filter. Each need
// stands for its positions (at least one). When a need lists a skill more
// than once, the highest level listed is the level it asks. Required and
// preferred skills alike are demand. Only profiles that consent to matching
// are supply.
//
//   - skill: Demand is the positions of the counted needs that list the
//     skill. MinLevel is the lowest level any of them asks for it, and
//     Supply is the number of profiles holding the skill at MinLevel or
//     above (a person who could fill at least the least demanding of those
//     needs). Only skills some counted need asks for have a row.
//   - group: the same with skills rolled up to their group (Labels.GroupOf;
//     "" for skills without one). Demand is the positions of the needs that
//     list at least one skill of the group, each need once. Supply is the
//     number of profiles holding at least one of the group's demanded
//     skills at that skill's MinLevel or above.
//   - occupation, sector: Demand is the positions of the counted needs of
//     the occupation (the need's ESCO occupation, "" when it has none) or
//     sector (the need's, else its employer's). Supply is the number of
//     profiles qualified for at least one of those needs: holding each of
//     the need's required skills at the asked level or above (every listed
//     skill when none is marked required; a need without skills is open to
//     every profile).
func GapBy(s Snapshot, dimension string, f GapFilter) ([]GapRow, error) {
	if !slices.Contains(Dimensions, dimension) {
		return nil, failure.Field("dimension", "oneof", "skill group occupation sector")
	}
	lang := normLang(f.Lang)
	needs := demandNeeds(s, f)
	var rows []GapRow
	switch dimension {
	case BySkill:
		rows = skillRows(s, needs, lang)
	case ByGroup:
		rows = groupRows(s, needs, lang)
	case ByOccupation:
		rows = qualifiedRows(s, needs, ByOccupation, func(d demandNeed) string { return d.need.Occupation },
			func(k string) string { return keyLabel(s, k, lang) })
	case BySector:
		rows = qualifiedRows(s, needs, BySector, func(d demandNeed) string { return d.sector },
			func(k string) string { return cmp.Or(k, word("unspecified", lang)) }) // sectors are free text: they label themselves
	}
	if rows == nil {
		rows = []GapRow{} // JSON [] rather than null
	}
	slices.SortFunc(rows, func(a, b GapRow) int {
		if c := cmp.Compare(b.Gap, a.Gap); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return rows, nil
}

// wanted is a skill at a level.
type wanted struct {
	id       string
	level    int
	required bool
}

// demandNeed is a counted need with its skills made unique.
type demandNeed struct {
	need      *register.Need
	sector    string
	positions int
	skills    []wanted // each skill once, at the highest level listed
	decisive  []wanted // the skills qualification checks: the required ones, else all
}

// demandNeeds returns the needs counted as demand under the filter.
func demandNeeds(s Snapshot, f GapFilter) []demandNeed {
	verified := s.verifiedEmployers()
	sectors := make(map[string]string, len(s.Employers))
	for _, e := range s.Employers {
		sectors[e.ID] = e.Sector
	}
	today := s.today()
	var out []demandNeed
	for i := range s.Needs {
		n := &s.Needs[i]
		if !counted(*n, verified[n.EmployerID], today) || (f.Kind != "" && n.Kind != f.Kind) {
			continue
		}
		sector := sectorOf(*n, sectors)
		if f.Sector != "" && sector != f.Sector {
			continue
		}
		d := demandNeed{need: n, sector: sector, positions: positions(*n), skills: uniqueSkills(n.Skills)}
		for _, w := range d.skills {
			if w.required {
				d.decisive = append(d.decisive, w)
			}
		}
		if len(d.decisive) == 0 {
			d.decisive = d.skills
		}
		out = append(out, d)
	}
	return out
}

// uniqueSkills lists each skill once, at the highest level listed (at
// least 1), required if any listing is.
func uniqueSkills(reqs []register.SkillRequirement) []wanted {
	out := make([]wanted, 0, len(reqs))
	for _, r := range reqs {
		lvl := max(r.Level, 1)
		i := slices.IndexFunc(out, func(w wanted) bool { return w.id == r.ID })
		if i < 0 {
			out = append(out, wanted{id: r.ID, level: lvl, required: r.Required})
			continue
		}
		out[i].level = max(out[i].level, lvl)
		out[i].required = out[i].required || r.Required
	}
	return out
}

// heldLevel returns the highest level at which the profile lists the skill,
// and 0 when it does not.
func heldLevel(p *profile.Profile, skillID string) int {
	lvl := 0
	for _, sk := range p.Skills {
		if sk.ID == skillID {
			lvl = max(lvl, sk.Level)
		}
	}
	return lvl
}

// eachHeld calls fn once for each distinct skill of the profile, at the
// highest level it lists it.
func eachHeld(p *profile.Profile, fn func(id string, level int)) {
	for i, sk := range p.Skills {
		first := true
		for _, prev := range p.Skills[:i] {
			if prev.ID == sk.ID {
				first = false
				break
			}
		}
		if first {
			fn(sk.ID, heldLevel(p, sk.ID))
		}
	}
}

// minLevels returns, per demanded skill, the lowest level a counted need
// asks for it.
func minLevels(needs []demandNeed) map[string]int {
	m := map[string]int{}
	for _, d := range needs {
		for _, w := range d.skills {
			if cur, ok := m[w.id]; !ok || w.level < cur {
				m[w.id] = w.level
			}
		}
	}
	return m
}

func skillRows(s Snapshot, needs []demandNeed, lang string) []GapRow {
	minLevel := minLevels(needs)
	at := make(map[string]int, len(minLevel)) // skill → index into rows
	rows := make([]GapRow, 0, len(minLevel))
	for _, d := range needs {
		for _, w := range d.skills {
			i, ok := at[w.id]
			if !ok {
				g := s.groupOf(w.id)
				i = len(rows)
				at[w.id] = i
				rows = append(rows, GapRow{Dimension: BySkill, ID: w.id, Label: s.label(w.id, lang),
					GroupID: g, GroupLabel: s.label(g, lang), MinLevel: minLevel[w.id]})
			}
			rows[i].Needs++
			rows[i].Demand += d.positions
		}
	}
	for i := range s.Profiles {
		p := &s.Profiles[i]
		if !p.Consent.Matching {
			continue
		}
		eachHeld(p, func(id string, level int) {
			if i, ok := at[id]; ok && level >= rows[i].MinLevel {
				rows[i].Supply++
			}
		})
	}
	for i := range rows {
		rows[i].Gap = rows[i].Demand - rows[i].Supply
	}
	return rows
}

func groupRows(s Snapshot, needs []demandNeed, lang string) []GapRow {
	minLevel := minLevels(needs)
	group := make(map[string]string, len(minLevel))
	for id := range minLevel {
		group[id] = s.groupOf(id)
	}
	at := map[string]int{} // group → index into rows
	var rows []GapRow
	row := func(g string) int {
		i, ok := at[g]
		if !ok {
			i = len(rows)
			at[g] = i
			rows = append(rows, GapRow{Dimension: ByGroup, ID: g, Label: keyLabel(s, g, lang)})
		}
		return i
	}
	var seen []string // the groups already met in one need or profile
	for _, d := range needs {
		seen = seen[:0]
		for _, w := range d.skills {
			if g := group[w.id]; !slices.Contains(seen, g) {
				seen = append(seen, g)
				i := row(g)
				rows[i].Needs++
				rows[i].Demand += d.positions
			}
		}
	}
	for i := range s.Profiles {
		p := &s.Profiles[i]
		if !p.Consent.Matching {
			continue
		}
		seen = seen[:0]
		eachHeld(p, func(id string, level int) {
			ml, ok := minLevel[id]
			if !ok || level < ml {
				return
			}
			if g := group[id]; !slices.Contains(seen, g) {
				seen = append(seen, g)
				rows[row(g)].Supply++
			}
		})
	}
	for i := range rows {
		rows[i].Gap = rows[i].Demand - rows[i].Supply
	}
	return rows
}

// holder is a consenting profile holding a skill at a level.
type holder struct {
	p     int32 // index into the consenting profiles
	level int32
}

// qualifiedRows rolls demand up by key and counts, per key, the consenting
// profiles qualified for at least one of its needs.
func qualifiedRows(s Snapshot, needs []demandNeed, dimension string, key func(demandNeed) string, label func(string) string) []GapRow {
	var consenting []*profile.Profile
	holders := map[string][]holder{}
	for i := range s.Profiles {
		p := &s.Profiles[i]
		if !p.Consent.Matching {
			continue
		}
		idx := int32(len(consenting))
		consenting = append(consenting, p)
		eachHeld(p, func(id string, level int) {
			holders[id] = append(holders[id], holder{p: idx, level: int32(level)})
		})
	}

	byKey := map[string][]int{} // key → indexes into needs
	var keys []string
	for i, d := range needs {
		k := key(d)
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], i)
	}

	stamp := make([]int32, len(consenting)) // stamp[p] == key number + 1: already counted for this key
	rows := make([]GapRow, 0, len(keys))
	for ki, k := range keys {
		mark := int32(ki + 1)
		r := GapRow{Dimension: dimension, ID: k, Label: label(k)}
		everyone := false
		for _, ni := range byKey[k] {
			d := needs[ni]
			r.Needs++
			r.Demand += d.positions
			if everyone {
				continue
			}
			if len(d.decisive) == 0 {
				everyone = true
				continue
			}
			// Walk the holders of the rarest decisive skill; check the rest.
			rarest := d.decisive[0]
			for _, w := range d.decisive[1:] {
				if len(holders[w.id]) < len(holders[rarest.id]) {
					rarest = w
				}
			}
			for _, h := range holders[rarest.id] {
				if stamp[h.p] == mark || int(h.level) < rarest.level {
					continue
				}
				if qualifies(consenting[h.p], d.decisive) {
					stamp[h.p] = mark
					r.Supply++
				}
			}
		}
		if everyone {
			r.Supply = len(consenting)
		}
		r.Gap = r.Demand - r.Supply
		rows = append(rows, r)
	}
	return rows
}

// qualifies reports whether the profile holds every skill at its level.
func qualifies(p *profile.Profile, skills []wanted) bool {
	for _, w := range skills {
		if heldLevel(p, w.id) < w.level {
			return false
		}
	}
	return true
}

// keyLabel labels a group or occupation id.
func keyLabel(s Snapshot, k, lang string) string {
	if k == "" {
		return word("unspecified", lang)
	}
	return s.label(k, lang)
}
