package httpapi_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestRegisterRules(t *testing.T) {
	a := newAPI(t)
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{
		"email": "Ana@Example.bg", "password": password, "role": "jobseeker", "name": "Ана"})
	tests := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"duplicate e-mail, other case", map[string]any{"email": "ana@example.bg", "password": password, "role": "employer", "name": "X"}, 409, ""},
		{"officer cannot self-register", map[string]any{"email": "o@example.bg", "password": password, "role": "officer", "name": "X"}, 400, "role"},
		{"admin cannot self-register", map[string]any{"email": "o@example.bg", "password": password, "role": "admin", "name": "X"}, 400, "role"},
		{"weak password", map[string]any{"email": "w@example.bg", "password": "short", "role": "jobseeker", "name": "X"}, 400, "password"},
		{"common password", map[string]any{"email": "w@example.bg", "password": "1234567890", "role": "jobseeker", "name": "X"}, 400, "password"},
		{"malformed e-mail", map[string]any{"email": "not-an-email", "password": password, "role": "jobseeker", "name": "X"}, 400, "email"},
		{"e-mail without domain dot", map[string]any{"email": "a@localhost", "password": password, "role": "jobseeker", "name": "X"}, 400, "email"},
		{"missing name", map[string]any{"email": "n@example.bg", "password": password, "role": "jobseeker"}, 400, "name"},
		{"unknown field", map[string]any{"email": "u@example.bg", "password": password, "role": "jobseeker", "name": "X", "verified": true}, 400, "verified"},
		{"operator where a string belongs", `{"email":{"$gt":""},"password":"correct horse battery","role":"jobseeker","name":"X"}`, 400, "email"},
		{"array where a string belongs", `{"email":["a@b.bg"],"password":"correct horse battery","role":"jobseeker","name":"X"}`, 400, "email"},
		{"malformed JSON", `{"email":`, 400, ""},
		{"trailing data", `{"email":"t@example.bg","password":"correct horse battery","role":"jobseeker","name":"X"} {}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.do("POST", "/api/v1/auth/register", "", tt.body)
			checkProblem(t, r, tt.status, tt.field)
		})
	}
	// Nothing from the refused requests was stored: each of those e-mails is still free.
	for _, email := range []string{"o@example.bg", "w@example.bg", "u@example.bg", "t@example.bg"} {
		a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": email, "password": password, "role": "jobseeker", "name": "X"})
	}
}

// checkProblem asserts an RFC 9457 answer with the status and, if given,
// a field error naming field.
func checkProblem(t *testing.T, r response, status int, field string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d %s, want %d", r.Status, r.Body, status)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	p := r.json(t)
	for _, k := range []string{"type", "title", "status"} {
		if p[k] == nil {
			t.Errorf("problem lacks %q: %s", k, r.Body)
		}
	}
	if field == "" {
		return
	}
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if e.(map[string]any)["field"] == field && e.(map[string]any)["message"] != "" {
			return
		}
	}
	t.Errorf("problem %s does not name field %q", r.Body, field)
}

func TestBodyLimitsAndMediaType(t *testing.T) {
	a := newAPI(t)
	big := `{"email":"big@example.bg","password":"correct horse battery","role":"jobseeker","name":"` + strings.Repeat("x", 1<<20) + `"}`
	checkProblem(t, a.do("POST", "/api/v1/auth/register", "", big), 413, "")
	r := a.do("POST", "/api/v1/auth/register", "", `email=a`, "Content-Type", "application/x-www-form-urlencoded")
	checkProblem(t, r, 415, "")
	// The oversized registration was not stored.
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": "big@example.bg", "password": password, "role": "jobseeker", "name": "X"})
}

func TestErrorsSpeakTheCallersLanguage(t *testing.T) {
	a := newAPI(t)
	body := map[string]any{"email": "x", "password": password, "role": "jobseeker", "name": "X"}
	bg := a.do("POST", "/api/v1/auth/register", "", body).json(t)
	en := a.do("POST", "/api/v1/auth/register", "", body, "Accept-Language", "en-GB,en;q=0.9").json(t)
	if bg["title"] != "Невалидни данни" || en["title"] != "Invalid input" {
		t.Fatalf("titles bg=%q en=%q, want Bulgarian by default and English on request", bg["title"], en["title"])
	}
	msgBG := bg["errors"].([]any)[0].(map[string]any)["message"]
	msgEN := en["errors"].([]any)[0].(map[string]any)["message"]
	if msgBG == msgEN {
		t.Errorf("field message not translated: %q", msgBG)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	a := newAPI(t)
	for _, path := range []string{"/healthz", "/api/v1/me", "/api/v1/nope", "/api/v1/skills?q=care"} {
		r := a.do("GET", path, "", nil)
		for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"} {
			if r.Header.Get(h) == "" {
				t.Errorf("GET %s: no %s header", path, h)
			}
		}
	}
}

func TestLoginSameAnswerForUnknownEmailAndWrongPassword(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "known@example.bg")
	wrong := a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "known@example.bg", "password": "wrong password!"})
	unknown := a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "nobody@example.bg", "password": "wrong password!"})
	if wrong.Status != 401 || unknown.Status != 401 {
		t.Fatalf("login statuses = %d, %d, want 401, 401", wrong.Status, unknown.Status)
	}
	if string(wrong.Body) != string(unknown.Body) {
		t.Errorf("answers differ:\n%s\n%s", wrong.Body, unknown.Body)
	}
}

func TestLoginThrottlePerAccount(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "victim@example.bg")
	bad := map[string]any{"email": "victim@example.bg", "password": "guess guess guess"}
	for i := range 10 {
		// A forged X-Forwarded-For must not give each try a fresh address.
		r := a.do("POST", "/api/v1/auth/login", "", bad, "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		if r.Status != 401 {
			t.Fatalf("failure %d: status %d, want 401", i+1, r.Status)
		}
	}
	r := a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "victim@example.bg", "password": password},
		"X-Forwarded-For", "198.51.100.7")
	checkProblem(t, r, 429, "")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// Failures on many accounts from one address (a school's, say) do not lock
// out the others behind it: the address's own bound is generous (see
// TestSharedAddressDoesNotLockOtherAccounts and the limits' unit tests).
func TestLoginThrottlePerAddress(t *testing.T) {
	a := newAPI(t)
	for i := range 12 {
		r := a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": fmt.Sprintf("u%d@example.bg", i), "password": "guess guess guess"})
		if r.Status != 401 {
			t.Fatalf("failure %d: status %d, want 401", i+1, r.Status)
		}
	}
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": "fresh@example.bg", "password": password, "role": "jobseeker", "name": "X"})
	a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": "fresh@example.bg", "password": password})
}

func TestSuccessfulLoginResetsAccountFailures(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "forgetful@example.bg")
	for range 5 {
		a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "forgetful@example.bg", "password": "nope nope nope"})
	}
	a.login("forgetful@example.bg")
	// Five more failures would reach ten if the success had not reset the count,
	// but the per-address limit also counts them; it allows 10 in all.
	for i := range 4 {
		if r := a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "forgetful@example.bg", "password": "nope nope nope"}); r.Status != 401 {
			t.Fatalf("failure %d after a success: %d, want 401", i+1, r.Status)
		}
	}
}

func tokens(t *testing.T, a *api, email string) (access, refresh string) {
	t.Helper()
	tok := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": password})
	if tok["tokenType"] != "Bearer" || tok["expiresIn"].(float64) <= 0 {
		t.Fatalf("login answer %v lacks tokenType/expiresIn", tok)
	}
	return tok["accessToken"].(string), tok["refreshToken"].(string)
}

func TestRefreshRotatesAndReuseRevokesFamily(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "r@example.bg")
	_, r1 := tokens(t, a, "r@example.bg")
	next := a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r1})
	r2 := next["refreshToken"].(string)
	if r2 == r1 {
		t.Fatal("refresh returned the same refresh token")
	}
	a.must(200, "GET", "/api/v1/me", next["accessToken"].(string), nil)
	// Reusing r1 is theft: 401, and the family (r2 too) is revoked.
	checkProblem(t, a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r1}), 401, "")
	checkProblem(t, a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r2}), 401, "")
	// Another session of the same person is untouched.
	_, other := tokens(t, a, "r@example.bg")
	a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": other})
}

func TestConcurrentRefreshHasOneWinner(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "c@example.bg")
	_, r := tokens(t, a, "c@example.bg")
	statuses := a.race(8, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r})
	if statuses[200] != 1 || statuses[401] != 7 {
		t.Fatalf("8 concurrent refreshes of one token: %v, want exactly one 200 and seven 401", statuses)
	}
}

func TestLogoutRevokesRefresh(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "l@example.bg")
	access, refresh := tokens(t, a, "l@example.bg")
	checkProblem(t, a.do("POST", "/api/v1/auth/logout", "", map[string]any{"refreshToken": refresh}), 401, "")
	if r := a.do("POST", "/api/v1/auth/logout", access, map[string]any{"refreshToken": refresh}); r.Status != 204 {
		t.Fatalf("logout = %d, want 204", r.Status)
	}
	checkProblem(t, a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": refresh}), 401, "")
}

func TestLogoutIgnoresSomeoneElsesToken(t *testing.T) {
	a := newAPI(t)
	a.user("jobseeker", "x@example.bg")
	a.user("jobseeker", "y@example.bg")
	_, xr := tokens(t, a, "x@example.bg")
	ya, _ := tokens(t, a, "y@example.bg")
	if r := a.do("POST", "/api/v1/auth/logout", ya, map[string]any{"refreshToken": xr}); r.Status != 204 {
		t.Fatalf("logout with another's token = %d, want 204", r.Status)
	}
	a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": xr})
}

func TestMe(t *testing.T) {
	a := newAPI(t)
	id, tok := a.user("employer", "me@example.bg")
	me := a.must(200, "GET", "/api/v1/me", tok, nil)
	if me["id"] != id || me["role"] != "employer" || me["email"] != "me@example.bg" {
		t.Errorf("GET /me = %v", me)
	}
	if _, ok := me["passwordHash"]; ok {
		t.Error("GET /me leaks the password hash")
	}
	checkProblem(t, a.do("GET", "/api/v1/me", "", nil), 401, "")
}

// forge signs claims with key and method, for the token attack table.
func forge(t *testing.T, method jwt.SigningMethod, key any, header map[string]any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAccessTokenAttacksAre401(t *testing.T) {
	a := newAPI(t)
	id, good := a.user("jobseeker", "jwt@example.bg")
	parts := strings.Split(good, ".")
	var hdr map[string]any
	raw, _ := base64.RawURLEncoding.DecodeString(parts[0])
	_ = json.Unmarshal(raw, &hdr)
	kid := hdr["kid"]
	now := time.Now()
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": "skillsmatch", "aud": []string{"skillsmatch-api"}, "sub": id, "role": "admin",
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	pub := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	noneTok := forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, map[string]any{"kid": kid, "typ": "at+jwt"}, valid())
	tamperedPayload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"iss":"skillsmatch","aud":["skillsmatch-api"],"sub":%q,"role":"admin","exp":%d,"iat":%d}`, id, now.Add(time.Hour).Unix(), now.Unix())))
	with := func(mut func(jwt.MapClaims)) jwt.MapClaims { c := valid(); mut(c); return c }
	signer := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)) // the harness's key: only claims differ
	hdrOK := map[string]any{"kid": kid, "typ": "at+jwt"}
	attacks := map[string]string{
		"alg none":              noneTok,
		"HS256 with public key": forge(t, jwt.SigningMethodHS256, []byte(pub), map[string]any{"kid": kid, "typ": "at+jwt"}, valid()),
		"other Ed25519 key":     forge(t, jwt.SigningMethodEdDSA, otherKey, map[string]any{"kid": kid, "typ": "at+jwt"}, valid()),
		"role edited":           parts[0] + "." + tamperedPayload + "." + parts[2],
		"signature bit flip":    parts[0] + "." + parts[1] + "." + flip(parts[2]),
		"garbage":               "not.a.token",
		"too long":              strings.Repeat("a", 5000),
		"many dots":             strings.Repeat(".", 10000),
		"expired":               forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })),
		"no expiry":             forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, with(func(c jwt.MapClaims) { delete(c, "exp") })),
		"issued in the future":  forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, with(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() })),
		"wrong issuer":          forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, with(func(c jwt.MapClaims) { c["iss"] = "evil" })),
		"wrong audience":        forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, with(func(c jwt.MapClaims) { c["aud"] = []string{"other"} })),
		"missing audience":      forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, with(func(c jwt.MapClaims) { delete(c, "aud") })),
		"unknown role":          forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, with(func(c jwt.MapClaims) { c["role"] = "root" })),
		"wrong typ":             forge(t, jwt.SigningMethodEdDSA, signer, map[string]any{"kid": kid, "typ": "refresh+jwt"}, valid()),
		"unknown kid":           forge(t, jwt.SigningMethodEdDSA, signer, map[string]any{"kid": "../../etc/passwd", "typ": "at+jwt"}, valid()),
	}
	for name, tok := range attacks {
		t.Run(name, func(t *testing.T) {
			checkProblem(t, a.do("GET", "/api/v1/me", tok, nil), 401, "")
		})
	}
	// The same forging with valid claims is accepted, so the cases above
	// fail for the reason they name.
	if r := a.do("GET", "/api/v1/me", forge(t, jwt.SigningMethodEdDSA, signer, hdrOK, valid()), nil); r.Status != 200 {
		t.Fatalf("control token = %d %s, want 200", r.Status, r.Body)
	}
	checkProblem(t, a.do("GET", "/api/v1/me", "", nil, "Authorization", "Basic abc"), 401, "")
}

func flip(sig string) string {
	b := []byte(sig)
	if b[3] == 'A' {
		b[3] = 'B'
	} else {
		b[3] = 'A'
	}
	return string(b)
}

func TestCreateStaffUsers(t *testing.T) {
	a := newAPI(t)
	_, admin := a.staff("admin", "admin@example.bg")
	_, officer := a.staff("officer", "officer@example.bg")
	_, js := a.user("jobseeker", "js@example.bg")
	body := map[string]any{"email": "new.officer@example.bg", "password": password, "role": "officer", "name": "Нов служител"}
	checkProblem(t, a.do("POST", "/api/v1/users", "", body), 401, "")
	checkProblem(t, a.do("POST", "/api/v1/users", officer, body), 403, "")
	checkProblem(t, a.do("POST", "/api/v1/users", js, body), 403, "")
	checkProblem(t, a.do("POST", "/api/v1/users", admin, map[string]any{"email": "j@example.bg", "password": password, "role": "jobseeker", "name": "X"}), 400, "role")
	u := a.must(201, "POST", "/api/v1/users", admin, body)
	if u["role"] != "officer" {
		t.Fatalf("created %v, want an officer", u)
	}
	a.login("new.officer@example.bg")
}
