package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/websession"
	"github.com/gin-gonic/gin"
)

// Context keys.
const (
	ctxTr      = "web.tr"
	ctxSession = "web.session"
	ctxSID     = "web.sid"
)

// maxForm bounds a form body: the pages' forms are a few fields.
const maxForm = 64 << 10

// secure reports whether cookies must be Secure with the __Host- prefix:
// the request came over TLS, or the configuration says TLS ends in front.
func (a *App) secure(c *gin.Context) bool { return a.d.Secure || c.Request.TLS != nil }

// cookieName is name with the __Host- prefix when secure: such a cookie is
// only accepted Secure, from this host, for path /, so a sibling subdomain
// cannot plant one.
func (a *App) cookieName(c *gin.Context, name string) string {
	if a.secure(c) {
		return "__Host-" + name
	}
	return name
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for path /; maxAge 0 is
// a session cookie, negative deletes it.
func (a *App) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: a.cookieName(c, name), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.secure(c), SameSite: http.SameSiteLaxMode})
}

func (a *App) cookie(c *gin.Context, name string) string {
	v, err := c.Cookie(a.cookieName(c, name))
	if err != nil {
		return ""
	}
	return v
}

// language picks the page language and remembers ?lang= for a year.
func (a *App) language() gin.HandlerFunc {
	return func(c *gin.Context) {
		a.setLanguage(c)
		c.Next()
	}
}

func (a *App) setLanguage(c *gin.Context) {
	lang, fromQuery := pickLang(c.Query("lang"), a.cookie(c, "lang"))
	if fromQuery {
		a.setCookie(c, "lang", lang, 365*24*3600)
	}
	c.Set(ctxTr, newTr(a.bundle, lang))
}

func trOf(c *gin.Context) tr { return c.MustGet(ctxTr).(tr) }

// session loads the visitor's web session, if any.
func (a *App) session() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := a.loadSession(c); err != nil {
			a.fail(c, err)
			return
		}
		c.Next()
	}
}

func (a *App) loadSession(c *gin.Context) error {
	id := a.cookie(c, "sid")
	if id == "" {
		return nil
	}
	sess, err := a.d.Sessions.Resolve(c.Request.Context(), id)
	if errors.Is(err, websession.ErrNoSession) {
		a.setCookie(c, "sid", "", -1) // over: the browser may forget it
		return nil
	} else if err != nil {
		return err
	}
	c.Set(ctxSession, sess)
	c.Set(ctxSID, id)
	return nil
}

func sessionOf(c *gin.Context) (websession.Session, bool) {
	v, ok := c.Get(ctxSession)
	if !ok {
		return websession.Session{}, false
	}
	return v.(websession.Session), true
}

// requireSignIn sends visitors without a session to the sign-in page.
func (a *App) requireSignIn() gin.HandlerFunc {
	return func(c *gin.Context) {
		if _, ok := sessionOf(c); !ok {
			c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.Path))
			c.Abort()
			return
		}
		c.Next()
	}
}

// requireRole answers the forbidden page to a signed-in person of another
// role: a job-seeker never reaches a workspace, an employer never /office.
func (a *App) requireRole(roles ...auth.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s, ok := sessionOf(c); !ok || !slices.Contains(roles, s.Role) {
			a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
			c.Abort()
			return
		}
		c.Next()
	}
}

// csrfToken is the token the page's forms carry: the session's, or for a
// visitor not signed in a random one in its own cookie (double submit),
// set on first need.
func (a *App) csrfToken(c *gin.Context) string {
	if s, ok := sessionOf(c); ok {
		return s.CSRF
	}
	if t, ok := c.Get("web.anoncsrf"); ok {
		return t.(string)
	}
	t := a.cookie(c, "csrf")
	if t == "" {
		t = websession.Token()
		a.setCookie(c, "csrf", t, 0)
	}
	c.Set("web.anoncsrf", t)
	return t
}

// guardUnsafe refuses any unsafe method that is not from this origin
// (Origin, or Referer when a browser sends no Origin; neither is a
// refusal) or whose form lacks the CSRF token: the 403 page.
func (a *App) guardUnsafe() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxForm)
		if !a.sameOrigin(c) || !a.validCSRF(c) {
			a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
			c.Abort()
			return
		}
		c.Next()
	}
}

func (a *App) sameOrigin(c *gin.Context) bool {
	scheme := "http"
	if a.secure(c) {
		scheme = "https"
	}
	want := scheme + "://" + c.Request.Host
	if o := c.GetHeader("Origin"); o != "" {
		return o == want
	}
	ref, err := url.Parse(c.GetHeader("Referer"))
	return err == nil && ref.Scheme+"://"+ref.Host == want
}

func (a *App) validCSRF(c *gin.Context) bool {
	got := c.PostForm("csrf")
	if s, ok := sessionOf(c); ok {
		return s.CheckCSRF(got)
	}
	anon := a.cookie(c, "csrf")
	return anon != "" && websession.Session{CSRF: anon}.CheckCSRF(got)
}

// localPath keeps a ?next= target on this site: a path, not a URL.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return "/me"
	}
	return p
}
