package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/gin-gonic/gin"
)

// People who do not use the web: the office enters and edits their profile
// with the same steps as the person's own form (_profileform.html, and
// postProfileForm's searches), plus who recorded the consent given in
// person and, for a minor, the guardian who came with them. Saving is
// profile.Service.CreateInPerson / UpdateInPerson, the use cases of POST
// /api/v1/profiles and PUT /api/v1/profiles/{id}.
func (a *App) mountOfficePeople(g *gin.RouterGroup) {
	g.GET("/people/new", a.officePersonNew)
	g.POST("/people/new", func(c *gin.Context) { a.postProfileForm(c, "office_people", a.savePerson) })
	g.GET("/people/:id", a.officePerson)
	g.POST("/people/:id", func(c *gin.Context) { a.postProfileForm(c, "office_people", a.savePerson) })
	g.GET("/people/:id/export.json", a.exportPerson)
	g.GET("/people/:id/erase", a.erasePersonConfirm)
	g.POST("/people/:id/erase", a.erasePerson)
}

// newPersonID is the path segment of the form for a new person.
const newPersonID = "new"

// officePersonNew is the empty form, the consent's recorder filled in with
// the officer's name.
func (a *App) officePersonNew(c *gin.Context) {
	s, _ := sessionOf(c)
	form := url.Values{"workModes": {"onsite"}, "maxTravelKm": {"25"}, "hours": {"any"}}
	if u, err := a.d.Auth.User(c.Request.Context(), s.UserID); err == nil {
		form.Set("recordedBy", u.Name)
	}
	if ev := c.Query("event"); ev != "" && len(ev) <= 64 {
		form.Set("event", ev) // a walk-in at this event: back to its door once saved
	}
	a.showPerson(c, http.StatusOK, form)
}

// officePerson is the form of a profile the office keeps. Reading it is
// an officer's read of a full profile, written to the person's audit log
// (profile.Service.ReadFull, for support).
func (a *App) officePerson(c *gin.Context) {
	p, ok := a.managedPerson(c)
	if !ok {
		return
	}
	form := profileToForm(p)
	form.Set("recordedBy", p.Consent.RecordedBy)
	if g := p.Guardian; g != nil {
		form.Set("guardianName", g.Name)
		form.Set("guardianRelation", g.Relation)
		form.Set("guardianGivenOn", g.GivenOn)
	}
	v := a.personView(c, form)
	if c.Query("done") == "saved" {
		v.Notice = v.T("office_people_saved")
	}
	a.renderView(c, http.StatusOK, "office_people", "layout", v)
}

func (a *App) personView(c *gin.Context, form url.Values) view {
	v := a.view(c, nil)
	v.Form = form
	v.Data = a.profileData(c, form, nil, nil)
	return v
}

func (a *App) showPerson(c *gin.Context, status int, form url.Values) {
	a.renderView(c, status, "office_people", "layout", a.personView(c, form))
}

// savePerson creates or replaces the profile from the form.
func (a *App) savePerson(c *gin.Context, form url.Values) {
	s, _ := sessionOf(c)
	a.writeProfileForm(c, "office_people", form, "recordedBy", personInput, func(p profile.Profile) (string, error) {
		id, err := a.writePerson(c.Request.Context(), s.Principal(), c.Param("id"), p, inPersonOf(form))
		if ev := form.Get("event"); ev != "" && len(ev) <= 64 {
			return "/office/events/" + url.PathEscape(ev) + "?done=person&walkin=" + url.QueryEscape(id) + "#walkin", err
		}
		return "/office/people/" + url.PathEscape(id) + "?done=saved", err
	})
}

// writePerson is the one use case of the form: create or update.
func (a *App) writePerson(ctx context.Context, by auth.Principal, id string, p profile.Profile, in profile.InPerson) (string, error) {
	if id == "" || id == newPersonID {
		out, err := a.d.Profiles.CreateInPerson(ctx, by, p, in)
		return out.ID, err
	}
	_, err := a.d.Profiles.UpdateInPerson(ctx, by, id, p, in)
	return id, err
}

// inPersonOf reads who recorded the consent, and the guardian if any of
// their fields is filled in.
func inPersonOf(form url.Values) profile.InPerson {
	in := profile.InPerson{RecordedBy: strings.TrimSpace(form.Get("recordedBy"))}
	g := profile.GuardianConsent{Name: strings.TrimSpace(form.Get("guardianName")), Relation: form.Get("guardianRelation"),
		GivenOn: form.Get("guardianGivenOn")}
	if g.Name != "" || g.GivenOn != "" {
		in.Guardian = &g
	}
	return in
}

// personInput is the form input a domain field error names: the profile's
// fields as on the person's own form, and the in-person ones.
func personInput(field string, p profile.Profile) string {
	switch field {
	case "consent.recordedBy":
		return "recordedBy"
	case "guardian", "name":
		return "guardianName"
	case "relation":
		return "guardianRelation"
	case "givenOn":
		return "guardianGivenOn"
	}
	return inputOf(field, p)
}

// exportPerson downloads everything held about the person, to hand to
// them on their request (personaldata.Service.ExportInPerson): the same
// document as the person's own /me/data/export.json.
func (a *App) exportPerson(c *gin.Context) {
	s, _ := sessionOf(c)
	e, err := a.d.Export.ExportInPerson(c.Request.Context(), s.Principal(), c.Param("id"))
	if err != nil {
		a.failPage(c, err)
		return
	}
	a.sendExport(c, exportDocOf(trOf(c), e))
}

// erasePersonConfirm says what erasing the profile removes and asks to
// confirm, like the person's own erasure page.
func (a *App) erasePersonConfirm(c *gin.Context) {
	if p, ok := a.managedPerson(c); ok {
		a.render(c, "office_people_erase", p.ID)
	}
}

// erasePerson erases, on the person's request, a profile the office keeps
// (profile.Service.EraseInPerson), then goes back to the dashboard.
func (a *App) erasePerson(c *gin.Context) {
	s, _ := sessionOf(c)
	if err := a.d.Profiles.EraseInPerson(c.Request.Context(), s.Principal(), c.Param("id")); err != nil {
		a.failPage(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/office?done=erased")
}

// managedPerson reads the profile of the path for the officer, audited
// (profile.Service.ReadFull, for support); a profile its owner keeps is
// not the office's: the forbidden page.
func (a *App) managedPerson(c *gin.Context) (profile.Profile, bool) {
	s, _ := sessionOf(c)
	p, err := a.d.Profiles.ReadFull(c.Request.Context(), s.Principal(), c.Param("id"),
		profile.Asked{Purpose: profile.PurposeSupport, RequestID: c.Writer.Header().Get("X-Request-ID")})
	if err != nil {
		a.failPage(c, err)
		return profile.Profile{}, false
	}
	if !p.Managed {
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
		return profile.Profile{}, false
	}
	return p, true
}
