package web_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/pathway"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The office's insights and cohort board over HTTP: the figures on the
// page are insight.Service's, the downloads are its exports, each button
// of the board is its pathway use case.

// insOfficer is an officer's account, signed in on a browser of its own.
func (s *site) insOfficer(email string) (*browser, auth.Principal) {
	s.t.Helper()
	u, err := s.svc.Auth.CreateStaff(context.Background(), auth.NewAccount{Email: email, Password: password, Name: "Мария",
		Role: auth.RoleOfficer})
	if err != nil {
		s.t.Fatal(err)
	}
	b := s.browser()
	b.signIn(email)
	return b, auth.Principal{UserID: u.ID, Role: auth.RoleOfficer}
}

// insSeed makes two open needs asking for the same two skills (two
// positions each) and a consenting person holding the first, then waits
// until the index, which insights count from, holds them.
func (s *site) insSeed(officer auth.Principal) {
	s.t.Helper()
	n := s.need("Медицинска сестра", true)
	s.need("Санитар", true)
	me := s.seeker("holder@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
	deadline := time.Now().Add(10 * time.Second)
	for {
		rows, err := s.svc.Insights.Gap(context.Background(), officer, insight.GapQuery{By: insight.BySkill})
		if err != nil {
			s.t.Fatal(err)
		}
		if len(rows) == 2 && rows[0].Demand == 4 && rows[1].Supply+rows[0].Supply == 1 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the index never held the seeded needs and profile: %+v", rows)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// insCohort makes a pathway of two stages, the first with an entry check,
// a person who enrolled themselves (pending) and returns both.
func (s *site) insCohort(officer auth.Principal) (pathway.Pathway, string) {
	s.t.Helper()
	ctx := context.Background()
	pw, err := s.svc.Pathways.Create(ctx, officer, pathway.Pathway{
		Name: map[string]string{"bg": "Път към грижата 2027", "en": "Care Career Path 2027"},
		Stages: []pathway.Stage{{Key: "orientation", Name: map[string]string{"bg": "Ориентиране", "en": "Orientation"},
			Requirements: []pathway.Requirement{{Key: "medical", Name: map[string]string{"bg": "Медицинско свидетелство", "en": "Medical certificate"}}}},
			{Key: "placement", Name: map[string]string{"bg": "Практика", "en": "Placement"}}}})
	if err != nil {
		s.t.Fatal(err)
	}
	me := s.seeker("pathway@example.bg")
	s.profileFor(me.by, "2001-04-02")
	if _, err := s.svc.Pathways.Enrol(ctx, me.by, pw.ID, me.by.UserID); err != nil {
		s.t.Fatal(err)
	}
	return pw, me.by.UserID
}

// shownFigure is one bar or one table row as the page shows it.
type shownFigure struct{ Label, Value string }

var (
	barRe  = regexp.MustCompile(`<g class="bar"><title>([^<]*)</title><text[^>]*>[^<]*</text><text class="value"[^>]*>([^<]*)</text>`)
	rowRe  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRe = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
)

// chartOf reads the bars of the figure with id: the full label (the
// bar's title, "label: value") and the value written beside it.
func chartOf(t *testing.T, body, id string) []shownFigure {
	t.Helper()
	i := strings.Index(body, `<figure id="`+id+`">`)
	if i < 0 {
		t.Fatalf("no figure %s", id)
	}
	svg := body[i : i+strings.Index(body[i:], "</figure>")]
	if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "<title id=") || !strings.Contains(svg, "<desc id=") {
		t.Errorf("the chart %s is not an image with a title and a description", id)
	}
	var out []shownFigure
	for _, m := range barRe.FindAllStringSubmatch(svg, -1) {
		v := html.UnescapeString(m[2])
		out = append(out, shownFigure{Label: strings.TrimSuffix(html.UnescapeString(m[1]), ": "+v), Value: v})
	}
	return out
}

// tableOf reads the body rows of the table with id, each cell's text.
func tableOf(t *testing.T, body, id string) [][]string {
	t.Helper()
	i := strings.Index(body, `<table id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no table %s", id)
	}
	tb := body[i : i+strings.Index(body[i:], "</table>")]
	tb = tb[strings.Index(tb, "<tbody>"):]
	var out [][]string
	for _, r := range rowRe.FindAllStringSubmatch(tb, -1) {
		var cells []string
		for _, c := range cellRe.FindAllStringSubmatch(r[1], -1) {
			cells = append(cells, html.UnescapeString(c[1]))
		}
		out = append(out, cells)
	}
	return out
}

// TestOfficeInsightsShowTheServiceFigures: the skills gap chart and its
// table carry insight.Service.Gap's rows, each indicators chart and table
// insight.Service.Indicators' figures (as the export names them), for the
// default period and for a chosen one, under the pages' CSP.
func TestOfficeInsightsShowTheServiceFigures(t *testing.T) {
	s := newSite(t)
	b, officer := s.insOfficer("officer@example.bg")
	s.insSeed(officer)
	ctx := context.Background()
	for _, c := range []struct {
		query  string
		period insight.Period
	}{
		{"by=skill&lang=en", insight.Period{}},
		{"by=skill&lang=en&from=2020-01-01&to=2020-12-31", insight.Period{From: insPtr("2020-01-01"), To: insPtr("2020-12-31")}},
		{"by=occupation&lang=en&from=&to=", insight.Period{}},
	} {
		p := b.get("/office/insights?" + c.query)
		if p.Status != http.StatusOK {
			t.Fatalf("GET /office/insights?%s = %d", c.query, p.Status)
		}
		if strings.Contains(p.Body, "style=") || strings.Contains(p.Body, "<script>") || !strings.Contains(p.Header.Get("Content-Security-Policy"), "style-src 'self'") {
			t.Errorf("%s: inline style or script, or no CSP", c.query)
		}
		q, _ := url.ParseQuery(c.query)
		rows, err := s.svc.Insights.Gap(ctx, officer, insight.GapQuery{By: q.Get("by"), Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		bars, table := chartOf(t, p.Body, "figure-gap"), tableOf(t, p.Body, "table-gap")
		if len(rows) == 0 || len(bars) != len(rows) || len(table) != len(rows) {
			t.Fatalf("%s: %d bars and %d table rows for %d gap rows", c.query, len(bars), len(table), len(rows))
		}
		for i, r := range rows {
			want := []string{r.Label, r.GroupLabel, insNum(r.Needs), insNum(r.Demand), insNum(r.Supply), insNum(r.Gap)}
			if q.Get("by") != insight.BySkill {
				want = append(want[:1], want[2:]...)
			}
			if bars[i] != (shownFigure{r.Label, insNum(r.Gap)}) || strings.Join(table[i], "|") != strings.Join(want, "|") {
				t.Errorf("%s row %d: bar %v, table %v; the service says %v", c.query, i, bars[i], table[i], want)
			}
		}

		figs, err := s.svc.Insights.Indicators(ctx, officer, c.period)
		if err != nil {
			t.Fatal(err)
		}
		var headline []shownFigure
		sections := map[string][]shownFigure{}
		var order []string
		for _, row := range insight.IndicatorsTable(figs, "en").Rows {
			v, ok := row[2].(int)
			if !ok {
				continue
			}
			name, breakdown := row[0].(string), row[1].(string)
			if breakdown == "" {
				headline = append(headline, shownFigure{name, insNum(v)})
				continue
			}
			if _, seen := sections[name]; !seen {
				order = append(order, name)
			}
			sections[name] = append(sections[name], shownFigure{breakdown, insNum(v)})
		}
		check := func(id string, want []shownFigure) {
			t.Helper()
			bars, table := chartOf(t, p.Body, "figure-"+id), tableOf(t, p.Body, "table-"+id)
			var rows []shownFigure
			for _, r := range table {
				rows = append(rows, shownFigure{r[0], r[1]})
			}
			if !equalFigures(bars, want) || !equalFigures(rows, want) {
				t.Errorf("%s %s: chart %v, table %v; the service says %v", c.query, id, bars, rows, want)
			}
		}
		check("ind-headline", headline)
		for i, name := range order {
			check("ind-"+insNum(i+1), sections[name])
		}
		if want := "Period from " + figs.From.Format("2 January 2006") + " to " + figs.To.Format("2 January 2006"); !strings.Contains(p.Body, want) {
			t.Errorf("%s: the page does not say %q", c.query, want)
		}
	}
	// The figures for 2020 count nobody: nothing was registered then.
	if p := b.get("/office/insights?lang=en&from=2020-01-01&to=2020-12-31"); !strings.Contains(p.Body, "<tr><th scope=\"row\">Profiles registered</th><td class=\"num\">0</td></tr>") {
		t.Error("2020 counts profiles registered")
	}
}

func insPtr(s string) *string { return &s }

// insNum writes n as the English pages do (1,234; -3).
func insNum(n int) string { return message.NewPrinter(language.English).Sprintf("%d", n) }

func equalFigures(a, b []shownFigure) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestOfficeInsightsFormErrors: a malformed day or an end before the start
// is the form again, its errors linked to the fields; an unknown dimension
// too.
func TestOfficeInsightsFormErrors(t *testing.T) {
	s := newSite(t)
	b, _ := s.insOfficer("officer@example.bg")
	for query, field := range map[string]string{"from=2027-13-01": "from", "from=2027-05-01&to=2027-04-01": "to", "by=colour": "by"} {
		p := b.get("/office/insights?lang=en&" + query)
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `<a href="#`+field+`">`) || !strings.Contains(p.Body, `id="`+field+`" name="`+field+`"`) {
			t.Errorf("%s = %d, want 422 with the summary linking #%s", query, p.Status, field)
		}
		if strings.Contains(p.Body, `id="figure-gap"`) {
			t.Errorf("%s shows figures with an invalid form", query)
		}
	}
	// Every mistake at once: the dimension and the period.
	p := b.get("/office/insights?lang=en&by=colour&from=2027-13-01")
	if !strings.Contains(p.Body, `<a href="#by">`) || !strings.Contains(p.Body, `<a href="#from">`) {
		t.Errorf("a wrong dimension and a wrong date: the summary does not list both")
	}
}

// TestOfficeInsightsDownloads: each download is the use case's export of
// the same selection, in the page's language, to the signed-in officer.
func TestOfficeInsightsDownloads(t *testing.T) {
	s := newSite(t)
	b, officer := s.insOfficer("officer@example.bg")
	s.insSeed(officer)
	ctx := context.Background()
	for _, name := range []string{insight.TableSkillsGap, insight.TableIndicators, insight.TableNeeds, insight.TableMatches, insight.TableEvents} {
		p := b.get("/office/insights/export/" + name + ".csv?lang=en&from=2020-01-01")
		from := "2020-01-01"
		table, err := s.svc.Insights.TableOf(ctx, officer, name, insight.Period{From: &from}, insight.GapFilter{Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := insight.WriteCSV(&want, table); err != nil {
			t.Fatal(err)
		}
		if p.Status != http.StatusOK || p.Header.Get("Content-Type") != "text/csv; charset=utf-8" || p.Body != want.String() ||
			!strings.HasPrefix(p.Header.Get("Content-Disposition"), `attachment; filename="skillsmatch-`+name+`-`) {
			t.Errorf("%s.csv = %d %s %q, want the service's export", name, p.Status, p.Header.Get("Content-Type"), p.Header.Get("Content-Disposition"))
		}
		x := b.get("/office/insights/export/" + name + ".xlsx?lang=en")
		if x.Status != http.StatusOK || !strings.HasPrefix(x.Body, "PK") || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("%s.xlsx = %d %s, want a workbook", name, x.Status, x.Header.Get("Content-Type"))
		}
	}
	for _, path := range []string{"/office/insights/export/people.csv", "/office/insights/export/needs.pdf"} {
		if p := b.get(path); p.Status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, p.Status)
		}
	}
	if p := b.get("/office/insights/export/needs.csv?from=2027-13-01"); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("an export of a malformed period = %d, want 422", p.Status)
	}
	// The page links to the downloads of its own selection.
	page := b.get("/office/insights?lang=en&kind=job&from=2020-01-01")
	if !strings.Contains(page.Body, `href="/office/insights/export/events.xlsx?from=2020-01-01&amp;kind=job&amp;lang=en"`) ||
		!strings.Contains(page.Body, "Career days") {
		t.Error("the page does not offer the events export")
	}
	if !strings.Contains(page.Body, `href="/office/insights/export/skills-gap.csv?from=2020-01-01&amp;kind=job&amp;lang=en"`) {
		t.Error("the page does not link the CSV of its selection")
	}
}

// TestOfficeCohortBoardProgress: the board lists the cohort; accepting,
// starting and completing a stage, a check and the mentor are each a
// button (a form with the CSRF token) that answers 303 back to the board;
// a refused move is the board again with the error summary (200 for htmx).
func TestOfficeCohortBoardProgress(t *testing.T) {
	s := newSite(t)
	b, officer := s.insOfficer("officer@example.bg")
	pw, pid := s.insCohort(officer)
	ctx := context.Background()
	list := b.get("/office/pathways?lang=en")
	if !strings.Contains(list.Body, `href="/office/pathways/`+pw.ID+`"`) || !strings.Contains(list.Body, "1 participants, 1 waiting for acceptance") {
		t.Errorf("the list of pathways lacks the pathway or its counts:\n%s", list.Body)
	}
	board := "/office/pathways/" + pw.ID
	action := board + "/participants/" + pid
	p := b.get(board + "?lang=en")
	if !strings.Contains(p.Body, `id="p-`+pid+`"`) || !strings.Contains(p.Body, "waiting for acceptance") || !strings.Contains(p.Body, `action="`+action+`/acceptance"`) {
		t.Fatalf("the board does not show the pending participant with Accept:\n%s", p.Body)
	}
	state := func() pathway.Participant {
		t.Helper()
		cohort, err := s.svc.Pathways.Cohort(ctx, officer, pw.ID)
		if err != nil || len(cohort) != 1 {
			t.Fatalf("cohort = %v %v", cohort, err)
		}
		return cohort[0]
	}
	for _, step := range []struct {
		path string
		form url.Values
		ok   func(pathway.Participant) bool
	}{
		{"/acceptance", url.Values{}, func(p pathway.Participant) bool { return p.Status == pathway.StatusActive }},
		{"/progress", url.Values{"stage": {"orientation"}, "status": {"started"}}, func(p pathway.Participant) bool {
			return p.Stage == "orientation" && p.Stages["orientation"].Status == pathway.StageStarted
		}},
		{"/checks", url.Values{"requirement": {"medical"}, "checked": {"true"}, "on": {s.clock.Now().UTC().Format(time.DateOnly)}},
			func(p pathway.Participant) bool {
				return p.Checks["medical"].Checked && p.Checks["medical"].By == officer.UserID
			}},
		{"/progress", url.Values{"stage": {"orientation"}, "status": {"started"}, "mentor": {"Д-р Иванова"}, "nextStep": {"Курс по първа помощ"}},
			func(p pathway.Participant) bool {
				return p.Mentor == "Д-р Иванова" && p.NextStep == "Курс по първа помощ"
			}},
		{"/progress", url.Values{"stage": {"orientation"}, "status": {"completed"}}, func(p pathway.Participant) bool {
			return p.Stages["orientation"].Status == pathway.StageCompleted && p.Mentor == "Д-р Иванова"
		}},
	} {
		r := b.submit(board, action+step.path, step.form)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), board+"?done=") {
			t.Fatalf("POST %s %v = %d %s, want 303 to the board", step.path, step.form, r.Status, r.Header.Get("Location"))
		}
		if got := state(); !step.ok(got) {
			t.Errorf("after POST %s %v the participant is %+v", step.path, step.form, got)
		}
	}
	p = b.get(board + "?lang=en&done=progress")
	for _, want := range []string{"The progress is recorded.", "Orientation: done", "Medical certificate: checked on", "Mark “Placement” done", "Д-р Иванова"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the board lacks %q", want)
		}
	}
	// Accepting again is refused, in words on the board.
	r := b.submit(board, action+"/acceptance", url.Values{})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `<a href="#p-`+pid+`">This participant is already accepted.</a>`) {
		t.Errorf("a second acceptance = %d, want 422 with the summary", r.Status)
	}
	f := url.Values{"csrf": {b.csrf(board)}}
	if r := b.post(action+"/acceptance", f, "HX-Request", "true"); r.Status != http.StatusOK || !strings.Contains(r.Body, `id="error-summary"`) {
		t.Errorf("a refused move for htmx = %d, want 200 with the summary", r.Status)
	}
	if r := b.get("/office/pathways/nope?lang=en"); r.Status != http.StatusNotFound {
		t.Errorf("an unknown pathway's board = %d, want 404", r.Status)
	}
	if r := b.submit(board, board+"/participants/nobody/acceptance", url.Values{}); r.Status != http.StatusNotFound {
		t.Errorf("accepting an unknown participant = %d, want 404", r.Status)
	}
}
