package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/taxonomy"
)

// site is the real server (API and pages, wired by app.Wire and
// Services.Deps as the product wires them) on a fresh embedded store, with
// a clock the test moves.
type site struct {
	t       *testing.T
	srv     *httptest.Server
	handler http.Handler
	store   *store.Store
	svc     app.Services
	clock   *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// tax is the taxonomy the sites are built over.
var tax *taxonomy.Taxonomy

func newSite(t *testing.T, opts ...func(*app.Services)) *site {
	t.Helper()
	tax = apptest.Taxonomy(t)
	clk := &clock{t: time.Now().UTC().Truncate(time.Millisecond)}
	env := apptest.Open(t, apptest.Options{Now: clk.Now})
	for _, o := range opts {
		o(&env.Services)
	}
	st, svc := env.Store, env.Services
	h, err := httpapi.New(env.Deps())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{t: t, srv: srv, handler: h, store: st, svc: svc, clock: clk}
}

// browser is one visitor: its own cookie jar; redirects are not followed,
// so tests see them.
type browser struct {
	s      *site
	client *http.Client
	base   string
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, base: s.srv.URL, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	Status int
	Header http.Header
	Body   string
}

func (b *browser) do(req *http.Request) page {
	b.s.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// get fetches a path; headers are name, value pairs.
func (b *browser) get(path string, headers ...string) page {
	b.s.t.Helper()
	req, err := http.NewRequest("GET", b.base+path, nil)
	if err != nil {
		b.s.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// post sends a form as a browser on this site would: with its Origin
// unless headers set another (an empty value removes it).
func (b *browser) post(path string, form url.Values, headers ...string) page {
	b.s.t.Helper()
	req, err := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the token of the forms on the page at path.
func (b *browser) csrf(path string) string {
	b.s.t.Helper()
	p := b.get(path)
	m := csrfField.FindStringSubmatch(p.Body)
	if m == nil {
		b.s.t.Fatalf("GET %s (%d) has no CSRF field", path, p.Status)
	}
	return m[1]
}

// submit fetches the form's page for its token, then posts the form.
func (b *browser) submit(formPage, action string, form url.Values) page {
	b.s.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("csrf", b.csrf(formPage))
	return b.post(action, f)
}

const password = "correct horse battery"

// signUp registers a job-seeker through the page and leaves the browser
// signed in.
func (b *browser) signUp(email string) {
	b.s.t.Helper()
	p := b.submit("/register", "/register", url.Values{"name": {"Ана"}, "email": {email}, "password": {password}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/me" {
		b.s.t.Fatalf("register %s = %d %s, want 303 to /me", email, p.Status, p.Body)
	}
}

func (b *browser) signIn(email string) {
	b.s.t.Helper()
	p := b.submit("/login", "/login", url.Values{"email": {email}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		b.s.t.Fatalf("sign in %s = %d %s, want 303", email, p.Status, p.Body)
	}
}

// signedIn reports whether the browser's session still opens /me.
func (b *browser) signedIn() bool {
	b.s.t.Helper()
	p := b.get("/me")
	switch {
	case p.Status == http.StatusOK:
		return true
	case p.Status == http.StatusSeeOther && strings.HasPrefix(p.Header.Get("Location"), "/login"):
		return false
	}
	b.s.t.Fatalf("GET /me = %d %s", p.Status, p.Header.Get("Location"))
	return false
}

// need makes a need of a new employer, verified (so the need is public)
// or not.
func (s *site) need(title string, verified bool) register.Need {
	s.t.Helper()
	ctx := context.Background()
	nextEIK++
	owner, err := s.svc.Auth.Register(ctx, auth.NewAccount{Email: "owner" + strings.Repeat("x", nextEIK) + "@example.bg",
		Password: password, Name: "Owner", Role: auth.RoleEmployer})
	if err != nil {
		s.t.Fatal(err)
	}
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	by := auth.Principal{UserID: owner.ID, Role: auth.RoleEmployer}
	e, err := s.svc.Register.CreateEmployer(ctx, by, register.Employer{Name: "МБАЛ Хасково", EIK: validEIK(s.t),
		Sector: "healthcare", Municipality: "Хасково", Location: register.GeoPoint{Lat: 41.934, Lon: 25.555}})
	if err != nil {
		s.t.Fatal(err)
	}
	if verified {
		if _, err := s.svc.Register.Verify(ctx, officer, e.ID, true, "checked"); err != nil {
			s.t.Fatal(err)
		}
	}
	ids := skillIDs(s.t, 2)
	n, err := s.svc.Register.CreateNeed(ctx, by, register.Need{EmployerID: e.ID, Kind: "job", Title: title,
		Description: "Грижа за пациенти в отделение.", Sector: "healthcare", WorkMode: "onsite", Positions: 2,
		Hours: "full_time", StartDate: "2030-01-15", ApplyBy: "2030-01-01", Status: register.StatusOpen,
		Skills:   []register.SkillRequirement{{ID: ids[0], Level: 3, Required: true}, {ID: ids[1], Level: 2}},
		Location: register.Location{Municipality: "Хасково", Lat: 41.934, Lon: 25.555}})
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

var nextEIK int

func validEIK(t *testing.T) string {
	t.Helper()
	for h := 10000000 + nextEIK*7919; ; h++ {
		head := strconv.Itoa(h)
		for d := '0'; d <= '9'; d++ {
			if eik := head + string(d); register.ValidEIK(eik) {
				return eik
			}
		}
	}
}

// skillIDs returns n skills with both a Bulgarian and an English label.
func skillIDs(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for _, h := range tax.SuggestSkills("медицинск", "bg", 20) {
		out = append(out, h.ID)
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("fewer than %d skills found", n)
	return nil
}

// newTLSServer serves h over TLS.
func newTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func registerPatchSkills(skills []register.SkillRequirement) register.NeedPatch {
	return register.NeedPatch{Skills: &skills}
}
