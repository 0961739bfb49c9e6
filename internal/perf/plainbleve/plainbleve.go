// Package plainbleve is the benchmark's first peer: the Bleve index and
// query a team would write first for the same register. Places are geo
// points asked with a geo-distance query, availability and closing dates
// are date fields asked with date-range queries, and skills are the same
// boosted terms the product asks for (search.CandidateSkillTerms), so the
// two differ only in how they narrow by place and date. Its hits go
// through the product's own re-rank, so both answer with the same
// explained scores.
package plainbleve

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/score"
)

// Index is the peer's two indexes.
type Index struct {
	profiles, needs bleve.Index
	tx              search.Taxonomy
	maxKm           float64 // the longest travel radius indexed: the need side's geo-distance
}

// Far ends of open date ranges, so that a range query can ask for them.
var (
	farPast   = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	farFuture = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) // Bleve keeps dates as int64 nanoseconds: up to 2262
)

type geo struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type profileDoc struct {
	Skills        []string  `json:"skills"`
	Groups        []string  `json:"groups"`
	Consent       string    `json:"consent"`
	Kinds         []string  `json:"kinds"`
	RemoteOK      string    `json:"remoteOk"`
	Location      geo       `json:"location"`
	AvailableFrom time.Time `json:"availableFrom"`
	AvailableTo   time.Time `json:"availableTo"`
}

type needDoc struct {
	Skills   []string  `json:"skills"`
	Required []string  `json:"required"`
	Groups   []string  `json:"groups"`
	Kind     string    `json:"kind"`
	Visible  string    `json:"visible"`
	Remote   string    `json:"remote"`
	Location geo       `json:"location"`
	ApplyBy  time.Time `json:"applyBy"`
}

// Build indexes needs and profiles under dir in batches of a thousand.
// verified says whether an employer is verified (its open needs are
// public).
func Build(dir string, tx search.Taxonomy, needs []register.Need, profiles []profile.Profile, verified func(string) bool) (*Index, error) {
	pm, nm := profileMapping(), needMapping()
	ps, err := bleve.New(filepath.Join(dir, "profiles.bleve"), pm)
	if err != nil {
		return nil, fmt.Errorf("plain bleve profiles: %w", err)
	}
	ns, err := bleve.New(filepath.Join(dir, "needs.bleve"), nm)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("plain bleve needs: %w", err), ps.Close())
	}
	ix := &Index{profiles: ps, needs: ns, tx: tx}
	for _, p := range profiles {
		ix.maxKm = max(ix.maxKm, float64(p.MaxTravelKm))
	}
	err = errors.Join(
		batches(ps, profiles, func(p profile.Profile) (string, any) { return p.ID, ix.profileDoc(p) }),
		batches(ns, needs, func(n register.Need) (string, any) { return n.ID, ix.needDoc(n, verified(n.EmployerID)) }))
	if err != nil {
		return nil, errors.Join(err, ix.Close())
	}
	return ix, nil
}

// Close closes both indexes.
func (ix *Index) Close() error { return errors.Join(ix.profiles.Close(), ix.needs.Close()) }

func batches[T any](idx bleve.Index, items []T, doc func(T) (string, any)) error {
	b := idx.NewBatch()
	for i, it := range items {
		id, d := doc(it)
		if err := b.Index(id, d); err != nil {
			return fmt.Errorf("index %s: %w", id, err)
		}
		if b.Size() == 1000 || i == len(items)-1 {
			if err := idx.Batch(b); err != nil {
				return fmt.Errorf("index batch: %w", err)
			}
			b.Reset()
		}
	}
	return nil
}

func (ix *Index) profileDoc(p profile.Profile) profileDoc {
	d := profileDoc{Consent: flag(p.Consent.Matching), Kinds: p.Interests.Kinds, Location: geo{p.Lat, p.Lon},
		RemoteOK:      flag(slices.Contains(p.WorkModes, score.ModeRemote)),
		AvailableFrom: day(p.AvailableFrom, farPast), AvailableTo: day(p.AvailableTo, farFuture)}
	if len(d.Kinds) == 0 {
		d.Kinds = []string{register.KindJob, register.KindInternship, register.KindApprenticeship, register.KindCarePathway}
	}
	groups := map[string]bool{}
	for _, s := range p.Skills { // as the product: the skill, and at every level held
		d.Skills = append(d.Skills, s.ID)
		for l := 1; l <= s.Level; l++ {
			d.Skills = append(d.Skills, s.ID+"@"+strconv.Itoa(l))
		}
		ix.addGroups(groups, s.ID)
	}
	d.Groups = keys(groups)
	return d
}

func (ix *Index) needDoc(n register.Need, verified bool) needDoc {
	d := needDoc{Kind: n.Kind, Visible: flag(n.Status == register.StatusOpen && verified),
		Remote: flag(n.WorkMode == score.ModeRemote), Location: geo{n.Location.Lat, n.Location.Lon},
		ApplyBy: day(n.ApplyBy, farFuture)}
	groups := map[string]bool{}
	for _, s := range n.Skills { // as the product: the skill, and every level that has what it asks
		d.Skills = append(d.Skills, s.ID)
		for l := max(s.Level, 1); l <= 4; l++ {
			d.Skills = append(d.Skills, s.ID+"@"+strconv.Itoa(l))
		}
		if s.Required {
			d.Required = append(d.Required, s.ID)
		}
		ix.addGroups(groups, s.ID)
	}
	d.Groups = keys(groups)
	return d
}

// addGroups is the product's notion of related skills: the primary group
// and the direct broader concepts.
func (ix *Index) addGroups(into map[string]bool, id string) {
	if g := ix.tx.GroupOf(id); g != "" {
		into[g] = true
	}
	for _, b := range ix.tx.Broader(id) {
		into[b] = true
	}
}

// Candidates retrieves candidates for a need: consenting people who want
// its kind, within the longest travel radius of it (or remote workers for
// remote work), available over its dates, ranked by the product's skill
// terms; up to search.RetrieveDepth ids.
func (ix *Index) Candidates(ctx context.Context, n register.Need, related bool) ([]string, error) {
	start, end := day(n.StartDate, farPast), day(n.EndDate, farFuture)
	var place query.Query = geoDistance(n.Location.Lat, n.Location.Lon, ix.maxKm)
	if n.WorkMode == score.ModeRemote {
		place = bleve.NewDisjunctionQuery(place, term("remoteOk", "t"))
	}
	filters := []query.Query{term("consent", "t"), term("kinds", n.Kind), place,
		dateRange("availableFrom", farPast, end), dateRange("availableTo", start, farFuture)}
	return retrieve(ctx, ix.profiles, search.CandidateSkillTerms(n, ix.tx, related), filters)
}

// Needs retrieves needs for a job-seeker: visible needs of the kinds they
// want, open for applications today, within their travel radius (or remote
// work if it suits them), ranked by the product's skill terms.
func (ix *Index) Needs(ctx context.Context, p profile.Profile, today time.Time, related bool) ([]string, error) {
	var place query.Query = geoDistance(p.Lat, p.Lon, float64(p.MaxTravelKm))
	if slices.Contains(p.WorkModes, score.ModeRemote) {
		place = bleve.NewDisjunctionQuery(place, term("remote", "t"))
	}
	filters := []query.Query{term("visible", "t"), place, dateRange("applyBy", today, farFuture)}
	if kinds := search.WantedKinds(p, ""); len(kinds) > 0 {
		any := make([]query.Query, len(kinds))
		for i, k := range kinds {
			any[i] = term("kind", k)
		}
		filters = append(filters, bleve.NewDisjunctionQuery(any...))
	}
	return retrieve(ctx, ix.needs, search.NeedSkillTerms(p, ix.tx, related), filters)
}

func retrieve(ctx context.Context, idx bleve.Index, should, filters []query.Query) ([]string, error) {
	if len(should) == 0 {
		return nil, nil
	}
	q := bleve.NewConjunctionQuery(append(filters, bleve.NewDisjunctionQuery(should...))...)
	req := bleve.NewSearchRequestOptions(q, search.RetrieveDepth, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("plain bleve search: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func geoDistance(lat, lon, km float64) query.Query {
	g := bleve.NewGeoDistanceQuery(lon, lat, strconv.FormatFloat(km, 'f', -1, 64)+"km")
	g.SetField("location")
	g.SetBoost(0.0001)
	return g
}

func dateRange(field string, from, to time.Time) query.Query {
	incl := true
	r := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &incl)
	r.SetField(field)
	r.SetBoost(0.0001)
	return r
}

func term(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	t.SetBoost(0.0001)
	return t
}

func day(s string, open time.Time) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return open
	}
	return t
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
	slices.Sort(out)
	return out
}

func newMapping(fields map[string]*mapping.FieldMapping) mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25" // as the product: the same skill terms score the same
	m.StoreDynamic, m.IndexDynamic, m.DocValuesDynamic = false, false, false
	doc := bleve.NewDocumentMapping()
	doc.Dynamic = false
	for name, f := range fields {
		doc.AddFieldMappingsAt(name, f)
	}
	m.DefaultMapping = doc
	return m
}

func keywordField() *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Analyzer = keyword.Name
	f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, false
	return f
}

func geoField() *mapping.FieldMapping {
	f := bleve.NewGeoPointFieldMapping()
	f.Store, f.IncludeInAll = false, false
	return f
}

func dateField() *mapping.FieldMapping {
	f := bleve.NewDateTimeFieldMapping()
	f.Store, f.IncludeInAll = false, false
	return f
}

func profileMapping() mapping.IndexMapping {
	return newMapping(map[string]*mapping.FieldMapping{
		"skills": keywordField(), "groups": keywordField(), "consent": keywordField(), "kinds": keywordField(),
		"remoteOk": keywordField(), "location": geoField(), "availableFrom": dateField(), "availableTo": dateField(),
	})
}

func needMapping() mapping.IndexMapping {
	return newMapping(map[string]*mapping.FieldMapping{
		"skills": keywordField(), "required": keywordField(), "groups": keywordField(), "kind": keywordField(),
		"visible": keywordField(), "remote": keywordField(), "location": geoField(), "applyBy": dateField(),
	})
}
