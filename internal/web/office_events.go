package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

// mountOfficeEvents adds the office's Career & Skills Days: create one,
// invite the people who fit, make the schedule, check people in at the
// door (the ticket's code, as a phone's QR reader shows it, or typed) and
// read the indicators.
func (a *App) mountOfficeEvents(g *gin.RouterGroup) {
	g.GET("/events", a.officeEvents)
	g.POST("/events", a.officeCreateEvent)
	g.GET("/events/:id", a.officeEvent)
	g.POST("/events/:id/invitations", a.officeInviteBest)
	g.POST("/events/:id/schedule", a.officeMakeSchedule)
	g.POST("/events/:id/checkins", a.officeCheckIn)
}

// inviteBatch is how many of the best-fitting people one press invites.
const inviteBatch = 50

// eventFormFields are the create form's inputs; the domain's field names
// differ only for the bilingual texts.
var eventFormFields = []string{"name-bg", "name-en", "description-bg", "description-en", "date", "starts", "ends",
	"municipality", "location", "capacity", "interviewMinutes", "slots"}

func (a *App) officeEvents(c *gin.Context) {
	s, _ := sessionOf(c)
	all, err := a.d.Events.All(s.Principal())
	if failure.Is(err, failure.Forbidden) {
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return
	} else if err != nil {
		a.fail(c, err)
		return
	}
	var items []dayItem
	for _, e := range all {
		items = append(items, a.dayItemOf(c, e))
	}
	a.render(c, "event_office_list", items)
}

func (a *App) officeCreateEvent(c *gin.Context) {
	s, _ := sessionOf(c)
	form := url.Values{}
	for _, f := range eventFormFields {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	num := func(f string) int { n, _ := strconv.Atoi(form.Get(f)); return n }
	e, err := a.d.Events.Create(c.Request.Context(), s.Principal(), event.Event{
		Name:        event.Text{BG: form.Get("name-bg"), EN: form.Get("name-en")},
		Description: event.Text{BG: form.Get("description-bg"), EN: form.Get("description-en")},
		Date:        form.Get("date"), Starts: form.Get("starts"), Ends: form.Get("ends"),
		Municipality: form.Get("municipality"), Location: form.Get("location"),
		Capacity: num("capacity"), InterviewMinutes: num("interviewMinutes"), Slots: num("slots")})
	if err != nil {
		errs, status, ok := formErrors(trOf(c), err, "name-bg")
		if !ok {
			a.fail(c, err)
			return
		}
		for i := range errs {
			errs[i].Field = strings.ReplaceAll(errs[i].Field, ".", "-")
			if errs[i].Field == "perPersonLimit" {
				errs[i].Field = "slots"
			}
		}
		v := a.view(c, nil)
		v.Form, v.Errors = form, errs
		a.renderView(c, status, "event_office_list", "layout", v)
		return
	}
	c.Redirect(http.StatusSeeOther, "/office/events/"+url.PathEscape(e.ID))
}

type officeDay struct {
	dayItem
	Registered, Invited, CheckedIn int
	Suggested                      int
	Interviews                     []officeInterview
	Unscheduled                    int
	Indicators                     event.Indicators
	Arrival                        *event.Arrival
	Done                           string
}

type officeInterview struct {
	N, Slot, Table  int
	Time, Employer  string
	Ticket, Outcome string
	CheckedIn       bool
}

// officeEvent is the event's page for the office. A ticket's QR code opens
// it with ?ticket= (a phone's camera reads the code as this address), and
// the check-in form comes filled: one press checks the person in.
func (a *App) officeEvent(c *gin.Context) {
	var form url.Values
	if t := strings.TrimSpace(c.Query("ticket")); t != "" && len(t) <= 32 {
		form = url.Values{"ticket": {t}}
	}
	a.showOfficeEvent(c, http.StatusOK, nil, form, nil)
}

func (a *App) showOfficeEvent(c *gin.Context, status int, arrival *event.Arrival, form url.Values, errs []fieldError) {
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
	ind, err := a.d.Events.Indicators(by, e.ID)
	if failure.Is(err, failure.Forbidden) {
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return
	} else if err != nil {
		a.fail(c, err)
		return
	}
	p := officeDay{dayItem: a.dayItemOf(c, e), Registered: len(e.Registrations), Invited: len(e.Invitations),
		CheckedIn: ind.Attended, Indicators: ind, Arrival: arrival, Done: c.Query("done")}
	names := map[string]string{}
	for _, pt := range e.Employers {
		if emp, err := a.d.Register.Employer(ctx, by, pt.EmployerID); err == nil {
			names[pt.EmployerID] = emp.Name
			p.Employers = append(p.Employers, option{Value: emp.ID, Label: emp.Name + " · " + trOf(c).N("events_tables", pt.Tables)})
		}
	}
	if sugg, err := a.d.Events.Suggested(ctx, by, e.ID, inviteBatch); err == nil {
		for _, sg := range sugg {
			if !sg.Invited {
				p.Suggested++
			}
		}
	}
	tickets := map[string]event.Registration{}
	for _, r := range e.Registrations {
		tickets[r.ProfileID] = r
	}
	if sc, err := a.d.Events.ScheduleFor(ctx, by, e.ID); err == nil {
		p.Unscheduled = len(sc.Unscheduled)
		for _, iv := range sc.Interviews {
			r := tickets[iv.ProfileID]
			p.Interviews = append(p.Interviews, officeInterview{N: iv.N, Slot: iv.Slot, Table: iv.Table,
				Time: iv.StartsAt.In(sofia).Format("15:04"), Employer: names[iv.EmployerID], Ticket: r.Ticket,
				Outcome: iv.Outcome, CheckedIn: r.CheckedInAt != nil})
		}
	}
	v := a.view(c, p)
	v.Form, v.Errors = form, errs
	a.renderView(c, status, "event_office", "layout", v)
}

// officeAct runs one of the event page's buttons and comes back to it.
func (a *App) officeAct(c *gin.Context, done string, act func() error) {
	if err := act(); err != nil {
		errs, status, ok := formErrors(trOf(c), err, "ticket")
		if !ok {
			if msg := trOf(c).T("events_error_" + conflictCode(err)); msg != "events_error_"+conflictCode(err) {
				a.showOfficeEvent(c, http.StatusConflict, nil, nil, []fieldError{{Field: "ticket", Message: msg}})
				return
			}
			a.fail(c, err)
			return
		}
		a.showOfficeEvent(c, status, nil, nil, errs)
		return
	}
	c.Redirect(http.StatusSeeOther, "/office/events/"+url.PathEscape(c.Param("id"))+"?done="+done)
}

func conflictCode(err error) string {
	if fe, ok := failure.As(err); ok {
		return fe.Code
	}
	return ""
}

func (a *App) officeInviteBest(c *gin.Context) {
	s, _ := sessionOf(c)
	a.officeAct(c, "invited", func() error {
		_, err := a.d.Events.InviteBest(c.Request.Context(), s.Principal(), c.Param("id"), inviteBatch)
		return err
	})
}

func (a *App) officeMakeSchedule(c *gin.Context) {
	s, _ := sessionOf(c)
	a.officeAct(c, "scheduled", func() error {
		_, err := a.d.Events.MakeSchedule(c.Request.Context(), s.Principal(), c.Param("id"))
		return err
	})
}

// officeCheckIn checks the ticket's holder in and shows who arrived.
func (a *App) officeCheckIn(c *gin.Context) {
	s, _ := sessionOf(c)
	ticket := strings.ToUpper(strings.TrimSpace(c.PostForm("ticket")))
	form := url.Values{"ticket": {ticket}}
	arr, err := a.d.Events.Arrive(c.Request.Context(), s.Principal(), c.Param("id"), ticket, "")
	switch {
	case failure.Is(err, failure.NotFound) && ticket != "":
		a.showOfficeEvent(c, http.StatusUnprocessableEntity, nil, form,
			[]fieldError{{Field: "ticket", Message: trOf(c).T("events_ticket_unknown")}})
	case err != nil:
		errs, status, ok := formErrors(trOf(c), err, "ticket")
		if !ok {
			a.fail(c, err)
			return
		}
		a.showOfficeEvent(c, status, nil, form, errs)
	default:
		a.showOfficeEvent(c, http.StatusOK, &arr, nil, nil)
	}
}
