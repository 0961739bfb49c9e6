package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/prometheus/client_golang/prometheus"
)

// api is a real server: the real router over real services on a fresh
// database of the embedded store.
type api struct {
	t     *testing.T
	srv   *httptest.Server
	store *store.Store
	auth  *auth.Service
	// metrics is what the metrics listener serves (internal/app), apart
	// from the API.
	metrics *prometheus.Registry
	// handler is the router itself, for tests that walk its route list.
	handler http.Handler
}

func loadTaxonomy(t *testing.T) *taxonomy.Taxonomy { return apptest.Taxonomy(t) }

func newAPI(t *testing.T, opts ...func(*httpapi.Deps)) *api {
	t.Helper()
	env := apptest.Open(t, apptest.Options{})
	deps := env.Deps()
	// The API alone: these tests (the route × role matrix, routes vs
	// OpenAPI) walk the engine's routes and speak bearer tokens; the
	// pages use cookie sessions and have their own route walk
	// (internal/web TestWebRoutesGuarded) on the product's full wiring.
	deps.Web = nil
	for _, o := range opts {
		o(&deps)
	}
	return serve(t, env, deps)
}

// serve starts the real router over deps on a test server.
func serve(t *testing.T, env *apptest.Env, deps httpapi.Deps) *api {
	t.Helper()
	h, err := httpapi.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &api{t: t, srv: srv, store: env.Store, auth: env.Services.Auth, metrics: deps.Registry, handler: h}
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return m
}

// do sends a request; body may be a string (sent as is) or a value
// (JSON-encoded). token may be empty.
func (a *api) do(method, path, token string, body any, headers ...string) response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// must sends a request and fails the test unless the status is want.
func (a *api) must(want int, method, path, token string, body any) map[string]any {
	a.t.Helper()
	r := a.do(method, path, token, body)
	if r.Status != want {
		a.t.Fatalf("%s %s = %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	if len(r.Body) == 0 {
		return nil
	}
	return r.json(a.t)
}

const password = "correct horse battery"

// user registers and signs in a self-service user, returning id and token.
func (a *api) user(role, email string) (id, token string) {
	a.t.Helper()
	u := a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{
		"email": email, "password": password, "role": role, "name": "Test " + role})
	return u["id"].(string), a.login(email)
}

// staff creates an officer or admin directly (as the CLI does) and signs in.
func (a *api) staff(role, email string) (id, token string) {
	a.t.Helper()
	u, err := a.auth.CreateStaff(context.Background(), auth.NewAccount{Email: email, Password: password, Role: auth.Role(role), Name: "Staff " + role})
	if err != nil {
		a.t.Fatal(err)
	}
	return u.ID, a.login(email)
}

func (a *api) login(email string) string {
	a.t.Helper()
	tok := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": password})
	return tok["accessToken"].(string)
}

// race sends the same request n times at once and counts the statuses.
func (a *api) race(n int, method, path, token string, body any) map[int]int {
	a.t.Helper()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := a.do(method, path, token, body)
			mu.Lock()
			statuses[r.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return statuses
}
