package search

import (
	"strconv"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// Taxonomy is what the index needs of ESCO: each skill's group and broader
// concepts (for partial credit) and labels (for explanations).
type Taxonomy interface {
	GroupOf(skillID string) string
	Ancestors(skillID string) []string
	Broader(skillID string) []string // the direct broader concepts only
	Label(id, lang string) string
}

const openEnded = "9999-12-31"

type geo struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// needDoc is what the needs index holds of a need: terms to retrieve and
// filter by, text to rank by. No personal data.
type needDoc struct {
	Title           string   `json:"title"`
	Description     string   `json:"description"`
	Kind            string   `json:"kind"`
	Sector          string   `json:"sector"`
	SectorKey       string   `json:"sectorKey"`
	Municipality    string   `json:"municipality"`
	MunicipalityKey string   `json:"municipalityKey"`
	EmployerID      string   `json:"employerId"`
	Visible         string   `json:"visible"`
	ApplyBy         string   `json:"applyBy"`
	Skills          []string `json:"skills"`
	Required        []string `json:"required"`
	Groups          []string `json:"groups"`
	Location        geo      `json:"location"`
	ApplyMonth      string   `json:"applyMonth"` // YYYY-MM of ApplyBy: see openFrom
	Cells           []string `json:"cells"`      // the need's place, see cells.go
	Remote          string   `json:"remote"`     // "t" when the work is remote
	Youth           []string `json:"youth"`      // see youthTerms
	Start           string   `json:"start"`      // the start date
	StartMonth      string   `json:"startMonth"` // YYYY-MM of Start: see startFrom
}

func skillAt(id string, level int) string { return id + "@" + strconv.Itoa(level) }

// maxLevel is the highest skill level (expert).
const maxLevel = 4

func toNeedDoc(n register.Need, verified bool, tx Taxonomy) needDoc {
	d := needDoc{Title: n.Title, Description: n.Description, Kind: n.Kind, Sector: n.Sector, SectorKey: n.Sector,
		Municipality: n.Location.Municipality, MunicipalityKey: n.Location.Municipality, EmployerID: n.EmployerID,
		Visible: "f", ApplyBy: n.ApplyBy, Location: geo{n.Location.Lat, n.Location.Lon},
		Cells: pointCells(n.Location.Lat, n.Location.Lon), Remote: flag(n.WorkMode == score.ModeRemote)}
	if n.Status == register.StatusOpen && verified {
		d.Visible = "t"
	}
	if d.ApplyBy == "" {
		d.ApplyBy = openEnded
	}
	d.ApplyMonth = d.ApplyBy[:min(7, len(d.ApplyBy))]
	d.Youth, d.Start, d.StartMonth = youthTerms(n), n.StartDate, n.StartDate[:min(7, len(n.StartDate))]
	groups := map[string]bool{}
	for _, s := range n.Skills {
		// S@L..S@4: the levels at which a person has what the need asks,
		// so a person holding S at level l asks for S@l alone.
		d.Skills = append(d.Skills, s.ID)
		for l := max(s.Level, 1); l <= maxLevel; l++ {
			d.Skills = append(d.Skills, skillAt(s.ID, l))
		}
		if s.Required {
			d.Required = append(d.Required, s.ID)
		}
		addGroups(groups, s.ID, tx)
	}
	d.Groups = keys(groups)
	return d
}

// addGroups adds the terms under which a skill is related to others: its
// primary group and its direct broader concepts. Only these: the explained
// score gives related credit for the same group or a broader concept, and
// indexing every ancestor up to the root ("skills") made nearly every
// profile match every need, which cost retrieval five times its time.
func addGroups(into map[string]bool, skillID string, tx Taxonomy) {
	if g := tx.GroupOf(skillID); g != "" {
		into[g] = true
	}
	for _, a := range tx.Broader(skillID) {
		into[a] = true
	}
}

func flag(b bool) string {
	if b {
		return "t"
	}
	return "f"
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// youthTerms say which young workers a need may suit, so that a minor's
// retrieval asks only for needs the young-worker rules may let them do
// (internal/age.Rules, applied exactly by the re-rank): "minor" for no
// night or hazardous work (16 and 17), "light" for part-time light work
// besides (15).
func youthTerms(n register.Need) []string {
	if n.NightWork || n.Hazardous {
		return nil
	}
	if n.LightWork && n.Hours == score.PartTime {
		return []string{youthMinor, youthLight}
	}
	return []string{youthMinor}
}

const (
	youthMinor = "minor"
	youthLight = "light"
)
