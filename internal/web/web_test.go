package web_test

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/websession"
	"github.com/gin-gonic/gin"
)

const forbiddenBG = "Заявката е отказана"

// forms are every form of the pages: where its token comes from, where it
// posts, a valid body, and whether it needs a session.
var forms = []struct {
	page, action string
	body         url.Values
	signedIn     bool
}{
	{"/register", "/register", url.Values{"name": {"Ана"}, "email": {"new@example.bg"}, "password": {password}}, false},
	{"/login", "/login", url.Values{"email": {"ana@example.bg"}, "password": {password}}, false},
	{"/me", "/logout", url.Values{}, true},
	{"/me/account", "/me/account/password", url.Values{"currentPassword": {password}, "password": {"another long passphrase"}}, true},
	{"/me/account", "/me/account/sign-out-everywhere", url.Values{}, true},
}

func TestEveryFormRefusesMissingOrWrongCSRF(t *testing.T) {
	s := newSite(t)
	for _, f := range forms {
		b := s.browser()
		if f.signedIn {
			b.signUp("ana" + strings.ReplaceAll(f.action, "/", "-") + "@example.bg")
		}
		token := b.csrf(f.page)
		for name, tok := range map[string]string{"missing": "", "wrong": websession.Token(), "truncated": token[:len(token)-1]} {
			body := url.Values{}
			for k, v := range f.body {
				body[k] = v
			}
			if tok != "" {
				body.Set("csrf", tok)
			}
			p := b.post(f.action, body)
			if p.Status != http.StatusForbidden || !strings.Contains(p.Body, forbiddenBG) {
				t.Errorf("POST %s with %s CSRF token = %d, want the 403 page", f.action, name, p.Status)
			}
		}
		if f.signedIn && !b.signedIn() {
			t.Errorf("a refused POST %s ended the session", f.action)
		}
	}
	// Nothing half-saved: the refused registration made no account.
	if _, err := s.svc.Auth.CheckCredentials(context.Background(), "new@example.bg", password, "192.0.2.1"); !failure.Is(err, failure.Unauthorized) {
		t.Errorf("a registration refused for CSRF made an account (%v)", err)
	}
}

func TestUnsafeMethodsNeedThisOrigin(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	body := url.Values{"name": {"Ана"}, "email": {"ana@example.bg"}, "password": {password}}
	body.Set("csrf", b.csrf("/register"))
	for name, h := range map[string][]string{
		"another Origin":               {"Origin", "https://evil.example"},
		"Origin of another port":       {"Origin", strings.Replace(s.srv.URL, "127.0.0.1:", "127.0.0.1:1", 1)},
		"no Origin nor Referer":        {"Origin", ""},
		"no Origin, a foreign Referer": {"Origin", "", "Referer", "https://evil.example/register"},
	} {
		if p := b.post("/register", body, h...); p.Status != http.StatusForbidden || !strings.Contains(p.Body, forbiddenBG) {
			t.Errorf("%s: POST /register = %d, want the 403 page", name, p.Status)
		}
	}
	// A browser that sends only a Referer of this site is let through.
	if p := b.post("/register", body, "Origin", "", "Referer", s.srv.URL+"/register"); p.Status != http.StatusSeeOther {
		t.Errorf("same-site Referer without Origin: POST /register = %d %s, want 303", p.Status, p.Body)
	}
}

func TestForbiddenPageInEnglish(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.get("/?lang=en")
	p := b.post("/login", url.Values{"email": {"a@example.bg"}})
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Request refused") || !strings.Contains(p.Body, `<html lang="en">`) {
		t.Errorf("403 after ?lang=en = %d, want the English page:\n%s", p.Status, p.Body)
	}
}

func TestRegisterErrorsInTheChosenLanguageLinkedToFields(t *testing.T) {
	s := newSite(t)
	for _, c := range []struct {
		lang, want string
	}{{"", "Паролата трябва да е поне 10 знака"}, {"en", "The password must be at least 10 characters"}} {
		b := s.browser()
		if c.lang != "" {
			b.get("/?lang=" + c.lang)
		}
		p := b.submit("/register", "/register", url.Values{"name": {"Ана"}, "email": {"short@example.bg"}, "password": {"short"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("lang %q: short password = %d, want 422", c.lang, p.Status)
		}
		for _, want := range []string{
			`<div class="error-summary" role="alert"`,
			`<a href="#password">` + html.EscapeString(c.want),
			`<p class="error" id="password-error">` + html.EscapeString(c.want),
			`aria-describedby="password-hint password-error"`,
			`id="email" name="email" type="email" value="short@example.bg"`, // typed values stay
		} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("lang %q: the page lacks %s", c.lang, want)
			}
		}
		if strings.Contains(p.Body, `value="short"`) {
			t.Errorf("lang %q: the password is shown again", c.lang)
		}
		// A form with empty fields lists each, in order, before asking auth.
		p = b.submit("/register", "/register", url.Values{"password": {password}})
		if !regexp.MustCompile(`(?s)href="#name">.*href="#email">`).MatchString(p.Body) {
			t.Errorf("lang %q: empty name and e-mail are not both in the summary:\n%s", c.lang, p.Body)
		}
	}
	// Nothing half-saved.
	if _, err := s.svc.Auth.CheckCredentials(context.Background(), "short@example.bg", "short", "192.0.2.1"); !failure.Is(err, failure.Unauthorized) {
		t.Errorf("a refused registration made an account (%v)", err)
	}
}

func TestSignInErrorsAndThrottleAreAuths(t *testing.T) {
	s := newSite(t)
	s.browser().signUp("ana@example.bg")
	b := s.browser()
	b.get("/?lang=en")
	p := b.submit("/login", "/login", url.Values{"email": {"ana@example.bg"}, "password": {"wrong password here"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `<a href="#email">Wrong e-mail or password</a>`) {
		t.Errorf("wrong password = %d, want 422 with the summary:\n%s", p.Status, p.Body)
	}
	for range 12 { // the API's limit is 10 failures per account and address
		p = b.submit("/login", "/login", url.Values{"email": {"ana@example.bg"}, "password": {"wrong password here"}})
	}
	if p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, "Too many failed attempts") || p.Header.Get("Retry-After") == "" {
		t.Errorf("after 13 failures = %d (Retry-After %q), want 429 with the throttle's message and Retry-After", p.Status, p.Header.Get("Retry-After"))
	}
}

func TestSignInGoesOnlyToPagesOfThisSite(t *testing.T) {
	s := newSite(t)
	s.browser().signUp("ana@example.bg")
	for next, want := range map[string]string{"/needs/x1": "/needs/x1", "//evil.example/": "/me", "https://evil.example/": "/me",
		"/\\evil.example": "/me", "": "/me"} {
		b := s.browser()
		p := b.submit("/login", "/login", url.Values{"email": {"ana@example.bg"}, "password": {password}, "next": {next}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != want {
			t.Errorf("sign in with next=%q = %d to %q, want %q", next, p.Status, p.Header.Get("Location"), want)
		}
	}
}

func TestSignInReplacesTheSession(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("ana@example.bg")
	before := b.client.Jar.Cookies(mustURL(t, s.srv.URL))
	b.signIn("ana@example.bg")
	replay := s.browser()
	replay.client.Jar.SetCookies(mustURL(t, s.srv.URL), before)
	if replay.signedIn() {
		t.Error("the session id held before signing in still works after it")
	}
	if !b.signedIn() {
		t.Error("the new session does not work")
	}
}

func TestSessionCookieFlags(t *testing.T) {
	s := newSite(t)
	check := func(res *http.Response, name string, secure bool) {
		t.Helper()
		var c *http.Cookie
		for _, x := range res.Cookies() {
			if x.Name == name {
				c = x
			}
		}
		if c == nil {
			t.Fatalf("no %s cookie in %v", name, res.Header["Set-Cookie"])
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure || c.Domain != "" {
			t.Errorf("%s cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, no Domain, Secure=%v", name, c, secure)
		}
		if raw, _ := base64.RawURLEncoding.DecodeString(c.Value); len(raw) != 32 {
			t.Errorf("%s id has %d random bytes, want 32", name, len(raw))
		}
	}
	b := s.browser()
	p := b.submit("/register", "/register", url.Values{"name": {"Ана"}, "email": {"ana@example.bg"}, "password": {password}})
	res := &http.Response{Header: p.Header}
	check(res, "sid", false)
	// The id is not what is stored: the store holds its SHA-256.
	for _, c := range res.Cookies() {
		if c.Name == "sid" {
			if _, err := s.store.WebSessions().WebSession(context.Background(), c.Value); !failure.Is(err, failure.NotFound) {
				t.Errorf("the raw session id is a stored key (%v)", err)
			}
			if _, err := s.store.WebSessions().WebSession(context.Background(), websession.Hash(c.Value)); err != nil {
				t.Errorf("no session stored under the id's hash: %v", err)
			}
		}
	}

	// Over TLS: Secure and the __Host- prefix.
	tls := newTLSServer(t, s.handler)
	tb := s.browser()
	tb.client.Transport = tls.Client().Transport
	tb.base = tls.URL
	p = tb.submit("/register", "/register", url.Values{"name": {"Ана"}, "email": {"tls@example.bg"}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("register over TLS = %d %s", p.Status, p.Body)
	}
	check(&http.Response{Header: p.Header}, "__Host-sid", true)
	if !tb.signedIn() {
		t.Error("the __Host- session cookie does not sign in over TLS")
	}

	// TLS ended at a proxy in front (SKILLSMATCH_SECURE_COOKIES): the
	// same flags on plain requests, and the origin check expects https.
	proxied := newSite(t, func(s *app.Services) { s.SecureCookies = true })
	pb := proxied.browser()
	token := pb.csrf("/register") // the jar does not send a Secure cookie over http: set it by hand
	res2 := pb.post("/register", url.Values{"csrf": {token}, "name": {"Ана"}, "email": {"p@example.bg"}, "password": {password}},
		"Origin", strings.Replace(proxied.srv.URL, "http://", "https://", 1), "Cookie", "__Host-csrf="+token)
	if res2.Status != http.StatusSeeOther {
		t.Fatalf("register behind a TLS proxy = %d %s", res2.Status, res2.Body)
	}
	check(&http.Response{Header: res2.Header}, "__Host-sid", true)
}

func TestSignOutEverywhereEndsWebSessions(t *testing.T) {
	s := newSite(t)
	phone, laptop := s.browser(), s.browser()
	phone.signUp("ana@example.bg")
	laptop.signIn("ana@example.bg")
	p := laptop.submit("/me/account", "/me/account/sign-out-everywhere", nil)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("sign out everywhere = %d %s", p.Status, p.Body)
	}
	if phone.signedIn() || laptop.signedIn() {
		t.Error("a web session survived sign out everywhere")
	}

	// The API's sign-out everywhere ends web sessions too: one rule.
	phone.signIn("ana@example.bg")
	tok, err := s.svc.Auth.Login(context.Background(), "ana@example.bg", password, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := s.svc.Auth.Authenticate(context.Background(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Auth.SignOutEverywhere(context.Background(), p2); err != nil {
		t.Fatal(err)
	}
	if phone.signedIn() {
		t.Error("the web session survived the API's sign out everywhere")
	}
}

func TestDeletedAccountEndsWebSessions(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("ana@example.bg")
	u, err := s.svc.Auth.CheckCredentials(context.Background(), "ana@example.bg", password, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Auth.CloseAccount(context.Background(), u.ID); err != nil {
		t.Fatal(err)
	}
	if b.signedIn() {
		t.Error("a web session outlived its account")
	}
}

func TestPasswordChangeEndsSessions(t *testing.T) {
	s := newSite(t)
	phone, laptop := s.browser(), s.browser()
	phone.signUp("ana@example.bg")
	laptop.signIn("ana@example.bg")
	p := laptop.submit("/me/account", "/me/account/password", url.Values{"currentPassword": {"not my password"}, "password": {"another long passphrase"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `<a href="#currentPassword">Сегашната парола е грешна</a>`) {
		t.Errorf("wrong current password = %d, want 422 linked to #currentPassword:\n%s", p.Status, p.Body)
	}
	if !phone.signedIn() {
		t.Error("a refused password change ended a session")
	}
	p = laptop.submit("/me/account", "/me/account/password", url.Values{"currentPassword": {password}, "password": {"another long passphrase"}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/login?done=password" {
		t.Fatalf("password change = %d %s", p.Status, p.Header.Get("Location"))
	}
	if phone.signedIn() || laptop.signedIn() {
		t.Error("a web session survived the password change")
	}
}

func TestSessionTimeouts(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("ana@example.bg")
	s.clock.Add(websession.DefaultIdleTimeout - time.Minute)
	if !b.signedIn() {
		t.Fatal("signed out before the idle timeout")
	}
	s.clock.Add(websession.DefaultIdleTimeout)
	if b.signedIn() {
		t.Error("a session idle for longer than the idle timeout is still valid")
	}

	b.signIn("ana@example.bg")
	for used := time.Duration(0); used < websession.DefaultAbsoluteTimeout-time.Hour; used += time.Hour {
		s.clock.Add(time.Hour)
		if !b.signedIn() {
			t.Fatalf("a session in use ended after %v", used+time.Hour)
		}
	}
	s.clock.Add(time.Hour)
	if b.signedIn() {
		t.Error("a session in use outlived the absolute timeout")
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.signUp("ana@example.bg")
	jar := b.client.Jar.Cookies(mustURL(t, s.srv.URL))
	if p := b.submit("/me", "/logout", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", p.Status)
	}
	if b.signedIn() {
		t.Error("signed in after logout")
	}
	// The old cookie, replayed, opens nothing: the session is gone server-side.
	replay := s.browser()
	replay.client.Jar.SetCookies(mustURL(t, s.srv.URL), jar)
	if replay.signedIn() {
		t.Error("a copied session cookie works after logout")
	}
}

func TestLanguageIsRemembered(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	if p := b.get("/"); !strings.Contains(p.Body, `<html lang="bg">`) || !strings.Contains(p.Body, "Работа в Хасково") {
		t.Errorf("default page is not Bulgarian")
	}
	if p := b.get("/pathways?lang=en"); !strings.Contains(p.Body, `<html lang="en">`) || !strings.Contains(p.Body, "Care Career Path") {
		t.Errorf("?lang=en did not switch")
	}
	p := b.get("/")
	if !strings.Contains(p.Body, `<html lang="en">`) || !strings.Contains(p.Body, "Work in Haskovo") {
		t.Errorf("English was not remembered")
	}
	// The switch offers Bulgarian, marked as such.
	if !strings.Contains(p.Body, `lang="bg" hreflang="bg"`) || !strings.Contains(p.Body, "?lang=bg") {
		t.Errorf("no visible switch to Bulgarian")
	}
	if p := b.get("/?lang=bg"); !strings.Contains(p.Body, `<html lang="bg">`) {
		t.Errorf("?lang=bg did not switch back")
	}
}

var ldJSON = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func TestNeedPageCarriesJobPostingAndHidesNonPublic(t *testing.T) {
	s := newSite(t)
	title := `Медицинска сестра </script><script>alert(1)</script>`
	n := s.need(title, true)
	hidden := s.need("Скрита обява", false)
	b := s.browser()
	p := b.get("/needs/" + n.ID)
	if p.Status != http.StatusOK {
		t.Fatalf("GET /needs/%s = %d", n.ID, p.Status)
	}
	if strings.Contains(p.Body, "<script>alert(1)") {
		t.Fatal("the title ends the script element: not escaped")
	}
	m := ldJSON.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no JSON-LD in the page")
	}
	var jp map[string]any
	if err := json.Unmarshal([]byte(m[1]), &jp); err != nil {
		t.Fatalf("JSON-LD is not valid JSON: %v\n%s", err, m[1])
	}
	org, _ := jp["hiringOrganization"].(map[string]any)
	if jp["@context"] != "https://schema.org" || jp["@type"] != "JobPosting" || jp["title"] != title ||
		jp["validThrough"] != "2030-01-01" || org["name"] != "МБАЛ Хасково" {
		t.Errorf("JSON-LD = %v", jp)
	}
	for _, want := range []string{"МБАЛ Хасково", "Хасково", "15 януари 2030 г.", tax.Label(n.Skills[0].ID, "bg")} {
		if !strings.Contains(p.Body, html.EscapeString(want)) {
			t.Errorf("need page lacks %q", want)
		}
	}
	if p := b.get("/needs/" + hidden.ID); p.Status != http.StatusNotFound || !strings.Contains(p.Body, "Страницата не е намерена") {
		t.Errorf("need of an unverified employer = %d, want the 404 page", p.Status)
	}
	if p := b.get("/needs/no-such-need"); p.Status != http.StatusNotFound {
		t.Errorf("unknown need = %d, want 404", p.Status)
	}
	if p := b.get("/no/such/page?lang=en"); p.Status != http.StatusNotFound || !strings.Contains(p.Body, "Page not found") {
		t.Errorf("unknown page = %d, want the English 404 page", p.Status)
	}
	if p := b.get("/api/v1/no-such-route"); p.Status != http.StatusNotFound || !strings.Contains(p.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("unknown API route = %d %s, want problem+json", p.Status, p.Header.Get("Content-Type"))
	}
}

func TestSkillWithoutBulgarianNameIsMarkedEnglish(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	var enOnly string
	for _, h := range tax.SuggestSkills("care", "en", 200) {
		if sk, ok := tax.Skill(h.ID); ok && sk.Labels["bg"] == "" && sk.Labels["en"] != "" {
			enOnly = h.ID
			break
		}
	}
	if enOnly == "" {
		t.Skip("every care skill has a Bulgarian name")
	}
	ctx := context.Background()
	owner := auth.Principal{UserID: n.CreatedBy, Role: auth.RoleEmployer}
	skills := append(n.Skills[:1:1], n.Skills[0])
	skills[1].ID = enOnly
	if _, err := s.svc.Register.UpdateNeed(ctx, owner, n.ID, registerPatchSkills(skills)); err != nil {
		t.Fatal(err)
	}
	p := s.browser().get("/needs/" + n.ID)
	sk, _ := tax.Skill(enOnly)
	want := `<span lang="en">` + html.EscapeString(sk.Labels["en"]) + `</span> <abbr class="fallback"`
	if !strings.Contains(p.Body, want) {
		t.Errorf("an English-only skill is not marked on the Bulgarian page; want %s", want)
	}
	if p := s.browser().get("/needs/" + n.ID + "?lang=en"); strings.Contains(p.Body, `class="fallback"`) {
		t.Error("the English page marks English names as a fallback")
	}
}

func TestPathwaysPageListsPathwaysInTheLanguage(t *testing.T) {
	s := newSite(t)
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	_, err := s.svc.Pathways.Create(context.Background(), officer, pathway.Pathway{
		Name: map[string]string{"bg": "Път към грижата 2027", "en": "Care Career Path 2027"},
		Stages: []pathway.Stage{{Key: "orientation", Name: map[string]string{"bg": "Ориентиране", "en": "Orientation"}},
			{Key: "placement", Name: map[string]string{"bg": "Практика", "en": "Placement"}}}})
	if err != nil {
		t.Fatal(err)
	}
	bg := s.browser().get("/pathways")
	for _, want := range []string{"<h3>Път към грижата 2027</h3>", "<li>Ориентиране</li>", "<li>Практика</li>"} {
		if !strings.Contains(bg.Body, want) {
			t.Errorf("Bulgarian /pathways lacks %s", want)
		}
	}
	en := s.browser().get("/pathways?lang=en")
	if !strings.Contains(en.Body, "<h3>Care Career Path 2027</h3>") || !strings.Contains(en.Body, "<li>Placement</li>") {
		t.Errorf("English /pathways lacks the English names")
	}
}

func TestSitemapListsOnlyOpenNeeds(t *testing.T) {
	s := newSite(t)
	open := s.need("Болногледач", true)
	hidden := s.need("Скрита", false)
	p := s.browser().get("/sitemap.xml")
	if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap = %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(p.Body), &set); err != nil {
		t.Fatalf("sitemap is not XML: %v", err)
	}
	locs := map[string]bool{}
	for _, u := range set.URLs {
		locs[u.Loc] = true
	}
	if !locs[s.srv.URL+"/needs/"+open.ID] || locs[s.srv.URL+"/needs/"+hidden.ID] {
		t.Errorf("sitemap = %v, want %s and not %s", locs, open.ID, hidden.ID)
	}
}

func TestHomeSearchWorksWithAndWithoutHTMX(t *testing.T) {
	s := newSite(t)
	n := s.need("Медицинска сестра", true)
	s.need("Готвач", true)
	b := s.browser()
	p := b.get("/?q=medicinska&lang=en")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `href="/needs/`+n.ID+`"`) || strings.Contains(p.Body, "Готвач") {
		t.Errorf("Latin-letter search did not find just the nurse:\n%s", p.Body)
	}
	if !strings.Contains(p.Body, "1 opportunity found") || !strings.Contains(p.Body, "(1 posting)") {
		t.Errorf("no singular counts in English")
	}
	p = b.get("/?lang=bg")
	if !strings.Contains(p.Body, "Намерени са 2 възможности") {
		t.Errorf("no plural count in Bulgarian")
	}
	if !strings.Contains(p.Body, `href="/?kind=job"`) || !strings.Contains(p.Body, `href="/?sector=healthcare">Здравеопазване</a>`) {
		t.Errorf("no kind or sector facet link with the sector's name")
	}
	frag := b.get("/?q=gotvach", "HX-Request", "true")
	if strings.Contains(frag.Body, "<html") || !strings.Contains(frag.Body, `id="results"`) || !strings.Contains(frag.Body, "Готвач") {
		t.Errorf("htmx request did not get the results fragment:\n%s", frag.Body)
	}
	if !strings.Contains(frag.Body, `<p id="search-status" hx-swap-oob="innerHTML">Намерена е 1 възможност</p>`) {
		t.Errorf("the fragment does not update the status a screen reader hears:\n%s", frag.Body)
	}
	if p := b.get("/"); strings.Contains(p.Body, "hx-swap-oob") || !strings.Contains(p.Body, `<p id="search-status" class="visually-hidden" role="status">`) {
		t.Errorf("the full page has an out-of-band fragment, or no status region")
	}
	if p := b.get("/?q=gotvach", "HX-Request", "true", "HX-History-Restore-Request", "true"); !strings.Contains(p.Body, "<html") {
		t.Errorf("htmx's history restore did not get the whole page")
	}
	if p := b.get("/?place=harmanli&radius=5"); strings.Contains(p.Body, "Готвач") {
		t.Errorf("a search 5 km around Harmanli finds a need in Haskovo")
	}
	if p := b.get("/?place=haskovo&radius=5"); !strings.Contains(p.Body, "Готвач") {
		t.Errorf("a search around Haskovo misses a need there")
	}
}

func TestSearchPages(t *testing.T) {
	s := newSite(t)
	for i := range pageSizeTest + 1 {
		s.need("Болногледач "+string(rune('A'+i)), true)
	}
	b := s.browser()
	p := b.get("/?q=bolnogledach&lang=en")
	if !strings.Contains(p.Body, "21 opportunities found") || strings.Count(p.Body, `<li><h3><a href="/needs/`) != pageSizeTest ||
		!strings.Contains(p.Body, "Page 1 of 2") || !strings.Contains(p.Body, `rel="next"`) {
		t.Fatalf("first page is not 20 of 21 with a next link:\n%s", p.Body)
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(p.Body)
	p = b.get(html.UnescapeString(next[1]))
	if strings.Count(p.Body, `<li><h3><a href="/needs/`) != 1 || !strings.Contains(p.Body, `rel="prev"`) || strings.Contains(p.Body, `rel="next"`) {
		t.Errorf("second page is not the one left with a previous link:\n%s", p.Body)
	}
}

const pageSizeTest = 20

func TestPagesCarryCSPAndLandmarks(t *testing.T) {
	s := newSite(t)
	for _, path := range []string{"/", "/pathways", "/register", "/login"} {
		p := s.browser().get(path)
		csp := p.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s CSP = %q", path, csp)
		}
		for _, want := range []string{`<a class="skip" href="#main">`, "<header", "<nav", `<main id="main"`, "<footer", "<h1>"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
		if strings.Contains(p.Body, "style=") || regexp.MustCompile(`<script>`).MatchString(p.Body) {
			t.Errorf("%s has inline style or script", path)
		}
	}
}

// TestWebRoutesGuarded walks the engine's page routes: every unsafe one
// refuses a request without a CSRF token, and every /me page sends a
// visitor without a session to sign in. (The API's route × role matrix
// covers /api; pages use cookies, not bearer tokens.)
func TestWebRoutesGuarded(t *testing.T) {
	s := newSite(t)
	eng := s.handler.(*gin.Engine)
	seekerB, employerB := s.browser(), s.browser()
	for _, who := range []struct {
		b     *browser
		email string
		role  auth.Role
	}{{seekerB, "walk-seeker@example.bg", auth.RoleJobseeker}, {employerB, "walk-employer@example.bg", auth.RoleEmployer}} {
		if _, err := s.svc.Auth.Register(context.Background(), auth.NewAccount{Email: who.email, Password: password, Name: "Walk", Role: who.role}); err != nil {
			t.Fatal(err)
		}
		who.b.signIn(who.email)
	}
	n := 0
	for _, r := range eng.Routes() {
		if strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/static/") || !isPage(r.Path) {
			continue
		}
		n++
		path := strings.ReplaceAll(r.Path, ":id", "x1")
		b := s.browser()
		if r.Method == http.MethodPost {
			if p := b.post(path, url.Values{}); p.Status != http.StatusForbidden {
				t.Errorf("POST %s without a token = %d, want 403", r.Path, p.Status)
			}
		}
		// The workspaces (issue 11): a visitor is asked to sign in first, a
		// job-seeker reaches neither, an employer never /office (another
		// employer's need: TestReferralPagesGuarded).
		if (strings.HasPrefix(r.Path, "/employer") || strings.HasPrefix(r.Path, "/office")) && r.Method == http.MethodGet {
			if p := b.get(path); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login?next=") {
				t.Errorf("GET %s without a session = %d %s, want 303 to sign in", r.Path, p.Status, p.Header.Get("Location"))
			}
			if p := seekerB.get(path); p.Status != http.StatusForbidden {
				t.Errorf("job-seeker GET %s = %d, want 403", r.Path, p.Status)
			}
			if p := employerB.get(path); strings.HasPrefix(r.Path, "/office") && p.Status != http.StatusForbidden {
				t.Errorf("employer GET %s = %d, want 403", r.Path, p.Status)
			}
		}
		if strings.HasPrefix(r.Path, "/me") && r.Method == http.MethodGet {
			if p := b.get(path); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login?next=") {
				t.Errorf("GET %s without a session = %d %s, want 303 to sign in", r.Path, p.Status, p.Header.Get("Location"))
			}
		}
	}
	if n < 10 {
		t.Errorf("walked %d page routes, want all of them", n)
	}
	workspacesAreGuarded(t, s, eng)
}

// workspacesAreGuarded walks every route of both workspaces, whatever page
// a feature adds there: a visitor is sent to sign in; on /office an
// employer and a job-seeker, on /employer a job-seeker and an officer get
// the 403 page, reading or posting with a valid CSRF token.
func workspacesAreGuarded(t *testing.T, s *site, eng *gin.Engine) {
	t.Helper()
	ctx := context.Background()
	as := map[auth.Role]*browser{}
	for _, role := range []auth.Role{auth.RoleEmployer, auth.RoleJobseeker, auth.RoleOfficer} {
		email := "guard-" + string(role) + "@example.bg"
		acct := auth.NewAccount{Email: email, Password: password, Name: "Пламен", Role: role}
		var err error
		if role == auth.RoleOfficer {
			_, err = s.svc.Auth.CreateStaff(ctx, acct)
		} else {
			_, err = s.svc.Auth.Register(ctx, acct)
		}
		if err != nil {
			t.Fatal(err)
		}
		as[role] = s.browser()
		as[role].signIn(email)
	}
	outsiders := map[string][]auth.Role{"/office": {auth.RoleEmployer, auth.RoleJobseeker}, "/employer": {auth.RoleJobseeker, auth.RoleOfficer}}
	param := regexp.MustCompile(`[:*][A-Za-z]+`)
	walked := map[string]int{}
	for _, r := range eng.Routes() {
		for prefix, roles := range outsiders {
			if r.Path != prefix && !strings.HasPrefix(r.Path, prefix+"/") {
				continue
			}
			walked[prefix]++
			path := param.ReplaceAllString(r.Path, "x1")
			for _, role := range roles {
				b := as[role]
				var p page
				if r.Method == http.MethodPost {
					p = b.post(path, url.Values{"csrf": {b.csrf("/")}})
				} else {
					p = b.get(path)
				}
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, forbiddenBG) {
					t.Errorf("%s %s as %s = %d, want the 403 page", r.Method, r.Path, role, p.Status)
				}
			}
			if r.Method == http.MethodGet {
				if p := s.browser().get(path); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login?next=") {
					t.Errorf("GET %s without a session = %d, want 303 to sign in", r.Path, p.Status)
				}
			}
		}
	}
	if walked["/office"] < 13 || walked["/employer"] < 8 {
		t.Errorf("walked %d routes under /office and %d under /employer, want every workspace page", walked["/office"], walked["/employer"])
	}
	// Notifications: the inbox needs a session (the outbox is walked above).
	if p := s.browser().get("/notifications"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login?next=") {
		t.Errorf("GET /notifications without a session = %d, want 303 to sign in", p.Status)
	}
}

// isPage tells the web app's routes from the API's service routes.
func isPage(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/openapi.json", "/docs", "/docs/app.js":
		return false
	}
	return true
}

func TestCataloguesHaveTheSameMessages(t *testing.T) {
	// keys are the message ids of one language's catalogues: lang.toml and
	// every area's name.lang.toml.
	keys := func(lang string) map[string]bool {
		files, err := filepath.Glob("locales/*" + lang + ".toml")
		if err != nil || len(files) == 0 {
			t.Fatalf("no catalogues for %s: %v", lang, err)
		}
		m := map[string]any{}
		for _, f := range files {
			if f != "locales/"+lang+".toml" && !strings.HasSuffix(f, "."+lang+".toml") {
				continue
			}
			var part map[string]any
			if _, err := toml.DecodeFile(f, &part); err != nil {
				t.Fatal(err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					t.Errorf("%s: message %q is defined in another %s catalogue too", f, k, lang)
				}
				m[k] = v
			}
		}
		out := map[string]bool{}
		var walk func(prefix string, m map[string]any)
		walk = func(prefix string, m map[string]any) {
			for k, v := range m {
				if sub, ok := v.(map[string]any); ok {
					walk(prefix+k+".", sub)
				} else {
					out[prefix+k] = true
				}
			}
		}
		walk("", m)
		return out
	}
	bg, en := keys("bg"), keys("en")
	for k := range bg {
		if !en[k] && !strings.HasSuffix(k, ".few") && !strings.HasSuffix(k, ".many") {
			t.Errorf("%s is in bg.toml, not en.toml", k)
		}
	}
	for k := range en {
		if !bg[k] {
			t.Errorf("%s is in en.toml, not bg.toml", k)
		}
	}
	// Every message id the templates name exists.
	ids := regexp.MustCompile(`\.(?:T|N|Input "[a-zA-Z]+") "([a-z_]+)"`)
	files, _ := os.ReadDir("templates")
	for _, f := range files {
		b, _ := os.ReadFile("templates/" + f.Name())
		for _, m := range ids.FindAllStringSubmatch(string(b), -1) {
			if !bg[m[1]] && !bg[m[1]+".one"] {
				t.Errorf("%s names message %q, which bg.toml lacks", f.Name(), m[1])
			}
		}
	}
}

func TestVendoredHTMXIntegrity(t *testing.T) {
	js, err := os.ReadFile("static/vendor/htmx/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum384(js)
	want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
	s := newSite(t)
	p := s.browser().get("/")
	// The attribute as a browser reads it (html/template writes "+" as &#43;).
	m := regexp.MustCompile(`src="/static/vendor/htmx/htmx.min.js" integrity="([^"]+)"`).FindStringSubmatch(p.Body)
	if m == nil || html.UnescapeString(m[1]) != want {
		t.Errorf("the script tag's integrity is not %s: %v", want, m)
	}
	served := s.browser().get("/static/vendor/htmx/htmx.min.js")
	if served.Body != string(js) {
		t.Error("the served htmx is not the vendored file")
	}
}

// TestHomePageWeight measures / as a first visit loads it: the HTML, the
// stylesheet and htmx. The budget is the house rule's 100 KB.
func TestHomePageWeight(t *testing.T) {
	s := newSite(t)
	for i := range 20 {
		s.need("Медицинска сестра "+itoaTest(i), true)
	}
	b := s.browser()
	htmlB := len(b.get("/").Body)
	css := len(b.get("/static/app.css").Body)
	js := len(b.get("/static/vendor/htmx/htmx.min.js").Body)
	total := htmlB + css + js
	t.Logf("page weight of / with 20 results: HTML %d + CSS %d + JS %d = %d bytes", htmlB, css, js, total)
	if total > 100_000 {
		t.Errorf("/ weighs %d bytes, over 100 KB", total)
	}
}

func itoaTest(i int) string { return string(rune('A' + i)) }

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
