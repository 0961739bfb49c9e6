package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/gin-gonic/gin"
)

// mountEmployerEvents adds the employer's side of a Career & Skills Day:
// joining it with the needs it brings and its tables, the interviews at
// its tables, and after each one "continue" (a referral, as a match) or
// "no".
func (a *App) mountEmployerEvents(g *gin.RouterGroup) {
	g.GET("/events", a.employerEvents)
	g.GET("/events/:id", a.employerEvent)
	g.POST("/events/:id/participation", a.employerJoin)
	g.POST("/events/:id/interviews/:n", a.employerOutcome)
}

type employerDay struct {
	dayItem
	Interviews []officeInterview
	Done       string
	Part       eventPart
}

// eventPart is the employer's part in the event: whether its organisation
// may join (State: "none" before it registered one, "waiting" until the
// office verifies it, "verified"), whether it has, and the open needs it
// may bring (Selected: brought).
type eventPart struct {
	State  string
	Joined bool
	Tables int
	Needs  []needBox
}

// needBox is one need's box on the join form; Key is its input's id.
type needBox struct {
	Key, Value, Label string
	Checked           bool
}

func (a *App) employerEvent(c *gin.Context) {
	a.showEmployerEvent(c, http.StatusOK, nil, nil)
}

func (a *App) showEmployerEvent(c *gin.Context, status int, form url.Values, errs []fieldError) {
	by := principalOf(c)
	e, ok := a.eventFor(c, by)
	if !ok {
		return
	}
	part, err := a.eventPartOf(c, by, e)
	if err != nil {
		a.failPage(c, err)
		return
	}
	form = part.form(form)
	p := employerDay{dayItem: a.dayItemOf(c, e), Done: c.Query("done"), Part: part}
	names, _ := a.takingPart(c, by, e, false)
	p.Interviews, _ = a.interviewRows(c, by, e, names)
	v := a.view(c, p)
	v.Form, v.Errors = form, errs
	a.renderView(c, status, "event_employer", "layout", v)
}

// eventPartOf is what the employer's organisation brings to e, and the
// open needs it could.
func (a *App) eventPartOf(c *gin.Context, by auth.Principal, e event.Event) (eventPart, error) {
	org, err := a.employerPages().desk.Organisation(c.Request.Context(), by)
	switch {
	case err != nil:
		return eventPart{}, err
	case org == nil:
		return eventPart{State: "none"}, nil
	case !org.Verified:
		return eventPart{State: "waiting"}, nil
	}
	part := eventPart{State: "verified"}
	var brought []string
	if i := slices.IndexFunc(e.Employers, func(p event.Participant) bool { return p.EmployerID == org.ID }); i >= 0 {
		part.Joined, part.Tables, brought = true, e.Employers[i].Tables, e.Employers[i].NeedIDs
	}
	today := a.d.Matches.Today()
	for _, n := range a.d.Index.EmployerNeeds(org.ID) {
		if n.StatusOn(today) == register.StatusOpen || slices.Contains(brought, n.ID) {
			part.Needs = append(part.Needs, needBox{Key: "need-" + strconv.Itoa(len(part.Needs)+1), Value: n.ID, Label: n.Title,
				Checked: slices.Contains(brought, n.ID)})
		}
	}
	return part, nil
}

// form is the join form's values: as sent after a refusal (the boxes
// ticked as they were), else the part's tables.
func (part eventPart) form(sent url.Values) url.Values {
	if sent == nil {
		return url.Values{"tables": {strconv.Itoa(max(part.Tables, 1))}}
	}
	for i := range part.Needs {
		part.Needs[i].Checked = slices.Contains(sent["needIds"], part.Needs[i].Value)
	}
	return sent
}

// employerJoin brings the employer's organisation to the event with the
// needs ticked and its tables (event.Service.Join; again changes them).
func (a *App) employerJoin(c *gin.Context) {
	by := principalOf(c)
	org, err := a.employerPages().desk.Organisation(c.Request.Context(), by)
	if err != nil || org == nil {
		a.failPage(c, cmpErr(err, failure.Forbiddenf("register the organisation first")))
		return
	}
	needIDs := c.PostFormArray("needIds")
	tablesText := strings.TrimSpace(c.PostForm("tables"))
	tables, _ := strconv.Atoi(tablesText) // not a number: 0, refused as out of range
	if _, err := a.d.Events.Join(c.Request.Context(), by, c.Param("id"), org.ID, needIDs, tables); err != nil {
		form := url.Values{"tables": {tablesText}, "needIds": needIDs}
		a.eventRefused(c, err, "tables", joinInput, func(errs []fieldError) {
			a.showEmployerEvent(c, http.StatusUnprocessableEntity, form, errs)
		})
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer/events/"+url.PathEscape(c.Param("id"))+"?done=joined#join")
}

// cmpErr is err, or other when err is nil.
func cmpErr(err, other error) error {
	if err != nil {
		return err
	}
	return other
}

// joinInput is the input a join's refusal names: the tables, or the first
// need's box for the needs.
func joinInput(field, code string) (string, string) {
	switch {
	case field == "tables":
		return "tables", "events2_tables_" + code
	case strings.HasPrefix(field, "needIds"):
		return "need-1", "events2_needs_" + code
	}
	return "", ""
}

func (a *App) employerOutcome(c *gin.Context) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	}
	_, err = a.d.Events.Outcome(c.Request.Context(), principalOf(c), c.Param("id"), n, c.PostForm("outcome"))
	done := "recorded"
	switch {
	case failure.Is(err, failure.Invalid):
		err = failure.Forbiddenf("no such outcome") // only the page's two buttons send one
	case failure.Is(err, failure.Conflict):
		done, err = "conflict", nil
	}
	if err != nil {
		a.failPage(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer/events/"+url.PathEscape(c.Param("id"))+"?done="+done+"#interview-"+c.Param("n"))
}

// employerEvents lists the upcoming events, each linked to the page where
// the employer joins it and sees its tables there.
func (a *App) employerEvents(c *gin.Context) {
	a.render(c, "event_employer_list", a.dayItems(c, a.d.Events.Upcoming()))
}
