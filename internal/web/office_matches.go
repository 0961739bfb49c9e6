package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/gin-gonic/gin"
)

// The office's referral work: the queue of employers' referral requests
// (match.Referrals: accept = a direct referral, decline with a reason),
// any need's ranked candidates with real identities (candidate.Service.Cards
// as an officer, each name read through profile.Service.ReadFull, so each
// is in the person's log) with "refer directly" (match.Service.Refer), and
// the match queue (match.Service.ListPage) with each match's history and
// notes (match.Service.AddNote).
func (a *App) mountOfficeMatches(g *gin.RouterGroup) {
	g.GET("/referral-requests", a.officeRequests)
	g.POST("/referral-requests/:id/accept", a.officeAcceptRequest)
	g.POST("/referral-requests/:id/decline", a.officeDeclineRequest)
	g.GET("/needs/:id", a.officeNeed)
	g.POST("/needs/:id/referrals", a.officeRefer)
	g.GET("/matches", a.officeMatches)
	g.GET("/matches/:id", a.officeMatch)
	g.POST("/matches/:id/move", a.officeMoveMatch)
	g.POST("/matches/:id/notes", a.officeNoteMatch)
}

type requestItem struct {
	ID, NeedID, NeedTitle, Employer, Person, When, State, Reason, MatchID string
	Pending                                                               bool
}

type tabItem struct {
	Label, Href string
	Current     bool
}

type requestsPage struct {
	State string
	Tabs  []tabItem
	Items []requestItem
}

// officeRequests is the queue of referral requests in a state (pending by
// default), oldest first (match.Referrals.List, as GET
// /api/v1/referral-requests).
func (a *App) officeRequests(c *gin.Context) { a.showRequests(c, http.StatusOK, nil) }

func (a *App) showRequests(c *gin.Context, status int, errs []fieldError) {
	t := trOf(c)
	s, _ := sessionOf(c)
	by, ctx := s.Principal(), c.Request.Context()
	state := c.Query("state")
	rs, err := a.d.Referrals.List(ctx, by, state)
	if failure.Is(err, failure.Invalid) {
		state, rs, err = string(match.RequestPending), nil, nil
	}
	if err != nil {
		a.pageRefusal(c, err)
		return
	}
	if state == "" {
		state = string(match.RequestPending)
	}
	p := requestsPage{State: state}
	for _, st := range match.RequestStates {
		p.Tabs = append(p.Tabs, tabItem{Label: t.T("ref.request_tab." + string(st)), Href: "/office/referral-requests?state=" + string(st),
			Current: string(st) == state})
	}
	names := a.nameCache(c, by)
	for _, r := range rs {
		it := requestItem{ID: r.ID, NeedID: r.NeedID, When: t.Date(r.CreatedAt.UTC().Format(time.DateOnly)),
			State: t.T("ref.request_state." + string(r.State)), Reason: r.Reason, MatchID: r.MatchID, Pending: r.State == match.RequestPending}
		it.NeedTitle, it.Employer = a.needAndEmployer(c, by, r.NeedID)
		if it.Person, err = names(r.ProfileID); err != nil {
			a.fail(c, err)
			return
		}
		p.Items = append(p.Items, it)
	}
	v := a.view(c, p)
	v.Errors = errs
	v.Notice = doneNotice(t, c.Query("done"))
	a.renderView(c, status, "office_match_requests", "layout", v)
}

// nameCache reads people's names for an officer through ReadFull (each
// read in the person's log), once per person per page.
func (a *App) nameCache(c *gin.Context, by auth.Principal) func(profileID string) (string, error) {
	seen := map[string]string{}
	return func(id string) (string, error) {
		if n, ok := seen[id]; ok {
			return n, nil
		}
		p, err := a.d.Profiles.ReadFull(c.Request.Context(), by, id, profile.Asked{Purpose: profile.PurposeReferral, RequestID: requestID(c)})
		if failure.Is(err, failure.NotFound) {
			seen[id] = trOf(c).T("ref.person_gone")
			return seen[id], nil
		} else if err != nil {
			return "", err
		}
		seen[id] = p.DisplayName
		return p.DisplayName, nil
	}
}

// needAndEmployer names a need and its employer for a list ("" when gone).
func (a *App) needAndEmployer(c *gin.Context, by auth.Principal, needID string) (title, employer string) {
	n, err := a.d.Register.Need(c.Request.Context(), by, needID)
	if err != nil {
		return "", ""
	}
	if e, err := a.d.Register.Employer(c.Request.Context(), by, n.EmployerID); err == nil {
		employer = e.Name
	}
	return n.Title, employer
}

// officeAcceptRequest refers the requested candidate (match.Referrals.Accept).
func (a *App) officeAcceptRequest(c *gin.Context) {
	s, _ := sessionOf(c)
	id := c.Param("id")
	_, _, err := a.d.Referrals.Accept(c.Request.Context(), s.Principal(), id,
		match.Note{Text: c.PostForm("note"), Visibility: c.PostForm("visibility")})
	a.afterRequest(c, err, "accepted", "note-"+id)
}

// officeDeclineRequest declines a request with its reason (match.Referrals.Decline).
func (a *App) officeDeclineRequest(c *gin.Context) {
	s, _ := sessionOf(c)
	id := c.Param("id")
	_, err := a.d.Referrals.Decline(c.Request.Context(), s.Principal(), id, c.PostForm("reason"))
	a.afterRequest(c, err, "declined", "decline-"+id)
}

func (a *App) afterRequest(c *gin.Context, err error, done, field string) {
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/office/referral-requests?done="+done)
		return
	}
	id := c.Param("id")
	a.referralFormError(c, err, field, func(errs []fieldError) {
		for i := range errs {
			switch errs[i].Field {
			case "reason":
				errs[i].Field = "decline-" + id
			case "note", "visibility":
				errs[i].Field = "note-" + id
			}
		}
		a.showRequests(c, http.StatusUnprocessableEntity, errs)
	})
}

type officeNeedPage struct {
	Need     register.Need
	Employer string
	Cards    []cardItem
	Matches  []matchRow
}

// officeNeed shows any need's ranked candidates with their names, to refer
// directly; an officer's card read is audited (candidate.Service.Cards)
// and so is each name (profile.Service.ReadFull).
func (a *App) officeNeed(c *gin.Context) { a.showOfficeNeed(c, http.StatusOK, nil) }

func (a *App) showOfficeNeed(c *gin.Context, status int, errs []fieldError) {
	t := trOf(c)
	s, _ := sessionOf(c)
	by, ctx, id := s.Principal(), c.Request.Context(), c.Param("id")
	n, err := a.d.Register.ManagedNeed(ctx, by, id)
	if a.pageRefusal(c, err) {
		return
	}
	p := officeNeedPage{Need: n}
	_, p.Employer = a.needAndEmployer(c, by, n.ID)
	cards, err := a.d.Candidates.Cards(ctx, by, id, candidate.Query{Limit: cardsPerPage, Lang: t.lang, RequestID: requestID(c)})
	if err != nil {
		a.fail(c, err)
		return
	}
	ms, err := a.d.Matches.List(ctx, by, match.Filter{NeedID: n.ID})
	if err != nil {
		a.fail(c, err)
		return
	}
	stateOf := map[string]string{}
	for _, m := range ms {
		stateOf[m.ProfileID] = t.T("ref.state." + string(m.State))
	}
	names := a.nameCache(c, by)
	for _, m := range cards {
		it := a.cardItem(t, n, m)
		if it.Name, err = names(m.Card.ProfileID); err != nil {
			a.fail(c, err)
			return
		}
		it.Matched = stateOf[m.Card.ProfileID]
		p.Cards = append(p.Cards, it)
	}
	if p.Matches, err = a.matchRows(c, by, ms); err != nil {
		a.fail(c, err)
		return
	}
	v := a.view(c, p)
	v.Errors = errs
	v.Notice = doneNotice(t, c.Query("done"))
	a.renderView(c, status, "office_match_need", "layout", v)
}

// officeRefer refers a candidate directly (match.Service.Refer, as POST
// /api/v1/matches).
func (a *App) officeRefer(c *gin.Context) {
	s, _ := sessionOf(c)
	needID, profileID := c.Param("id"), c.PostForm("profile")
	m, err := a.d.Matches.Refer(c.Request.Context(), s.Principal(), match.Referral{NeedID: needID, ProfileID: profileID,
		Note: match.Note{Text: c.PostForm("note"), Visibility: c.PostForm("visibility")}})
	if err != nil {
		a.referralFormError(c, err, "note-"+profileID, func(errs []fieldError) {
			for i := range errs {
				if errs[i].Field == "note" || errs[i].Field == "visibility" {
					errs[i].Field = "note-" + profileID
				}
			}
			a.showOfficeNeed(c, http.StatusUnprocessableEntity, errs)
		})
		return
	}
	c.Redirect(http.StatusSeeOther, "/office/matches/"+url.PathEscape(m.ID)+"?done=referred")
}

type matchRow struct {
	ID, NeedID, NeedTitle, Employer, State, Due, DueFlag, Created, Origin string
}

func (a *App) matchRows(c *gin.Context, by auth.Principal, ms []match.Match) ([]matchRow, error) {
	t := trOf(c)
	now := a.now()
	titles := map[string][2]string{}
	var out []matchRow
	for _, m := range ms {
		te, ok := titles[m.NeedID]
		if !ok {
			te[0], te[1] = a.needAndEmployer(c, by, m.NeedID)
			titles[m.NeedID] = te
		}
		r := matchRow{ID: m.ID, NeedID: m.NeedID, NeedTitle: te[0], Employer: te[1], State: t.T("ref.state." + string(m.State)),
			DueFlag: m.Due(now), Created: t.Date(m.CreatedAt.UTC().Format(time.DateOnly)), Origin: t.T("ref.origin." + m.Origin)}
		if m.State == match.Referred && m.OutcomeDue != "" {
			r.Due = t.Date(m.OutcomeDue)
		}
		out = append(out, r)
	}
	return out, nil
}

type officeMatchesPage struct {
	States, Programmes, AgeGroups []option
	Overdue                       bool
	NeedID                        string
	Items                         []matchRow
	Count                         string
	Prev, Next                    string
	Page                          int
}

// matchesPerPage is one page of the office's match queue.
const officeMatchesPerPage = 20

// officeMatches is the match queue with its filters (match.Service.ListPage,
// as GET /api/v1/matches).
func (a *App) officeMatches(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	by := s.Principal()
	f := match.Filter{State: c.Query("state"), Programme: c.Query("programme"), AgeGroup: c.Query("ageGroup"),
		NeedID: c.Query("needId"), Overdue: c.Query("overdue") == "true"}
	page, _ := strconv.Atoi(c.Query("page"))
	page = max(page, 1)
	res, err := a.d.Matches.ListPage(c.Request.Context(), by, f, page, officeMatchesPerPage)
	var errs []fieldError
	if fe, ok := failure.As(err); ok && len(fe.Fields) > 0 {
		for _, fld := range fe.Fields {
			errs = append(errs, fieldError{Field: fld.Field, Message: t.T("field.invalid")})
		}
		err = nil
	}
	if err != nil {
		a.pageRefusal(c, err)
		return
	}
	p := officeMatchesPage{Overdue: f.Overdue, NeedID: f.NeedID, Page: page, Count: t.NP("ref.matches_count", res.Total)}
	p.States = options(t, "ref.state.", f.State, []string{"applied", "proposed", "referred", "interview", "offered", "placed", "rejected", "withdrawn"})
	p.Programmes = options(t, "kind_", f.Programme, []string{register.KindJob, register.KindInternship, register.KindApprenticeship, register.KindCarePathway})
	p.AgeGroups = options(t, "", f.AgeGroup, match.AgeGroups)
	if p.Items, err = a.matchRows(c, by, res.Items); err != nil {
		a.fail(c, err)
		return
	}
	q := c.Request.URL.Query()
	if page > 1 {
		q.Set("page", strconv.Itoa(page-1))
		p.Prev = "/office/matches?" + q.Encode()
	}
	if page*officeMatchesPerPage < res.Total {
		q.Set("page", strconv.Itoa(page+1))
		p.Next = "/office/matches?" + q.Encode()
	}
	v := a.view(c, p)
	v.Errors = errs
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	a.renderView(c, status, "office_matches", "layout", v)
}

// options are a select's choices; prefix "" shows the values as they are.
func options(t tr, prefix, selected string, values []string) []option {
	out := []option{{Value: "", Label: t.T("ref.any"), Selected: selected == ""}}
	for _, v := range values {
		l := v
		if prefix != "" {
			l = t.T(prefix + v)
		}
		out = append(out, option{Value: v, Label: l, Selected: v == selected})
	}
	return out
}

type officeMatchPage struct {
	Match     referredItem
	NeedTitle string
	Employer  string
	Origin    string
}

// officeMatch is one match with its whole history, internal notes too,
// and a note form with a visibility choice.
func (a *App) officeMatch(c *gin.Context) { a.showOfficeMatch(c, http.StatusOK, nil) }

func (a *App) showOfficeMatch(c *gin.Context, status int, errs []fieldError) {
	t := trOf(c)
	s, _ := sessionOf(c)
	by := s.Principal()
	m, err := a.d.Matches.Get(c.Request.Context(), by, c.Param("id"))
	if a.pageRefusal(c, err) {
		return
	}
	it, err := a.referredItem(c, by, m)
	if err != nil {
		a.fail(c, err)
		return
	}
	p := officeMatchPage{Match: it, Origin: t.T("ref.origin." + m.Origin)}
	p.NeedTitle, p.Employer = a.needAndEmployer(c, by, m.NeedID)
	v := a.view(c, p)
	v.Errors = errs
	v.Notice = doneNotice(t, c.Query("done"))
	a.renderView(c, status, "office_match", "layout", v)
}

// officeMoveMatch is an officer's move of a match (match.Service.Move).
func (a *App) officeMoveMatch(c *gin.Context) {
	a.moveMatch(c, func(m match.Match) string {
		return "/office/matches/" + url.PathEscape(m.ID) + "?done=moved"
	}, func(m match.Match, errs []fieldError) {
		c.Params = append(c.Params, gin.Param{Key: "id", Value: m.ID})
		a.showOfficeMatch(c, http.StatusUnprocessableEntity, errs)
	})
}

// officeNoteMatch adds a note, internal or shared (match.Service.AddNote).
func (a *App) officeNoteMatch(c *gin.Context) {
	s, _ := sessionOf(c)
	id := c.Param("id")
	_, err := a.d.Matches.AddNote(c.Request.Context(), s.Principal(), id,
		match.Note{Text: c.PostForm("note"), Visibility: c.PostForm("visibility")})
	if err != nil {
		a.referralFormError(c, err, "note-"+id, func(errs []fieldError) {
			for i := range errs {
				if slices.Contains([]string{"note", "visibility"}, errs[i].Field) {
					errs[i].Field = "note-" + id
				}
			}
			a.showOfficeMatch(c, http.StatusUnprocessableEntity, errs)
		})
		return
	}
	c.Redirect(http.StatusSeeOther, "/office/matches/"+url.PathEscape(id)+"?done=noted")
}

// refRowsArgs gives "refMatchTable" the view and the rows.
type refRowsArgs struct {
	V    view
	Rows []matchRow
}

// RefRows pairs the view with the rows of the office's match table.
func (v view) RefRows(rows []matchRow) refRowsArgs { return refRowsArgs{V: v, Rows: rows} }
