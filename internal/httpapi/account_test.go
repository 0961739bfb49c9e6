package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/pkg/client"
)

// behindProxy is the harness with the loopback address as a trusted proxy,
// so that X-Forwarded-For sets each request's client address.
func behindProxy(t *testing.T) *api {
	t.Helper()
	return newAPI(t, func(d *httpapi.Deps) { d.TrustedProxies = []string{"127.0.0.1"} })
}

func from(addr string) []string { return []string{"X-Forwarded-For", addr} }

func (a *api) loginFrom(addr, email, pw string) response {
	a.t.Helper()
	return a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": pw}, from(addr)...)
}

func registration(email string) map[string]any {
	return map[string]any{"email": email, "password": password, "role": "jobseeker", "name": "X"}
}

// Item 7: a stranger's failures from one address lock that address out of
// the account, not the owner signing in from another.
func TestOwnerSignsInFromCleanAddressAfterLockout(t *testing.T) {
	a := behindProxy(t)
	a.user("jobseeker", "owner@example.bg")
	const attacker, owner = "203.0.113.9", "198.51.100.20"
	for i := range 10 {
		if r := a.loginFrom(attacker, "owner@example.bg", "guess guess guess"); r.Status != 401 {
			t.Fatalf("failure %d from the attacker: %d, want 401", i+1, r.Status)
		}
	}
	// The attacker's address is now locked for this account, even with the right password.
	for range 2 {
		r := a.loginFrom(attacker, "owner@example.bg", password)
		checkProblem(t, r, 429, "")
		if r.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if r := a.loginFrom(owner, "owner@example.bg", password); r.Status != 200 {
		t.Fatalf("the owner from a clean address after 10 failures from another: %d %s, want 200", r.Status, r.Body)
	}
}

// Item 7: behind one school address, failures on one pupil's account do
// not lock another's, nor do a few dozen failures on many accounts.
func TestSharedAddressDoesNotLockOtherAccounts(t *testing.T) {
	a := behindProxy(t)
	const school = "192.0.2.44"
	a.user("jobseeker", "pupil.x@example.bg")
	a.user("jobseeker", "pupil.y@example.bg")
	for i := range 12 {
		r := a.loginFrom(school, "pupil.x@example.bg", "forgot it again")
		if want := 401; i >= 10 {
			checkProblem(t, r, 429, "")
		} else if r.Status != want {
			t.Fatalf("failure %d on X: %d, want %d", i+1, r.Status, want)
		}
	}
	for i := range 20 {
		if r := a.loginFrom(school, fmt.Sprintf("someone%d@example.bg", i), "forgot it again"); r.Status != 401 {
			t.Fatalf("failure %d on another account from the school: %d, want 401", i+1, r.Status)
		}
	}
	if r := a.loginFrom(school, "pupil.y@example.bg", password); r.Status != 200 {
		t.Fatalf("pupil Y from the school's address after 32 failures of others there: %d %s, want 200", r.Status, r.Body)
	}
}

// Concurrent guesses each see the others: a burst from one address gets at
// most the ten tries the account allows it, never one per request.
func TestConcurrentGuessesStayWithinTheLimit(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "target@example.bg")
	statuses := a.race(24, "POST", "/api/v1/auth/login", "", map[string]any{"email": "target@example.bg", "password": "guess guess guess"})
	if statuses[401] > 10 || statuses[401]+statuses[429] != 24 {
		t.Fatalf("24 concurrent wrong passwords: %v, want at most ten 401 and the rest 429", statuses)
	}
}

// Item 2: registrations are limited per client address, before any
// hashing: a throttled address is answered 429 even when every hashing
// slot is taken.
func TestRegistrationThrottledPerAddress(t *testing.T) {
	a := behindProxy(t)
	a.auth.Limit(auth.Limits{RegistrationsPerHour: 3, Hasher: auth.NewHasher(1, 50*time.Millisecond)})
	const busy, other = "203.0.113.50", "203.0.113.51"
	for i := range 3 {
		if r := a.do("POST", "/api/v1/auth/register", "", registration(fmt.Sprintf("r%d@example.bg", i)), from(busy)...); r.Status != 201 {
			t.Fatalf("registration %d: %d %s, want 201", i+1, r.Status, r.Body)
		}
	}
	r := a.do("POST", "/api/v1/auth/register", "", registration("r3@example.bg"), from(busy)...)
	checkProblem(t, r, 429, "")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if p := r.json(t); p["code"] != "too_many_registrations" {
		t.Errorf("code = %v, want too_many_registrations", p["code"])
	}
	release, err := a.auth.Hasher().Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkProblem(t, a.do("POST", "/api/v1/auth/register", "", registration("r4@example.bg"), from(busy)...), 429, "")
	release()
	if r := a.do("POST", "/api/v1/auth/register", "", registration("r3@example.bg"), from(other)...); r.Status != 201 {
		t.Fatalf("registration from another address: %d %s, want 201", r.Status, r.Body)
	}
}

// Item 2: when every hashing slot stays taken for the whole wait,
// registration and sign-in (also of an unknown e-mail, whose dummy hash is
// verified too) are 503 with Retry-After; such a refusal is not counted as
// a failed sign-in, and the slot's release lets everything through again.
func TestHashingBusyIs503WithRetryAfter(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "busy@example.bg")
	a.auth.Limit(auth.Limits{Hasher: auth.NewHasher(1, 20*time.Millisecond)})
	release, err := a.auth.Hasher().Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []struct {
		path string
		body map[string]any
	}{
		{"/api/v1/auth/register", registration("late@example.bg")},
		{"/api/v1/auth/login", map[string]any{"email": "busy@example.bg", "password": password}},
		{"/api/v1/auth/login", map[string]any{"email": "nobody@example.bg", "password": password}},
	} {
		r := a.do("POST", req.path, "", req.body)
		checkProblem(t, r, 503, "")
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("POST %s: 503 without Retry-After", req.path)
		}
	}
	for range 12 { // more than the ten failures an account allows an address
		checkProblem(t, a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "busy@example.bg", "password": "wrong wrong wrong"}), 503, "")
	}
	release()
	a.login("busy@example.bg")
	a.must(201, "POST", "/api/v1/auth/register", "", registration("late@example.bg"))
}

// Item 10: changing the password checks the current one and the policy,
// and ends every session of the account.
func TestPasswordChangeEndsEverySession(t *testing.T) {
	a := newAPI(t)
	a.user("employer", "changer@example.bg")
	access, r1 := tokens(t, a, "changer@example.bg")
	_, r2 := tokens(t, a, "changer@example.bg")
	a.user("employer", "bystander@example.bg")
	_, otherRefresh := tokens(t, a, "bystander@example.bg")
	const next = "a brand new passphrase"

	checkProblem(t, a.do("POST", "/api/v1/auth/password", "", map[string]any{"currentPassword": password, "newPassword": next}), 401, "")
	checkProblem(t, a.do("POST", "/api/v1/auth/password", access, map[string]any{"currentPassword": "not my password", "newPassword": next}), 400, "currentPassword")
	checkProblem(t, a.do("POST", "/api/v1/auth/password", access, map[string]any{"currentPassword": password, "newPassword": "short"}), 400, "newPassword")
	checkProblem(t, a.do("POST", "/api/v1/auth/password", access, map[string]any{"currentPassword": password, "newPassword": "changer-secret-1"}), 400, "newPassword")
	// The refused attempts changed nothing: the sessions still refresh.
	r1 = a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r1})["refreshToken"].(string)

	if r := a.do("POST", "/api/v1/auth/password", access, map[string]any{"currentPassword": password, "newPassword": next}); r.Status != 204 {
		t.Fatalf("password change = %d %s, want 204", r.Status, r.Body)
	}
	for _, tok := range []string{r1, r2} {
		checkProblem(t, a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": tok}), 401, "")
	}
	checkProblem(t, a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "changer@example.bg", "password": password}), 401, "")
	tok := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": "changer@example.bg", "password": next})
	a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": tok["refreshToken"]})
	a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": otherRefresh}) // another account is untouched
}

// Item 10: signing out everywhere ends every refresh token of the account,
// and only of that account; a later sign-in works.
func TestSignOutEverywhere(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "many@example.bg")
	a.user("jobseeker", "else@example.bg")
	access, r1 := tokens(t, a, "many@example.bg")
	_, r2 := tokens(t, a, "many@example.bg")
	_, other := tokens(t, a, "else@example.bg")
	checkProblem(t, a.do("POST", "/api/v1/auth/logout-all", "", nil), 401, "")
	if r := a.do("POST", "/api/v1/auth/logout-all", access, nil); r.Status != 204 {
		t.Fatalf("logout-all = %d %s, want 204", r.Status, r.Body)
	}
	for _, tok := range []string{r1, r2} {
		checkProblem(t, a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": tok}), 401, "")
	}
	a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": other})
	_, fresh := tokens(t, a, "many@example.bg")
	a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": fresh})
}

// Item 10: anyone deletes their own account; its sessions end, /me is 401
// and the e-mail is free again. A job-seeker's deletion is the erasure of
// everything held about them (the profile too), the same use case as
// DELETE /profiles/me.
func TestDeleteOwnAccount(t *testing.T) {
	a := newAPI(t)
	a.user("employer", "leaving@example.bg")
	access, refresh := tokens(t, a, "leaving@example.bg")
	_, officer := a.staff("officer", "officer.leaving@example.bg")
	_, seeker := a.user("jobseeker", "seeker@example.bg")

	checkProblem(t, a.do("DELETE", "/api/v1/me", "", nil), 401, "")
	a.must(200, "PUT", "/api/v1/profiles/me", seeker, profileBody(t))
	if r := a.do("DELETE", "/api/v1/me", seeker, nil); r.Status != 204 {
		t.Fatalf("job-seeker's DELETE /me = %d %s, want 204", r.Status, r.Body)
	}
	checkProblem(t, a.do("GET", "/api/v1/me", seeker, nil), 401, "")
	checkProblem(t, a.do("GET", "/api/v1/profiles/me", seeker, nil), 404, "")

	for _, tok := range []string{access, officer} {
		if r := a.do("DELETE", "/api/v1/me", tok, nil); r.Status != 204 {
			t.Fatalf("DELETE /me = %d %s, want 204", r.Status, r.Body)
		}
		checkProblem(t, a.do("GET", "/api/v1/me", tok, nil), 401, "")
		if r := a.do("DELETE", "/api/v1/me", tok, nil); r.Status != 204 {
			t.Errorf("DELETE /me again = %d, want 204", r.Status)
		}
	}
	checkProblem(t, a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": refresh}), 401, "")
	checkProblem(t, a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "leaving@example.bg", "password": password}), 401, "")
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": "leaving@example.bg", "password": password, "role": "employer", "name": "X"})
}

// Item 2: by default an address may register 30 accounts an hour; the
// 31st is 429 with Retry-After, and another address is not affected.
func TestRegistrationLimitByDefault(t *testing.T) {
	a := behindProxy(t)
	const school, home = "192.0.2.80", "192.0.2.81"
	for i := range 30 {
		if r := a.do("POST", "/api/v1/auth/register", "", registration(fmt.Sprintf("class%d@example.bg", i)), from(school)...); r.Status != 201 {
			t.Fatalf("registration %d from one address: %d %s, want 201", i+1, r.Status, r.Body)
		}
	}
	r := a.do("POST", "/api/v1/auth/register", "", registration("class30@example.bg"), from(school)...)
	checkProblem(t, r, 429, "")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if r := a.do("POST", "/api/v1/auth/register", "", registration("class30@example.bg"), from(home)...); r.Status != 201 {
		t.Fatalf("registration from another address: %d %s, want 201", r.Status, r.Body)
	}
}

// The typed client's account calls work against the real server.
func TestClientAccountCalls(t *testing.T) {
	a := newAPI(t)
	ctx := context.Background()
	c := client.New(a.srv.URL)
	if _, err := c.Register(ctx, client.NewUser{Email: "typed@example.bg", Password: password, Role: "employer", Name: "T"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, "typed@example.bg", password); err != nil {
		t.Fatal(err)
	}
	const next = "a client-side passphrase"
	if err := c.ChangePassword(ctx, password, next); err != nil {
		t.Fatalf("ChangePassword() = %v", err)
	}
	if _, err := c.Login(ctx, "typed@example.bg", next); err != nil {
		t.Fatalf("Login(new password) = %v", err)
	}
	if err := c.LogoutAll(ctx); err != nil {
		t.Fatalf("LogoutAll() = %v", err)
	}
	if _, err := c.Login(ctx, "typed@example.bg", next); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteMe(ctx); err != nil {
		t.Fatalf("DeleteMe() = %v", err)
	}
	var p *client.Problem
	if _, err := c.Login(ctx, "typed@example.bg", next); !errors.As(err, &p) || p.Status != 401 {
		t.Fatalf("Login() after DeleteMe = %v, want a 401 Problem", err)
	}
}

// Signing out everywhere while the account's sessions refresh ends them
// all, whatever the order: a refresh that read the account just before
// hands out a token that the next refresh refuses.
func TestSignOutEverywhereWinsOverRacingRefreshes(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "racer@example.bg")
	access, _ := tokens(t, a, "racer@example.bg")
	var refresh []string
	for range 6 {
		_, r := tokens(t, a, "racer@example.bg")
		refresh = append(refresh, r)
	}
	results := make(chan string, len(refresh))
	done := make(chan int, 1)
	start := make(chan struct{})
	for _, r := range refresh {
		go func() {
			<-start
			res := a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r})
			if res.Status == 200 {
				results <- res.json(t)["refreshToken"].(string)
			} else {
				results <- ""
			}
		}()
	}
	go func() {
		<-start
		done <- a.do("POST", "/api/v1/auth/logout-all", access, nil).Status
	}()
	close(start)
	if s := <-done; s != 204 {
		t.Fatalf("logout-all = %d, want 204", s)
	}
	for range refresh {
		if r := <-results; r != "" {
			checkProblem(t, a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r}), 401, "")
		}
	}
}
