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
	a.render(c, "events", a.dayItems(c, a.d.Events.Upcoming()))
}

// eventPage is one event: when and where, who comes, and for a signed-in
// job-seeker the registration or their ticket and interviews.
func (a *App) eventPage(c *gin.Context) {
	a.showEvent(c, http.StatusOK, nil, nil)
}

func (a *App) showEvent(c *gin.Context, status int, form url.Values, errs []fieldError) {
	by := principalOf(c)
	e, ok := a.eventFor(c, by)
	if !ok {
		return
	}
	it := a.dayItemOf(c, e)
	names, opts := a.takingPart(c, auth.Principal{}, e, false) // the public names only
	it.Employers = opts
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

// principalOf is the signed-in caller, or the anonymous visitor.
func principalOf(c *gin.Context) auth.Principal {
	if s, ok := sessionOf(c); ok {
		return s.Principal()
	}
	return auth.Principal{}
}

// eventFor reads the event of the path as by may see it; on a refusal it
// has answered the page (404, 403 or 500) and ok is false.
func (a *App) eventFor(c *gin.Context, by auth.Principal) (e event.Event, ok bool) {
	e, err := a.d.Events.Get(by, c.Param("id"))
	if err != nil {
		a.failPage(c, err)
		return event.Event{}, false
	}
	return e, true
}

// takingPart names the employers of the event as by may see them (an
// employer no longer visible is left out), with their tables if asked.
func (a *App) takingPart(c *gin.Context, by auth.Principal, e event.Event, tables bool) (map[string]string, []option) {
	names := map[string]string{}
	var opts []option
	for _, p := range e.Employers {
		emp, err := a.d.Register.Employer(c.Request.Context(), by, p.EmployerID)
		if err != nil {
			continue
		}
		names[p.EmployerID] = emp.Name
		label := emp.Name
		if tables {
			label += " · " + trOf(c).N("events_tables", p.Tables)
		}
		opts = append(opts, option{Value: emp.ID, Label: label})
	}
	return names, opts
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
	form := url.Values{}
	var wishes []string
	for i := 1; i <= eventWishes; i++ {
		key := fmt.Sprintf("wish%d", i)
		if v := strings.TrimSpace(c.PostForm(key)); v != "" {
			form.Set(key, v)
			wishes = append(wishes, v)
		}
	}
	_, err := a.d.Events.RegisterSelf(c.Request.Context(), principalOf(c), c.Param("id"), wishes)
	if err != nil {
		a.eventRefused(c, err, "wish1", wishInput, func(errs []fieldError) {
			a.showEvent(c, http.StatusUnprocessableEntity, form, errs)
		})
		return
	}
	c.Redirect(http.StatusSeeOther, "/events/"+url.PathEscape(c.Param("id"))+"#ticket")
}

// wishInput is the select a wish's refusal names.
func wishInput(field, code string) (input, msgID string) {
	var i int
	if _, err := fmt.Sscanf(field, "wishes[%d]", &i); err != nil {
		return "", ""
	}
	return fmt.Sprintf("wish%d", i+1), "events_wish_" + code
}

// eventRefused answers an event use case's refusal on its form: field
// errors on the inputs input names (input returns "" for a field the form
// does not have), a conflict the catalogues word on fallback, each shown
// by show; anything else is the error page.
func (a *App) eventRefused(c *gin.Context, err error, fallback string, input func(field, code string) (string, string), show func([]fieldError)) {
	if errs, ok := eventErrors(trOf(c), err, fallback, input); ok {
		show(errs)
		return
	}
	a.failPage(c, err)
}

// eventErrors puts an event's refusal into words; ok is false when it is
// not the person's to fix.
func eventErrors(t tr, err error, fallback string, input func(field, code string) (string, string)) ([]fieldError, bool) {
	fe, ok := failure.As(err)
	if !ok {
		return nil, false
	}
	var errs []fieldError
	for _, f := range fe.Fields {
		id, msgID := input(f.Field, f.Code)
		if id == "" {
			return nil, false
		}
		errs = append(errs, fieldError{Field: id, Message: t.T(msgID, "Param", f.Param)})
	}
	if len(fe.Fields) > 0 {
		return errs, true
	}
	if fe.Kind != failure.Conflict {
		return nil, false
	}
	for _, prefix := range []string{"events_error_", "events2_error_"} {
		if msg := t.T(prefix + fe.Code); msg != prefix+fe.Code {
			return []fieldError{{Field: fallback, Message: msg}}, true
		}
	}
	return nil, false
}

// eventTicket is the job-seeker's ticket as a QR code of the office's
// check-in address for it: at the door an officer's phone camera reads it
// and opens the check-in, filled (officeEvent).
func (a *App) eventTicket(c *gin.Context) {
	r, err := a.d.Events.Ticket(principalOf(c), c.Param("id"))
	if err != nil {
		a.failPage(c, err)
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
