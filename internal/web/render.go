package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

// htmxIntegrity is the SHA-384 of static/vendor/htmx/htmx.min.js (see its
// README); TestVendoredHTMXIntegrity recomputes it.
const htmxIntegrity = "sha384-HGfztofotfshcF7+8n44JQL2oJmowVChPTg48S+jvZoztPfvwD79OC/LTtG6dMp+"

// parsePages parses each page with the layout and the shared partials.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// view is what every template gets: the language's helpers (T, N, Date,
// Number), the signed-in person if any, the form's CSRF token and errors,
// and the page's own Data.
type view struct {
	tr
	Lang      string
	Path      string
	SignedIn  bool
	Role      auth.Role // the signed-in person's role ("" for a visitor): the header's workspace link
	CSRF      string
	Errors    []fieldError
	Form      url.Values // the values to show again after an error (never passwords)
	Notice    string
	Data      any
	Integrity string
	SwitchURL string // the same page in the other language
	Unread    int    // the signed-in person's unread notifications: the header's badge
}

// fieldError is one entry of the error summary; Field is the input's id
// ("" for an error of the whole form).
type fieldError struct{ Field, Message string }

// ErrFor is the message of the field's error, or "".
func (v view) ErrFor(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// Val is the value the person typed into the field.
func (v view) Val(field string) string { return v.Form.Get(field) }

// Other is the language the switch offers.
func (v view) Other() string {
	if v.Lang == langEN {
		return langBG
	}
	return langEN
}

func (a *App) view(c *gin.Context, data any) view {
	t := trOf(c)
	sess, signedIn := sessionOf(c)
	q := c.Request.URL.Query()
	other := langEN
	if t.lang == langEN {
		other = langBG
	}
	q.Set("lang", other)
	if c.Request.Method != http.MethodGet {
		q = url.Values{"lang": {other}}
	}
	return view{tr: t, Lang: t.lang, Path: c.Request.URL.Path, SignedIn: signedIn, Role: sess.Role, CSRF: a.csrfToken(c), Data: data,
		Integrity: htmxIntegrity, SwitchURL: c.Request.URL.Path + "?" + q.Encode(), Unread: a.unread(c)}
}

func (a *App) render(c *gin.Context, page string, data any) {
	a.renderView(c, http.StatusOK, page, "layout", a.view(c, data))
}

func (a *App) renderStatus(c *gin.Context, status int, page string, data any) {
	a.renderView(c, status, page, "layout", a.view(c, data))
}

// renderView executes into a buffer first, so a template error is a clean
// 500, not half a page.
func (a *App) renderView(c *gin.Context, status int, page, tmpl string, v view) {
	t, ok := a.pages[page]
	if !ok {
		a.fail(c, fmt.Errorf("no page %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, tmpl, v); err != nil {
		a.fail(c, fmt.Errorf("render %s: %w", page, err))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// fail answers a server-side failure with the error page, logged once.
func (a *App) fail(c *gin.Context, err error) {
	a.logErr(c, err)
	c.Abort()
	if _, ok := c.Get(ctxTr); !ok {
		a.setLanguage(c)
	}
	t, ok := a.pages["error"]
	var buf bytes.Buffer
	if ok && t.ExecuteTemplate(&buf, "layout", view{tr: trOf(c), Lang: trOf(c).lang, Integrity: htmxIntegrity}) == nil {
		c.Data(http.StatusInternalServerError, "text/html; charset=utf-8", buf.Bytes())
		return
	}
	c.String(http.StatusInternalServerError, "error")
}

// formErrors turns a domain failure into the error summary in the
// request's language. fallbackField is the input a whole-form error
// (wrong password, too many attempts) links to. ok is false for failures
// that are not the person's to fix (a 500).
func formErrors(t tr, err error, fallbackField string) (errs []fieldError, status int, ok bool) {
	fe, isFailure := failure.As(err)
	if !isFailure {
		return nil, 0, false
	}
	if len(fe.Fields) > 0 {
		for _, f := range fe.Fields {
			code := f.Code
			if code == "required" {
				code = "required_plain" // the domain does not know the field's label
			}
			msg := t.T("field."+code, "Param", f.Param)
			if msg == "field."+code {
				msg = t.T("field.invalid")
			}
			errs = append(errs, fieldError{Field: f.Field, Message: msg})
		}
		return errs, http.StatusUnprocessableEntity, true
	}
	msg := t.T("error." + fe.Code)
	if msg == "error."+fe.Code {
		return nil, 0, false
	}
	status = http.StatusUnprocessableEntity
	switch fe.Kind {
	case failure.TooMany:
		status = http.StatusTooManyRequests
	case failure.Unavailable:
		status = http.StatusServiceUnavailable
	}
	return []fieldError{{Field: fallbackField, Message: msg}}, status, true
}

// input is one labelled form field for the "field" template.
type input struct {
	ID, Label, Hint, Err, Value, Type, Autocomplete string
	Required                                        bool
}

// Input describes the field id: its label and optional hint are message
// ids; a password's value is never shown again.
func (v view) Input(id, labelID, typ, autocomplete, hintID string) input {
	in := input{ID: id, Label: v.T(labelID), Err: v.ErrFor(id), Type: typ, Autocomplete: autocomplete, Required: true}
	if hintID != "" {
		in.Hint = v.T(hintID)
	}
	if typ != "password" {
		in.Value = v.Val(id)
	}
	return in
}

// LangOf marks text that people typed (a need's title, an employer's name,
// a place) as Bulgarian when it is written in Cyrillic on an English page,
// so a screen reader speaks it in Bulgarian (WCAG 3.1.2 Language of Parts).
// Latin text is left alone: it may be English or Bulgarian typed in Latin
// letters, and nothing tells which.
func (v view) LangOf(text string) template.HTMLAttr {
	if v.Lang == langBG {
		return ""
	}
	for _, r := range text {
		if unicode.Is(unicode.Cyrillic, r) {
			return ` lang="bg"`
		}
	}
	return ""
}
