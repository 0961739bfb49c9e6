package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/search"
	"github.com/prometheus/client_golang/prometheus"
)

// The log canary: a whole story through the real server, with a unique
// marker in every personal field, while everything the process logs (the
// server's logger, the embedded store's, the index's and slog's default) is
// captured. No marker may appear in a log line, in /metrics, or in an error
// body sent to anyone but the person.

// lockedBuffer is an io.Writer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newLoggedAPI is newAPI with every logger writing to logs at debug level,
// on a store of its own (the shared test store has no logger).
func newLoggedAPI(t *testing.T, logs *lockedBuffer) *api {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	prev := slog.Default()
	slog.SetDefault(log)
	t.Cleanup(func() { slog.SetDefault(prev) })
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{URI: os.Getenv("MONGODB_URI"), DataDir: t.TempDir(), Database: "canary", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.DropDatabase(context.Background()); _ = st.Close(context.Background()) })
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	tx := loadTaxonomy(t)
	signer, err := auth.NewSigner(bytes.Repeat([]byte{7}, 32), "skillsmatch", 15*time.Minute, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(t.TempDir(), tx, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.CatchUp(ctx, st.Source(), nil); err != nil {
		t.Fatal(err)
	}
	svc, err := app.Wire(ctx, st, tx, ix, signer, time.Hour, app.Clock)
	if err != nil {
		t.Fatal(err)
	}
	deps := svc.Deps(log, st, tx, ix, prometheus.NewRegistry(), []byte("test pseudonym key, 32 bytes...."), nil)
	h, err := httpapi.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &api{t: t, srv: srv, store: st, auth: svc.Auth, handler: h}
}

// canary holds the markers: each is unique and appears nowhere but in the
// field it was put in. New personal fields (birth date, guardian, ...) get a
// marker here and in the profile body below.
var canary = map[string]string{
	"seeker e-mail":    "kanarche.poshta.q7x@example.bg",
	"seeker name":      "Канарчева Маркерова Qzvx",
	"seeker password":  "parola-kanarche-Vw93",
	"display name":     "Канарка Тестова Xkqw",
	"phone":            "+359 877 246 813",
	"summary":          "Канарчето пее само тук Zzqy",
	"municipality":     "Канарчево Мркwj",
	"sector interest":  "канарчешки сектор Jyfp",
	"officer note":     "бележка канарче Pwhz",
	"employer e-mail":  "kanarche.rabotodatel.m2@example.bg",
	"employer person":  "Работодател Канарчев Rbgk",
	"other's e-mail":   "kanarche.drug.k5@example.bg",
	"other's name":     "Друг Канарчев Ndvq",
	"other's password": "parola-drug-Hs61",
}

func TestLogCanary(t *testing.T) {
	logs := &lockedBuffer{}
	a := newLoggedAPI(t, logs)
	m := canary
	// Error bodies that went to someone other than the person the markers
	// describe, and the employer's candidate cards (pseudonymous: they show
	// skills and the municipality, nothing else of the person).
	var foreign, cards []string
	other := func(r response) response {
		if r.Status >= 400 {
			foreign = append(foreign, string(r.Body))
		}
		return r
	}

	_, officer := a.staff("officer", "canary.officer@example.bg")
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": m["employer e-mail"], "password": password, "role": "employer", "name": m["employer person"]})
	owner := a.login(m["employer e-mail"])
	emp := a.must(201, "POST", "/api/v1/employers", owner, employerBody(validEIK()))["id"].(string)
	a.must(200, "POST", "/api/v1/employers/"+emp+"/verification", officer, map[string]any{"verified": true, "note": "checked"})
	sk := skills(t, 2)
	nb := needBody(t, emp)
	nb["skills"] = []map[string]any{{"id": sk[0], "level": 2, "required": true}}
	need := a.must(201, "POST", "/api/v1/needs", owner, nb)["id"].(string)

	// The person registers (and someone tries the same e-mail again), mistypes
	// the password, signs in, and writes a profile with a marker in every field.
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": m["seeker e-mail"], "password": m["seeker password"], "role": "jobseeker", "name": m["seeker name"]})
	other(a.do("POST", "/api/v1/auth/register", "", map[string]any{"email": m["seeker e-mail"], "password": "another one entirely", "role": "jobseeker", "name": "Someone"}))
	other(a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": m["seeker e-mail"], "password": "wrong " + m["seeker password"]}))
	tok := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": m["seeker e-mail"], "password": m["seeker password"]})
	seeker, refresh := tok["accessToken"].(string), tok["refreshToken"].(string)
	pb := profileBody(t)
	pb["displayName"], pb["phone"], pb["summary"], pb["municipality"] = m["display name"], m["phone"], m["summary"], m["municipality"]
	pb["interests"] = map[string]any{"kinds": []string{"job"}, "sectors": []string{m["sector interest"]}}
	pb["skills"] = heldSkills(sk[0], 3)
	id := a.must(200, "PUT", "/api/v1/profiles/me", seeker, pb)["id"].(string)
	a.must(200, "GET", "/api/v1/profiles/me", seeker, nil)
	a.must(200, "GET", "/api/v1/profiles/me/matches", seeker, nil)

	// Another job-seeker pokes around.
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": m["other's e-mail"], "password": m["other's password"], "role": "jobseeker", "name": m["other's name"]})
	nosy := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": m["other's e-mail"], "password": m["other's password"]})["accessToken"].(string)
	other(a.do("GET", "/api/v1/profiles/"+id, nosy, nil))

	// Matching: the employer sees cards and probes the person before referral.
	cards = append(cards, string(a.must2(200, "GET", "/api/v1/needs/"+need+"/matches", owner).Body))
	a.must(200, "GET", "/api/v1/needs/"+need+"/matches", officer, nil)
	other(a.do("GET", "/api/v1/profiles/"+id, owner, nil))
	match := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", seeker, nil)["id"].(string)
	other(a.do("GET", "/api/v1/matches/"+match, owner, nil))
	other(a.do("GET", "/api/v1/matches/"+match, nosy, nil))
	other(a.do("POST", "/api/v1/matches/"+match+"/transitions", owner, map[string]any{"to": "interview"}))
	other(a.do("POST", "/api/v1/matches/"+match+"/transitions", nosy, map[string]any{"to": "withdrawn"}))

	// The officer refers with a note; the employer reads the person (allowed),
	// then tries what it may not.
	a.must(200, "POST", "/api/v1/matches/"+match+"/transitions", officer, map[string]any{"to": "referred", "note": m["officer note"]})
	a.must(200, "GET", "/api/v1/profiles/"+id, owner, nil)
	a.must(200, "GET", "/api/v1/matches/"+match, owner, nil)
	other(a.do("POST", "/api/v1/matches/"+match+"/transitions", owner, map[string]any{"to": "placed"}))
	other(a.do("PUT", "/api/v1/profiles/me", owner, pb))
	other(a.do("GET", "/api/v1/matches?profileId="+id, nosy, nil))

	// The person exports, refreshes the session, erases the profile; afterwards
	// nobody else gets anything about them.
	a.must(200, "GET", "/api/v1/profiles/me/export", seeker, nil)
	a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": refresh})
	if r := a.do("DELETE", "/api/v1/profiles/me", seeker, nil); r.Status != 204 {
		t.Fatalf("erasure = %d %s", r.Status, r.Body)
	}
	other(a.do("GET", "/api/v1/profiles/"+id, owner, nil))
	other(a.do("GET", "/api/v1/profiles/"+id, officer, nil))
	other(a.do("GET", "/api/v1/matches/"+match, owner, nil))
	other(a.do("GET", "/api/v1/profiles/me", seeker, nil)) // the person's own 404: also no echo of the erased data

	if len(foreign) < 10 || len(cards) != 1 || !strings.Contains(cards[0], `"candidate"`) {
		t.Fatalf("the story produced %d foreign errors and %d card lists (%.200s): it no longer probes what it should", len(foreign), len(cards), cards)
	}
	metrics := a.do("GET", "/metrics", "", nil)
	if metrics.Status != 200 {
		t.Fatalf("/metrics = %d", metrics.Status)
	}
	logText := logs.String()
	if !strings.Contains(logText, `"status":201`) && !strings.Contains(logText, `"status":200`) {
		t.Fatalf("the access log captured nothing, so the canary proves nothing:\n%.500s", logText)
	}
	for field, marker := range m {
		for _, probe := range markerForms(marker) {
			if i := strings.Index(logText, probe); i >= 0 {
				t.Errorf("the %s (%q) appears in the logs: …%s…", field, probe, around(logText, i))
			}
			if strings.Contains(string(metrics.Body), probe) {
				t.Errorf("the %s (%q) appears in /metrics", field, probe)
			}
			for _, body := range foreign {
				if strings.Contains(body, probe) {
					t.Errorf("the %s (%q) appears in an error sent to another party: %s", field, probe, body)
				}
			}
			for _, body := range cards {
				if field != "municipality" && strings.Contains(body, probe) {
					t.Errorf("the %s (%q) appears in an employer's candidate card: %s", field, probe, body)
				}
			}
		}
	}
}

// must2 is must for a body checked as a foreign response.
func (a *api) must2(want int, method, path, token string) response {
	a.t.Helper()
	r := a.do(method, path, token, nil)
	if r.Status != want {
		a.t.Fatalf("%s %s = %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	return r
}

// markerForms is the marker as written, as JSON or a log may escape it
// (non-ASCII as \u escapes), its distinctive last word alone, and a phone
// number's digits alone.
func markerForms(m string) []string {
	forms := []string{m}
	var esc, digits strings.Builder
	for _, r := range m {
		if r > 127 {
			esc.WriteString(quoteRune(r))
		} else {
			esc.WriteRune(r)
		}
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	if esc.String() != m {
		forms = append(forms, esc.String())
	}
	if f := strings.Fields(m); len(f) > 1 && len(f[len(f)-1]) >= 4 && strings.ContainsFunc(f[len(f)-1], unicode.IsLetter) {
		forms = append(forms, f[len(f)-1])
	}
	if digits.Len() >= 9 {
		forms = append(forms, digits.String())
	}
	return forms
}

func quoteRune(r rune) string {
	const hex = "0123456789abcdef"
	return `\u` + string([]byte{hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15]})
}

func around(s string, i int) string {
	from, to := max(0, i-150), min(len(s), i+150)
	return s[from:to]
}
