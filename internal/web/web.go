// Package web is the web app people meet: server-rendered pages
// (html/template, embedded with the stylesheet and the vendored htmx) on
// the same Gin engine as the API, at /. Handlers bind the form or query,
// call one use case of the same domain services as internal/httpapi, and
// render; every page works with JavaScript off, htmx only swaps fragments.
//
// Around every page: the language (?lang= remembered in a cookie,
// Bulgarian by default), the web session (internal/websession, an opaque
// id in an HttpOnly cookie), a CSRF token in every form and an Origin check
// on every unsafe method, and a CSP that allows only this origin.
//
// To add a page: a template in templates/ defining "title" and "content"
// (forms use the "csrf", "field" and "errorSummary" components); a
// handler that binds, calls one domain use case and answers with a.render,
// or a.domainError / a.formError to show the form again with its errors;
// the route in Mount (under "me" when it needs a session); its texts in
// both locales/*.toml (TestCataloguesHaveTheSameMessages checks). A
// fragment that htmx swaps is a named template the same handler renders
// for HX-Request.
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/personaldata"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/round"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/internal/websession"
	"github.com/careget/skillsmatch/internal/workqueue"
	"github.com/careget/skillsmatch/search"
	"github.com/gin-gonic/gin"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Deps are the services the pages call.
type Deps struct {
	Logger   *slog.Logger
	Auth     *auth.Service
	Sessions *websession.Service
	Register *register.Service
	Needs    *search.PublicNeeds // the public search, the same use case as GET /api/v1/needs
	Taxonomy *taxonomy.Taxonomy
	Pathways *pathway.Service
	// The job-seeker's own profile (/me, /me/profile, erasure on /me/data),
	// matches, applications and personal data.
	Profiles      *profile.Service
	Matches       *match.Service
	Opportunities *opportunity.Service
	Export        *personaldata.Service
	// The workspaces: employers' candidate cards (/employer), and the
	// office's rounds, insights and ranking with identities (/office).
	Candidates *candidate.Service
	Rounds     *round.Service
	Insights   *insight.Service
	Index      *search.Index
	Office     *workqueue.Service // the office's queues (Today) and employer list
	// Referrals are employers' referral requests (/employer, /office).
	Referrals *match.Referrals
	// Notify is the person's inbox, preferences and the office's outbox.
	Notify *notify.Service
	// Events are the Career & Skills Days (/events).
	Events *event.Service
	// Secure marks cookies Secure with the __Host- prefix even when the
	// request came in plain (TLS ended at a proxy in front).
	Secure bool
	Now    func() time.Time
}

// App is the web app.
type App struct {
	d      Deps
	bundle *i18n.Bundle
	pages  map[string]*template.Template
}

// New parses the templates and catalogues. They are embedded, so a failure
// is a bug of the build that every test of the package shows: it panics.
func New(d Deps) *App {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	b, err := newBundle()
	if err != nil {
		panic(err)
	}
	pages, err := parsePages()
	if err != nil {
		panic(err)
	}
	return &App{d: d, bundle: b, pages: pages}
}

// Mount registers the pages on r and returns the page for unknown paths
// outside the API (httpapi.Deps.Web).
func (a *App) Mount(r *gin.Engine) gin.HandlerFunc {
	static, _ := fs.Sub(staticFiles, "static")
	st := r.Group("/static", cacheStatic())
	st.StaticFS("/", http.FS(static))

	w := r.Group("/", a.pageHeaders(), a.language(), a.session(), a.guardUnsafe())
	w.GET("/", a.home)
	w.GET("/needs/:id", a.need)
	w.GET("/sitemap.xml", a.sitemap)
	w.GET("/pathways", a.pathways)
	a.mountEvents(w)
	w.GET("/register", a.registerForm)
	w.POST("/register", a.register)
	w.GET("/login", a.loginForm)
	w.POST("/login", a.login)
	w.POST("/logout", a.logout)
	a.mountEmployerSignup(w)

	me := w.Group("/me", a.requireSignIn())
	me.GET("", a.me)
	me.GET("/profile", a.profileForm)
	me.POST("/profile", a.saveProfile)
	me.GET("/profile/suggest", a.suggest)
	me.GET("/account", a.account)
	me.POST("/account/password", a.changePassword)
	me.POST("/account/sign-out-everywhere", a.signOutEverywhere)
	a.mountJobseeker(me)
	a.mountNotifications(w)
	a.mountEmployer(w.Group("/employer", a.requireSignIn(), a.requireRole(auth.RoleEmployer)))
	a.mountOffice(w.Group("/office", a.requireSignIn(), a.requireRole(auth.RoleOfficer, auth.RoleAdmin)))

	// Unknown paths outside the API get the 404 page, in the visitor's
	// language and with their session (for the header's links).
	return func(c *gin.Context) {
		a.setPageHeaders(c)
		a.setLanguage(c)
		if err := a.loadSession(c); err != nil {
			a.fail(c, err)
			return
		}
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
	}
}

// cacheStatic lets browsers keep the stylesheet and htmx for a day; their
// content changes only with a new binary.
func cacheStatic() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.Next()
	}
}

// pageHeaders replaces the API's CSP with the pages' own: everything from
// this origin only, no inline script or style, no frames, forms post here.
func (a *App) pageHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		a.setPageHeaders(c)
		c.Next()
	}
}

// csp allows this origin only: no inline script or style (htmx is told not
// to inject its indicator styles), no frames, forms post here only.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

func (a *App) setPageHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("Referrer-Policy", "same-origin") // the Referer fallback of the origin check needs our own
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, HX-Request")
}

func (a *App) now() time.Time { return a.d.Now() }

// logErr logs a server-side failure once, with the request's path.
func (a *App) logErr(c *gin.Context, err error) {
	a.d.Logger.ErrorContext(c.Request.Context(), "web page failed", "path", c.FullPath(), "err", fmt.Sprint(err))
}
