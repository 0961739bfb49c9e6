package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
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
	g.POST("/events/:id/walkins", a.officeWalkIn)
}

// inviteBatch is how many of the best-fitting people one press invites.
const inviteBatch = 50

// eventFormFields are the create form's inputs; the domain's field names
// differ only for the bilingual texts.
var eventFormFields = []string{"name-bg", "name-en", "description-bg", "description-en", "date", "starts", "ends",
	"municipality", "location", "capacity", "interviewMinutes", "slots"}

func (a *App) officeEvents(c *gin.Context) {
	all, err := a.d.Events.All(principalOf(c))
	if err != nil {
		a.failPage(c, err)
		return
	}
	a.render(c, "event_office_list", a.dayItems(c, all))
}

// dayItems puts a list of events into the page's language.
func (a *App) dayItems(c *gin.Context, all []event.Event) []dayItem {
	var items []dayItem
	for _, e := range all {
		items = append(items, a.dayItemOf(c, e))
	}
	return items
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
	if p := strings.TrimSpace(c.Query("walkin")); p != "" && len(p) <= 64 {
		form = url.Values{"person": {p}} // back from entering the person in person
	}
	a.showOfficeEvent(c, http.StatusOK, nil, form, nil)
}

func (a *App) showOfficeEvent(c *gin.Context, status int, arrival *event.Arrival, form url.Values, errs []fieldError) {
	by := principalOf(c)
	e, ok := a.eventFor(c, by)
	if !ok {
		return
	}
	ind, err := a.d.Events.Indicators(by, e.ID)
	if err != nil {
		a.failPage(c, err)
		return
	}
	p := officeDay{dayItem: a.dayItemOf(c, e), Registered: len(e.Registrations), Invited: len(e.Invitations),
		CheckedIn: ind.Attended, Indicators: ind, Arrival: arrival, Done: c.Query("done")}
	names, opts := a.takingPart(c, by, e, true)
	p.Employers = opts
	if sugg, err := a.d.Events.Suggested(c.Request.Context(), by, e.ID, inviteBatch); err == nil {
		for _, sg := range sugg {
			if !sg.Invited {
				p.Suggested++
			}
		}
	}
	p.Interviews, p.Unscheduled = a.interviewRows(c, by, e, names)
	v := a.view(c, p)
	v.Form, v.Errors = form, errs
	a.renderView(c, status, "event_office", "layout", v)
}

// interviewRows are the interviews of the schedule by may see (none before
// it is made), with the tickets and arrivals where by sees registrations,
// and how many registered people have none.
func (a *App) interviewRows(c *gin.Context, by auth.Principal, e event.Event, names map[string]string) ([]officeInterview, int) {
	sc, err := a.d.Events.ScheduleFor(c.Request.Context(), by, e.ID)
	if err != nil {
		return nil, 0
	}
	tickets := map[string]event.Registration{}
	for _, r := range e.Registrations {
		tickets[r.ProfileID] = r
	}
	var out []officeInterview
	for _, iv := range sc.Interviews {
		r := tickets[iv.ProfileID]
		out = append(out, officeInterview{N: iv.N, Slot: iv.Slot, Table: iv.Table,
			Time: iv.StartsAt.In(sofia).Format("15:04"), Employer: names[iv.EmployerID], Ticket: r.Ticket,
			Outcome: iv.Outcome, CheckedIn: r.CheckedInAt != nil})
	}
	return out, len(sc.Unscheduled)
}

// officeAct runs one of the event page's buttons and comes back to it.
func (a *App) officeAct(c *gin.Context, done string, act func(context.Context, auth.Principal, string) error) {
	if err := act(c.Request.Context(), principalOf(c), c.Param("id")); err != nil {
		status := http.StatusUnprocessableEntity
		if failure.Is(err, failure.Conflict) {
			status = http.StatusConflict
		}
		a.eventRefused(c, err, "ticket", anyInput("ticket"), func(errs []fieldError) {
			a.showOfficeEvent(c, status, nil, nil, errs)
		})
		return
	}
	c.Redirect(http.StatusSeeOther, "/office/events/"+url.PathEscape(c.Param("id"))+"?done="+done)
}

// anyInput puts every field's refusal on one input, in the general words.
func anyInput(id string) func(field, code string) (string, string) {
	return func(_, code string) (string, string) { return id, fieldMessage(code) }
}

// fieldMessage is the general catalogue's words for a field's code.
func fieldMessage(code string) string {
	if code == "required" {
		return "field.required_plain" // the domain does not know the field's label
	}
	return "field." + code
}

func (a *App) officeInviteBest(c *gin.Context) {
	a.officeAct(c, "invited", func(ctx context.Context, by auth.Principal, id string) error {
		_, err := a.d.Events.InviteBest(ctx, by, id, inviteBatch)
		return err
	})
}

func (a *App) officeMakeSchedule(c *gin.Context) {
	a.officeAct(c, "scheduled", func(ctx context.Context, by auth.Principal, id string) error {
		_, err := a.d.Events.MakeSchedule(ctx, by, id)
		return err
	})
}

// officeCheckIn checks the ticket's holder in and shows who arrived.
func (a *App) officeCheckIn(c *gin.Context) {
	ticket := strings.ToUpper(strings.TrimSpace(c.PostForm("ticket")))
	a.arrive(c, "ticket", ticket, "", func(_, code string) (string, string) {
		if code == "not_found" {
			return "ticket", "events_ticket_unknown"
		}
		return "ticket", fieldMessage(code)
	})
}

// arrive checks a person in at the door (event.Service.Arrive: by ticket,
// or a walk-in by profile) and shows who arrived and their interviews.
// field is the form's input, shown again after a refusal.
func (a *App) arrive(c *gin.Context, field, ticket, profileID string, input func(field, code string) (string, string)) {
	arr, err := a.d.Events.Arrive(c.Request.Context(), principalOf(c), c.Param("id"), ticket, profileID)
	if failure.Is(err, failure.NotFound) && ticket != "" {
		err = failure.Field("ticket", "not_found", "") // no such ticket here: the officer's to fix
	}
	if err != nil {
		form := url.Values{field: {cmp.Or(ticket, profileID)}}
		a.eventRefused(c, err, field, input, func(errs []fieldError) {
			a.showOfficeEvent(c, http.StatusUnprocessableEntity, nil, form, errs)
		})
		return
	}
	a.showOfficeEvent(c, http.StatusOK, &arr, nil, nil)
}

// officeWalkIn registers and checks in a person who came without
// registering, by their profile's number (entered in person at the
// office's people pages, or their own), and gives them interviews in the
// schedule's free cells (event.Service.Arrive).
func (a *App) officeWalkIn(c *gin.Context) {
	person := strings.TrimSpace(c.PostForm("person"))
	a.arrive(c, "person", "", person, func(field, code string) (string, string) {
		if field == "profileId" && code == "not_found" {
			return "person", "events2_person_unknown"
		}
		return "person", fieldMessage(code)
	})
}
