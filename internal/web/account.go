package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

func (a *App) registerForm(c *gin.Context) { a.render(c, "register", nil) }

// register creates a job-seeker's account and signs them in.
func (a *App) register(c *gin.Context) {
	a.signUp(c, signUpPage{"register", "field_name", auth.RoleJobseeker, "/me"})
}

// signUpPage is a registration form: its template, the message id of its
// name's label, the role of the accounts it makes and where they go next.
type signUpPage struct {
	Page, NameLabel string
	Role            auth.Role
	Next            string
}

// signUp creates an account through auth (the API's password rules and
// registration throttle) and signs it in.
func (a *App) signUp(c *gin.Context, sp signUpPage) {
	form := url.Values{"name": {strings.TrimSpace(c.PostForm("name"))}, "email": {strings.TrimSpace(c.PostForm("email"))}}
	if errs := required(trOf(c), form, labelled{"name", sp.NameLabel}, labelled{"email", "field_email"}); errs != nil {
		a.formError(c, sp.Page, form, errs, http.StatusUnprocessableEntity)
		return
	}
	u, err := a.d.Auth.Register(c.Request.Context(), auth.NewAccount{Email: form.Get("email"), Password: c.PostForm("password"),
		Name: form.Get("name"), Locale: trOf(c).lang, Role: sp.Role, Address: c.ClientIP()})
	if err != nil {
		a.domainError(c, sp.Page, form, err, "email")
		return
	}
	id, _, err := a.d.Sessions.Start(c.Request.Context(), u)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.replaceSession(c, id)
	c.Redirect(http.StatusSeeOther, sp.Next)
}

func (a *App) loginForm(c *gin.Context) {
	v := a.view(c, nil)
	v.Form = url.Values{"next": {localPath(c.Query("next"))}}
	switch c.Query("done") {
	case "password":
		v.Notice = v.T("account_password_done")
	case "signedout":
		v.Notice = v.T("signed_out")
	}
	a.renderView(c, http.StatusOK, "login", "layout", v)
}

// login checks the credentials through auth (throttle, bounded hashing)
// and starts a new session in place of any the browser held.
func (a *App) login(c *gin.Context) {
	form := url.Values{"email": {strings.TrimSpace(c.PostForm("email"))}, "next": {localPath(c.PostForm("next"))}}
	if errs := required(trOf(c), url.Values{"email": form["email"], "password": {c.PostForm("password")}}, labelled{"email", "field_email"}, labelled{"password", "field_password"}); errs != nil {
		a.formError(c, "login", form, errs, http.StatusUnprocessableEntity)
		return
	}
	id, _, err := a.d.Sessions.SignIn(c.Request.Context(), form.Get("email"), c.PostForm("password"), c.ClientIP())
	if err != nil {
		a.domainError(c, "login", form, err, "email")
		return
	}
	a.replaceSession(c, id)
	c.Redirect(http.StatusSeeOther, form.Get("next"))
}

// replaceSession gives the browser the new session id and ends the one it
// held, so no id is carried across a sign-in (session fixation).
func (a *App) replaceSession(c *gin.Context, id string) {
	if old := c.GetString(ctxSID); old != "" {
		if err := a.d.Sessions.End(c.Request.Context(), old); err != nil {
			a.logErr(c, err)
		}
	}
	a.setCookie(c, "sid", id, 0)
}

// logout ends this browser's session.
func (a *App) logout(c *gin.Context) {
	if err := a.d.Sessions.End(c.Request.Context(), c.GetString(ctxSID)); err != nil {
		a.fail(c, err)
		return
	}
	a.setCookie(c, "sid", "", -1)
	c.Redirect(http.StatusSeeOther, "/login?done=signedout")
}

func (a *App) account(c *gin.Context) { a.render(c, "account", nil) }

// changePassword changes the password through auth, which ends every
// session of the account, this one too: the person signs in again.
func (a *App) changePassword(c *gin.Context) {
	s, _ := sessionOf(c)
	in := url.Values{"currentPassword": {c.PostForm("currentPassword")}, "password": {c.PostForm("password")}}
	if errs := required(trOf(c), in, labelled{"currentPassword", "field_current_password"}, labelled{"password", "field_new_password"}); errs != nil {
		a.formError(c, "account", nil, errs, http.StatusUnprocessableEntity)
		return
	}
	err := a.d.Auth.ChangePassword(c.Request.Context(), s.Principal(),
		auth.PasswordChange{Current: in.Get("currentPassword"), New: in.Get("password"), Address: c.ClientIP()})
	if err != nil {
		a.domainError(c, "account", nil, err, "currentPassword")
		return
	}
	a.endHere(c)
	c.Redirect(http.StatusSeeOther, "/login?done=password")
}

// signOutEverywhere ends every session of the account, web and API.
func (a *App) signOutEverywhere(c *gin.Context) {
	s, _ := sessionOf(c)
	if err := a.d.Auth.SignOutEverywhere(c.Request.Context(), s.Principal()); err != nil {
		a.fail(c, err)
		return
	}
	a.endHere(c)
	c.Redirect(http.StatusSeeOther, "/login?done=signedout")
}

// endHere deletes this browser's session record and cookie at once; the
// epoch would end it at the next request anyway.
func (a *App) endHere(c *gin.Context) {
	if err := a.d.Sessions.End(c.Request.Context(), c.GetString(ctxSID)); err != nil {
		a.logErr(c, err)
	}
	a.setCookie(c, "sid", "", -1)
}

// labelled is a form field's name and the message id of its label.
type labelled struct{ Name, LabelID string }

// required is the form's "fill this in" check of the fields. The message
// names the field: in the error summary "Fill in this field" twice would
// not say which (WCAG 3.3.1 Error Identification).
func required(t tr, form url.Values, fields ...labelled) []fieldError {
	var errs []fieldError
	for _, f := range fields {
		if strings.TrimSpace(form.Get(f.Name)) == "" {
			errs = append(errs, fieldError{Field: f.Name, Message: t.T("field.required", "Field", t.T(f.LabelID))})
		}
	}
	return errs
}

// formError shows the page again with the errors and what was typed.
func (a *App) formError(c *gin.Context, page string, form url.Values, errs []fieldError, status int) {
	v := a.view(c, nil)
	v.Form, v.Errors = form, errs
	a.renderView(c, status, page, "layout", v)
}

// domainError shows a domain failure on the form, or the error page if it
// is not the person's to fix.
func (a *App) domainError(c *gin.Context, page string, form url.Values, err error, fallbackField string) {
	errs, status, ok := formErrors(trOf(c), err, fallbackField)
	if !ok {
		a.fail(c, err)
		return
	}
	if fe, isFailure := failure.As(err); isFailure && fe.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(fe.RetryAfter))
	}
	a.formError(c, page, form, errs, status)
}
