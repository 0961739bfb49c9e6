package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

// mountEmployerEvents adds the employer's side of a Career & Skills Day:
// the interviews at its tables, and after each one "continue" (a
// referral, as a match) or "no".
func (a *App) mountEmployerEvents(g *gin.RouterGroup) {
	g.GET("/events", a.employerEvents)
	g.GET("/events/:id", a.employerEvent)
	g.POST("/events/:id/interviews/:n", a.employerOutcome)
}

type employerDay struct {
	dayItem
	Interviews []officeInterview
	Done       string
}

func (a *App) employerEvent(c *gin.Context) {
	ctx := c.Request.Context()
	s, _ := sessionOf(c)
	by := s.Principal()
	e, err := a.d.Events.Get(by, c.Param("id"))
	if failure.Is(err, failure.NotFound) {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	} else if err != nil {
		a.fail(c, err)
		return
	}
	p := employerDay{dayItem: a.dayItemOf(c, e), Done: c.Query("done")}
	names := map[string]string{}
	for _, pt := range e.Employers {
		if emp, err := a.d.Register.Employer(ctx, by, pt.EmployerID); err == nil {
			names[pt.EmployerID] = emp.Name
		}
	}
	if sc, err := a.d.Events.ScheduleFor(ctx, by, e.ID); err == nil {
		for _, iv := range sc.Interviews {
			p.Interviews = append(p.Interviews, officeInterview{N: iv.N, Slot: iv.Slot, Table: iv.Table,
				Time: iv.StartsAt.In(sofia).Format("15:04"), Employer: names[iv.EmployerID], Outcome: iv.Outcome})
		}
	}
	a.render(c, "event_employer", p)
}

func (a *App) employerOutcome(c *gin.Context) {
	s, _ := sessionOf(c)
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	}
	_, err = a.d.Events.Outcome(c.Request.Context(), s.Principal(), c.Param("id"), n, c.PostForm("outcome"))
	switch {
	case failure.Is(err, failure.NotFound):
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	case failure.Is(err, failure.Forbidden), failure.Is(err, failure.Invalid):
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return
	case failure.Is(err, failure.Conflict):
		c.Redirect(http.StatusSeeOther, "/employer/events/"+url.PathEscape(c.Param("id"))+"?done=conflict#interview-"+c.Param("n"))
		return
	case err != nil:
		a.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer/events/"+url.PathEscape(c.Param("id"))+"?done=recorded#interview-"+c.Param("n"))
}

// employerEvents lists the upcoming events, each linked to the page of
// the employer's tables there.
func (a *App) employerEvents(c *gin.Context) {
	var items []dayItem
	for _, e := range a.d.Events.Upcoming() {
		items = append(items, a.dayItemOf(c, e))
	}
	a.render(c, "event_employer_list", items)
}
