package web_test

// Browser tests: the pages as a person meets them, in a real headless
// Chromium (internal/browsertest) over the real server of harness_test.go,
// so cookies, the CSRF token and the Origin check all work as in the
// product. Screenshots go under test-output/screenshots/internal/web.

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }

// words are the page texts the tests act on, per language, as a person
// reads them on the screen.
type words struct {
	home, searchLabel, searchButton                       string
	register, name, email, password, registerButton       string
	login, loginButton, me, account                       string
	current, newPassword, changeButton, passwordChanged   string
	logout, signedOut, errorsHeading, forbidden, notFound string
	switchTo                                              string
}

var texts = map[string]words{
	"bg": {
		home: "Работа в Хасково", searchLabel: "Какво търсите?", searchButton: "Търси",
		register: "Регистрация", name: "Име", email: "Имейл", password: "Парола", registerButton: "Регистрирай ме",
		login: "Вход", loginButton: "Влез", me: "Моята страница", account: "Профил и сигурност",
		current: "Сегашна парола", newPassword: "Нова парола", changeButton: "Смени паролата",
		passwordChanged: "Паролата е сменена. Влезте отново с новата парола.",
		logout:          "Изход", signedOut: "Излязохте.", errorsHeading: "Има проблем",
		forbidden: "Заявката е отказана", notFound: "Страницата не е намерена", switchTo: "English",
	},
	"en": {
		home: "Work in Haskovo", searchLabel: "What are you looking for?", searchButton: "Search",
		register: "Register", name: "Name", email: "E-mail", password: "Password", registerButton: "Register",
		login: "Sign in", loginButton: "Sign in", me: "My page", account: "Account and security",
		current: "Current password", newPassword: "New password", changeButton: "Change password",
		passwordChanged: "Your password is changed. Sign in again with the new password.",
		logout:          "Sign out", signedOut: "You are signed out.", errorsHeading: "There is a problem",
		forbidden: "Request refused", notFound: "Page not found", switchTo: "Български",
	},
}

// eval runs a script in the page (scripts on or off: DevTools evaluates
// either way) and returns its value.
func eval[T any](t *testing.T, p *browsertest.Page, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.Context(), browsertest.ActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// expectPage fails unless the page is in lang and its main heading reads h1.
func expectPage(t *testing.T, p *browsertest.Page, lang, h1 string) {
	t.Helper()
	if got := eval[string](t, p, `document.documentElement.lang`); got != lang {
		t.Errorf("%s: <html lang=%q>, want %q", p.URL(), got, lang)
	}
	if got := strings.TrimSpace(p.Text("h1")); got != h1 {
		t.Errorf("%s: the heading reads %q, want %q", p.URL(), got, h1)
	}
}

// search types q into the search box and runs the search: with scripts
// on, htmx swaps the results in place (no page load), so wait for the
// link to the expected need; without, the form posts a new page.
func searchFor(t *testing.T, p *browsertest.Page, w words, q, needID string) {
	t.Helper()
	p.Fill(w.searchLabel, q)
	if p.Options().NoJS {
		p.Submit(w.searchButton)
	} else {
		p.Click(w.searchButton)
	}
	p.WaitVisible(`#results a[href="/needs/` + needID + `"]`)
}

// waitText waits until the text of css holds want: with scripts on, the
// results are swapped in by htmx after the click, and the page shows the
// results of the empty search until then.
func waitText(t *testing.T, p *browsertest.Page, css, want string) string {
	t.Helper()
	deadline := time.Now().Add(browsertest.ActionTimeout)
	got := p.Text(css)
	for !strings.Contains(got, want) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		got = p.Text(css)
	}
	return got
}

// TestEveryPageIsAccessible scans every page that exists, in both
// languages at 360 and 1280 px and at 1280 px zoomed to 200 %, with
// axe-core (WCAG 2.1 A and AA), checks that none scrolls sideways, and
// writes a screenshot of each. Zero violations.
func TestEveryPageIsAccessible(t *testing.T) {
	s := newSite(t)
	// A title as employers write them: a long address without spaces
	// must wrap on a phone, not push the page sideways.
	const title = "Медицинска сестра в болница, виж https://www.mbal-haskovo.bg/kariera/medicinska-sestra-vtora-smyana"
	n := s.need(title, true)
	// An office screen at 200 % zoom lays pages out in 640 CSS pixels
	// (WCAG 1.4.4 Resize Text).
	zoom200 := browsertest.Viewport{Name: "1280-zoom200", Width: 640, Height: 400}
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop, zoom200} {
		for _, l := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+l, func(t *testing.T) {
				w := texts[l]
				p := browsertest.NewPage(t, browsertest.Options{Viewport: vp})
				check := func(name, h1 string) {
					t.Helper()
					expectPage(t, p, l, h1)
					// The menu says where the person is (aria-current) on
					// the pages it links to, and only there.
					path := eval[string](t, p, `location.pathname`)
					inMenu := map[string]bool{"/": true, "/pathways": true, "/register": true, "/login": true, "/me": true}[path]
					if got := eval[string](t, p, `(document.querySelector('header nav a[aria-current="page"]') || {pathname: ""}).pathname`); (got == path) != inMenu || (!inMenu && got != "") {
						t.Errorf("%s: the menu marks %q as the current page", path, got)
					}
					p.Screenshot(name + "-" + l)
					p.AssertAccessible()
					// Reflow (WCAG 1.4.10): nothing wider than the window,
					// so nobody scrolls sideways to read a line.
					// (A phone widens its layout to the content, so compare
					// with the screen's width, not window.innerWidth.)
					if w := eval[int](t, p, `document.documentElement.scrollWidth`); w > int(vp.Width) {
						t.Errorf("%s scrolls sideways: the content is %dpx wide on a %dpx screen", name, w, vp.Width)
					}
				}
				p.Navigate(s.srv.URL + "/?lang=" + l)
				check("home", w.home)

				p.Navigate(s.srv.URL + "/?q=medicinska+sestra")
				if !p.Has(`#results a[href="/needs/` + n.ID + `"]`) {
					t.Errorf("the search for medicinska sestra does not list the seeded need")
				}
				check("home-search", w.home)
				// The employer's Bulgarian words are spoken in Bulgarian on
				// an English page too (WCAG 3.1.2 Language of Parts).
				if got := eval[string](t, p, `document.querySelector('#results a[href="/needs/`+n.ID+`"]').closest("[lang]").lang`); got != "bg" {
					t.Errorf("the need's title in the results is in lang %q, want bg", got)
				}

				p.Navigate(s.srv.URL + "/needs/" + n.ID)
				check("need", title)
				if got := eval[string](t, p, `[document.querySelector("h1"), document.querySelector(".facts dd"), document.querySelector(".description")].map(e => e.closest("[lang]").lang).join(" ")`); got != "bg bg bg" {
					t.Errorf("the need's title, employer and description are in langs %q, want bg bg bg", got)
				}

				p.Navigate(s.srv.URL + "/pathways")
				check("pathways", strings.TrimSpace(p.Text("h1")))
				if p.Text("h1") == "" {
					t.Error("/pathways has an empty heading")
				}

				p.Navigate(s.srv.URL + "/login")
				check("login", w.login)

				// The 403 page: a form sent with a token that is not the
				// session's, from this very origin.
				eval[bool](t, p, `document.querySelectorAll('input[name=csrf]').forEach(e => e.value = "forged"), true`)
				p.Submit(w.loginButton)
				check("forbidden", w.forbidden)

				p.Navigate(s.srv.URL + "/no-such-page")
				check("notfound", w.notFound)

				p.Navigate(s.srv.URL + "/register")
				check("register", w.register)
				p.Fill(w.password, "short")
				p.Submit(w.registerButton)
				if got := p.Text("#error-summary h2"); got != w.errorsHeading {
					t.Errorf("the error summary reads %q, want %q", got, w.errorsHeading)
				}
				check("register-errors", w.register)
				// Each entry of the summary names its field: two "fill in
				// this field" would not say which (WCAG 3.3.1).
				want := map[string]string{
					"bg": "Попълнете полето „Име“|Попълнете полето „Имейл“",
					"en": "Fill in the field “Name”|Fill in the field “E-mail”",
				}[l]
				if got := eval[string](t, p, `[...document.querySelectorAll("#error-summary li")].map(e => e.textContent.trim()).join("|")`); got != want {
					t.Errorf("the error summary lists %q, want %q", got, want)
				}

				p.Fill(w.name, "Ана")
				p.Fill(w.email, fmt.Sprintf("a11y-%s-%s@example.bg", vp.Name, l))
				p.Fill(w.password, password)
				p.Submit(w.registerButton)
				check("me", w.me)

				p.Navigate(s.srv.URL + "/me/account")
				check("account", w.account)
			})
		}
	}
}

// TestJobSeekerJourney is a young person's first visit on a phone, in
// Bulgarian, with scripts on and with scripts off: search typing in Latin
// letters, open the need, register, land on their page, switch to
// English, change the password, sign out and sign in again with the new
// one. It asserts what the person sees.
func TestJobSeekerJourney(t *testing.T) {
	s := newSite(t)
	n := s.need("Медицинска сестра в болница", true)
	s.need("Готвач в ресторант", true)
	for _, noJS := range []bool{false, true} {
		name := "js"
		if noJS {
			name = "nojs"
		}
		t.Run(name, func(t *testing.T) {
			bg, en := texts["bg"], texts["en"]
			email := "ana-" + name + "@example.bg"
			const newPassword = "a brand new sentence password"
			p := browsertest.NewPage(t, browsertest.Options{Viewport: browsertest.Mobile, NoJS: noJS})

			p.Navigate(s.srv.URL + "/")
			expectPage(t, p, "bg", bg.home)
			searchFor(t, p, bg, "medicinska sestra", n.ID)
			if got := waitText(t, p, "#results", "Намерена е 1 възможност"); strings.Contains(got, "Готвач") || !strings.Contains(got, "Намерена е 1 възможност") {
				t.Errorf("the results for medicinska sestra read:\n%s", got)
			}
			p.Screenshot("1-search")

			p.FollowLink("Медицинска сестра в болница")
			expectPage(t, p, "bg", "Медицинска сестра в болница")
			if got := p.Text("main"); !strings.Contains(got, "МБАЛ Хасково") || !strings.Contains(got, "Как да кандидатствате") {
				t.Errorf("the need page lacks the employer or how to apply:\n%s", got)
			}
			p.Screenshot("2-need")

			p.FollowLink(bg.register)
			expectPage(t, p, "bg", bg.register)
			p.Fill(bg.name, "Ана Петрова")
			p.Fill(bg.email, email)
			p.Fill(bg.password, password)
			p.Submit(bg.registerButton)
			expectPage(t, p, "bg", bg.me)
			if got := p.Text("main"); !strings.Contains(got, "Здравейте, Ана Петрова!") {
				t.Errorf("/me does not greet the new person:\n%s", got)
			}
			p.Screenshot("3-me")

			p.FollowLink(bg.switchTo)
			expectPage(t, p, "en", en.me)
			p.FollowLink("Password and signing out everywhere")
			expectPage(t, p, "en", en.account)
			p.Fill(en.current, password)
			p.Fill(en.newPassword, newPassword)
			p.Submit(en.changeButton)
			// Changing the password ends every session, this one too.
			expectPage(t, p, "en", en.login)
			if got := p.Text(".notice"); got != en.passwordChanged {
				t.Errorf("after the change the notice reads %q, want %q", got, en.passwordChanged)
			}
			p.Screenshot("4-password-changed")

			p.Fill(en.email, email)
			p.Fill(en.password, newPassword)
			p.Submit(en.loginButton)
			expectPage(t, p, "en", en.me)

			p.Submit(en.logout)
			expectPage(t, p, "en", en.login)
			if got := p.Text(".notice"); got != en.signedOut {
				t.Errorf("after signing out the notice reads %q, want %q", got, en.signedOut)
			}

			// The old password no longer opens the account.
			p.Fill(en.email, email)
			p.Fill(en.password, password)
			p.Submit(en.loginButton)
			expectPage(t, p, "en", en.login)
			if !p.Has("#error-summary") {
				t.Error("signing in with the old password shows no error")
			}

			p.Fill(en.email, email)
			p.Fill(en.password, newPassword)
			p.Submit(en.loginButton)
			expectPage(t, p, "en", en.me)
			if got := p.Text("main"); !strings.Contains(got, "Hello, Ана Петрова!") {
				t.Errorf("/me after signing in again does not greet the person:\n%s", got)
			}
			p.Screenshot("5-signed-in-again")
		})
	}
}

// TestRegisterByKeyboard walks /register with the Tab key only: the skip
// link comes first and is visible when focused, then the fields in order
// and the button, each with a visible focus ring.
func TestRegisterByKeyboard(t *testing.T) {
	s := newSite(t)
	p := browsertest.NewPage(t, browsertest.Options{Viewport: browsertest.Mobile})
	p.Navigate(s.srv.URL + "/register")

	// focusRing describes the focused element's outline, or says why it
	// has none a person could see.
	focusRing := func() string {
		t.Helper()
		return eval[string](t, p, `(() => {
	const e = document.activeElement, cs = getComputedStyle(e), r = e.getBoundingClientRect();
	if (!e.matches(":focus-visible")) return "not :focus-visible";
	if (r.right <= 0 || r.bottom <= 0 || r.width < 2 || r.height < 2) return "off screen";
	if (cs.outlineStyle === "none" || parseFloat(cs.outlineWidth) < 2) return "no outline (" + cs.outlineStyle + " " + cs.outlineWidth + ")";
	return "ok";
})()`)
	}

	p.Press(kb.Tab)
	if got := eval[string](t, p, `document.activeElement.className`); got != "skip" {
		t.Fatalf("the first Tab focuses %s (class %q), want the skip link", p.Focused(), got)
	}
	if got := focusRing(); got != "ok" {
		t.Errorf("the focused skip link: %s", got)
	}
	p.Screenshot("skip-link-focused")

	var order []string
	for range 20 {
		p.Press(kb.Tab)
		if f := p.Focused(); f == "input#name[name=name]" {
			break
		} else {
			order = append(order, f)
		}
	}
	if f := p.Focused(); f != "input#name[name=name]" {
		t.Fatalf("Tab never reached the name field; it went through %v", order)
	}
	for _, want := range []string{"input#name[name=name]", "input#email[name=email]", "input#password[name=password]", "button"} {
		if want != "input#name[name=name]" {
			p.Press(kb.Tab)
		}
		if got := p.Focused(); got != want {
			t.Fatalf("Tab focuses %s, want %s", got, want)
		}
		if got := focusRing(); got != "ok" {
			t.Errorf("%s has focus but %s", want, got)
		}
	}
	p.Screenshot("button-focused")

	// Sent empty with Enter, the form comes back with the focus on the
	// error summary; its first link takes the focus to the name field.
	// Scripts off: the page must do this by itself.
	p = browsertest.NewPage(t, browsertest.Options{Viewport: browsertest.Mobile, NoJS: true})
	p.Navigate(s.srv.URL + "/register")
	p.Submit("Регистрирай ме")
	waitFocus(t, p, "div#error-summary")
	p.Press(kb.Tab)
	if got := eval[string](t, p, `document.activeElement.getAttribute("href") || ""`); got != "#name" {
		t.Fatalf("Tab from the summary focuses %s (href %q), want its link to #name", p.Focused(), got)
	}
	// It leads to the field: an input with that id. (Following a fragment
	// link, and where the focus then goes, is the browser's: pressing
	// Enter on it did not always navigate in headless Chromium under load.)
	if got := eval[string](t, p, `(document.getElementById("name") || {}).tagName || "none"`); got != "INPUT" {
		t.Fatalf("the summary's link #name leads to %q, want the name input", got)
	}
}

// TestHomePageWeightInTheBrowser measures / as Chromium loads it on a
// first visit with 20 results: the bytes of the HTML, the stylesheet, the
// script and the icon, from the Performance API (bytes on the wire and
// decoded), every request answered 200.
// The house budget is 100 KB.
func TestHomePageWeightInTheBrowser(t *testing.T) {
	s := newSite(t)
	for i := range 20 {
		s.need("Медицинска сестра "+itoaTest(i), true)
	}
	p := browsertest.NewPage(t, browsertest.Options{Viewport: browsertest.Mobile})
	p.Navigate(s.srv.URL + "/")
	if !p.Has(`#results ol.needs li:nth-child(10)`) {
		t.Fatal("the home page does not list the seeded needs")
	}
	type entry struct {
		Name    string  `json:"name"`
		Type    string  `json:"type"`
		Encoded float64 `json:"encoded"`
		Decoded float64 `json:"decoded"`
		Status  int     `json:"status"`
	}
	entries := eval[[]entry](t, p, `[performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")]
	.map(e => ({name: e.name, type: e.initiatorType, encoded: e.encodedBodySize, decoded: e.decodedBodySize, status: e.responseStatus}))`)
	var enc, dec float64
	kinds := map[string]float64{}
	for _, e := range entries {
		// A request that fails (a missing favicon answered with the
		// whole 404 page) is weight for nothing.
		if e.Status != 200 {
			t.Errorf("loading / fetched %s with status %d", e.Name, e.Status)
		}
		enc += e.Encoded
		dec += e.Decoded
		switch {
		case e.Type == "navigation":
			kinds["HTML"] += e.Decoded
		case strings.HasSuffix(e.Name, ".css"):
			kinds["CSS"] += e.Decoded
		case strings.HasSuffix(e.Name, ".js"):
			kinds["JS"] += e.Decoded
		default:
			kinds["other"] += e.Decoded
			t.Logf("other resource: %s (%s, %.0f bytes)", e.Name, e.Type, e.Decoded)
		}
	}
	t.Logf("page weight of / (20 results) in Chromium: HTML %.0f + CSS %.0f + JS %.0f + other %.0f = %.0f bytes decoded, %.0f bytes on the wire (%d requests)",
		kinds["HTML"], kinds["CSS"], kinds["JS"], kinds["other"], dec, enc, len(entries))
	if kinds["HTML"] == 0 || kinds["CSS"] == 0 || kinds["JS"] == 0 {
		t.Errorf("the measure misses the HTML, the stylesheet or the script: %+v", entries)
	}
	// Without a declared icon the browser asks for /favicon.ico, some time
	// after the load, and gets the whole 404 page.
	icon := eval[string](t, p, `(document.querySelector('link[rel~="icon"]') || {}).href || ""`)
	if icon == "" {
		t.Error("/ declares no icon, so browsers fetch /favicon.ico and get the 404 page")
	} else if got := s.browser().get(strings.TrimPrefix(icon, s.srv.URL)); got.Status != 200 {
		t.Errorf("the icon %s answers %d", icon, got.Status)
	}
	if dec > 100_000 {
		t.Errorf("/ weighs %.0f bytes decoded, over the 100 KB budget", dec)
	}
}

// waitFocus waits until the element described as want (see Page.Focused)
// has the focus: the browser applies autofocus at its next rendering
// after the load, not at once. It polls from Go, since a page with its
// scripts off runs no timers of its own.
func waitFocus(t *testing.T, p *browsertest.Page, want string) {
	t.Helper()
	deadline := time.Now().Add(browsertest.ActionTimeout)
	got := p.Focused()
	for got != want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		got = p.Focused()
	}
	if got != want {
		t.Fatalf("the focus is on %s, want %s", got, want)
	}
}
