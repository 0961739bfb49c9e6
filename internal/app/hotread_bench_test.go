package app_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/register"
)

// The hot reads through the real HTTP server (router, middleware, the
// wired services over the embedded store), in parallel, as the load phases
// of `make bench` send them; /healthz is the floor. Figures go to the
// report, never to an assertion:
//
//	go test -run '^$' -bench HotReads -benchtime 3s ./internal/app/
func BenchmarkHotReads(b *testing.B) {
	w := newHotWorld(b)
	w.decide(b, w.a, true)
	n := w.createNeed(b)
	deps := w.a.Deps()
	deps.Web = nil
	h, err := httpapi.New(deps)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	// The same router with the register reading the store, as before the
	// hot reads: the figure the memory is measured against.
	stored := w.a.Deps() // a registry of its own
	stored.Web = nil
	stored.Register = register.NewService(w.a.Store.Employers(), w.a.Store.Needs(), nil, nil, w.now)
	hs, err := httpapi.New(stored)
	if err != nil {
		b.Fatal(err)
	}
	storeSrv := httptest.NewServer(hs)
	b.Cleanup(storeSrv.Close)
	signer, err := auth.NewSigner(bytes.Repeat([]byte{7}, 32), "skillsmatch", 15*time.Minute, w.now) // apptest's key and the world's clock
	if err != nil {
		b.Fatal(err)
	}
	officer, err := signer.Issue(w.officer.UserID, auth.RoleOfficer)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, path, token string
		srv               *httptest.Server
	}{
		{"healthz", "/healthz", "", srv},
		{"key read GET /needs/{id}", "/api/v1/needs/" + n.ID, "", srv},
		{"key read from the store", "/api/v1/needs/" + n.ID, "", storeSrv},
		{"officer GET /needs/{id}/matches", "/api/v1/needs/" + n.ID + "/matches?limit=20", officer, srv},
	} {
		b.Run(c.name, func(b *testing.B) { benchGet(b, c.srv, c.path, c.token) })
	}
}

func benchGet(b *testing.B, srv *httptest.Server, path, token string) {
	b.SetParallelism(16) // 32 clients on 2 CPUs, as the load phases
	hc := srv.Client()
	hc.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			res, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("GET %s = %d, want 200", path, res.StatusCode)
				return
			}
		}
	})
}
