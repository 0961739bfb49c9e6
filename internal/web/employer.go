package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/employerneeds"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/gin-gonic/gin"
)

// employerPages are the employer's workspace (/employer) and its sign-up
// (/register/employer). The list of needs is employerneeds, the same use
// case as GET /api/v1/employers/{id}/needs.
type employerPages struct {
	*App
	desk *employerneeds.Service
}

func (a *App) employerPages() employerPages {
	return employerPages{App: a, desk: employerneeds.NewService(a.d.Index, a.d.Matches, a.d.Register, a.d.Auth)}
}

// mountEmployerSignup registers the employer's sign-up, outside the
// /employer group: the visitor has no account yet.
func (a *App) mountEmployerSignup(w *gin.RouterGroup) {
	p := a.employerPages()
	w.GET("/register/employer", p.signupForm)
	w.POST("/register/employer", p.signup)
}

// mountEmployer registers the employer's workspace under /employer; the
// group already requires a signed-in employer.
func (a *App) mountEmployer(g *gin.RouterGroup) {
	p := a.employerPages()
	g.GET("", p.home)
	g.POST("/organisation", p.createOrganisation)
	g.GET("/eik", p.checkEIK)
	g.GET("/needs/new", p.newNeed)
	g.POST("/needs", p.createNeed)
	g.GET("/needs/:id/edit", p.editNeed)
	g.POST("/needs/:id", p.updateNeed)
	g.POST("/needs/:id/status", p.setNeedStatus)
	g.POST("/needs/:id/duplicate", p.duplicateNeed)
	a.mountEmployerVerification(g)
	a.mountEmployerCandidates(g)
	a.mountEmployerEvents(g)
}

func (p employerPages) signupForm(c *gin.Context) { p.render(c, "employer_signup", nil) }

// signup creates an employer's account and signs them in; the
// organisation comes next, on /employer.
func (p employerPages) signup(c *gin.Context) {
	p.signUp(c, signUpPage{"employer_signup", "employer.contact_name", auth.RoleEmployer, "/employer"})
}

// deskPage is the workspace's front page: the organisation form, or the
// organisation's state and, once verified, its needs.
type deskPage struct {
	Desk    employerneeds.Desk
	State   string // "waiting", "refused" (the office withdrew or refused it) or "verified"
	Reason  string // the office's words when it refused or withdrew
	Sectors []option
	Places  []option
	Rows    []needRow
	Cap     int
	// Prev and Next are the pages of My needs beside this one ("" at an end).
	Prev, Next string
}

// needRow is one need of "My needs" with the actions its state allows.
type needRow struct {
	employerneeds.Row
	Kind, StatusWord, Place string
	Publish, Close, Reopen  bool
}

func (p employerPages) home(c *gin.Context) {
	s, _ := sessionOf(c)
	page, err := strconv.Atoi(c.DefaultQuery("page", "1"))
	if err != nil || page < 1 || page > 1000 {
		page = 1 // a page that is not one shows the first
	}
	d, err := p.desk.Desk(c.Request.Context(), s.Principal(), page)
	if err != nil {
		p.fail(c, err)
		return
	}
	v := p.view(c, nil)
	if notice := c.Query("done"); notice == "created" || notice == "saved" || notice == "organisation" {
		v.Notice = v.T("employer.done_" + notice)
	}
	v.Form = url.Values{}
	v.Data = p.deskData(trOf(c), d, v.Form)
	p.renderView(c, http.StatusOK, "employer", "layout", v)
}

func (p employerPages) deskData(t tr, d employerneeds.Desk, form url.Values) deskPage {
	pd := deskPage{Desk: d, Cap: employerneeds.CandidateCap}
	pd.Sectors, pd.Places = sectorOptions(t, form.Get("sector")), placeOptions(t, form.Get("place"))
	if d.Employer == nil {
		return pd
	}
	e := d.Employer
	switch {
	case e.Verified:
		pd.State = "verified"
	case e.Verification != nil:
		// The reason the office must give when it withdraws; an older
		// decision has only its note.
		pd.State, pd.Reason = "refused", cmp.Or(e.Verification.Reason, e.Verification.Note)
	default:
		pd.State = "waiting"
	}
	if d.Needs.Page > 1 {
		pd.Prev = "/employer?page=" + strconv.Itoa(d.Needs.Page-1) + "#my-needs"
	}
	if d.Needs.Page*employerneeds.PageSize < d.Needs.Total {
		pd.Next = "/employer?page=" + strconv.Itoa(d.Needs.Page+1) + "#my-needs"
	}
	for _, r := range d.Needs.Rows {
		pd.Rows = append(pd.Rows, needRow{Row: r, Kind: t.T("kind_" + r.Need.Kind), StatusWord: t.T("employer.status_" + r.Status),
			Place: r.Need.Location.Municipality, Publish: r.Status == register.StatusDraft,
			Close:  r.Status == register.StatusOpen || r.Status == register.StatusExpired,
			Reopen: r.Status == register.StatusClosed || r.Status == register.StatusFilled})
	}
	return pd
}

func sectorOptions(t tr, selected string) []option {
	out := []option{{Value: "", Label: t.T("employer.choose")}}
	for _, s := range formSectors {
		out = append(out, option{Value: s, Label: t.T("sector." + s), Selected: s == selected})
	}
	return out
}

func placeOptions(t tr, selected string) []option {
	out := []option{{Value: "", Label: t.T("employer.choose")}}
	for _, pl := range places {
		out = append(out, option{Value: pl.Key, Label: pl.name(t), Selected: pl.Key == selected})
	}
	return out
}

func (pl place) name(t tr) string {
	if t.lang == langEN {
		return pl.EN
	}
	return pl.BG
}

// createOrganisation registers the organisation through
// register.Service.CreateEmployer (the EIK's check digit is its rule).
func (p employerPages) createOrganisation(c *gin.Context) {
	t := trOf(c)
	form := url.Values{}
	for _, f := range []string{"orgName", "eik", "sector", "place", "address", "website"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	errs := required(t, form, labelled{"orgName", "employer.org_name"}, labelled{"eik", "employer.eik"},
		labelled{"sector", "employer.sector"}, labelled{"place", "employer.place"})
	pl, ok := placeByKey(form.Get("place"))
	if !ok && form.Get("place") != "" {
		errs = append(errs, fieldError{Field: "place", Message: t.T("field.invalid")})
	}
	if errs != nil {
		p.orgError(c, form, errs, http.StatusUnprocessableEntity)
		return
	}
	s, _ := sessionOf(c)
	_, err := p.d.Register.CreateEmployer(c.Request.Context(), s.Principal(), register.Employer{Name: form.Get("orgName"),
		EIK: form.Get("eik"), Sector: form.Get("sector"), Municipality: pl.BG, Location: pl.At,
		Address: form.Get("address"), Website: form.Get("website")})
	if err != nil {
		fe, status, ok := formErrors(t, err, "eik")
		if !ok {
			p.fail(c, err)
			return
		}
		p.orgError(c, form, fe, status)
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer?done=organisation")
}

func (p employerPages) orgError(c *gin.Context, form url.Values, errs []fieldError, status int) {
	v := p.view(c, nil)
	v.Form, v.Errors = form, errs
	v.Data = p.deskData(trOf(c), employerneeds.Desk{}, form)
	p.renderView(c, status, "employer", "layout", v)
}

// checkEIK is the htmx feedback beside the EIK as it is typed. It only
// helps: the organisation is checked again, by the register, when posted.
func (p employerPages) checkEIK(c *gin.Context) {
	v := p.view(c, nil)
	eik := strings.TrimSpace(c.Query("eik"))
	switch {
	case eik == "":
		v.Notice = ""
	case register.ValidEIK(eik):
		v.Notice = v.T("employer.eik_ok")
	default:
		v.Notice = v.T("field.eik")
	}
	p.renderView(c, http.StatusOK, "employer", "eikFeedback", v)
}

// needAction answers the errors of the need actions that are not the
// form's: a need the caller may not see is the 404 page, one it may see
// but not change the 403 page.
func (p employerPages) needAction(c *gin.Context, err error) {
	switch {
	case failure.Is(err, failure.NotFound):
		p.renderStatus(c, http.StatusNotFound, "notfound", nil)
	case failure.Is(err, failure.Forbidden):
		p.renderStatus(c, http.StatusForbidden, "forbidden", nil)
	default:
		p.fail(c, err)
	}
}

// setNeedStatus publishes, closes or reopens a need through
// register.Service.UpdateNeed, the use case of PATCH /api/v1/needs/{id}.
func (p employerPages) setNeedStatus(c *gin.Context) {
	to := c.PostForm("status")
	if to != register.StatusOpen && to != register.StatusClosed {
		p.renderStatus(c, http.StatusNotFound, "notfound", nil) // only a crafted post sends another
		return
	}
	s, _ := sessionOf(c)
	if _, err := p.d.Register.UpdateNeed(c.Request.Context(), s.Principal(), c.Param("id"), register.NeedPatch{Status: &to}); err != nil {
		p.needAction(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer?done=saved#my-needs")
}

// duplicateNeed copies a need into a new draft (register.Service.
// DuplicateNeed) and opens it for editing.
func (p employerPages) duplicateNeed(c *gin.Context) {
	s, _ := sessionOf(c)
	n, err := p.d.Register.DuplicateNeed(c.Request.Context(), s.Principal(), c.Param("id"))
	if err != nil {
		p.needAction(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer/needs/"+url.PathEscape(n.ID)+"/edit?done=copied")
}

// selectField is one labelled select for the "employerSelect" template.
type selectField struct {
	ID, Label, Hint, Err string
	Options              []option
}

// Select describes a labelled select with its error; hintID may be "".
func (v view) Select(id, labelID, hintID string, opts []option) selectField {
	f := selectField{ID: id, Label: v.T(labelID), Err: v.ErrFor(id), Options: opts}
	if hintID != "" {
		f.Hint = v.T(hintID)
	}
	return f
}
