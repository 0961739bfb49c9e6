package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

// mountEvents adds the Career & Skills Days' pages: the public list and
// page of each event, and for a signed-in job-seeker the registration
// with ranked wishes and the ticket's QR code.
func (a *App) mountEvents(w *gin.RouterGroup) {
	w.GET("/events", a.events)
	w.GET("/events/:id", a.eventPage)
	signedIn := w.Group("/events/:id", a.requireSignIn(), a.requireRole(auth.RoleJobseeker))
	signedIn.POST("/registration", a.registerForEvent)
	signedIn.GET("/ticket.png", a.eventTicket)
}

// eventWishes is how many employers a person may rank on the page.
const eventWishes = 3

type dayItem struct {
	ID, Name, Description, Date, Time, Place, Location string
	Sectors                                            []string
	Employers                                          []option
	JSONLD                                             map[string]any
	// The signed-in job-seeker's registration, if any.
	Registered bool
	Ticket     string
	Interviews []dayInterview
	Wishes     []int // 1..eventWishes, for the selects
	CanJoin    bool  // a job-seeker who is not registered yet
}

type dayInterview struct{ Time, Employer string }

// dayItemOf puts an event into the page's language.
func (a *App) dayItemOf(c *gin.Context, e event.Event) dayItem {
	t := trOf(c)
	pick := func(x event.Text) string {
		if t.lang == langEN && x.EN != "" {
			return x.EN
		}
		return x.BG
	}
	it := dayItem{ID: e.ID, Name: pick(e.Name), Description: pick(e.Description), Date: t.Date(e.Date),
		Time: e.Starts + "–" + e.Ends, Place: e.Municipality, Location: e.Location}
	for _, s := range e.Sectors {
		if l := t.T("sector." + s); l != "sector."+s {
			s = l
		}
		it.Sectors = append(it.Sectors, s)
	}
	return it
}

// events lists the upcoming Career & Skills Days.
func (a *App) events(c *gin.Context) {
	var items []dayItem
	for _, e := range a.d.Events.Upcoming() {
		items = append(items, a.dayItemOf(c, e))
	}
	a.render(c, "events", items)
}

// eventPage is one event: when and where, who comes, and for a signed-in
// job-seeker the registration or their ticket and interviews.
func (a *App) eventPage(c *gin.Context) {
	a.showEvent(c, http.StatusOK, nil, nil)
}

func (a *App) showEvent(c *gin.Context, status int, form url.Values, errs []fieldError) {
	ctx := c.Request.Context()
	s, signedIn := sessionOf(c)
	by := auth.Principal{}
	if signedIn {
		by = s.Principal()
	}
	e, err := a.d.Events.Get(by, c.Param("id"))
	if failure.Is(err, failure.NotFound) {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	} else if err != nil {
		a.fail(c, err)
		return
	}
	it := a.dayItemOf(c, e)
	names := map[string]string{}
	for _, p := range e.Employers {
		emp, err := a.d.Register.Employer(ctx, auth.Principal{}, p.EmployerID)
		if err != nil {
			continue // no longer public
		}
		names[p.EmployerID] = emp.Name
		it.Employers = append(it.Employers, option{Value: emp.ID, Label: emp.Name})
	}
	it.JSONLD = a.eventJSONLD(c, e, it)
	if by.Role == auth.RoleJobseeker {
		if len(e.Registrations) == 1 {
			it.Registered, it.Ticket = true, e.Registrations[0].Ticket
			it.Interviews = a.myInterviews(c, by, e.ID, names)
		} else if len(it.Employers) > 0 {
			it.CanJoin = true
			for i := 1; i <= min(eventWishes, len(it.Employers)); i++ {
				it.Wishes = append(it.Wishes, i)
			}
		}
	}
	v := a.view(c, it)
	v.Form, v.Errors = form, errs
	a.renderView(c, status, "event", "layout", v)
}

// myInterviews are the job-seeker's interviews, once the schedule is made.
func (a *App) myInterviews(c *gin.Context, by auth.Principal, id string, names map[string]string) []dayInterview {
	sc, err := a.d.Events.ScheduleFor(c.Request.Context(), by, id)
	if err != nil {
		return nil // no schedule yet
	}
	var out []dayInterview
	for _, iv := range sc.Interviews {
		out = append(out, dayInterview{Time: iv.StartsAt.In(sofia).Format("15:04"), Employer: names[iv.EmployerID]})
	}
	return out
}

var sofia = func() *time.Location {
	l, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		panic(err) // internal/event embeds the zone database
	}
	return l
}()

// eventJSONLD is the schema.org Event of the page, for search engines;
// html/template writes it as JSON inside the script element.
func (a *App) eventJSONLD(c *gin.Context, e event.Event, it dayItem) map[string]any {
	starts, ends := a.d.Events.Span(e)
	base := baseURL(c, a.secure(c))
	ld := map[string]any{
		"@context":            "https://schema.org",
		"@type":               "Event",
		"name":                it.Name,
		"startDate":           starts.Format(time.RFC3339),
		"endDate":             ends.Format(time.RFC3339),
		"eventStatus":         "https://schema.org/EventScheduled",
		"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
		"isAccessibleForFree": true,
		"inLanguage":          trOf(c).lang,
		"url":                 base + "/events/" + url.PathEscape(e.ID),
		"location": map[string]any{"@type": "Place", "name": e.Location, "address": map[string]any{
			"@type": "PostalAddress", "addressLocality": e.Municipality, "addressCountry": "BG"}},
		"organizer": map[string]any{"@type": "Organization", "name": trOf(c).T("events_organizer"), "url": base},
	}
	if it.Description != "" {
		ld["description"] = it.Description
	}
	var performers []map[string]any
	for _, o := range it.Employers {
		performers = append(performers, map[string]any{"@type": "Organization", "name": o.Label})
	}
	if performers != nil {
		ld["performer"] = performers
	}
	return ld
}

// registerForEvent registers the job-seeker with the employers they chose,
// most wanted first (event.Service.RegisterSelf).
func (a *App) registerForEvent(c *gin.Context) {
	s, _ := sessionOf(c)
	form := url.Values{}
	var wishes []string
	for i := 1; i <= eventWishes; i++ {
		key := fmt.Sprintf("wish%d", i)
		if v := strings.TrimSpace(c.PostForm(key)); v != "" {
			form.Set(key, v)
			wishes = append(wishes, v)
		}
	}
	_, err := a.d.Events.RegisterSelf(c.Request.Context(), s.Principal(), c.Param("id"), wishes)
	if err != nil {
		errs, ok := eventErrors(trOf(c), err)
		if !ok {
			if failure.Is(err, failure.NotFound) {
				a.renderStatus(c, http.StatusNotFound, "notfound", nil)
				return
			}
			a.fail(c, err)
			return
		}
		a.showEvent(c, http.StatusUnprocessableEntity, form, errs)
		return
	}
	c.Redirect(http.StatusSeeOther, "/events/"+url.PathEscape(c.Param("id"))+"#ticket")
}

// eventErrors puts the registration's refusals into words: a wish named
// twice or unknown on its select, and the event's own conflicts.
func eventErrors(t tr, err error) ([]fieldError, bool) {
	fe, ok := failure.As(err)
	if !ok {
		return nil, false
	}
	if len(fe.Fields) > 0 {
		var errs []fieldError
		for _, f := range fe.Fields {
			var i int
			if _, err := fmt.Sscanf(f.Field, "wishes[%d]", &i); err != nil {
				return nil, false
			}
			errs = append(errs, fieldError{Field: fmt.Sprintf("wish%d", i+1), Message: t.T("events_wish_" + f.Code)})
		}
		return errs, true
	}
	if fe.Kind != failure.Conflict {
		return nil, false
	}
	msg := t.T("events_error_" + fe.Code)
	if msg == "events_error_"+fe.Code {
		return nil, false
	}
	return []fieldError{{Field: "wish1", Message: msg}}, true
}

// eventTicket is the job-seeker's ticket as a QR code of the office's
// check-in address for it: at the door an officer's phone camera reads it
// and opens the check-in, filled (officeEvent).
func (a *App) eventTicket(c *gin.Context) {
	s, _ := sessionOf(c)
	r, err := a.d.Events.Ticket(s.Principal(), c.Param("id"))
	if failure.Is(err, failure.NotFound) {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	} else if err != nil {
		a.fail(c, err)
		return
	}
	png, err := event.TicketPNG(a.checkInURL(c, c.Param("id"), r.Ticket))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "image/png", png)
}

// checkInURL is the office's check-in page for a ticket, on this site's
// address as the request reached it.
func (a *App) checkInURL(c *gin.Context, eventID, ticket string) string {
	scheme := "http"
	if a.d.Secure || c.Request.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: c.Request.Host, Path: "/office/events/" + eventID, RawQuery: url.Values{"ticket": {ticket}}.Encode()}
	return u.String()
}
