package web

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// Languages the pages speak; Bulgarian first, the default.
const (
	langBG = "bg"
	langEN = "en"
)

// newBundle loads the message catalogues: bg.toml and en.toml for the
// pages every visitor meets, and one pair per area (office.bg.toml,
// office.en.toml, …); go-i18n reads the language from the name.
func newBundle() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.Bulgarian)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(localeFiles, "locales/*.toml")
	if err != nil {
		return nil, fmt.Errorf("list catalogues: %w", err)
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(localeFiles, name); err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
	}
	return b, nil
}

// tr is one request's language: texts, plurals, numbers and dates.
type tr struct {
	lang string
	loc  *i18n.Localizer
	num  *message.Printer
}

func newTr(b *i18n.Bundle, lang string) tr {
	tag := language.Bulgarian
	if lang == langEN {
		tag = language.English
	}
	return tr{lang: lang, loc: i18n.NewLocalizer(b, lang), num: message.NewPrinter(tag)}
}

// T returns the message id with optional key/value template data
// ("Date", d, …). A missing message is a bug; it shows its id so the page
// still renders and the test of every message (TestCataloguesMatch) finds it.
func (t tr) T(id string, kv ...any) string {
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data(kv)})
	if err != nil {
		return id
	}
	return s
}

// N returns the plural message id for n, with n formatted for the language.
func (t tr) N(id string, n int) string {
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n,
		TemplateData: map[string]any{"Count": t.Number(n)}})
	if err != nil {
		return id
	}
	return s
}

// Number formats n with the language's grouping (1 234 / 1,234).
func (t tr) Number(n int) string { return t.num.Sprintf("%d", n) }

var monthsBG = [...]string{"януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
	"октомври", "ноември", "декември"}

// Date formats a YYYY-MM-DD date for the language ("5 март 2027 г.",
// "5 March 2027"); an unparsable one is shown as it is.
func (t tr) Date(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	if t.lang == langEN {
		return d.Format("2 January 2006")
	}
	return fmt.Sprintf("%d %s %d г.", d.Day(), monthsBG[d.Month()-1], d.Year())
}

func data(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// pickLang is the language of a request: ?lang= first, then the cookie;
// Bulgarian otherwise.
func pickLang(query, cookie string) (lang string, fromQuery bool) {
	switch strings.ToLower(query) {
	case langBG, langEN:
		return strings.ToLower(query), true
	}
	if cookie == langEN {
		return langEN, false
	}
	return langBG, false
}
