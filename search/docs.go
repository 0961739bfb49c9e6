package search

import (
	"cmp"
	"strconv"

	"github.com/careget/skillsmatch/internal/register"
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

// needDoc is what the needs index holds of a need: the terms the public
// search filters and counts by, the text it ranks by (and the re-rank's
// text relevance reads, the title). No personal data. Since the ranking
// retrieves from the in-memory pool (pool.go), nothing else: every field
// is a posting list each write and each search pays for.
type needDoc struct {
	Title           string   `json:"title"`
	Description     string   `json:"description"`
	Kind            string   `json:"kind"`
	SectorKey       string   `json:"sectorKey"`
	MunicipalityKey string   `json:"municipalityKey"`
	Facets          []string `json:"facets"`     // "kind:job", "sector:…", "municipality:…": see facetTerms
	ApplyBy         string   `json:"applyBy"`    // public needs only: see publicOn
	ApplyMonth      string   `json:"applyMonth"` // YYYY-MM of ApplyBy
	Skills          []string `json:"skills"`     // the skills' ids, for the "skill" filter
	Location        geo      `json:"location"`
}

// skillAt is a skill at a level, as the benchmark's plain Bleve peer
// indexes and asks for it (NeedSkillTerms, CandidateSkillTerms).
func skillAt(id string, level int) string { return id + "@" + strconv.Itoa(level) }

// maxLevel is the highest skill level (expert).
const maxLevel = 4

// toNeedDoc is the needs index's document of n. (The taxonomy is no
// longer read: the skill groups were retrieval terms, now the pool's.)
func toNeedDoc(n register.Need, verified bool, _ Taxonomy) needDoc {
	d := needDoc{Title: n.Title, Description: n.Description, Kind: n.Kind, SectorKey: n.Sector,
		MunicipalityKey: n.Location.Municipality, Facets: facetTerms(n), Location: geo{n.Location.Lat, n.Location.Lon}}
	if n.Status == register.StatusOpen && verified { // else no apply-by terms: found by no search
		d.ApplyBy = cmp.Or(n.ApplyBy, openEnded)
		d.ApplyMonth = d.ApplyBy[:min(7, len(d.ApplyBy))]
	}
	d.Skills = make([]string, 0, len(n.Skills))
	for _, s := range n.Skills {
		d.Skills = append(d.Skills, s.ID)
	}
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
