package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// The document is OpenAPI 3.1.0. kin-openapi v0.153.0 loads and validates
// 3.1 documents and, in openapi3filter, checks bodies with a JSON Schema
// 2020-12 validator, so the document uses 3.1 forms where they are needed
// ("type": ["array", "null"], {"type": "null"} in anyOf, examples arrays,
// if/then with const for a field required by another's value,
// contentMediaType for a binary body) and nothing that validator lacks. It
// asserts the formats date and date-time; email and uri are only
// annotations.

// servedSpec fetches /openapi.json from a running server and loads it.
func servedSpec(t *testing.T, a *api) *openapi3.T {
	t.Helper()
	r := a.do("GET", "/openapi.json", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /openapi.json = %d %s, want 200", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET /openapi.json Content-Type = %q, want application/json", ct)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(r.Body)
	if err != nil {
		t.Fatalf("LoadFromData(/openapi.json) = %v", err)
	}
	return doc
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	a := newAPI(t)
	doc := servedSpec(t, a)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("Validate(/openapi.json) = %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	for _, want := range []string{"This service uses the ESCO classification of the European Commission.", "modified version of ESCO", "Accept-Language"} {
		if !strings.Contains(doc.Info.Description, want) {
			t.Errorf("info.description lacks %q", want)
		}
	}
	if s := doc.Components.SecuritySchemes["bearerAuth"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("components.securitySchemes.bearerAuth = %+v, want an http bearer scheme", s)
	}

	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		tags[tag.Name] = true
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.Summary == "" {
				t.Errorf("%s: no summary", where)
			}
			if len(op.Tags) == 0 || !tags[op.Tags[0]] {
				t.Errorf("%s: tags %v, want one declared in the document's tags", where, op.Tags)
			}
			if prev, ok := ids[op.OperationID]; ok || op.OperationID == "" {
				t.Errorf("%s: operationId %q is empty or also used by %s", where, op.OperationID, prev)
			}
			ids[op.OperationID] = where
			// Every route reads a bearer token if one is sent, and refuses
			// a bad one; every route can fail internally.
			for _, status := range []int{401, 500} {
				if op.Responses.Status(status) == nil {
					t.Errorf("%s: no %d response", where, status)
				}
			}
			if op.RequestBody != nil {
				for _, status := range []int{400, 413, 415} {
					if op.Responses.Status(status) == nil {
						t.Errorf("%s: takes a body but documents no %d", where, status)
					}
				}
				if s := op.RequestBody.Value.Content.Get("application/json").Schema.Value; s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
					t.Errorf("%s: request body allows unknown fields; the server rejects them", where)
				}
			}
			// An operation for some roles only answers the others 403.
			roles, _ := op.Extensions["x-roles"].([]any)
			restricted := op.Security != nil && len(*op.Security) == 1 && !slices.Contains(roles, any("any signed-in role"))
			if restricted && op.Responses.Status(403) == nil {
				t.Errorf("%s: is for roles %v but documents no 403", where, roles)
			}
		}
	}
}

// The page may load nothing from elsewhere and run no inline script: its
// Content-Security-Policy is default-src 'self'.
func TestOpenAPIDocsPageLoadsUnderItsCSP(t *testing.T) {
	a := newAPI(t)
	page := a.do("GET", "/docs", "", nil)
	if page.Status != http.StatusOK || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /docs = %d %s, want 200 text/html", page.Status, page.Header.Get("Content-Type"))
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "script-src") {
		t.Fatalf("GET /docs Content-Security-Policy = %q, want default-src 'self' and no script-src exception", csp)
	}
	html := string(page.Body)
	scripts := regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(html, -1)
	if len(scripts) == 0 {
		t.Fatal("GET /docs has no <script>")
	}
	for _, s := range scripts {
		if strings.TrimSpace(s[2]) != "" {
			t.Errorf("GET /docs has an inline script, which its CSP blocks: %.80s", s[2])
		}
	}
	for _, m := range regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(html, -1) {
		if strings.Contains(m[1], "//") || strings.HasPrefix(strings.ToLower(m[1]), "data:") {
			t.Errorf("GET /docs loads %q, not from this origin", m[1])
		}
	}
	src := regexp.MustCompile(`src="([^"]+)"`).FindStringSubmatch(scripts[0][1])
	if src == nil {
		t.Fatalf("GET /docs: script without src: %s", scripts[0][0])
	}
	js := a.do("GET", "/"+strings.TrimPrefix(src[1], "/"), "", nil)
	if js.Status != http.StatusOK || !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET /%s = %d %q, want 200 text/javascript", src[1], js.Status, js.Header.Get("Content-Type"))
	}
	if !strings.Contains(string(js.Body), `fetch("openapi.json"`) {
		t.Errorf("the docs script does not fetch openapi.json from this origin")
	}
	if regexp.MustCompile(`\.(innerHTML|outerHTML)\s*=|document\.write|eval\(`).Match(js.Body) {
		t.Errorf("the docs script builds HTML from strings; build nodes instead")
	}
}

// ginEngine builds the router exactly as the harness does and returns its
// Gin engine, for the list of routes.
func ginEngine(t *testing.T) (*gin.Engine, *api) {
	t.Helper()
	var deps httpapi.Deps
	a := newAPI(t, func(d *httpapi.Deps) { deps = *d })
	deps.Registry = prometheus.NewRegistry() // New registers its metrics; a second New needs a fresh registry
	h, err := httpapi.New(deps)
	if err != nil {
		t.Fatalf("httpapi.New = %v", err)
	}
	e, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("httpapi.New returned %T, want *gin.Engine", h)
	}
	return e, a
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

func TestEveryRouteIsDocumented(t *testing.T) {
	engine, a := ginEngine(t)
	doc := servedSpec(t, a)

	routes := map[string]bool{}
	for _, r := range engine.Routes() {
		routes[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for _, r := range sortedRouteKeys(routes) {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range sortedRouteKeys(documented) {
		if !routes[d] {
			t.Errorf("openapi.json documents %s, which is no route", d)
		}
	}
}

func sortedRouteKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// specCheck sends requests to a running server and checks each request
// and response against the document.
type specCheck struct {
	t      *testing.T
	doc    *openapi3.T
	router routers.Router
	// seen records, per documented operation, the statuses seen.
	seen map[string]map[int]bool
}

func newSpecCheck(t *testing.T, doc *openapi3.T) *specCheck {
	t.Helper()
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("gorillamux.NewRouter = %v", err)
	}
	// Bodies the document declares as text: decode them as strings.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/javascript", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
	return &specCheck{t: t, doc: doc, router: router, seen: map[string]map[int]bool{}}
}

// bearerOnly accepts any request that carries a bearer token: whether the
// token is good is the server's business, and the test checks its answer.
func bearerOnly(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecuritySchemeName != "bearerAuth" {
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(h, "Bearer "); !ok || strings.TrimSpace(tok) == "" {
		return errors.New("no bearer token")
	}
	return nil
}

// liveStep is one request of the live sequence.
type liveStep struct {
	method, path, token string
	body                any      // nil, a string or []byte sent as is, or a value sent as JSON
	header              []string // extra header name, value pairs
	want                int      // the status the server must answer
	// bad says the request breaks the document, so that the document, like
	// the server, refuses it. Requests that break only rules a schema cannot
	// say (a check digit, an age, an unknown skill id) are not bad.
	bad bool
	// code, if set, is the problem code the answer must carry: it tells
	// apart the reasons one status stands for (409 already_applied or
	// no_profile, say).
	code string
}

// call sends s, checks the request and the response against the document,
// and returns the response. A wrong status stops the test: later steps
// build on this one.
func (c *specCheck) call(a *api, s liveStep) response {
	c.t.Helper()
	name := s.method + " " + s.path
	var body []byte
	switch b := s.body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			c.t.Fatal(err)
		}
	}
	newRequest := func() *http.Request {
		var rd io.Reader
		if s.body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequest(s.method, a.srv.URL+s.path, rd)
		if err != nil {
			c.t.Fatal(err)
		}
		if s.body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if s.token != "" {
			req.Header.Set("Authorization", "Bearer "+s.token)
		}
		for i := 0; i+1 < len(s.header); i += 2 {
			req.Header.Set(s.header[i], s.header[i+1])
		}
		return req
	}

	// The request against the document.
	req := newRequest()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.t.Fatalf("%s: the document has no such operation: %v", name, err)
	}
	opKey := strings.ToUpper(route.Method) + " " + route.Path
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: bearerOnly, MultiError: true, IncludeResponseStatus: true}}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	switch {
	case !s.bad && reqErr != nil:
		c.t.Errorf("%s (route %s): the request breaks the document: %v", name, opKey, reqErr)
	case s.bad && reqErr == nil:
		c.t.Errorf("%s (route %s): the document accepts a request the server must refuse with %d", name, opKey, s.want)
	}

	// The server's answer.
	res, err := http.DefaultClient.Do(newRequest())
	if err != nil {
		c.t.Fatalf("%s: %v", name, err)
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		c.t.Fatalf("%s: read body: %v", name, err)
	}
	if res.StatusCode != s.want {
		c.t.Fatalf("%s = %d %s, want %d", name, res.StatusCode, resBody, s.want)
	}
	if s.code != "" {
		var p struct {
			Code string `json:"code"`
		}
		if err := json.Unmarshal(resBody, &p); err != nil || p.Code != s.code {
			c.t.Errorf("%s = %d with code %q, want code %q", name, res.StatusCode, p.Code, s.code)
		}
	}
	if c.seen[opKey] == nil {
		c.seen[opKey] = map[int]bool{}
	}
	c.seen[opKey][res.StatusCode] = true

	// The answer against the document. The request input is the one of a
	// valid request even for a bad one: only the route and options count.
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(resBody)), Options: in.Options}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		c.t.Errorf("%s (route %s) → %d: the response does not match the document: %v\nbody: %s", name, opKey, res.StatusCode, err, clipBody(resBody))
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: resBody}
}

func clipBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// json is call that decodes a JSON object answer.
func (c *specCheck) json(a *api, s liveStep) map[string]any {
	c.t.Helper()
	r := c.call(a, s)
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		c.t.Fatalf("%s %s: decode %s: %v", s.method, s.path, clipBody(r.Body), err)
	}
	return m
}

// checkCoverage fails for each documented operation the sequence never
// answered with a success.
func (c *specCheck) checkCoverage() {
	c.t.Helper()
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			key := strings.ToUpper(method) + " " + path
			ok := false
			for status := range c.seen[key] {
				ok = ok || status < 300
			}
			if !ok {
				c.t.Errorf("route %s: no successful call in TestLiveResponsesMatchDocument; add a step", key)
			}
		}
	}
}

// skillIDs returns n skill ids the taxonomy offers for q, through the API.
func (c *specCheck) skillIDs(a *api, q string, n int) []string {
	c.t.Helper()
	res := c.json(a, liveStep{method: "GET", path: "/api/v1/skills?lang=en&limit=10&q=" + q, want: 200})
	var ids []string
	for _, it := range res["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	if len(ids) < n {
		c.t.Fatalf("GET /api/v1/skills?q=%s gave %d skills, want at least %d", q, len(ids), n)
	}
	return ids[:n]
}

// validEIKFrom returns a valid 9-digit EIK starting with the 8 digits of head.
func validEIKFrom(t *testing.T, head string) string {
	t.Helper()
	for d := '0'; d <= '9'; d++ {
		if eik := head + string(d); register.ValidEIK(eik) {
			return eik
		}
	}
	t.Fatalf("no check digit makes %s… a valid EIK", head)
	return ""
}

func TestLiveResponsesMatchDocument(t *testing.T) {
	a := newAPI(t)
	c := newSpecCheck(t, servedSpec(t, a))
	year := time.Now().Year()

	// Operations and public reads.
	c.call(a, liveStep{method: "GET", path: "/healthz", want: 200})
	c.call(a, liveStep{method: "GET", path: "/readyz", want: 200})
	c.call(a, liveStep{method: "GET", path: "/openapi.json", want: 200})
	c.call(a, liveStep{method: "GET", path: "/docs", want: 200})
	c.call(a, liveStep{method: "GET", path: "/docs/app.js", want: 200})
	// A stale token does not make health checks fail: tokens are read on /api only.
	c.call(a, liveStep{method: "GET", path: "/healthz", token: "not-a-jwt", want: 200})

	attr := c.json(a, liveStep{method: "GET", path: "/api/v1/taxonomy/attribution", want: 200})
	if s, _ := attr["text"].(string); !strings.Contains(s, "ESCO classification of the European Commission") {
		t.Errorf("attribution text = %q, want the ESCO notice", s)
	}
	nursing := c.skillIDs(a, "nursing", 4)
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills?q=%D0%BC%D0%B5%D0%B4%D0%B8%D1%86%D0%B8%D0%BD%D1%81%D0%BA%D0%B0", header: []string{"Accept-Language", "bg"}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills", want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills/" + nursing[0] + "?lang=bg", want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills/" + nursing[0], header: []string{"Accept-Language", "en"}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/occupations?q=nurse&limit=3&lang=en", want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/occupations?q=%D0%BC%D0%B5%D0%B4%D0%B8%D1%86%D0%B8%D0%BD%D1%81%D0%BA%D0%B0", want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills?q=care&limit=0", want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills?limit=abc", want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills?q=" + strings.Repeat("x", 201), want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/occupations?limit=51", header: []string{"Accept-Language", "en"}, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/skills/no-such-skill", want: 404})

	// Accounts.
	reg := func(email, role string) map[string]any {
		return map[string]any{"email": email, "password": password, "role": role, "name": "Тест " + role}
	}
	seeker := c.json(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: map[string]any{
		"email": "ana@example.bg", "password": password, "role": "jobseeker", "name": "Ана Петрова", "locale": "en"}, want: 201})
	seekerID := seeker["id"].(string)
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: reg("boss@example.bg", "employer"), want: 201})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: reg("other@example.bg", "employer"), want: 201})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: reg("ANA@example.bg", "employer"), want: 409})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: reg("o@example.bg", "officer"), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: map[string]any{"email": "u@example.bg", "password": password, "role": "jobseeker", "name": "X", "verified": true}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: map[string]any{"email": "s@example.bg", "password": "short", "role": "jobseeker", "name": "X"}, header: []string{"Accept-Language", "en"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: map[string]any{"email": "c@example.bg", "password": "1234567890", "role": "jobseeker", "name": "X"}, want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: `{"email":{"$gt":""},"password":"correct horse battery","role":"jobseeker","name":"X"}`, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: `{"email":`, want: 400, bad: true})
	big := `{"email":"big@example.bg","password":"correct horse battery","role":"jobseeker","name":"` + strings.Repeat("x", 1<<20) + `"}`
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: big, want: 413, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: "email=a", header: []string{"Content-Type", "application/x-www-form-urlencoded"}, want: 415, bad: true})

	login := func(email string) (access, refresh string) {
		t.Helper()
		tok := c.json(a, liveStep{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": email, "password": password}, want: 200})
		return tok["accessToken"].(string), tok["refreshToken"].(string)
	}
	seekerTok, seekerRefresh := login("ana@example.bg")
	bossTok, _ := login("boss@example.bg")
	otherTok, _ := login("other@example.bg")
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": "ana@example.bg", "password": "wrong password!"}, want: 401})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": "ana@example.bg"}, want: 400, bad: true})

	pair := c.json(a, liveStep{method: "POST", path: "/api/v1/auth/refresh", body: map[string]any{"refreshToken": seekerRefresh}, want: 200})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/refresh", body: map[string]any{"refreshToken": seekerRefresh}, want: 401})
	_, refresh2 := login("ana@example.bg")
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/logout", token: seekerTok, body: map[string]any{"refreshToken": refresh2}, want: 204})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/refresh", body: map[string]any{"refreshToken": refresh2}, want: 401})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/logout", body: map[string]any{"refreshToken": pair["refreshToken"]}, want: 401, bad: true})

	c.call(a, liveStep{method: "GET", path: "/api/v1/me", token: seekerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/me", want: 401, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/me", token: "garbage", header: []string{"Accept-Language", "en"}, want: 401})

	_, adminTok := a.staff("admin", "admin@az.government.bg")
	c.call(a, liveStep{method: "POST", path: "/api/v1/users", token: adminTok, body: map[string]any{
		"email": "officer@az.government.bg", "password": password, "role": "officer", "name": "Мария Иванова"}, want: 201})
	c.call(a, liveStep{method: "POST", path: "/api/v1/users", token: adminTok, body: map[string]any{
		"email": "officer@az.government.bg", "password": "another long passphrase", "role": "admin", "name": "X"}, want: 409})
	c.call(a, liveStep{method: "POST", path: "/api/v1/users", token: adminTok, body: reg("js@example.bg", "jobseeker"), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/users", token: seekerTok, body: reg("o2@example.bg", "officer"), want: 403})
	officerTok, _ := login("officer@az.government.bg")
	c.call(a, liveStep{method: "GET", path: "/api/v1/me", token: officerTok, want: 200})

	// Password change, sign-out everywhere and deletion, on an account of their own.
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: reg("leaver@example.bg", "employer"), want: 201})
	leaverTok, _ := login("leaver@example.bg")
	newPassword := map[string]any{"currentPassword": password, "newPassword": "a new long passphrase"}
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/password", token: leaverTok, body: map[string]any{"currentPassword": "wrong password!", "newPassword": "a new long passphrase"}, want: 400, code: "validation"})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/password", token: leaverTok, body: map[string]any{"currentPassword": password}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/password", token: leaverTok, body: newPassword, want: 204})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/logout-all", token: leaverTok, want: 204})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: reg("seeker.leaver@example.bg", "jobseeker"), want: 201})
	seekerLeaverTok, _ := login("seeker.leaver@example.bg")
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/me", token: seekerLeaverTok, want: 204})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/me", token: leaverTok, want: 204})
	c.call(a, liveStep{method: "GET", path: "/api/v1/me", token: leaverTok, want: 401})

	// Employers.
	eik := "000695235"
	if !register.ValidEIK(eik) {
		t.Fatalf("ValidEIK(%q) = false, want true", eik)
	}
	employer := map[string]any{"name": "МБАЛ Хасково", "eik": eik, "sector": "healthcare", "municipality": "Хасково",
		"location": map[string]any{"lat": 41.934, "lon": 25.555}, "address": "ул. Болнична 1", "website": "https://mbal-haskovo.example.bg"}
	emp := c.json(a, liveStep{method: "POST", path: "/api/v1/employers", token: bossTok, body: employer, want: 201})
	empID := emp["id"].(string)
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers", token: otherTok, body: employer, want: 409})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers", token: bossTok, body: map[string]any{"name": "Грешен ЕИК", "eik": "000695236", "sector": "care",
		"municipality": "Хасково", "location": map[string]any{"lat": 41.9, "lon": 25.5}}, want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers", token: bossTok, body: map[string]any{"name": "Без място", "eik": validEIKFrom(t, "12345678"), "sector": "care",
		"municipality": "Хасково"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers", token: seekerTok, body: employer, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers", body: employer, want: 401, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID, want: 404})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID, token: bossTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID, token: officerTok, want: 200})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/employers/" + empID, token: bossTok, body: map[string]any{
		"address": "ул. Болнична 2", "location": map[string]any{"lat": 41.935, "lon": 25.556}}, want: 200})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/employers/" + empID, token: otherTok, body: map[string]any{"name": "Чужда"}, want: 404})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/employers/" + empID, token: bossTok, body: map[string]any{"verified": true}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers/" + empID + "/verification", token: bossTok, body: map[string]any{"verified": true}, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers/" + empID + "/verification", token: officerTok, body: map[string]any{"verified": "yes"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers/no-such-employer/verification", token: officerTok, body: map[string]any{"verified": true}, want: 404})
	c.call(a, liveStep{method: "POST", path: "/api/v1/employers/" + empID + "/verification", token: officerTok, body: map[string]any{"verified": true, "note": "Проверен в Търговския регистър"}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID, want: 200})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/employers/" + empID, token: seekerTok, body: map[string]any{"name": "Чужда"}, want: 403})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/employers/" + empID, token: officerTok, body: map[string]any{"sector": "health and care"}, want: 200})

	// Needs.
	need := map[string]any{
		"employerId": empID, "kind": "job", "title": "Медицинска сестра", "description": "Грижа за пациенти в отделение.",
		"sector": "healthcare", "workMode": "onsite", "positions": 2, "hours": "full_time",
		"startDate": fmt.Sprintf("%d-01-15", year+1), "applyBy": fmt.Sprintf("%d-12-31", year+1),
		"skills":    []map[string]any{{"id": nursing[0], "level": 3, "required": true}, {"id": nursing[1], "level": 2, "required": false}},
		"languages": []map[string]any{{"code": "bg", "level": "C1"}}, "educationLevel": 5,
		"location": map[string]any{"municipality": "Хасково", "lat": 41.934, "lon": 25.555},
	}
	n := c.json(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: need, want: 201})
	needID := n["id"].(string)
	care := bodyWith(need, map[string]any{"kind": "care_pathway", "title": "Болногледач", "hours": "part_time", "nightWork": true,
		"pay": map[string]any{"min": 1100, "max": 1400}})
	careID := c.json(a, liveStep{method: "POST", path: "/api/v1/needs", token: officerTok, body: care, want: 201})["id"].(string)
	// An employer's own needs (issue 11).
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID + "/needs", token: bossTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID + "/needs?status=open", token: officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID + "/needs?status=lost", token: bossTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID + "/needs", token: otherTok, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers/" + empID + "/needs", token: seekerTok, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: bodyWith(need, map[string]any{"pay": map[string]any{"min": 1500, "max": 1200}}), want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: seekerTok, body: need, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: otherTok, body: need, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: bodyWith(need, map[string]any{
		"skills": []map[string]any{{"id": nursing[0], "level": 5}}}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: bodyWith(need, map[string]any{
		"skills": []map[string]any{{"id": "no-such-skill", "level": 2}}}), want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: bodyWith(need, map[string]any{"skills": []map[string]any{}}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: bodyWith(need, map[string]any{"startDate": "15.01.2027"}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: bodyWith(need, map[string]any{"employerId": "no-such-employer"}), want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs", token: bossTok, body: bodyWith(need, map[string]any{"score": 1}), want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + needID, want: 200})
	found := c.json(a, liveStep{method: "GET", path: "/api/v1/needs?q=%D1%81%D0%B5%D1%81%D1%82%D1%80%D0%B0&kind=job&skill=" + nursing[0] +
		"&near=41.93,25.55&radiusKm=10&page=1&pageSize=5", want: 200})
	if total, _ := found["total"].(float64); total != 1 {
		t.Errorf("GET /api/v1/needs?q=сестра… total = %v, want 1", found["total"])
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs", header: []string{"Accept-Language", "en"}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs?pageSize=101", want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs?kind=gig", want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs?near=north", want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/no-such-need", want: 404})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/needs/" + needID, token: otherTok, body: map[string]any{"positions": 3}, want: 403})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/needs/" + needID, token: bossTok, body: map[string]any{
		"status": "draft", "positions": 3, "skills": []map[string]any{{"id": nursing[2], "level": 4, "required": true}}}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + needID, want: 404})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/needs/" + needID, token: otherTok, body: map[string]any{"positions": 3}, want: 404})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/needs/" + needID, token: bossTok, body: map[string]any{"endDate": fmt.Sprintf("%d-01-01", year)}, want: 400})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/needs/" + needID, token: bossTok, body: map[string]any{"status": "archived"}, want: 400, bad: true})
	c.call(a, liveStep{method: "PATCH", path: "/api/v1/needs/" + needID, token: officerTok, body: map[string]any{"status": "open", "endDate": fmt.Sprintf("%d-06-30", year+1)}, want: 200})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/needs/" + needID, token: seekerTok, want: 403})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/needs/" + needID, want: 401, bad: true})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/needs/" + needID, token: bossTok, want: 204})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/needs/" + needID, token: bossTok, want: 404})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + needID, token: bossTok, want: 404})

	// Profiles.
	profile := map[string]any{
		"displayName": "Ана", "birthYear": year - 25, "phone": "+359888123456", "municipality": "Хасково",
		"location": map[string]any{"lat": 41.934, "lon": 25.555}, "maxTravelKm": 40, "workModes": []string{"onsite", "hybrid"},
		"skills": []map[string]any{{"id": nursing[0], "level": 3}, {"id": nursing[3], "level": 2}}, "languages": []map[string]any{{"code": "bg", "level": "C2"}, {"code": "en", "level": "B1"}},
		"educationLevel": 4, "interests": map[string]any{"kinds": []string{"job", "care_pathway"}, "sectors": []string{"healthcare"}},
		"availableFrom": fmt.Sprintf("%d-01-01", year+1), "availableTo": fmt.Sprintf("%d-12-31", year+1), "hours": "any",
		"summary": "Медицинска сестра с опит в домашни грижи.", "consent": map[string]any{"matching": true},
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me", token: seekerTok, want: 404})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: seekerTok, body: profile, want: 200})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: seekerTok, body: map[string]any{
		"displayName": "Ана П.", "birthYear": year - 25, "municipality": "Хасково", "location": map[string]any{"lat": 41.934, "lon": 25.555},
		"workModes": []string{"remote"}, "educationLevel": 4, "availableFrom": fmt.Sprintf("%d-02-01", year+1), "consent": map[string]any{"matching": false}}, want: 200})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: seekerTok, body: profile, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me", token: seekerTok, want: 200})

	// Matching, both ways: the consenting profile and the open care need fit.
	mine := c.json(a, liveStep{method: "GET", path: "/api/v1/profiles/me/matches?limit=5&lang=en", token: seekerTok, want: 200})
	if items, _ := mine["items"].([]any); len(items) == 0 {
		t.Errorf("GET /api/v1/profiles/me/matches: no matches, want the care need (so that a match's shape is checked)")
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me/matches?kind=care_pathway", token: seekerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me/matches?kind=forecast", token: seekerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me/matches?limit=101", token: seekerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me/matches", token: officerTok, want: 403})
	cands := c.json(a, liveStep{method: "GET", path: "/api/v1/needs/" + careID + "/matches", token: bossTok, want: 200})
	if items, _ := cands["items"].([]any); len(items) == 0 {
		t.Errorf("GET /api/v1/needs/{id}/matches: no candidates, want the job-seeker (so that a card's shape is checked)")
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + careID + "/matches?limit=3&lang=bg", token: officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + careID + "/matches", token: otherTok, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + careID + "/matches", token: seekerTok, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + careID + "/matches", want: 401, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/no-such-need/matches", token: officerTok, want: 404})
	c.call(a, liveStep{method: "GET", path: "/api/v1/needs/" + careID + "/matches?limit=0", token: bossTok, want: 400, bad: true})

	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: seekerTok, body: bodyWith(profile, map[string]any{"birthYear": year - 10}), want: 400})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: seekerTok, body: bodyWith(profile, map[string]any{"workModes": []string{}}), want: 400, bad: true})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: seekerTok, body: bodyWith(profile, map[string]any{"consent": map[string]any{}}), want: 400, bad: true})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: bossTok, body: profile, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me", token: officerTok, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/" + seekerID + "?purpose=referral", token: officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/" + seekerID, token: officerTok, header: []string{"Accept-Language", "en"}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/" + seekerID, token: bossTok, want: 404})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/" + seekerID, token: seekerTok, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/no-such-profile", token: officerTok, want: 404})
	guardian := map[string]any{"name": "Елена Петрова", "relation": "parent", "givenOn": time.Now().UTC().Format(time.DateOnly)}
	c.call(a, liveStep{method: "POST", path: "/api/v1/profiles/" + seekerID + "/guardian-consent", token: officerTok, body: guardian, want: 409, code: "no_guardian_needed"})
	c.call(a, liveStep{method: "POST", path: "/api/v1/profiles/" + seekerID + "/guardian-consent", token: bossTok, body: guardian, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/profiles/" + seekerID + "/guardian-consent", token: officerTok,
		body: bodyWith(guardian, map[string]any{"relation": "neighbour"}), want: 400, bad: true})
	kid := c.json(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: map[string]any{
		"email": "kid@example.bg", "password": password, "role": "jobseeker", "name": "Дете"}, want: 201})["id"].(string)
	kidTok := c.json(a, liveStep{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": "kid@example.bg", "password": password}, want: 200})["accessToken"].(string)
	kidBirth := time.Now().UTC().AddDate(-13, -1, 0).Format("2006-01")
	kidProfile := bodyWith(profile, map[string]any{"displayName": "Дете", "birthDate": kidBirth})
	delete(kidProfile, "birthYear")
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: kidTok, body: kidProfile, want: 200})
	c.call(a, liveStep{method: "POST", path: "/api/v1/profiles/" + kid + "/guardian-consent", token: officerTok, body: guardian, want: 200})
	export := c.json(a, liveStep{method: "GET", path: "/api/v1/profiles/me/export", token: seekerTok, want: 200})
	if views, _ := export["views"].([]any); len(views) != 2 {
		t.Errorf("export views = %d, want the officer's 2 reads", len(views))
	}

	// Match review and placement rounds, before the person erases the profile.
	cast := liveCast{seekerID: seekerID, seekerTok: seekerTok, bossTok: bossTok, otherTok: otherTok, officerTok: officerTok,
		need: need, profile: profile, careID: careID, year: year, skills: nursing}
	c.liveMatchReview(a, cast)
	c.livePlacementRound(a, cast)
	c.livePathway(a, cast)
	c.liveInsights(a, cast)
	c.liveNotifications(a, cast)
	held := c.json(a, liveStep{method: "GET", path: "/api/v1/profiles/me/export", token: seekerTok, want: 200})
	if ms, _ := held["matches"].([]any); len(ms) != 2 {
		t.Errorf("export matches = %d, want the application and the round's proposal", len(ms))
	}
	if ps, _ := held["pathways"].([]any); len(ps) != 1 {
		t.Errorf("export pathways = %d, want the Care Career Path participation", len(ps))
	}

	c.liveEvents(a, cast)
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me/export", token: bossTok, want: 403})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/profiles/me", token: bossTok, want: 403})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/profiles/me", token: seekerTok, want: 204})
	c.call(a, liveStep{method: "DELETE", path: "/api/v1/profiles/me", token: seekerTok, want: 204}) // idempotent
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me/matches", token: seekerTok, want: 404})
	// The account went with the profile: nothing is held to export.
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/me/export", token: seekerTok, want: 404})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/" + seekerID, token: officerTok, want: 404})

	// Sign-in throttle, on a server of its own since it also throttles
	// this client's address: the tenth failure makes the next try 429.
	th := newAPI(t)
	c.call(th, liveStep{method: "POST", path: "/api/v1/auth/register", body: reg("boss@example.bg", "employer"), want: 201})
	for range 10 {
		c.call(th, liveStep{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": "boss@example.bg", "password": "not the password"}, want: 401})
	}
	r := c.call(th, liveStep{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": "boss@example.bg", "password": password}, want: 429})
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("429 Retry-After = %q, want seconds", r.Header.Get("Retry-After"))
	}

	officeLiveSteps(t, c, a, officerTok)

	// Not ready.
	down := newAPI(t, func(d *httpapi.Deps) {
		d.Ready = func(context.Context) map[string]error {
			return map[string]error{"store": errors.New("connection refused")}
		}
	})
	c.call(down, liveStep{method: "GET", path: "/readyz", want: 503})
	liveReferralSteps(t, c) // internal/httpapi/referrals_test.go

	c.checkCoverage()
}

// bodyWith returns a copy of base with the fields of over set.
func bodyWith(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// liveCast is who the live sequence acts as, and what they made: a
// job-seeker with a consenting profile, an employer user (boss) who is a
// member of a verified employer, another employer user who is a member of
// none, an officer, a job need body of the boss's employer, and an open care
// need with night work.
type liveCast struct {
	seekerID, seekerTok, bossTok, otherTok, officerTok string
	need, profile                                      map[string]any
	careID                                             string
	year                                               int
	skills                                             []string // at least 3 skill ids; the profile holds the first
}

// liveMatchReview drives the review workflow: the job-seeker applies to the
// care need, the office refers, the employer invites, offers and places.
func (c *specCheck) liveMatchReview(a *api, w liveCast) {
	t := c.t
	t.Helper()
	apply := "/api/v1/needs/" + w.careID + "/applications"
	c.call(a, liveStep{method: "POST", path: apply, token: w.bossTok, want: 403})
	c.call(a, liveStep{method: "POST", path: apply, want: 401, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs/no-such-need/applications", token: w.seekerTok, want: 404})
	applied := c.json(a, liveStep{method: "POST", path: apply, token: w.seekerTok, want: 201})
	id, _ := applied["id"].(string)
	if applied["state"] != "applied" || applied["profileId"] != w.seekerID || applied["origin"] != "application" || applied["ageGroup"] != "25-29" {
		t.Errorf("application = %v, want applied by the job-seeker, aged 25-29", applied)
	}
	c.call(a, liveStep{method: "POST", path: apply, token: w.seekerTok, header: []string{"Accept-Language", "en"}, want: 409, code: "already_applied"})
	forecast := c.json(a, liveStep{method: "POST", path: "/api/v1/needs", token: w.bossTok, body: bodyWith(w.need, map[string]any{
		"kind": "forecast", "title": "Медицински сестри догодина"}), want: 201})["id"].(string)
	c.call(a, liveStep{method: "POST", path: "/api/v1/needs/" + forecast + "/applications", token: w.seekerTok, want: 409, code: "not_open"})
	c.call(a, liveStep{method: "POST", path: "/api/v1/auth/register", body: map[string]any{
		"email": "ivan@example.bg", "password": password, "role": "jobseeker", "name": "Иван Иванов"}, want: 201})
	minorTok := c.json(a, liveStep{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": "ivan@example.bg", "password": password}, want: 200})["accessToken"].(string)
	c.call(a, liveStep{method: "POST", path: apply, token: minorTok, want: 409, code: "no_profile"}) // no profile yet
	c.call(a, liveStep{method: "PUT", path: "/api/v1/profiles/me", token: minorTok, body: bodyWith(w.profile, map[string]any{
		"displayName": "Иван", "birthYear": w.year - 16, "birthDate": fmt.Sprintf("%d-06", w.year-16), "consent": map[string]any{"matching": false}}), want: 200})
	c.call(a, liveStep{method: "POST", path: apply, token: minorTok, want: 409, code: "minor_not_allowed"}) // under 18, and the need has night work

	// Lists and reads: the employer sees nothing before the referral.
	page := c.json(a, liveStep{method: "GET", path: "/api/v1/matches?state=applied&needId=" + w.careID + "&profileId=" + w.seekerID +
		"&programme=care_pathway&ageGroup=25-29&overdue=false&page=1&pageSize=10", token: w.officerTok, want: 200})
	if page["total"] != float64(1) {
		t.Errorf("officer's filtered matches total = %v, want 1", page["total"])
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches", token: w.seekerTok, header: []string{"Accept-Language", "en"}, want: 200})
	if l := c.json(a, liveStep{method: "GET", path: "/api/v1/matches", token: w.bossTok, want: 200}); l["total"] != float64(0) {
		t.Errorf("employer lists %v matches before the referral, want 0", l["total"])
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches?state=hired", token: w.officerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches?ageGroup=40-49", token: w.officerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches?pageSize=101", token: w.officerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches", want: 401, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches/" + id, token: w.seekerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches/" + id, token: w.bossTok, want: 404})
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches/no-such-match", token: w.officerTok, want: 404})

	// Moves, as the table in internal/match/machine.go allows.
	move := "/api/v1/matches/" + id + "/transitions"
	c.call(a, liveStep{method: "POST", path: move, token: w.seekerTok, body: map[string]any{"to": "referred"}, want: 403})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "placed"}, want: 409, code: "forbidden_move"})
	c.call(a, liveStep{method: "POST", path: move, token: w.bossTok, body: map[string]any{"to": "referred"}, want: 404})
	c.call(a, liveStep{method: "POST", path: "/api/v1/matches/no-such-match/transitions", token: w.officerTok, body: map[string]any{"to": "referred"}, want: 404})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "hired"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "referred", "state": "placed"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "referred", "note": strings.Repeat("x", 2001)}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: "to=referred", header: []string{"Content-Type", "text/plain"}, want: 415, bad: true})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "referred"}, header: []string{"Authorization", "Bearer forged"}, want: 401})
	referred := c.json(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "referred", "note": "Подходяща кандидатка"}, want: 200})
	if referred["state"] != "referred" || referred["referredAt"] == nil || referred["outcomeDue"] == nil || referred["overdue"] != false {
		t.Errorf("referral = %v, want referred with referredAt and outcomeDue", referred)
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches/" + id, token: w.bossTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches?state=referred", token: w.bossTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/profiles/" + w.seekerID, token: w.bossTok, want: 200}) // the referral discloses
	c.call(a, liveStep{method: "GET", path: "/api/v1/matches/" + id, token: w.otherTok, want: 404})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "interview"}, want: 403})
	c.call(a, liveStep{method: "POST", path: move, token: w.bossTok, body: map[string]any{"to": "interview", "note": "Събеседване в понеделник"}, want: 200})
	c.call(a, liveStep{method: "POST", path: move, token: w.bossTok, body: map[string]any{"to": "offered"}, want: 200})
	placed := c.json(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "placed"}, want: 200})
	if h, _ := placed["history"].([]any); placed["state"] != "placed" || len(h) != 5 {
		t.Errorf("placed match = %v, want state placed and 5 history entries", placed)
	}
	c.call(a, liveStep{method: "POST", path: move, token: w.seekerTok, body: map[string]any{"to": "withdrawn"}, want: 409, code: "forbidden_move"}) // placed is final
}

// livePlacementRound runs an internship round: preferences, an employer's
// ranking, runs with pins and forbidden pairs, publication, and the review
// of the proposal it makes.
func (c *specCheck) livePlacementRound(a *api, w liveCast) {
	t := c.t
	t.Helper()
	intern := func(title string) string {
		return c.json(a, liveStep{method: "POST", path: "/api/v1/needs", token: w.bossTok, body: bodyWith(w.need, map[string]any{
			"kind": "internship", "title": title, "positions": 1}), want: 201})["id"].(string)
	}
	ward, lab := intern("Стаж в отделение"), intern("Стаж в лаборатория")
	closes := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	body := map[string]any{"name": "Стажове есен", "programme": "internship", "needIds": []string{ward, lab}, "closesAt": closes}
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.bossTok, body: body, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", body: body, want: 401, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{"needIds": []string{ward, w.careID}}), want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{"needIds": []string{ward, "no-such-need"}}), want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{"needIds": []string{ward, ward}}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{"needIds": []string{}}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{"programme": "job"}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{"closesAt": "tomorrow"}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{"status": "published"}), want: 400, bad: true})
	id := c.json(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: body, want: 201})["id"].(string)
	c.call(a, liveStep{method: "GET", path: "/api/v1/rounds/" + id, token: w.bossTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/rounds/no-such-round", token: w.officerTok, want: 404})
	c.call(a, liveStep{method: "GET", path: "/api/v1/rounds", token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/rounds", token: w.seekerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/rounds", want: 401, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/rounds/" + id, want: 401, bad: true})

	// The job-seeker wants the lab first; the lab's employer ranks them.
	prefs := "/api/v1/rounds/" + id + "/preferences/me"
	c.call(a, liveStep{method: "PUT", path: prefs, token: w.seekerTok, body: map[string]any{"needIds": []string{lab, ward}}, want: 200})
	c.call(a, liveStep{method: "PUT", path: prefs, token: w.seekerTok, body: map[string]any{"needIds": []string{w.careID}}, want: 400})
	c.call(a, liveStep{method: "PUT", path: prefs, token: w.seekerTok, body: map[string]any{"needIds": []string{lab, lab}}, want: 400, bad: true})
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("need-%d", i)
	}
	c.call(a, liveStep{method: "PUT", path: prefs, token: w.seekerTok, body: map[string]any{"needIds": many}, want: 400, bad: true})
	c.call(a, liveStep{method: "PUT", path: prefs, token: w.seekerTok, body: map[string]any{}, want: 400, bad: true})
	c.call(a, liveStep{method: "PUT", path: prefs, token: w.bossTok, body: map[string]any{"needIds": []string{lab}}, want: 403})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/rounds/no-such-round/preferences/me", token: w.seekerTok, body: map[string]any{"needIds": []string{lab}}, want: 404})
	rank := "/api/v1/rounds/" + id + "/preferences/needs/" + lab
	c.call(a, liveStep{method: "PUT", path: rank, token: w.bossTok, body: map[string]any{"profileIds": []string{w.seekerID}}, want: 200})
	c.call(a, liveStep{method: "PUT", path: rank, token: w.officerTok, body: map[string]any{"profileIds": []string{w.seekerID, "someone-else"}}, want: 200})
	c.call(a, liveStep{method: "PUT", path: rank, token: w.otherTok, body: map[string]any{"profileIds": []string{w.seekerID}}, want: 403})
	c.call(a, liveStep{method: "PUT", path: rank, token: w.seekerTok, body: map[string]any{"profileIds": []string{w.seekerID}}, want: 403})
	c.call(a, liveStep{method: "PUT", path: rank, token: w.bossTok, body: map[string]any{"profileIds": w.seekerID}, want: 400, bad: true})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/rounds/" + id + "/preferences/needs/" + w.careID, token: w.bossTok, body: map[string]any{"profileIds": []string{}}, want: 404})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/rounds/" + id + "/preferences/needs/no-such-need", token: w.bossTok, body: map[string]any{"profileIds": []string{}}, want: 404})
	mine := c.json(a, liveStep{method: "GET", path: "/api/v1/rounds/" + id, token: w.seekerTok, want: 200})
	if p, _ := mine["preferences"].(map[string]any); len(p) != 1 || p[w.seekerID] == nil {
		t.Errorf("the job-seeker's view of the round has preferences %v, want only their own", mine["preferences"])
	}

	// Runs: by the lab's ranking, then with a pin and a forbidden pair.
	run := "/api/v1/rounds/" + id + "/run"
	c.call(a, liveStep{method: "POST", path: run, token: w.bossTok, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds/no-such-round/run", token: w.officerTok, want: 404})
	first := c.json(a, liveStep{method: "POST", path: run, token: w.officerTok, want: 200})
	if got := placedOn(first, lab, "profileIds"); len(got) != 1 || got[0] != w.seekerID || first["blockingPairs"] != float64(0) {
		t.Errorf("run = %v, want the job-seeker on the lab and no blocking pairs", first)
	}
	c.call(a, liveStep{method: "POST", path: run, token: w.officerTok, body: map[string]any{
		"pins": []map[string]any{{"profileId": "not-in-the-round", "needId": ward}}}, want: 400})
	c.call(a, liveStep{method: "POST", path: run, token: w.officerTok, body: map[string]any{
		"pins": []map[string]any{{"profileId": w.seekerID}}}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: run, token: w.officerTok, body: map[string]any{"pins": []any{}, "seed": 1}, want: 400, bad: true})
	pinned := c.json(a, liveStep{method: "POST", path: run, token: w.officerTok, body: map[string]any{
		"pins":      []map[string]any{{"profileId": w.seekerID, "needId": ward}},
		"forbidden": []map[string]any{{"profileId": w.seekerID, "needId": lab}}}, want: 200})
	if got := placedOn(pinned, ward, "pinned"); len(got) != 1 || got[0] != w.seekerID {
		t.Errorf("run with a pin = %v, want the job-seeker pinned on the ward", pinned)
	}
	if full := c.json(a, liveStep{method: "GET", path: "/api/v1/rounds/" + id, token: w.officerTok, want: 200}); full["lastRun"] == nil {
		t.Errorf("the officer's view of the round has no lastRun")
	}

	// Publication makes a proposed match; the round is closed to changes.
	publish := "/api/v1/rounds/" + id + "/publish"
	c.call(a, liveStep{method: "POST", path: publish, token: w.bossTok, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds/no-such-round/publish", token: w.officerTok, want: 404})
	pub := c.json(a, liveStep{method: "POST", path: publish, token: w.officerTok, want: 200})
	if pub["status"] != "published" || pub["matchesCreated"] != float64(1) {
		t.Errorf("publish = %v, want published with 1 match", pub)
	}
	c.call(a, liveStep{method: "POST", path: publish, token: w.officerTok, want: 409, code: "round_published"})
	c.call(a, liveStep{method: "POST", path: run, token: w.officerTok, want: 409, code: "round_published"})
	c.call(a, liveStep{method: "PUT", path: prefs, token: w.seekerTok, body: map[string]any{"needIds": []string{ward}}, want: 409, code: "round_published"})
	c.call(a, liveStep{method: "PUT", path: rank, token: w.bossTok, body: map[string]any{"profileIds": []string{}}, want: 409, code: "round_published"})

	// A round past closesAt takes no preferences, and one never run cannot be published.
	late := c.json(a, liveStep{method: "POST", path: "/api/v1/rounds", token: w.officerTok, body: bodyWith(body, map[string]any{
		"name": "Закъснял кръг", "closesAt": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}), want: 201})["id"].(string)
	c.call(a, liveStep{method: "PUT", path: "/api/v1/rounds/" + late + "/preferences/me", token: w.seekerTok, body: map[string]any{"needIds": []string{ward}}, want: 409, code: "round_closed"})
	c.call(a, liveStep{method: "POST", path: "/api/v1/rounds/" + late + "/publish", token: w.officerTok, want: 409, code: "round_not_run"})

	// The proposal goes to review: only an officer sees it before referral,
	// and a rejection needs a standard reason.
	props := c.json(a, liveStep{method: "GET", path: "/api/v1/matches?state=proposed&programme=internship", token: w.officerTok, want: 200})
	items, _ := props["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("proposed matches = %v, want the round's one", props)
	}
	prop := items[0].(map[string]any)
	if prop["origin"] != "round" || prop["roundId"] != id || prop["needId"] != ward {
		t.Errorf("proposed match = %v, want from the round, on the ward", prop)
	}
	move := "/api/v1/matches/" + prop["id"].(string) + "/transitions"
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "rejected"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{"to": "rejected", "reason": "too young"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: move, token: w.bossTok, body: map[string]any{"to": "rejected", "reason": "skills"}, want: 404})
	rejected := c.json(a, liveStep{method: "POST", path: move, token: w.officerTok, body: map[string]any{
		"to": "rejected", "reason": "position_filled", "note": "Мястото е заето"}, want: 200})
	if rejected["state"] != "rejected" || rejected["reason"] != "position_filled" {
		t.Errorf("rejection = %v, want rejected for position_filled", rejected)
	}
	c.call(a, liveStep{method: "POST", path: move, token: w.seekerTok, body: map[string]any{"to": "withdrawn"}, want: 409, code: "forbidden_move"})
}

// placedOn returns a run's list (profileIds or pinned) for a need.
func placedOn(run map[string]any, needID, list string) []any {
	as, _ := run["assignments"].([]any)
	for _, x := range as {
		if m, _ := x.(map[string]any); m["needId"] == needID {
			l, _ := m[list].([]any)
			return l
		}
	}
	return nil
}

// livePathway runs the job-seeker through a two-stage Care Career Path:
// enrolment, acceptance, an entry check, and stages up to completion, which
// certifies a skill on the profile.
func (c *specCheck) livePathway(a *api, w liveCast) {
	t := c.t
	t.Helper()
	name := func(bg, en string) map[string]any { return map[string]any{"bg": bg, "en": en} }
	body := map[string]any{"name": name("Път към грижата", "Care Career Path"), "stages": []map[string]any{
		{"key": "orientation", "name": name("Ориентация", "Orientation"),
			"requirements": []map[string]any{{"key": "medical", "name": name("Медицинско свидетелство", "Medical certificate")}}},
		{"key": "training", "name": name("Обучение", "Training"), "grantsSkills": []map[string]any{{"id": w.skills[2], "level": 2}}},
	}}
	stages := func(s ...map[string]any) map[string]any { return bodyWith(body, map[string]any{"stages": s}) }
	c.call(a, liveStep{method: "GET", path: "/api/v1/pathways", want: 200})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways", token: w.bossTok, body: body, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways", body: body, want: 401, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways", token: w.officerTok, body: stages(), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways", token: w.officerTok, body: stages(map[string]any{"key": "Step One", "name": name("Стъпка", "Step")}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways", token: w.officerTok, body: stages(map[string]any{"key": "one", "name": map[string]any{"bg": "Стъпка"}}), want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways", token: w.officerTok, body: stages(
		map[string]any{"key": "one", "name": name("Стъпка", "Step"), "grantsSkills": []map[string]any{{"id": "no-such-skill", "level": 2}}}), want: 400})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways", token: w.officerTok, body: stages(
		map[string]any{"key": "one", "name": name("Стъпка", "Step")}, map[string]any{"key": "one", "name": name("Пак", "Again")}), want: 400})
	id := c.json(a, liveStep{method: "POST", path: "/api/v1/pathways", token: w.officerTok, body: body, want: 201})["id"].(string)
	if l, _ := c.json(a, liveStep{method: "GET", path: "/api/v1/pathways", header: []string{"Accept-Language", "en"}, want: 200})["items"].([]any); len(l) != 1 {
		t.Errorf("GET /api/v1/pathways lists %d pathways, want 1", len(l))
	}

	// The job-seeker enrols and waits for an officer.
	people := "/api/v1/pathways/" + id + "/participants"
	me := people + "/" + w.seekerID
	enrolled := c.json(a, liveStep{method: "POST", path: people, token: w.seekerTok, body: map[string]any{"profileId": w.seekerID}, want: 201})
	if enrolled["status"] != "pending" {
		t.Errorf("self-enrolment = %v, want pending", enrolled)
	}
	c.call(a, liveStep{method: "POST", path: people, token: w.seekerTok, body: map[string]any{"profileId": w.seekerID}, want: 409, code: "already_enrolled"})
	c.call(a, liveStep{method: "POST", path: people, token: w.seekerTok, body: map[string]any{"profileId": "someone-else"}, want: 403})
	c.call(a, liveStep{method: "POST", path: people, token: w.bossTok, body: map[string]any{"profileId": w.seekerID}, want: 403})
	c.call(a, liveStep{method: "POST", path: people, token: w.officerTok, body: map[string]any{"profileId": "no-such-profile"}, want: 409, code: "no_profile"})
	c.call(a, liveStep{method: "POST", path: people, token: w.officerTok, body: map[string]any{}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways/no-such-pathway/participants", token: w.officerTok, body: map[string]any{"profileId": w.seekerID}, want: 404})
	c.call(a, liveStep{method: "GET", path: people, token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: people, token: w.bossTok, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/pathways/no-such-pathway/participants", token: w.officerTok, want: 404})
	c.call(a, liveStep{method: "POST", path: me + "/progress", token: w.officerTok, body: map[string]any{"stage": "orientation", "status": "started"}, want: 409, code: "not_active"}) // not accepted yet
	c.call(a, liveStep{method: "POST", path: me + "/acceptance", token: w.bossTok, want: 403})
	c.call(a, liveStep{method: "POST", path: people + "/no-such-profile/acceptance", token: w.officerTok, want: 404})
	c.call(a, liveStep{method: "POST", path: me + "/acceptance", token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "POST", path: me + "/acceptance", token: w.officerTok, want: 409, code: "not_pending"})

	// Entry check: only whether and when.
	today := time.Now().UTC().Format(time.DateOnly)
	c.call(a, liveStep{method: "POST", path: me + "/checks", token: w.officerTok, body: map[string]any{"requirement": "medical", "checked": true, "on": today}, want: 200})
	c.call(a, liveStep{method: "POST", path: me + "/checks", token: w.officerTok, body: map[string]any{
		"requirement": "medical", "checked": true, "on": time.Now().UTC().Add(48 * time.Hour).Format(time.DateOnly)}, want: 400})
	c.call(a, liveStep{method: "POST", path: me + "/checks", token: w.officerTok, body: map[string]any{"requirement": "medical", "checked": true, "on": "01.02.2026"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: me + "/checks", token: w.officerTok, body: map[string]any{"requirement": "medical", "on": today}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: me + "/checks", token: w.officerTok, body: map[string]any{"requirement": "criminal_record", "checked": true, "on": today}, want: 404})
	c.call(a, liveStep{method: "POST", path: me + "/checks", token: w.bossTok, body: map[string]any{"requirement": "medical", "checked": true, "on": today}, want: 403})

	// Stages: completing the last certifies its skill and completes the participant.
	progress := me + "/progress"
	c.call(a, liveStep{method: "POST", path: progress, token: w.officerTok, body: map[string]any{"stage": "orientation", "status": "started", "mentor": "Мария Иванова"}, want: 200})
	c.call(a, liveStep{method: "POST", path: progress, token: w.officerTok, body: map[string]any{"stage": "no-such-stage", "status": "started"}, want: 400})
	c.call(a, liveStep{method: "POST", path: progress, token: w.officerTok, body: map[string]any{"stage": "orientation", "status": "done"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: progress, token: w.officerTok, body: map[string]any{"stage": "orientation", "status": "completed", "mentor": nil, "nextStep": "Записване за обучение"}, want: 200})
	c.call(a, liveStep{method: "POST", path: progress, token: w.officerTok, body: map[string]any{"stage": "orientation", "status": "started"}, want: 409, code: "stage_completed"})
	c.call(a, liveStep{method: "POST", path: progress, token: w.bossTok, body: map[string]any{"stage": "training", "status": "started"}, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/pathways/no-such-pathway/participants/" + w.seekerID + "/progress", token: w.officerTok, body: map[string]any{"stage": "training", "status": "started"}, want: 404})
	done := c.json(a, liveStep{method: "POST", path: progress, token: w.officerTok, body: map[string]any{"stage": "training", "status": "completed"}, want: 200})
	if done["status"] != "completed" {
		t.Errorf("after the last stage the participant is %v, want completed", done["status"])
	}
	certified := false
	for _, x := range c.json(a, liveStep{method: "GET", path: "/api/v1/profiles/me", token: w.seekerTok, want: 200})["skills"].([]any) {
		sk := x.(map[string]any)
		certified = certified || (sk["id"] == w.skills[2] && sk["evidence"] == "certified")
	}
	if !certified {
		t.Errorf("the profile lacks the certified skill %s after the training stage", w.skills[2])
	}
	c.call(a, liveStep{method: "POST", path: progress, token: w.officerTok, body: map[string]any{"stage": "training", "status": "started"}, want: 409, code: "not_active"})
}

// liveInsights reads the office's figures and exports over what the
// sequence made so far.
func (c *specCheck) liveInsights(a *api, w liveCast) {
	t := c.t
	t.Helper()
	gap := c.json(a, liveStep{method: "GET", path: "/api/v1/insights/skills-gap", token: w.officerTok, want: 200})
	if items, _ := gap["items"].([]any); len(items) == 0 {
		t.Errorf("GET /api/v1/insights/skills-gap: no rows, want the open needs' skills (so that a row's shape is checked)")
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/skills-gap?by=group&kind=internship&sector=healthcare&lang=en", token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/skills-gap?by=occupation", token: w.officerTok, header: []string{"Accept-Language", "en"}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/skills-gap?by=sector&kind=care_pathway", token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/skills-gap?by=person", token: w.officerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/skills-gap", token: w.bossTok, want: 403})
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/skills-gap", want: 401, bad: true})

	ind := c.json(a, liveStep{method: "GET", path: "/api/v1/insights/indicators", token: w.officerTok, want: 200})
	if pw, _ := ind["pathways"].(map[string]any); pw["participants"] != float64(1) {
		t.Errorf("indicators pathways = %v, want the one participant", ind["pathways"])
	}
	now := time.Now().UTC()
	c.call(a, liveStep{method: "GET", path: fmt.Sprintf("/api/v1/insights/indicators?from=%d-01-01&to=%s", now.Year()-1, now.Format(time.DateOnly)), token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/indicators?from=01.01.2026", token: w.officerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: fmt.Sprintf("/api/v1/insights/indicators?from=%d-12-31&to=%d-01-01", now.Year(), now.Year()), token: w.officerTok, want: 400})
	c.call(a, liveStep{method: "GET", path: "/api/v1/insights/indicators", token: w.seekerTok, want: 403})

	csv := c.call(a, liveStep{method: "GET", path: "/api/v1/exports/needs.csv", token: w.officerTok, want: 200})
	if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(csv.Body), "\uFEFF") {
		t.Errorf("needs.csv: Content-Type %q, body %.40q; want text/csv with a byte order mark", csv.Header.Get("Content-Type"), csv.Body)
	}
	xlsx := c.call(a, liveStep{method: "GET", path: "/api/v1/exports/matches.xlsx", token: w.officerTok, want: 200})
	if !strings.HasPrefix(string(xlsx.Body), "PK") || !strings.Contains(xlsx.Header.Get("Content-Disposition"), ".xlsx") {
		t.Errorf("matches.xlsx: Content-Disposition %q, body %.8q; want a workbook (a zip file) as an attachment", xlsx.Header.Get("Content-Disposition"), xlsx.Body)
	}
	c.call(a, liveStep{method: "GET", path: fmt.Sprintf("/api/v1/exports/indicators.csv?from=%d-01-01&lang=en", now.Year()), token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/exports/skills-gap.xlsx?kind=care_pathway&sector=healthcare", token: w.officerTok, header: []string{"Accept-Language", "en"}, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/exports/people.csv", token: w.officerTok, want: 404, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/exports/needs.pdf", token: w.officerTok, want: 404, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/exports/needs.csv?to=yesterday", token: w.officerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/exports/needs.csv", token: w.bossTok, want: 403})
}

// liveNotifications reads the seeker's inbox (the referral and the moves
// of the match review told them) and saves preferences.
func (c *specCheck) liveNotifications(a *api, w liveCast) {
	t := c.t
	t.Helper()
	list := c.json(a, liveStep{method: "GET", path: "/api/v1/notifications", token: w.seekerTok, want: 200})
	if items, _ := list["items"].([]any); len(items) == 0 {
		t.Errorf("GET /api/v1/notifications: no items, want the seeker's referral (so that an item's shape is checked)")
	}
	c.call(a, liveStep{method: "GET", path: "/api/v1/notifications?page=0", token: w.seekerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/notifications/1/read", token: w.seekerTok, want: 204})
	c.call(a, liveStep{method: "POST", path: "/api/v1/notifications/99999/read", token: w.seekerTok, want: 404})
	c.call(a, liveStep{method: "POST", path: "/api/v1/notifications/read", token: w.bossTok, want: 204})
	c.call(a, liveStep{method: "GET", path: "/api/v1/notifications/preferences", token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/notifications/preferences", token: w.officerTok,
		body: map[string]any{"emailOff": []string{"outcome_due"}, "digest": true}, want: 200})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/notifications/preferences", token: w.seekerTok,
		body: map[string]any{"digest": true}, want: 400})
	c.call(a, liveStep{method: "PUT", path: "/api/v1/notifications/preferences", token: w.seekerTok,
		body: map[string]any{"emailOff": []string{"gossip"}}, want: 400, bad: true})
}
