package web

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/personaldata"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/gin-gonic/gin"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// The job-seeker's pages: matches and applying, applications, and their
// personal data (export and erasure). Each handler calls the same use
// case as its API route.
func (a *App) mountJobseeker(me gin.IRoutes) {
	me.GET("/matches", a.matches)
	me.POST("/applications", a.apply)
	me.GET("/applications", a.applications)
	me.GET("/data", a.dataPage)
	me.GET("/data/export.json", a.exportJSON)
	me.GET("/data/erase", a.eraseConfirm)
	me.POST("/data/erase", a.erase)
}

// matchesPerPage is one page of /me/matches; the ranking returns at most
// opportunity.MaxLimit, so paging is over that list.
const matchesPerPage = 10

// NP is the plural message id for n with more template data (kv pairs).
func (t tr) NP(id string, n int, kv ...any) string {
	d := data(kv)
	if d == nil {
		d = map[string]any{}
	}
	d["Count"] = t.Number(n)
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: d})
	if err != nil {
		return id
	}
	return s
}

type matchItem struct {
	Need       register.Need
	Kind       string
	Skills     string // "you have 4 of the 5 skills …"
	Missing    []label
	Distance   string
	Languages  string
	Available  string
	Permit     bool
	Applied    bool
	NoteErr    string
	NoteValue  string
	FieldID    string
	NearMissed bool
}

type nextSkillItem struct {
	Label    label
	Opens    string
	Pathways bool // a care need wants it: the Care Career Path trains for it
}

type matchesPage struct {
	NoProfile  bool
	Held       bool
	Items      []matchItem
	NearMisses []matchItem
	NextSkills []nextSkillItem
	Page       int
	Prev, Next string
	Count      string
}

// matches ranks the needs for the signed-in job-seeker
// (opportunity.Service.ForMe, as GET /api/v1/profiles/me/matches) and
// explains each in words.
func (a *App) matches(c *gin.Context) {
	a.showMatches(c, http.StatusOK, "", nil, "")
}

// showMatches renders /me/matches; after a refused application errs are
// shown at the top and on the need's form (needID), with the note typed.
func (a *App) showMatches(c *gin.Context, status int, needID string, errs []fieldError, note string) {
	t := trOf(c)
	s, _ := sessionOf(c)
	ms, err := a.d.Opportunities.ForMe(c.Request.Context(), s.Principal(), opportunity.Query{Limit: opportunity.MaxLimit, Lang: t.lang})
	var p matchesPage
	switch {
	case failure.Is(err, failure.NotFound):
		p.NoProfile = true
	case failure.Is(err, failure.Forbidden):
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return
	case err != nil:
		a.fail(c, err)
		return
	}
	p.Held = ms.Held
	applied := map[string]bool{}
	for _, m := range a.d.Matches.ForPerson(s.Principal()) {
		applied[m.NeedID] = true
	}
	page, _ := strconv.Atoi(c.Query("page"))
	page = max(page, 1)
	if needID != "" { // show the page that holds the refused need's form
		if i := slices.IndexFunc(ms.Items, func(m opportunity.Match) bool { return m.Need.ID == needID }); i >= 0 {
			page = i/matchesPerPage + 1
		}
	}
	lo, hi := min((page-1)*matchesPerPage, len(ms.Items)), min(page*matchesPerPage, len(ms.Items))
	for _, m := range ms.Items[lo:hi] {
		p.Items = append(p.Items, a.matchItem(t, m, applied[m.Need.ID], false))
	}
	p.Page, p.Count = page, t.NP("js.matches_count", len(ms.Items))
	if page > 1 && lo > 0 {
		p.Prev = "/me/matches?page=" + strconv.Itoa(page-1)
	}
	if hi < len(ms.Items) {
		p.Next = "/me/matches?page=" + strconv.Itoa(page+1)
	}
	// The near misses are the closest first: the page shows the closest
	// ten, on every page (the ranking returns up to opportunity.MaxLimit).
	for _, m := range ms.NearMisses[:min(len(ms.NearMisses), matchesPerPage)] {
		p.NearMisses = append(p.NearMisses, a.matchItem(t, m, applied[m.Need.ID], true))
	}
	for _, ns := range ms.NextSkills {
		p.NextSkills = append(p.NextSkills, nextSkillItem{Label: a.label(t, ns.ID), Opens: nextSkillWords(t, ns),
			Pathways: caresFor(ns.ID, append(slices.Clip(ms.Items), ms.NearMisses...))})
	}
	for i := range p.Items {
		if p.Items[i].Need.ID == needID {
			p.Items[i].NoteErr, p.Items[i].NoteValue = errs[0].Message, note
		}
	}
	for i := range p.NearMisses {
		if p.NearMisses[i].Need.ID == needID {
			p.NearMisses[i].NoteErr, p.NearMisses[i].NoteValue = errs[0].Message, note
		}
	}
	v := a.view(c, p)
	v.Errors = errs
	a.renderView(c, status, "matches", "layout", v)
}

// caresFor reports whether a care need (the Care Career Path's kind, or
// the healthcare and care sectors) among ms wants the skill: then the
// pathway is a way to learn it.
func caresFor(skillID string, ms []opportunity.Match) bool {
	for _, m := range ms {
		if m.Need.Kind != register.KindCarePathway && m.Need.Sector != "care" && m.Need.Sector != "healthcare" {
			continue
		}
		if slices.ContainsFunc(m.Need.Skills, func(s register.SkillRequirement) bool { return s.ID == skillID }) {
			return true
		}
	}
	return false
}

// matchItem puts one ranked need's explanation into words.
func (a *App) matchItem(t tr, m opportunity.Match, applied, near bool) matchItem {
	e := m.Explanation
	missing := map[string]bool{}
	it := matchItem{Need: m.Need, Kind: t.T("kind_" + m.Need.Kind), Permit: m.PermitRequired, Applied: applied,
		FieldID: "note-" + m.Need.ID, NearMissed: near}
	for _, s := range e.MissingSkills {
		missing[s.ID] = true
		it.Missing = append(it.Missing, a.label(t, s.ID))
	}
	total := len(m.Need.Skills)
	have := 0
	for _, s := range m.Need.Skills {
		if !missing[s.ID] {
			have++
		}
	}
	if total > 0 {
		it.Skills = t.NP("js.skills_have", total, "Have", t.Number(have))
	}
	if m.Need.WorkMode != "remote" && e.DistanceKm > 0 {
		it.Distance = t.NP("js.distance_km", int(math.Round(e.DistanceKm)))
	}
	if e.LanguagesOK {
		it.Languages = t.T("js.languages_ok")
	} else {
		it.Languages = t.T("js.languages_missing")
	}
	if e.AvailabilityOK {
		it.Available = t.T("js.available_ok")
	} else {
		it.Available = t.T("js.available_missing")
	}
	return it
}

// apply sends the job-seeker's application with a short note
// (match.Service.Apply, as POST /api/v1/needs/{id}/applications). A
// refusal (the young-worker rules, a second application, no profile) is
// shown on the matches page in words.
func (a *App) apply(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	needID, note := c.PostForm("need"), c.PostForm("note")
	m, err := a.d.Matches.Apply(c.Request.Context(), s.Principal(), needID, note)
	if err != nil {
		errs, ok := applyErrors(t, err, "note-"+needID)
		if !ok {
			a.fail(c, err)
			return
		}
		switch {
		case failure.Is(err, failure.NotFound):
			a.renderStatus(c, http.StatusNotFound, "notfound", nil)
			return
		case failure.Is(err, failure.Forbidden): // only job-seekers apply
			a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
			return
		}
		a.showMatches(c, http.StatusUnprocessableEntity, needID, errs, note)
		return
	}
	c.Redirect(http.StatusSeeOther, "/me/applications?done=applied#match-"+m.ID)
}

// applyErrors words a refused application; ok is false for a failure that
// is not the person's to fix.
func applyErrors(t tr, err error, field string) ([]fieldError, bool) {
	fe, isFailure := failure.As(err)
	if !isFailure {
		return nil, false
	}
	if len(fe.Fields) > 0 {
		f := fe.Fields[0]
		msg := t.T("field."+f.Code, "Param", f.Param)
		if msg == "field."+f.Code {
			msg = t.T("js.note_invalid", "Param", f.Param)
		}
		return []fieldError{{Field: field, Message: msg}}, true
	}
	msg := t.T("js.apply_error." + fe.Code)
	if msg == "js.apply_error."+fe.Code {
		if fe.Kind != failure.Conflict {
			return []fieldError{{Field: field, Message: t.T("js.apply_error.unknown")}}, fe.Kind == failure.NotFound || fe.Kind == failure.Forbidden
		}
		msg = t.T("js.apply_error.unknown")
	}
	return []fieldError{{Field: field, Message: msg}}, true
}

type eventItem struct {
	State, When, Note, Who string
}

type applicationItem struct {
	ID, Title, NeedID, State, Meaning, Due string
	Overdue                                bool
	Events                                 []eventItem
}

// applications lists the person's applications and matches as they may
// see them (match.Service.ForPerson: no officer's id, no internal note).
func (a *App) applications(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	by := s.Principal()
	ms := a.d.Matches.ForPerson(by)
	today := a.d.Matches.Today()
	var items []applicationItem
	for i := len(ms) - 1; i >= 0; i-- { // newest first
		m := ms[i]
		it := applicationItem{ID: m.ID, NeedID: m.NeedID, State: t.T("js.state." + string(m.State)),
			Meaning: t.T("js.state_meaning." + string(m.State)), Overdue: m.Overdue(today)}
		if n, err := a.d.Register.Need(c.Request.Context(), by, m.NeedID); err == nil {
			it.Title = n.Title
		} else if !failure.Is(err, failure.NotFound) && !failure.Is(err, failure.Forbidden) {
			a.fail(c, err)
			return
		}
		if m.State == match.Referred && m.OutcomeDue != "" {
			it.Due = t.T("js.outcome_due", "Date", t.Date(m.OutcomeDue))
		}
		for _, e := range m.History {
			ev := eventItem{State: t.T("js.state." + string(e.To)), When: t.Date(e.At.UTC().Format(time.DateOnly)), Note: e.Note}
			ev.Who = whoDid(t, by, e)
			if e.Reason != "" {
				why := t.T("js.rejection_" + e.Reason)
				if why == "js.rejection_"+e.Reason {
					why = e.Reason
				}
				ev.Note = strings.TrimSpace(t.T("js.reason", "Reason", why) + " " + ev.Note)
			}
			it.Events = append(it.Events, ev)
		}
		items = append(items, it)
	}
	v := a.view(c, items)
	if c.Query("done") == "applied" {
		v.Notice = v.T("js.applied")
	}
	a.renderView(c, http.StatusOK, "applications", "layout", v)
}

// The export's JSON: the same parts as GET /api/v1/profiles/me/export,
// with nobody's account id but the person's own.
type exportDoc struct {
	Account struct {
		ID, Email, Name, Role, Locale string
		CreatedAt                     time.Time
	} `json:"account"`
	Profile  any            `json:"profile"`
	Views    []exportView   `json:"views"`
	Matches  []match.Match  `json:"matches"`
	Pathways any            `json:"pathways"`
	Summary  map[string]int `json:"summary"`
	Today    string         `json:"today"`
	Created  time.Time      `json:"generatedAt"`
}

type exportView struct {
	Who          string    `json:"who"`
	Role         string    `json:"role"`
	Organisation string    `json:"organisation"`
	When         time.Time `json:"when"`
	Why          string    `json:"why"`
}

type dataPage struct {
	Name, Email, Created string
	HasProfile           bool
	Skills               int
	Matches              int
	Views                []exportView
	Pathways             int
	Generated            string
}

// dataPage summarises everything held (personaldata.Service.Export, as
// GET /api/v1/profiles/me/export) and offers the download and erasure.
func (a *App) dataPage(c *gin.Context) {
	doc, ok := a.export(c)
	if !ok {
		return
	}
	t := trOf(c)
	p := dataPage{Name: doc.Account.Name, Email: doc.Account.Email, Created: t.Date(doc.Account.CreatedAt.UTC().Format(time.DateOnly)),
		HasProfile: doc.Profile != nil, Skills: doc.Summary["skills"], Matches: len(doc.Matches), Views: doc.Views,
		Pathways: doc.Summary["pathways"], Generated: t.Date(doc.Today)}
	a.render(c, "data", p)
}

// exportJSON is the download of everything held, as a JSON file.
func (a *App) exportJSON(c *gin.Context) {
	if doc, ok := a.export(c); ok {
		a.sendExport(c, doc)
	}
}

// sendExport downloads the export's JSON.
func (a *App) sendExport(c *gin.Context, doc exportDoc) {
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="skillsmatch-export.json"`)
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

func (a *App) export(c *gin.Context) (exportDoc, bool) {
	s, _ := sessionOf(c)
	e, err := a.d.Export.Export(c.Request.Context(), s.Principal())
	if failure.Is(err, failure.Forbidden) {
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return exportDoc{}, false
	} else if err != nil {
		a.fail(c, err)
		return exportDoc{}, false
	}
	return exportDocOf(trOf(c), e), true
}

// exportDocOf is the export's JSON of e, in the language of t.
func exportDocOf(t tr, e personaldata.Export) exportDoc {
	var d exportDoc
	d.Account.ID, d.Account.Email, d.Account.Name = e.Account.ID, e.Account.Email, e.Account.Name
	d.Account.Role, d.Account.Locale, d.Account.CreatedAt = string(e.Account.Role), e.Account.Locale, e.Account.CreatedAt
	d.Summary = map[string]int{"pathways": len(e.Pathways)}
	if e.Profile != nil {
		p := *e.Profile
		if p.Guardian != nil { // the officer who recorded it is the office's, not the person's
			g := *p.Guardian
			g.RecordedBy = ""
			p.Guardian = &g
		}
		d.Profile = p
		d.Summary["skills"] = len(p.Skills)
	}
	d.Views = []exportView{}
	for _, v := range e.Views {
		org := v.Organisation
		if org == "labour office" {
			org = t.T("js.labour_office")
		}
		d.Views = append(d.Views, exportView{Who: v.ActorName, Role: string(v.ActorRole), Organisation: org, When: v.At, Why: v.Purpose})
	}
	d.Matches = append([]match.Match{}, e.Matches...)
	d.Pathways = e.Pathways
	if e.Pathways == nil {
		d.Pathways = []any{}
	}
	d.Today, d.Created = e.Today, e.GeneratedAt
	return d
}

// eraseConfirm says exactly what erasure removes and what stays.
func (a *App) eraseConfirm(c *gin.Context) { a.render(c, "erase", nil) }

// erase erases the person (profile.Service.Erase, as DELETE
// /api/v1/profiles/me): the profile, their matches withdrawn, their
// pathway records and the account; the session ends with the account and
// the confirmation is a page of its own, in both languages.
func (a *App) erase(c *gin.Context) {
	s, _ := sessionOf(c)
	if c.PostForm("confirm") != "yes" {
		a.formError(c, "erase", url.Values{}, []fieldError{{Field: "confirm", Message: trOf(c).T("js.erase_tick")}}, http.StatusUnprocessableEntity)
		return
	}
	if err := a.d.Profiles.Erase(c.Request.Context(), s.Principal()); failure.Is(err, failure.Forbidden) {
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return
	} else if err != nil {
		a.fail(c, err)
		return
	}
	a.endHere(c)
	v := a.view(c, nil)
	v.SignedIn, v.CSRF = false, ""
	a.renderView(c, http.StatusOK, "erased", "layout", v)
}

// itemArgs gives the "matchItem" template the page's view with one item.
type itemArgs struct {
	V view
	X matchItem
}

// Item pairs the view with one match for the "matchItem" template.
func (v view) Item(x matchItem) itemArgs { return itemArgs{V: v, X: x} }
