package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/careget/skillsmatch/pkg/client"
)

// fakeServer answers with a canned response per "METHOD /path" and records
// the last request it saw. These tests pin the client's side of the wire;
// the end-to-end tests in internal/app run it against the real server.
type fakeServer struct {
	t       *testing.T
	answers map[string]func(w http.ResponseWriter, r *http.Request)
	last    *http.Request
	body    []byte
}

func newFake(t *testing.T) (*fakeServer, *httptest.Server) {
	t.Helper()
	f := &fakeServer{t: t, answers: map[string]func(http.ResponseWriter, *http.Request){}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.last = r
		f.body, _ = io.ReadAll(r.Body)
		h, ok := f.answers[r.Method+" "+r.URL.Path]
		if !ok {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"type":"x","title":"no route","status":404,"code":"route_not_found"}`)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return f, srv
}

func jsonAnswer(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func TestLoginKeepsTokensAndSendsThem(t *testing.T) {
	f, srv := newFake(t)
	f.answers["POST /api/v1/auth/login"] = jsonAnswer(200, `{"accessToken":"A1","refreshToken":"R1","tokenType":"Bearer","expiresIn":900}`)
	f.answers["GET /api/v1/me"] = jsonAnswer(200, `{"id":"u1","email":"a@b.bg","role":"jobseeker","name":"A"}`)
	f.answers["POST /api/v1/auth/refresh"] = jsonAnswer(200, `{"accessToken":"A2","refreshToken":"R2","tokenType":"Bearer","expiresIn":900}`)
	f.answers["POST /api/v1/auth/logout"] = func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }
	ctx := context.Background()
	c := client.New(srv.URL+"/", client.WithLanguage("en"))

	if _, err := c.Login(ctx, "a@b.bg", "secret pass"); err != nil {
		t.Fatalf("Login() = %v, want nil", err)
	}
	if got, want := string(f.body), `{"email":"a@b.bg","password":"secret pass"}`; got != want {
		t.Errorf("Login() sent %s, want %s", got, want)
	}
	if got := f.last.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Login() Content-Type = %q, want application/json", got)
	}
	u, err := c.Me(ctx)
	if err != nil || u.ID != "u1" {
		t.Fatalf("Me() = %+v, %v, want id u1", u, err)
	}
	if got := f.last.Header.Get("Authorization"); got != "Bearer A1" {
		t.Errorf("Me() Authorization = %q, want %q", got, "Bearer A1")
	}
	if got := f.last.Header.Get("Accept-Language"); got != "en" {
		t.Errorf("Me() Accept-Language = %q, want en", got)
	}
	if _, err := c.Refresh(ctx); err != nil {
		t.Fatalf("Refresh() = %v, want nil", err)
	}
	if got, want := string(f.body), `{"refreshToken":"R1"}`; got != want {
		t.Errorf("Refresh() sent %s, want %s", got, want)
	}
	if got := c.Tokens().AccessToken; got != "A2" {
		t.Errorf("Tokens().AccessToken after Refresh = %q, want A2", got)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatalf("Logout() = %v, want nil", err)
	}
	if got, want := string(f.body), `{"refreshToken":"R2"}`; got != want {
		t.Errorf("Logout() sent %s, want %s", got, want)
	}
	if got := c.Tokens(); got != (client.Tokens{}) {
		t.Errorf("Tokens() after Logout = %+v, want zero", got)
	}
}

func TestProblem(t *testing.T) {
	f, srv := newFake(t)
	f.answers["POST /api/v1/auth/register"] = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(400)
		fmt.Fprint(w, `{"type":"https://x/problems/validation","title":"Invalid","status":400,"code":"validation",
			"errors":[{"field":"password","code":"password_short","message":"at least 10 characters"}]}`)
	}
	f.answers["GET /api/v1/me"] = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprint(w, "<html>bad gateway</html>")
	}
	f.answers["POST /api/v1/auth/login"] = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Retry-After", "42")
		w.WriteHeader(429)
		fmt.Fprint(w, `{"type":"x","title":"Too many","status":429,"code":"too_many_attempts"}`)
	}
	ctx := context.Background()
	c := client.New(srv.URL)

	_, err := c.Register(ctx, client.NewUser{Email: "a@b.bg", Password: "short", Role: "jobseeker", Name: "A"})
	var p *client.Problem
	if !errors.As(fmt.Errorf("wrapped: %w", err), &p) {
		t.Fatalf("Register() error = %T %v, want a *client.Problem", err, err)
	}
	want := []client.FieldError{{Field: "password", Code: "password_short", Message: "at least 10 characters"}}
	if p.Status != 400 || p.Code != "validation" || !reflect.DeepEqual(p.Errors, want) {
		t.Errorf("Register() problem = %+v, want 400 validation with %+v", p, want)
	}
	if !client.IsStatus(err, 400) || client.IsStatus(err, 404) || client.IsStatus(errors.New("x"), 400) {
		t.Errorf("IsStatus(%v) answers wrongly", err)
	}

	_, err = c.Me(ctx)
	if !client.IsStatus(err, 502) || !errors.As(err, &p) || p.Title != "Bad Gateway" || p.Detail != "<html>bad gateway</html>" {
		t.Errorf("Me() on an HTML 502 = %#v, want a Problem with status 502, title Bad Gateway and the body as detail", err)
	}

	_, err = c.Login(ctx, "a@b.bg", "whatever it is")
	if !errors.As(err, &p) || p.Status != 429 || p.RetryAfter != 42 {
		t.Errorf("Login() throttled = %#v, want status 429 and RetryAfter 42", err)
	}
	if got := c.Tokens(); got != (client.Tokens{}) {
		t.Errorf("Tokens() after a failed Login = %+v, want zero", got)
	}
}

func TestQueriesAndPaths(t *testing.T) {
	f, srv := newFake(t)
	f.answers["GET /api/v1/skills"] = jsonAnswer(200, `{"items":[{"id":"s1","label":"nursing","altLabels":[],"group":"g","groupLabel":"G","score":1}]}`)
	f.answers["GET /api/v1/profiles/a b"] = jsonAnswer(200, `{"id":"a b"}`)
	f.answers["GET /readyz"] = jsonAnswer(503, `{"ready":false,"checks":{"store":"down","index":"ok"}}`)
	ctx := context.Background()
	c := client.New(srv.URL)

	hits, err := c.SuggestSkills(ctx, client.SkillQuery{Q: "медицинска сестра", Lang: "bg", Limit: 5})
	if err != nil || len(hits) != 1 || hits[0].ID != "s1" {
		t.Fatalf("SuggestSkills() = %+v, %v, want one hit s1", hits, err)
	}
	if got, want := f.last.URL.Query().Encode(), "lang=bg&limit=5&q=%D0%BC%D0%B5%D0%B4%D0%B8%D1%86%D0%B8%D0%BD%D1%81%D0%BA%D0%B0+%D1%81%D0%B5%D1%81%D1%82%D1%80%D0%B0"; got != want {
		t.Errorf("SuggestSkills() query = %s, want %s", got, want)
	}
	if f.last.Header.Get("Authorization") != "" {
		t.Errorf("anonymous SuggestSkills() sent Authorization %q, want none", f.last.Header.Get("Authorization"))
	}

	if _, err := c.Profile(ctx, "a b", "referral"); err != nil {
		t.Fatalf("Profile(%q) = %v, want nil", "a b", err)
	}
	if got, want := f.last.URL.EscapedPath(), "/api/v1/profiles/a%20b"; got != want {
		t.Errorf("Profile(%q) path = %s, want %s", "a b", got, want)
	}
	if got := f.last.URL.Query().Get("purpose"); got != "referral" {
		t.Errorf("Profile() purpose = %q, want referral", got)
	}

	f.answers["GET /api/v1/needs"] = jsonAnswer(200, `{"items":[],"total":0,"page":2,"pageSize":5,"facets":{"kind":{"job":3}}}`)
	page, err := c.SearchNeeds(ctx, client.NeedQuery{Q: "sestra", Skills: []string{"a", "b"},
		Near: &client.GeoPoint{Lat: 41.9, Lon: 25.55}, RadiusKm: 12.5, Page: 2, PageSize: 5})
	if err != nil || page.Facets["kind"]["job"] != 3 {
		t.Fatalf("SearchNeeds() = %+v, %v, want the facets", page, err)
	}
	if got, want := f.last.URL.RawQuery, "near=41.9%2C25.55&page=2&pageSize=5&q=sestra&radiusKm=12.5&skill=a&skill=b"; got != want {
		t.Errorf("SearchNeeds() query = %s, want %s", got, want)
	}

	f.answers["GET /api/v1/profiles/me/matches"] = jsonAnswer(200, `{"items":[{"need":{"id":"n1"},"score":0.8,
		"explanation":{"matchedSkills":[],"missingSkills":[{"id":"s","label":"S","required":true,"levelWanted":3,"levelHas":1}],
		"distanceKm":4.2,"languagesOk":true,"availabilityOk":true,"parts":[]}}],"nearMisses":[],"nextSkills":[]}`)
	m, err := c.MyMatches(ctx, "internship", 7)
	if err != nil || len(m.Items) != 1 || m.Items[0].Need.ID != "n1" || *m.Items[0].Explanation.MissingSkills[0].LevelHas != 1 {
		t.Fatalf("MyMatches() = %+v, %v, want need n1 with a missing skill held at level 1", m, err)
	}
	if got, want := f.last.URL.RawQuery, "kind=internship&limit=7"; got != want {
		t.Errorf("MyMatches() query = %s, want %s", got, want)
	}

	r, err := c.Ready(ctx)
	if !client.IsStatus(err, 503) || r.Ready || r.Checks["store"] != "down" {
		t.Errorf("Ready() = %+v, %v, want not ready with store down and a 503 Problem", r, err)
	}
}

// TestBodiesMatchTheContract checks that request bodies carry exactly the
// API's field names, and omit what the caller left out: the server rejects
// unknown fields.
func TestBodiesMatchTheContract(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"NewEmployer", client.NewEmployer{Name: "N", EIK: "000695235", Sector: "care", Municipality: "Haskovo",
			Location: client.GeoPoint{Lat: 41.9, Lon: 25.5}},
			`{"name":"N","eik":"000695235","sector":"care","municipality":"Haskovo","location":{"lat":41.9,"lon":25.5}}`},
		{"EmployerPatch", client.EmployerPatch{Website: ptr("https://x.bg")}, `{"website":"https://x.bg"}`},
		{"NeedPatch", client.NeedPatch{Status: ptr("closed"), Positions: ptr(2)}, `{"positions":2,"status":"closed"}`},
		{"ProfileInput", client.ProfileInput{DisplayName: "A", BirthYear: 2000, Municipality: "Haskovo",
			WorkModes: []string{"onsite"}, Skills: []client.SkillLevel{{ID: "s", Level: 2}}, AvailableFrom: "2026-01-01",
			Consent: client.Consent{Matching: true}},
			`{"displayName":"A","birthYear":2000,"municipality":"Haskovo","location":{"lat":0,"lon":0},"maxTravelKm":0,` +
				`"workModes":["onsite"],"skills":[{"id":"s","level":2}],"educationLevel":0,"interests":{},` +
				`"availableFrom":"2026-01-01","consent":{"matching":true}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("json.Marshal(%s) = %s, want %s", tt.name, b, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
