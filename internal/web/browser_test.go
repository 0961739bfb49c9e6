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

	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/chromedp/chromedp"
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

// TestEveryPageIsAccessible scans every page that exists, in both
// languages at 360 and 1280 px, with axe-core (WCAG 2.1 A and AA), and
// writes a screenshot of each. Zero violations.
func TestEveryPageIsAccessible(t *testing.T) {
	s := newSite(t)
	n := s.need("Медицинска сестра в болница", true)
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, l := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+l, func(t *testing.T) {
				w := texts[l]
				p := browsertest.NewPage(t, browsertest.Options{Viewport: vp})
				check := func(name, h1 string) {
					t.Helper()
					expectPage(t, p, l, h1)
					p.Screenshot(name + "-" + l)
					p.AssertAccessible()
				}
				p.Navigate(s.srv.URL + "/?lang=" + l)
				check("home", w.home)

				p.Navigate(s.srv.URL + "/?q=medicinska+sestra")
				if !p.Has(`#results a[href="/needs/` + n.ID + `"]`) {
					t.Errorf("the search for medicinska sestra does not list the seeded need")
				}
				check("home-search", w.home)

				p.Navigate(s.srv.URL + "/needs/" + n.ID)
				check("need", "Медицинска сестра в болница")

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
			if got := p.Text("#results"); strings.Contains(got, "Готвач") || !strings.Contains(got, "Намерена е 1 възможност") {
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
