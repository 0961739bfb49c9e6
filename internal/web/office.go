package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/workqueue"
	"github.com/gin-gonic/gin"
)

// mountOffice registers the labour office's workspace under /office; the
// group already requires a signed-in officer (or administrator).
func (a *App) mountOffice(g *gin.RouterGroup) {
	g.GET("", a.officeToday)
	g.GET("/employers", a.officeEmployers)
	g.GET("/employers/:id", a.officeEmployer)
	g.POST("/employers/:id/verification", a.officeVerify)
	a.mountOfficePeople(g)
	a.mountOfficeRounds(g)
	a.mountOfficeInsights(g)
	a.mountOfficePathways(g)
	a.mountOfficeMatches(g)
	a.mountOfficeOutbox(g)
	a.mountOfficeEvents(g)
}

// queueLinks are where each queue of the dashboard is worked on: the
// pages of the office's other parts (matches, pathways, referral
// requests) keep these addresses.
var queueLinks = map[string]string{
	workqueue.QueueVerification:    "/office/employers?verified=false",
	workqueue.QueueReferralRequest: "/office/referral-requests",
	workqueue.QueueApplications:    "/office/matches?state=applied",
	workqueue.QueueOverdue:         "/office/matches?overdue=true",
	workqueue.QueuePathway:         "/office/pathways",
	workqueue.QueuePermits:         "/office/matches?state=offered",
}

type todayQueue struct {
	ID, Title, Count, Href, Link string
	Items                        []todayItem
	More                         bool
}

type todayItem struct {
	Text, Detail, Href, Since string
}

// officeToday is the dashboard: the queues that need a person
// (workqueue.Service.Today), each with its count, its link and its
// oldest items.
func (a *App) officeToday(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	today, err := a.d.Office.Today(c.Request.Context(), s.Principal(), t.lang)
	if err != nil {
		a.failPage(c, err)
		return
	}
	var qs []todayQueue
	for _, q := range today.Queues {
		tq := todayQueue{ID: "queue-" + q.Kind, Title: t.T("office_queue_" + q.Kind), Count: t.Number(q.Count),
			Href: queueLinks[q.Kind], Link: t.T("office_queue_open_" + q.Kind), More: q.Count > len(q.Items)}
		for _, it := range q.Items {
			tq.Items = append(tq.Items, todayItemOf(t, q.Kind, it))
		}
		qs = append(qs, tq)
	}
	v := a.view(c, qs)
	if c.Query("done") == "erased" {
		v.Notice = v.T("office_people_erased")
	}
	a.renderView(c, http.StatusOK, "office", "layout", v)
}

// todayItemOf is one waiting item in words: what, of whom, since when.
func todayItemOf(t tr, kind string, it workqueue.Item) todayItem {
	out := todayItem{Text: it.Title, Detail: it.Employer, Since: t.T("office_since", "Date", t.Date(it.Since.UTC().Format(time.DateOnly)))}
	switch kind {
	case workqueue.QueueVerification:
		out.Href = "/office/employers/" + url.PathEscape(it.ID)
	case workqueue.QueueOverdue:
		out.Since = t.T("office_due", "Date", t.Date(it.Due))
	}
	if out.Text == "" {
		out.Text = t.T("office_untitled")
	}
	return out
}

// failPage answers a refusal with the forbidden page (an administrator
// reaches /office but works no queue), something gone with the 404 page,
// anything else with the error page.
func (a *App) failPage(c *gin.Context, err error) {
	switch {
	case failure.Is(err, failure.Forbidden):
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
	case failure.Is(err, failure.NotFound):
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
	default:
		a.fail(c, err)
	}
}

type employerRow struct {
	ID, Name, EIK, Place, State string
}

type employersPage struct {
	Rows             []employerRow
	Total            string
	Page, Pages      int
	PrevURL, NextURL string
	Verified         []option
}

// officeEmployers is the list of employers with its search and filter
// (workqueue.Service.Employers, as GET /api/v1/employers).
func (a *App) officeEmployers(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	q := workqueue.EmployerQuery{Q: strings.TrimSpace(c.Query("q"))}
	verified := c.Query("verified")
	if verified == "true" || verified == "false" {
		b := verified == "true"
		q.Verified = &b
	}
	q.Page, _ = strconv.Atoi(c.Query("page"))
	res, err := a.d.Office.Employers(c.Request.Context(), s.Principal(), q)
	var errs []fieldError
	status := http.StatusOK
	if failure.Is(err, failure.Invalid) {
		// Only the search text can be wrong: list without it and say why.
		errs, status = []fieldError{{Field: "q", Message: t.T("field.too_long")}}, http.StatusUnprocessableEntity
		q.Q = ""
		res, err = a.d.Office.Employers(c.Request.Context(), s.Principal(), q)
	}
	if err != nil {
		a.failPage(c, err)
		return
	}
	v := a.view(c, a.employersPage(t, c, res, verified))
	v.Form, v.Errors = c.Request.URL.Query(), errs
	a.renderView(c, status, "office_employers", "layout", v)
}

func (a *App) employersPage(t tr, c *gin.Context, res workqueue.EmployerPage, verified string) employersPage {
	pg := employersPage{Total: t.Number(res.Total), Page: res.Page, Pages: res.Pages}
	for _, e := range res.Employers {
		pg.Rows = append(pg.Rows, employerRow{ID: e.ID, Name: e.Name, EIK: e.EIK, Place: e.Municipality, State: verificationWord(t, e)})
	}
	for _, o := range []string{"", "false", "true"} {
		pg.Verified = append(pg.Verified, option{Value: o, Label: t.T("office_employers_filter_" + cmp.Or(o, "all")), Selected: o == verified})
	}
	pageURL := func(n int) string {
		q := c.Request.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return "/office/employers?" + q.Encode()
	}
	if res.Page > 1 {
		pg.PrevURL = pageURL(res.Page - 1)
	}
	if res.Page < res.Pages {
		pg.NextURL = pageURL(res.Page + 1)
	}
	return pg
}

// verificationWord is an employer's verification state in words:
// verified, withdrawn (decided against), or waiting.
func verificationWord(t tr, e register.Employer) string {
	switch {
	case e.Verified:
		return t.T("office_state_verified")
	case e.Verification != nil:
		return t.T("office_state_withdrawn")
	}
	return t.T("office_state_waiting")
}

// decidedOn is the date of the office's last decision on e, or "".
func decidedOn(t tr, e register.Employer) string {
	if v := e.Verification; v != nil {
		return t.Date(v.At.UTC().Format(time.DateOnly))
	}
	return ""
}

type employerPage struct {
	E       register.Employer
	State   string
	Decided string // the date of the last decision
}

// officeEmployer is one employer, with the forms that verify it or
// withdraw its verification.
func (a *App) officeEmployer(c *gin.Context) {
	a.showEmployer(c, http.StatusOK, nil, nil)
}

func (a *App) showEmployer(c *gin.Context, status int, form url.Values, errs []fieldError) {
	t := trOf(c)
	s, _ := sessionOf(c)
	e, err := a.d.Register.Employer(c.Request.Context(), s.Principal(), c.Param("id"))
	if err != nil {
		a.failPage(c, err)
		return
	}
	v := a.view(c, employerPage{E: e, State: verificationWord(t, e), Decided: decidedOn(t, e)})
	v.Form, v.Errors = form, errs
	switch c.Query("done") {
	case "verified", "withdrawn":
		v.Notice = v.T("office_done_" + c.Query("done"))
	}
	a.renderView(c, status, "office_employers_one", "layout", v)
}

// officeVerify records the officer's decision (register.Service.Decide,
// as POST /api/v1/employers/{id}/verification).
func (a *App) officeVerify(c *gin.Context) {
	s, _ := sessionOf(c)
	form := url.Values{"note": {c.PostForm("note")}, "reason": {c.PostForm("reason")}}
	d := register.Decision{Verified: c.PostForm("verified") == "true", Note: strings.TrimSpace(c.PostForm("note")), Reason: c.PostForm("reason")}
	if _, err := a.d.Register.Decide(c.Request.Context(), s.Principal(), c.Param("id"), d); err != nil {
		errs, status, ok := formErrors(trOf(c), err, "reason")
		if !ok {
			a.failPage(c, err)
			return
		}
		a.showEmployer(c, status, form, errs)
		return
	}
	done := "verified"
	if !d.Verified {
		done = "withdrawn"
	}
	c.Redirect(http.StatusSeeOther, "/office/employers/"+url.PathEscape(c.Param("id"))+"?done="+done)
}
