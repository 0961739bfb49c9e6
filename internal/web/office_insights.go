package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/web/chart"
	"github.com/gin-gonic/gin"
)

// The office's insights: the skills gap and the programme's indicators
// for a period, as charts with the same figures in a table after each,
// and the CSV/XLSX downloads. The figures are insight.Service's, the
// same use cases as GET /api/v1/insights/* and /api/v1/exports/*; the
// downloads answer to the session instead of a bearer token.
func (a *App) mountOfficeInsights(g *gin.RouterGroup) {
	g.GET("/insights", a.officeInsights)
	g.GET("/insights/export/:file", a.officeInsightsExport)
}

// gapShown is how many gap rows the page draws: the largest shortages,
// which is what a glance is for; the download has every row.
const gapShown = 20

// insightsQuery is the page's GET form.
type insightsQuery struct {
	By, Kind, Sector, From, To string
}

func bindInsights(c *gin.Context) insightsQuery {
	return insightsQuery{By: c.DefaultQuery("by", insight.BySkill), Kind: c.Query("kind"), Sector: strings.TrimSpace(c.Query("sector")),
		From: c.Query("from"), To: c.Query("to")}
}

// period leaves an emptied date to the use case's default (the year so
// far), as the API does for an absent one.
func (q insightsQuery) period() insight.Period {
	var p insight.Period
	if q.From != "" {
		p.From = &q.From
	}
	if q.To != "" {
		p.To = &q.To
	}
	return p
}

// encode is the query for a download link, the same selection.
func (q insightsQuery) encode(lang string) string {
	v := url.Values{"lang": {lang}}
	for k, s := range map[string]string{"kind": q.Kind, "sector": q.Sector, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

// figureRow is one line of a table after a chart.
type figureRow struct {
	Label, Value string
	N            int
}

// figureSection is a chart and its table.
type figureSection struct {
	ID, Title          string
	ColLabel, ColValue string // the table's column headers
	Chart              template.HTML
	Rows               []figureRow
}

type gapRowView struct {
	Label, Group, Needs, Demand, Supply, Gap string
	LabelLang, GroupLang                     string // set when a label is not in the page's language
}

type exportLink struct {
	Label, CSV, XLSX string
}

type insightsPage struct {
	Q          insightsQuery
	Dimensions []option
	Kinds      []option
	Period     string
	GapTitle   string
	GapChart   template.HTML
	GapRows    []gapRowView
	GapCount   string
	SkillRows  bool
	Headline   figureSection
	Share      string
	Sections   []figureSection
	Downloads  []exportLink
	HasFigures bool
}

// officeInsights draws the skills gap (insight.Service.Gap) and the
// indicators (insight.Service.Indicators) of the chosen period.
func (a *App) officeInsights(c *gin.Context) {
	q := bindInsights(c)
	t := trOf(c)
	s, _ := sessionOf(c)
	ctx := c.Request.Context()
	rows, gapErr := a.d.Insights.Gap(ctx, s.Principal(), insight.GapQuery{By: q.By, Sector: q.Sector, Kind: q.Kind, Lang: t.lang})
	figs, indErr := a.d.Insights.Indicators(ctx, s.Principal(), q.period())
	p := insightsPage{Q: q, Dimensions: a.dimensionOptions(t, q.By), Kinds: kindOptions(t, q.Kind)}
	if err := bothFields(gapErr, indErr); err != nil {
		a.insightsError(c, p, err)
		return
	}
	p.HasFigures = true
	p.Period = t.T("insights_period_is", "From", t.Date(figs.From.Format(time.DateOnly)), "To", t.Date(figs.To.Format(time.DateOnly)),
		"AsOf", t.Date(figs.AsOf))
	a.gapView(t, &p, rows)
	indicatorsView(t, &p, figs)
	p.Downloads = downloads(t, q)
	a.render(c, "office_insights", p)
}

// bothFields is the first error, or when both are field errors (a
// dimension and a period, say) one with the fields of both, so the
// summary lists every mistake at once.
func bothFields(a, b error) error {
	fa, okA := failure.As(a)
	fb, okB := failure.As(b)
	if okA && okB && len(fa.Fields) > 0 && len(fb.Fields) > 0 {
		return failure.Fields(append(slices.Clone(fa.Fields), fb.Fields...)...)
	}
	return cmp.Or(a, b)
}

// insightsError shows the form again with the use case's field errors;
// a refusal is the forbidden page.
func (a *App) insightsError(c *gin.Context, p insightsPage, err error) {
	if failure.Is(err, failure.Forbidden) {
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return
	}
	errs, status, ok := formErrors(trOf(c), err, "by")
	if !ok {
		a.fail(c, err)
		return
	}
	v := a.view(c, p)
	v.Errors = errs
	a.renderView(c, status, "office_insights", "layout", v)
}

func (a *App) dimensionOptions(t tr, by string) []option {
	out := make([]option, len(insight.Dimensions))
	for i, d := range insight.Dimensions {
		out[i] = option{Value: d, Label: t.T("insights_by_" + d), Selected: d == by}
	}
	return out
}

func kindOptions(t tr, kind string) []option {
	out := []option{{Value: "", Label: t.T("search_any"), Selected: kind == ""}}
	for _, k := range kinds {
		out = append(out, option{Value: k, Label: t.T("kind_" + k), Selected: k == kind})
	}
	return out
}

// gapView keeps the largest gaps (the use case sorts them) for the chart
// and its table.
func (a *App) gapView(t tr, p *insightsPage, rows []insight.GapRow) {
	p.GapTitle = t.T("insights_gap_title_" + p.Q.By)
	p.SkillRows = p.Q.By == insight.BySkill
	shown := rows[:min(len(rows), gapShown)]
	p.GapCount = t.T("insights_gap_count", "Shown", t.Number(len(shown)), "Total", t.Number(len(rows)))
	bars := make([]chart.Bar, len(shown))
	for i, r := range shown {
		bars[i] = chart.Bar{Label: r.Label, Value: r.Gap, Text: t.Number(r.Gap)}
		p.GapRows = append(p.GapRows, gapRowView{Label: r.Label, Group: r.GroupLabel, Needs: t.Number(r.Needs),
			Demand: t.Number(r.Demand), Supply: t.Number(r.Supply), Gap: t.Number(r.Gap),
			LabelLang: partLang(t.lang, r.Label), GroupLang: partLang(t.lang, r.GroupLabel)})
	}
	p.GapChart = chart.Bars{ID: "chart-gap", Title: p.GapTitle, Desc: t.T("insights_gap_desc"), Bars: bars}.SVG()
}

// indicatorsView lays the indicators out as the export does
// (insight.IndicatorsTable: the same names, order and figures): the
// figures without a breakdown in one chart, each breakdown in its own.
func indicatorsView(t tr, p *insightsPage, figs insight.Figures) {
	table := insight.IndicatorsTable(figs, t.lang)
	p.Headline = figureSection{ID: "ind-headline", Title: t.T("insights_headline")}
	var sec *figureSection
	for _, row := range table.Rows {
		name, breakdown := row[0].(string), row[1].(string)
		switch v := row[2].(type) {
		case int:
			if breakdown == "" {
				p.Headline.Rows = append(p.Headline.Rows, figureRow{Label: name, Value: t.Number(v), N: v})
				continue
			}
			if sec == nil || sec.Title != name {
				p.Sections = append(p.Sections, figureSection{ID: fmt.Sprintf("ind-%d", len(p.Sections)+1), Title: name})
				sec = &p.Sections[len(p.Sections)-1]
			}
			sec.Rows = append(sec.Rows, figureRow{Label: breakdown, Value: t.Number(v), N: v})
		case float64:
			p.Share = t.T("insights_share", "Name", name, "Percent", t.Number(int(v*100+0.5)))
		}
	}
	p.Headline.Chart = sectionChart(t, &p.Headline)
	for i := range p.Sections {
		p.Sections[i].Chart = sectionChart(t, &p.Sections[i])
	}
}

// sectionChart draws a section's rows, values as the table writes them.
func sectionChart(t tr, s *figureSection) template.HTML {
	s.ColLabel, s.ColValue = t.T("insights_col_figure"), t.T("insights_col_value")
	bars := make([]chart.Bar, len(s.Rows))
	for i, r := range s.Rows {
		bars[i] = chart.Bar{Label: r.Label, Value: r.N, Text: r.Value}
	}
	return chart.Bars{ID: "chart-" + s.ID, Title: s.Title, Desc: t.T("insights_chart_desc"), Bars: bars}.SVG()
}

// partLang is the language of a label that is not the page's, so a
// screen reader speaks it right (WCAG 3.1.2): ESCO labels without a
// Bulgarian name come in English, and sectors are typed by people.
// Cyrillic is Bulgarian; Latin letters without Cyrillic, on a Bulgarian
// page, English.
func partLang(page, text string) string {
	cyrillic, latin := false, false
	for _, r := range text {
		cyrillic = cyrillic || unicode.Is(unicode.Cyrillic, r)
		latin = latin || unicode.Is(unicode.Latin, r)
	}
	switch {
	case page == langEN && cyrillic:
		return langBG
	case page == langBG && latin && !cyrillic:
		return langEN
	}
	return ""
}

func downloads(t tr, q insightsQuery) []exportLink {
	query := q.encode(t.lang)
	var out []exportLink
	for _, name := range []string{insight.TableSkillsGap, insight.TableIndicators, insight.TableNeeds, insight.TableMatches, insight.TableEvents} {
		base := "/office/insights/export/" + name
		out = append(out, exportLink{Label: t.T("insights_table_" + strings.ReplaceAll(name, "-", "_")),
			CSV: base + ".csv?" + query, XLSX: base + ".xlsx?" + query})
	}
	return out
}

// officeInsightsExport streams a table (insight.Service.TableOf, the use
// case of GET /api/v1/exports/{file}) as CSV or XLSX to the signed-in
// officer.
func (a *App) officeInsightsExport(c *gin.Context) {
	name, ext, _ := strings.Cut(c.Param("file"), ".")
	ctype, ok := insight.Formats[ext]
	if !ok {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	}
	q := bindInsights(c)
	t := trOf(c)
	s, _ := sessionOf(c)
	table, err := a.d.Insights.TableOf(c.Request.Context(), s.Principal(), name, q.period(),
		insight.GapFilter{Sector: q.Sector, Kind: q.Kind, Lang: t.lang})
	if failure.Is(err, failure.NotFound) {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	} else if err != nil {
		a.insightsError(c, insightsPage{Q: q, Dimensions: a.dimensionOptions(t, q.By), Kinds: kindOptions(t, q.Kind)}, err)
		return
	}
	c.Header("Content-Type", ctype)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="skillsmatch-%s-%s.%s"`, name, a.now().UTC().Format("20060102"), ext))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	if err := insight.Write(c.Writer, ext, table); err != nil {
		a.logErr(c, fmt.Errorf("export %s mid-stream: %w", name, err))
	}
}
