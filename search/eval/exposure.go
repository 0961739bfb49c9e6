package eval

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// Exposure is fairness as a figure: for each group of people (by age, by
// municipality), its share of the places in employers' top 10s divided by
// its share of the candidates eligible for those needs. 1 is exposure in
// proportion; 0.5, half as often shown as its number of eligible
// candidates would give. The ratio says where exposure drifts, not why:
// skills differ between groups, and the ranking is by skills.

// ExposureRow is one group's exposure.
type ExposureRow struct {
	Dimension string // "age" or "municipality"
	Group     string
	// Eligible counts (need, candidate) pairs in which a person of the
	// group passes the need's hard filters; Shown, those in which they are
	// among the need's top 10.
	Eligible, Shown int
	// Ratio is (Shown/ΣShown) / (Eligible/ΣEligible) over the dimension;
	// 0 when nobody is shown at all.
	Ratio float64
}

// Tally counts eligible and shown candidates by group, per dimension.
type Tally struct {
	eligible, shown map[string]map[string]int // dimension → group → count
}

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{eligible: map[string]map[string]int{}, shown: map[string]map[string]int{}}
}

// Add counts one eligible candidate with its group in each dimension, and
// whether they were shown.
func (t *Tally) Add(groups map[string]string, shown bool) {
	for dim, g := range groups {
		bump(t.eligible, dim, g)
		if shown {
			bump(t.shown, dim, g)
		}
	}
}

func bump(m map[string]map[string]int, dim, g string) {
	if m[dim] == nil {
		m[dim] = map[string]int{}
	}
	m[dim][g]++
}

// Rows returns every group's ratio, dimensions in the order given, groups
// by their number of eligible candidates, most first (ties by name).
func (t *Tally) Rows(dims ...string) []ExposureRow {
	var out []ExposureRow
	for _, dim := range dims {
		eligible, shown := t.eligible[dim], t.shown[dim]
		totalE, totalS := sum(eligible), sum(shown)
		var rows []ExposureRow
		for g, e := range eligible {
			r := ExposureRow{Dimension: dim, Group: g, Eligible: e, Shown: shown[g]}
			if totalS > 0 {
				r.Ratio = (float64(r.Shown) / float64(totalS)) / (float64(e) / float64(totalE))
			}
			rows = append(rows, r)
		}
		slices.SortFunc(rows, func(a, b ExposureRow) int {
			if c := cmp.Compare(b.Eligible, a.Eligible); c != 0 {
				return c
			}
			return strings.Compare(a.Group, b.Group)
		})
		out = append(out, rows...)
	}
	return out
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// Dimensions of the exposure table. The demo's profiles record no sex (nor
// does the product), so there is no row for it.
const (
	DimAge          = "age"
	DimMunicipality = "municipality"
)

// ageGroup is the person's age band on day, as the programme counts its
// target (16 to 29) and the rest.
func ageGroup(p profile.Profile, day age.Date) string {
	b := p.Birth()
	if !b.Known() {
		return "unknown"
	}
	switch a := b.On(day); {
	case a < 18:
		return "under 18"
	case a < 25:
		return "18–24"
	case a < 30:
		return "25–29"
	case a < 40:
		return "30–39"
	default:
		return "40+"
	}
}

// DemoExposureConfig is the demo data set the exposure table is measured
// on: the size `make demo` loads.
var DemoExposureConfig = demo.Config{Profiles: 2000, Needs: 600, Seed: 1}

// DemoExposure ranks every open need of the demo data set cfg with the
// product (a real index under a temporary directory), as an employer sees
// it, and tallies who is eligible and who is among the top 10 (depth).
func DemoExposure(ctx context.Context, tx *taxonomy.Taxonomy, cfg demo.Config) ([]ExposureRow, error) {
	data := demo.Generate(tx, cfg)
	// The store numbers every write (seq) and the catch-up indexes what is
	// numbered past the index's watermark; number them as a load would.
	for i := range data.Needs {
		data.Needs[i].Seq = int64(i + 1)
	}
	for i := range data.Profiles {
		data.Profiles[i].Seq = int64(i + 1)
	}
	var t *Tally
	err := withIndex(ctx, tx, &Set{Employers: data.Employers, Needs: data.Needs, Candidates: data.Profiles},
		func(ix *search.Index) error {
			var err error
			t, err = tallyDemo(ctx, ix, data)
			return err
		})
	if err != nil {
		return nil, err
	}
	return t.Rows(DimAge, DimMunicipality), nil
}

// tallyDemo counts, for every open need, each candidate the hard filters
// admit and whether they are in the top 10.
func tallyDemo(ctx context.Context, ix *search.Index, data demo.Data) (*Tally, error) {
	ids := make([]string, len(data.Profiles))
	byID := make(map[string]profile.Profile, len(data.Profiles))
	for i, p := range data.Profiles {
		ids[i], byID[p.ID] = p.ID, p
	}
	t := NewTally()
	for _, n := range data.Needs {
		if n.Status != register.StatusOpen || n.Kind == register.KindForecast {
			continue
		}
		start, err := age.ParseDay(n.StartDate)
		if err != nil {
			return nil, fmt.Errorf("need %s: start %q: %w", n.ID, n.StartDate, err)
		}
		eligible, err := ix.ScoreCandidates(n, ids) // the hard filters, over everyone
		if err != nil {
			return nil, err
		}
		top, err := ix.MatchCandidates(ctx, n, depth, "en")
		if err != nil {
			return nil, err
		}
		shown := map[string]bool{}
		for _, m := range top {
			shown[m.Profile.ID] = true
		}
		for id := range shown {
			if _, ok := eligible[id]; !ok {
				return nil, fmt.Errorf("need %s: showed %s, whom the hard filters exclude", n.ID, id)
			}
		}
		for id := range eligible {
			p := byID[id]
			t.Add(map[string]string{DimAge: ageGroup(p, start), DimMunicipality: p.Municipality}, shown[id])
		}
	}
	return t, nil
}

// PrintExposure writes the rows as a table, one block per dimension.
func PrintExposure(w io.Writer, rows []ExposureRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "exposure\tgroup\teligible\ttop 10\tratio")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.2f\n", r.Dimension, r.Group, r.Eligible, r.Shown, r.Ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "(ratio: share of top-10 places / share of eligible candidates; the demo records no sex)")
	return err
}
