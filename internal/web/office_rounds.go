package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/round"
	"github.com/careget/skillsmatch/search"
	"github.com/gin-gonic/gin"
)

// The office's placement rounds: the list, a new round over the open
// needs of one programme, and a round's board where the officer sees who
// ranked what, runs it, pins or forbids a pair and runs again, and
// publishes. Each handler calls one use case of round.Service, the same as
// the API's /api/v1/rounds routes.
func (a *App) mountOfficeRounds(g *gin.RouterGroup) {
	g.GET("/rounds", a.officeRounds)
	g.GET("/rounds/new", a.officeRoundForm)
	g.POST("/rounds", a.officeRoundCreate)
	g.GET("/rounds/:id", a.officeRound)
	g.POST("/rounds/:id/run", a.officeRoundRun)
	g.POST("/rounds/:id/publish", a.officeRoundPublish)
}

// roundRow is one round of the list, in words.
type roundRow struct {
	ID, Name, Programme, Status, Closes, Created string
	Needs, Ranked, Placed, Unplaced              string
	Run                                          bool
}

// officeRounds lists every round (round.Service.List, from memory).
func (a *App) officeRounds(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	rs, err := a.d.Rounds.List(c.Request.Context(), s.Principal())
	if err != nil {
		a.refuse(c, err)
		return
	}
	rows := make([]roundRow, 0, len(rs))
	for _, r := range rs {
		row := roundRow{ID: r.ID, Name: r.Name, Programme: t.T("kind_" + r.Programme), Status: roundStatus(t, r, a.now()),
			Closes: t.Date(r.ClosesAt.UTC().Format(time.DateOnly)), Created: t.Date(r.CreatedAt.UTC().Format(time.DateOnly)),
			Needs: t.N("office_rounds.needs_count", len(r.NeedIDs)), Ranked: t.N("office_rounds.ranked_count", len(r.Preferences))}
		if r.LastRun != nil {
			row.Run = true
			row.Placed = t.N("office_rounds.placed_count", placed(r.LastRun))
			row.Unplaced = t.N("office_rounds.unplaced_count", len(r.LastRun.Unassigned))
		}
		rows = append(rows, row)
	}
	a.render(c, "office_rounds", rows)
}

// roundStatus words a round's state: taking preferences, closed for
// them (ready to run), or published.
func roundStatus(t tr, r round.Round, now time.Time) string {
	switch {
	case r.Status == round.StatusPublished:
		return t.T("office_rounds.status_published")
	case now.Before(r.ClosesAt):
		return t.T("office_rounds.status_open")
	}
	return t.T("office_rounds.status_closed")
}

func placed(run *round.Run) int {
	n := 0
	for _, as := range run.Assignments {
		n += len(as.Candidates) + len(as.Pinned)
	}
	return n
}

// roundForm is the new round's form: the needs of the chosen programme
// that people can rank (the public search, as GET /api/v1/needs).
type roundForm struct {
	Programme string
	Q         string
	Needs     []register.Need
	Total     string
	Chosen    map[string]bool
}

func (a *App) officeRoundForm(c *gin.Context) {
	a.showRoundForm(c, http.StatusOK, url.Values{"programme": {c.Query("programme")}, "q": {c.Query("q")}}, nil)
}

// showRoundForm renders the form with the needs found for form's
// programme and words, what was typed and errs.
func (a *App) showRoundForm(c *gin.Context, status int, form url.Values, errs []fieldError) {
	t := trOf(c)
	f := roundForm{Programme: form.Get("programme"), Q: strings.TrimSpace(form.Get("q")), Chosen: map[string]bool{}}
	if f.Programme != round.ProgrammeCarePathway {
		f.Programme = round.ProgrammeInternship
	}
	for _, id := range form["needs"] {
		f.Chosen[id] = true
	}
	res, err := a.d.Needs.Search(c.Request.Context(), search.NeedQuery{Kind: f.Programme, Text: f.Q, PageSize: search.MaxPageSize})
	if err != nil {
		a.fail(c, err)
		return
	}
	f.Needs, f.Total = res.Needs, t.N("office_rounds.found_count", res.Total)
	v := a.view(c, f)
	v.Form, v.Errors = form, errs
	a.renderView(c, status, "office_round_new", "layout", v)
}

// officeRoundCreate opens the round (round.Service.Create, as POST
// /api/v1/rounds). Preferences close at the end of the chosen day.
func (a *App) officeRoundCreate(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	_ = c.Request.ParseForm()
	form := c.Request.PostForm
	r := round.Round{Name: strings.TrimSpace(form.Get("name")), Programme: form.Get("programme"), NeedIDs: form["needs"]}
	if d, err := time.Parse(time.DateOnly, form.Get("closesAt")); err == nil {
		r.ClosesAt = d.AddDate(0, 0, 1).UTC()
	} else if form.Get("closesAt") != "" {
		a.showRoundForm(c, http.StatusUnprocessableEntity, form, []fieldError{{Field: "closesAt", Message: t.T("field.date")}})
		return
	}
	created, err := a.d.Rounds.Create(c.Request.Context(), s.Principal(), r)
	if failure.Is(err, failure.Forbidden) {
		a.refuse(c, err)
		return
	}
	if err != nil {
		errs, ok := roundErrors(t, err, "name")
		if !ok {
			a.fail(c, err)
			return
		}
		a.showRoundForm(c, http.StatusUnprocessableEntity, form, errs)
		return
	}
	c.Redirect(http.StatusSeeOther, "/office/rounds/"+created.ID+"?done=created")
}

// boardPage is a round's board in words.
type boardPage struct {
	round.Board
	Names      bool   // the officer asked to see names
	Query      string // "?names=1" to keep them on
	Status     string
	Closes     string
	Open       bool // not published: it may run, change and publish
	People     []person
	Needs      []boardNeed
	Prefs      []boardPref
	Pins       []boardPair
	Forbidden  []boardPair
	Placements []boardNeed
	Unassigned []boardUnassigned
	RunAt      string
	Blocking   string
}

type person struct{ ID, Label string }

type boardNeed struct {
	ID, Title, Place, Positions, Ranking string
	Ranked                               string // the employer's ranking, best first
	Placed                               []string
	Pinned                               []string
}

type boardPref struct {
	Who   string
	Needs []string
}

type boardPair struct{ PersonID, NeedID, Who, Need string }

type boardUnassigned struct{ Who, Reason string }

// officeRound shows the board (round.Service.Board); with ?names=1 the
// names, each read written to the person's audit log.
func (a *App) officeRound(c *gin.Context) {
	a.showBoard(c, http.StatusOK, nil)
}

func (a *App) showBoard(c *gin.Context, status int, errs []fieldError) {
	t := trOf(c)
	s, _ := sessionOf(c)
	names := c.Query("names") == "1" || c.PostForm("names") == "1"
	b, err := a.d.Rounds.Board(c.Request.Context(), s.Principal(), c.Param("id"), names, c.Writer.Header().Get("X-Request-ID"))
	switch {
	case err != nil:
		a.refuse(c, err)
		return
	}
	v := a.view(c, a.boardPage(t, b, names))
	v.Errors, v.Form = errs, c.Request.PostForm // a refused pair is shown chosen again
	switch c.Query("done") {
	case "created", "run":
		v.Notice = t.T("office_rounds.done_" + c.Query("done"))
	case "published":
		n, _ := strconv.Atoi(c.Query("n"))
		v.Notice = t.N("office_rounds.done_published", n)
	}
	a.renderView(c, status, "office_round", "layout", v)
}

// boardPage puts the board into words: people by name (when read) or by
// a short reference, needs by title.
func (a *App) boardPage(t tr, b round.Board, names bool) boardPage {
	r := b.Round
	p := boardPage{Board: b, Names: names, Status: roundStatus(t, r, a.now()), Open: r.Status == round.StatusOpen,
		Closes: t.Date(r.ClosesAt.UTC().Format(time.DateOnly))}
	if names {
		p.Query = "?names=1"
	}
	who := func(id string) string {
		if n := b.Names[id]; n != "" {
			return n
		}
		return t.T("office_rounds.person_ref", "Ref", strings.ToUpper(id[:min(6, len(id))]))
	}
	title := func(id string) string {
		if n, ok := b.Needs[id]; ok {
			return n.Title
		}
		return t.T("office_rounds.need_gone")
	}
	for _, id := range b.People {
		if _, ranked := r.Preferences[id]; ranked {
			p.People = append(p.People, person{ID: id, Label: who(id)})
		}
	}
	for _, id := range r.NeedIDs {
		n := boardNeed{ID: id, Title: title(id), Place: b.Needs[id].Location.Municipality,
			Positions: t.N("office_rounds.positions", b.Needs[id].Positions), Ranking: t.T("office_rounds.by_score")}
		if ranking, ok := r.NeedRankings[id]; ok {
			n.Ranking = t.T("office_rounds.by_employer")
			ranked := make([]string, len(ranking))
			for i, pid := range ranking {
				ranked[i] = strconv.Itoa(i+1) + ". " + who(pid)
			}
			n.Ranked = strings.Join(ranked, "; ")
		}
		p.Needs = append(p.Needs, n)
	}
	for _, id := range slices.Sorted(maps.Keys(r.Preferences)) {
		pref := boardPref{Who: who(id)}
		for _, nid := range r.Preferences[id] {
			pref.Needs = append(pref.Needs, title(nid))
		}
		p.Prefs = append(p.Prefs, pref)
	}
	pair := func(x allocation.Pair) boardPair {
		return boardPair{PersonID: x.Candidate, NeedID: x.Need, Who: who(x.Candidate), Need: title(x.Need)}
	}
	for _, x := range r.Pins {
		p.Pins = append(p.Pins, pair(x))
	}
	for _, x := range r.Forbidden {
		p.Forbidden = append(p.Forbidden, pair(x))
	}
	if run := r.LastRun; run != nil {
		p.RunAt = t.Date(run.At.UTC().Format(time.DateOnly)) + " " + run.At.UTC().Format("15:04") + " UTC"
		p.Blocking = t.N("office_rounds.blocking", run.BlockingPairs)
		if run.BlockingPairs == 0 {
			p.Blocking = t.T("office_rounds.no_blocking")
		}
		byNeed := slices.Clone(run.Assignments) // in the round's order of needs, as listed above
		slices.SortStableFunc(byNeed, func(x, y allocation.Assignment) int {
			return slices.Index(r.NeedIDs, x.Need) - slices.Index(r.NeedIDs, y.Need)
		})
		for _, as := range byNeed {
			n := boardNeed{ID: as.Need, Title: title(as.Need)}
			for _, pid := range as.Pinned {
				n.Pinned = append(n.Pinned, who(pid))
			}
			for _, pid := range as.Candidates {
				n.Placed = append(n.Placed, who(pid))
			}
			p.Placements = append(p.Placements, n)
		}
		for _, u := range run.Unassigned {
			p.Unassigned = append(p.Unassigned, boardUnassigned{Who: who(u.Candidate), Reason: t.T("office_rounds.reason." + string(u.Reason))})
		}
	}
	return p
}

// officeRoundRun runs the round again, after pinning, forbidding or
// releasing the chosen pair when a button says so (round.Service.Rerun).
func (a *App) officeRoundRun(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	ch := round.Change{Op: c.PostForm("op"), Pair: allocation.Pair{Candidate: c.PostForm("person"), Need: c.PostForm("need")}}
	_, err := a.d.Rounds.Rerun(c.Request.Context(), s.Principal(), c.Param("id"), ch)
	if err != nil {
		a.boardError(c, t, err)
		return
	}
	c.Redirect(http.StatusSeeOther, a.boardURL(c, "run", 0))
}

// officeRoundPublish turns the last run into proposed matches
// (round.Service.Publish, as POST /api/v1/rounds/{id}/publish).
func (a *App) officeRoundPublish(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	_, n, err := a.d.Rounds.Publish(c.Request.Context(), s.Principal(), c.Param("id"))
	if err != nil {
		a.boardError(c, t, err)
		return
	}
	c.Redirect(http.StatusSeeOther, a.boardURL(c, "published", n))
}

func (a *App) boardURL(c *gin.Context, done string, n int) string {
	q := url.Values{"done": {done}, "n": {strconv.Itoa(n)}}
	if c.PostForm("names") == "1" {
		q.Set("names", "1")
	}
	return "/office/rounds/" + url.PathEscape(c.Param("id")) + "?" + q.Encode()
}

// boardError shows a refused change on the board, or the 404 or error
// page when it is not the officer's to fix.
func (a *App) boardError(c *gin.Context, t tr, err error) {
	if (failure.Is(err, failure.NotFound) || failure.Is(err, failure.Forbidden)) && !hasFields(err) {
		a.refuse(c, err)
		return
	}
	errs, ok := roundErrors(t, err, "pair-person")
	if !ok {
		a.fail(c, err)
		return
	}
	a.showBoard(c, http.StatusUnprocessableEntity, errs)
}

func hasFields(err error) bool {
	fe, ok := failure.As(err)
	return ok && len(fe.Fields) > 0
}

// roundFields are the inputs of the rounds' forms that a domain field
// names (needIds[2] → the needs' fieldset; a run's pins and needs → the
// pair's selects).
var roundFields = map[string]string{"name": "name", "programme": "programme", "closesAt": "closesAt", "needIds": "needs",
	"profileId": "pair-person", "needId": "pair-need", "pins": "pair-person", "forbidden": "pair-person", "needs": "pair-need"}

// roundErrors words a refused round change; ok is false for a failure
// that is not the officer's to fix.
func roundErrors(t tr, err error, fallback string) ([]fieldError, bool) {
	fe, isFailure := failure.As(err)
	if !isFailure || fe.Kind == failure.Internal {
		return nil, false
	}
	var errs []fieldError
	for _, f := range fe.Fields {
		field := roundFields[strings.SplitN(f.Field, "[", 2)[0]]
		if field == "" {
			field = fallback
		}
		msg := roundMessage(t, field, f.Code, f.Param)
		if !slices.Contains(errs, fieldError{Field: field, Message: msg}) {
			errs = append(errs, fieldError{Field: field, Message: msg})
		}
	}
	if len(errs) == 0 {
		msg := t.T("office_rounds.code." + fe.Code)
		if msg == "office_rounds.code."+fe.Code {
			msg = t.T("office_rounds.code.unknown")
		}
		errs = append(errs, fieldError{Field: fallback, Message: msg})
	}
	return errs, true
}

// refuse answers a round the caller may not see or change (an
// administrator in the office's workspace: rounds are the officers') with
// the 403 page, a missing one with the 404 page, anything else with the
// error page.
func (a *App) refuse(c *gin.Context, err error) {
	switch {
	case failure.Is(err, failure.Forbidden):
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
	case failure.Is(err, failure.NotFound):
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
	default:
		a.fail(c, err)
	}
}

// roundMessage words a field's error, naming the field where the
// catalogue says so ("Choose at least one place"), so the error summary
// tells which field to fix (WCAG 3.3.1).
func roundMessage(t tr, field, code, param string) string {
	for _, id := range []string{"office_rounds.code." + field + "_" + code, "office_rounds.code." + code} {
		if msg := t.T(id, "Param", param); msg != id {
			return msg
		}
	}
	return t.T("field.invalid")
}
