package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestCrashKeepsIndexAndStoreInStep kills the real server process with
// SIGKILL in the middle of a burst of writes, restarts it on the same data,
// and checks that every acknowledged write is stored and searchable, every
// acknowledged delete is gone from search, and search shows nothing the
// store does not hold.
func TestCrashKeepsIndexAndStoreInStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, strings.NewReader(password+"\n"), "user", "add", "--role", "officer", "--email", "officer@example.bg", "--name", "Officer", "--data", data)

	srv := startBinary(t, bin, data)
	c := &raw{base: srv.url, t: t}
	ownerTok := c.signup("employer", "owner@example.bg")
	officerTok := c.login("officer@example.bg")
	emp := c.call("POST", "/api/v1/employers", ownerTok, map[string]any{"name": "Crash Ltd", "eik": validEIK,
		"sector": "care", "municipality": "Хасково", "location": map[string]any{"lat": 41.93, "lon": 25.55}}, 201)
	employerID := emp["id"].(string)
	c.call("POST", "/api/v1/employers/"+employerID+"/verification", officerTok, map[string]any{"verified": true}, 200)
	skill := c.call("GET", "/api/v1/skills?q=care&limit=1", "", nil, 200)["items"].([]any)[0].(map[string]any)["id"].(string)

	// The burst: 8 writers create needs and delete some of their own; the
	// process is killed at a random moment while they run.
	var mu sync.Mutex
	created := map[string]string{} // id → unique word in its title
	deleted := map[string]bool{}   // acknowledged deletes
	attempted := map[string]bool{} // deletes sent, acknowledged or not
	ctx, stopWriters := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				word := fmt.Sprintf("zqx%dw%d", w, i)
				n, ok := c.try("POST", "/api/v1/needs", ownerTok, map[string]any{"employerId": employerID, "kind": "job",
					"title": "Crash test " + word, "sector": "care", "workMode": "onsite", "positions": 1, "hours": "full_time",
					"startDate": "2027-03-01", "skills": []map[string]any{{"id": skill, "level": 2, "required": true}},
					"location": map[string]any{"municipality": "Хасково", "lat": 41.93, "lon": 25.55}}, 201)
				if !ok {
					return
				}
				id := n["id"].(string)
				mu.Lock()
				created[id] = word
				mu.Unlock()
				if i%3 == 2 {
					mu.Lock()
					attempted[id] = true
					mu.Unlock()
					if _, ok := c.try("DELETE", "/api/v1/needs/"+id, ownerTok, nil, 204); ok {
						mu.Lock()
						deleted[id] = true
						mu.Unlock()
					}
				}
			}
		}()
	}
	time.Sleep(time.Duration(300+rand.IntN(900)) * time.Millisecond)
	srv.kill(t)
	stopWriters()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(created) < 5 {
		t.Fatalf("only %d needs acknowledged before the kill; the burst did not run", len(created))
	}
	t.Logf("killed after %d acknowledged creates and %d acknowledged deletes", len(created), len(deleted))

	srv = startBinary(t, bin, data)
	c.base = srv.url
	found := c.searchAll()
	for id, word := range created {
		if attempted[id] && !deleted[id] {
			// The kill came during the delete: either outcome is right, as
			// long as search agrees with the store.
			_, stored := c.try("GET", "/api/v1/needs/"+id, "", nil, 200)
			if stored != found[id] {
				t.Errorf("need %s with an unacknowledged delete: stored %v, searchable %v", id, stored, found[id])
			}
			continue
		}
		if deleted[id] {
			c.call("GET", "/api/v1/needs/"+id, ownerTok, nil, 404)
			if found[id] {
				t.Errorf("deleted need %s is still searchable", id)
			}
			continue
		}
		c.call("GET", "/api/v1/needs/"+id, "", nil, 200)
		hits := c.call("GET", "/api/v1/needs?q="+word, "", nil, 200)["items"].([]any)
		if len(hits) != 1 || hits[0].(map[string]any)["id"] != id {
			t.Errorf("acknowledged need %s (%s) not found by its word after restart: %v", id, word, hits)
		}
	}
	for id := range found {
		// Writes in flight at the kill may or may not have been stored;
		// whatever search shows must be in the store.
		c.call("GET", "/api/v1/needs/"+id, "", nil, 200)
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "skillsmatch")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/careget/skillsmatch/cmd/skillsmatch").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func run(t *testing.T, bin string, stdin io.Reader, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = stdin
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
}

type process struct {
	cmd *exec.Cmd
	url string
	out *bytes.Buffer
}

func startBinary(t *testing.T, bin, data string) *process {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &process{out: new(bytes.Buffer), url: "http://" + addr}
	p.cmd = exec.Command(bin, "serve", "--addr", addr, "--data", data)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _, _ = p.cmd.Process.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server did not become ready:\n%s", p.out)
	return nil
}

func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = p.cmd.Process.Wait()
}

// raw is a bare HTTP caller: the crash test must see every answer,
// including connection errors at the kill.
type raw struct {
	base string
	t    *testing.T
}

var crashClient = &http.Client{Timeout: 20 * time.Second}

func (c *raw) try(method, path, token string, body any, want int) (map[string]any, bool) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := crashClient.Do(req)
	if err != nil {
		return nil, false
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return nil, false
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m, true
}

func (c *raw) call(method, path, token string, body any, want int) map[string]any {
	c.t.Helper()
	m, ok := c.try(method, path, token, body, want)
	if !ok {
		c.t.Fatalf("%s %s: not %d", method, path, want)
	}
	return m
}

func (c *raw) signup(role, email string) string {
	c.call("POST", "/api/v1/auth/register", "", map[string]any{"email": email, "password": password, "role": role, "name": "X"}, 201)
	return c.login(email)
}

func (c *raw) login(email string) string {
	return c.call("POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": password}, 200)["accessToken"].(string)
}

func (c *raw) searchAll() map[string]bool {
	found := map[string]bool{}
	for page := 1; ; page++ {
		res := c.call("GET", fmt.Sprintf("/api/v1/needs?pageSize=100&page=%d", page), "", nil, 200)
		items := res["items"].([]any)
		for _, it := range items {
			found[it.(map[string]any)["id"].(string)] = true
		}
		if len(items) < 100 {
			return found
		}
	}
}
