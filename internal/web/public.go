package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
	"github.com/gin-gonic/gin"
)

const pageSize = 20

var kinds = []string{"job", "internship", "apprenticeship", "care_pathway", "forecast"}

type option struct {
	Value, Label string
	Selected     bool
}

type facetValue struct {
	Label, URL string
	Count      int
	Selected   bool
}

type facet struct {
	Title  string
	Values []facetValue
}

type needItem struct{ ID, Title, Kind, Place, ApplyBy string }

type searchPage struct {
	Q                search.NeedQuery
	Radius           string
	Kinds, Places    []option
	Facets           []facet
	Needs            []needItem
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
	Fragment         bool // answered to htmx: the results only
}

// home is the public search: a plain GET form; with htmx the same handler
// answers the results fragment only.
func (a *App) home(c *gin.Context) {
	t := trOf(c)
	q, radius := searchQuery(c.Request.URL.Query())
	res, err := a.d.Needs.Search(c.Request.Context(), q)
	if err != nil {
		a.fail(c, err)
		return
	}
	p := searchPage{Q: q, Radius: radius, Total: res.Total, Page: q.Page, Pages: (res.Total + pageSize - 1) / pageSize}
	cur := c.Request.URL.Query()
	for _, k := range kinds {
		p.Kinds = append(p.Kinds, option{Value: k, Label: t.T("kind_" + k), Selected: k == q.Kind})
	}
	for _, pl := range places {
		label := pl.BG
		if t.lang == langEN {
			label = pl.EN
		}
		p.Places = append(p.Places, option{Value: pl.Key, Label: label, Selected: pl.Key == cur.Get("place")})
	}
	for _, f := range []struct{ name, title string }{{"kind", "search_kind"}, {"sector", "search_sector"}, {"municipality", "search_municipality"}} {
		counts := res.Facets[f.name]
		if len(counts) == 0 {
			continue
		}
		fc := facet{Title: t.T(f.title)}
		for v, n := range counts {
			label := v
			switch f.name {
			case "kind":
				label = t.T("kind_" + v)
			case "sector":
				if l := t.T("sector." + v); l != "sector."+v {
					label = l
				}
			}
			fc.Values = append(fc.Values, facetValue{Label: label, Count: n, Selected: cur.Get(f.name) == v,
				URL: withParam(cur, f.name, v, "page")})
		}
		sort.Slice(fc.Values, func(i, j int) bool {
			if fc.Values[i].Count != fc.Values[j].Count {
				return fc.Values[i].Count > fc.Values[j].Count
			}
			return fc.Values[i].Label < fc.Values[j].Label
		})
		p.Facets = append(p.Facets, fc)
	}
	for _, n := range res.Needs {
		p.Needs = append(p.Needs, needItem{ID: n.ID, Title: n.Title, Kind: t.T("kind_" + n.Kind),
			Place: n.Location.Municipality, ApplyBy: n.ApplyBy})
	}
	if q.Page > 1 {
		p.PrevURL = withParam(cur, "page", strconv.Itoa(q.Page-1))
	}
	if q.Page < p.Pages {
		p.NextURL = withParam(cur, "page", strconv.Itoa(q.Page+1))
	}
	// htmx asks for the fragment; when it restores history it wants the
	// whole page.
	if c.GetHeader("HX-Request") == "true" && c.GetHeader("HX-History-Restore-Request") != "true" {
		p.Fragment = true
		a.renderView(c, http.StatusOK, "home", "results", a.view(c, p))
		return
	}
	a.renderView(c, http.StatusOK, "home", "layout", a.view(c, p))
}

// searchQuery reads the search form. It is forgiving, as a form must be:
// an unknown kind or place, or a page out of range, is ignored rather
// than refused.
func searchQuery(v url.Values) (search.NeedQuery, string) {
	q := search.NeedQuery{Text: strings.TrimSpace(v.Get("q")), Sector: v.Get("sector"),
		Municipality: v.Get("municipality"), Page: 1, PageSize: pageSize}
	for _, k := range kinds {
		if v.Get("kind") == k {
			q.Kind = k
		}
	}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n >= 1 && n <= 1000 {
		q.Page = n
	}
	radius := "25"
	if r, err := strconv.Atoi(v.Get("radius")); err == nil && r >= 1 && r <= 200 {
		radius = strconv.Itoa(r)
	}
	if pl, ok := placeByKey(v.Get("place")); ok {
		at := pl.At
		q.Near = &at
		q.RadiusKm, _ = strconv.ParseFloat(radius, 64)
	}
	return q, radius
}

// withParam is the current query with name set to value and the names in
// drop removed: the URL of a facet or a page. The language is left out: it
// is remembered in its cookie.
func withParam(cur url.Values, name, value string, drop ...string) string {
	q := url.Values{}
	for k, vs := range cur {
		q[k] = append([]string(nil), vs...)
	}
	for _, d := range append(drop, "lang") {
		q.Del(d)
	}
	q.Set(name, value)
	return "/?" + q.Encode()
}

type skillItem struct {
	Label    label
	Required bool
}

type needPage struct {
	Need     register.Need
	Kind     string
	Employer string
	Skills   []skillItem
	JSONLD   map[string]any
}

// need is the public page of one need: only a public need (open, of a
// verified employer, not past its date) is shown, to anyone, signed in or
// not; anything else is the 404 page.
func (a *App) need(c *gin.Context) {
	t := trOf(c)
	ctx := c.Request.Context()
	anyone := auth.Principal{}
	n, err := a.d.Register.Need(ctx, anyone, c.Param("id"))
	if failure.Is(err, failure.NotFound) {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	} else if err != nil {
		a.fail(c, err)
		return
	}
	e, err := a.d.Register.Employer(ctx, anyone, n.EmployerID)
	if err != nil {
		a.fail(c, fmt.Errorf("employer of public need %s: %w", n.ID, err))
		return
	}
	p := needPage{Need: n, Kind: t.T("kind_" + n.Kind), Employer: e.Name}
	var skillNames []string
	for _, s := range n.Skills {
		l := a.label(t, s.ID)
		p.Skills = append(p.Skills, skillItem{Label: l, Required: s.Required})
		skillNames = append(skillNames, l.Text)
	}
	p.JSONLD = jobPosting(n, e, skillNames, baseURL(c, a.secure(c)))
	a.render(c, "need", p)
}

// jobPosting is the schema.org JobPosting of a public need, for search
// engines. The template writes it in a JSON-LD script element, where
// html/template escapes it as JSON (no "</script>" can end it early).
func jobPosting(n register.Need, e register.Employer, skills []string, base string) map[string]any {
	desc := n.Description
	if desc == "" {
		desc = n.Title
	}
	jp := map[string]any{
		"@context":           "https://schema.org",
		"@type":              "JobPosting",
		"title":              n.Title,
		"description":        desc,
		"identifier":         map[string]any{"@type": "PropertyValue", "name": e.Name, "value": n.ID},
		"url":                base + "/needs/" + url.PathEscape(n.ID),
		"datePosted":         n.CreatedAt.UTC().Format("2006-01-02"),
		"hiringOrganization": map[string]any{"@type": "Organization", "name": e.Name},
		"jobLocation": map[string]any{"@type": "Place", "address": map[string]any{
			"@type": "PostalAddress", "addressLocality": n.Location.Municipality, "addressCountry": "BG"}},
	}
	if n.ApplyBy != "" {
		jp["validThrough"] = n.ApplyBy
	}
	if n.Positions > 0 {
		jp["totalJobOpenings"] = n.Positions
	}
	switch {
	case n.Kind == "internship":
		jp["employmentType"] = "INTERN"
	case n.Hours == "part_time":
		jp["employmentType"] = "PART_TIME"
	case n.Hours == "full_time":
		jp["employmentType"] = "FULL_TIME"
	}
	if len(skills) > 0 {
		jp["skills"] = strings.Join(skills, ", ")
	}
	return jp
}

func baseURL(c *gin.Context, secure bool) string {
	if secure {
		return "https://" + c.Request.Host
	}
	return "http://" + c.Request.Host
}

// maxSitemap is the sitemap protocol's limit of URLs in one file.
const maxSitemap = 50000

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemap lists the public needs, what the search shows to anyone.
func (a *App) sitemap(c *gin.Context) {
	base := baseURL(c, a.secure(c))
	out := urlset{URLs: []sitemapURL{{Loc: base + "/"}, {Loc: base + "/pathways"}}}
	const batch = search.MaxPageSize
	for page := 1; len(out.URLs) < maxSitemap && page <= search.MaxPage; page++ {
		res, err := a.d.Needs.Search(c.Request.Context(), search.NeedQuery{Page: page, PageSize: batch})
		if err != nil {
			a.fail(c, err)
			return
		}
		for _, n := range res.Needs {
			out.URLs = append(out.URLs, sitemapURL{Loc: base + "/needs/" + url.PathEscape(n.ID),
				LastMod: n.UpdatedAt.UTC().Format("2006-01-02")})
		}
		if page*batch >= res.Total {
			break
		}
	}
	if len(out.URLs) > maxSitemap {
		out.URLs = out.URLs[:maxSitemap]
	}
	body, err := xml.Marshal(out)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), body...))
}

type pathwayItem struct {
	Name   label
	Stages []label
}

// pathways explains the Care Career Path and lists the pathways the
// labour office runs, with their stages, in the page's language.
func (a *App) pathways(c *gin.Context) {
	t := trOf(c)
	ps, err := a.d.Pathways.List(c.Request.Context())
	if err != nil {
		a.fail(c, err)
		return
	}
	var items []pathwayItem
	for _, p := range ps {
		it := pathwayItem{Name: named(t, p.Name)}
		for _, st := range p.Stages {
			it.Stages = append(it.Stages, named(t, st.Name))
		}
		items = append(items, it)
	}
	a.render(c, "pathways", items)
}

// named is a pathway's or stage's name in the page's language (the
// pathway rules require both).
func named(t tr, names map[string]string) label { return label{Text: names[t.lang]} }

// label is a taxonomy label in the page's language, with EN set when a
// Bulgarian page falls back to the English name.
type label struct {
	Text, Mark, Title string
	EN                bool
}

func (a *App) label(t tr, id string) label {
	if s, ok := a.d.Taxonomy.Skill(id); ok && t.lang == langBG && s.Labels["bg"] == "" && s.Labels["en"] != "" {
		return label{Text: s.Labels["en"], EN: true, Mark: t.T("fallback_en"), Title: t.T("fallback_en_title")}
	}
	return label{Text: a.d.Taxonomy.Label(id, t.lang)}
}
