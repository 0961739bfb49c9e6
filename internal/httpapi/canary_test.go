package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The log canary: a whole story through the real server, with a unique
// marker in every personal field, while everything the process logs (the
// server's logger, the embedded store's, the index's and slog's default) is
// captured. No marker may appear in a log line, in /metrics, or in an error
// body sent to anyone but the person; no password in any error body, even
// the person's own; and no officer's internal note or officer id in any view
// of match history that an employer or the job-seeker gets.

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
	env := apptest.Open(t, apptest.Options{Store: st, Logger: log})
	return serve(t, env, env.Deps())
}

// scrape is what the metrics listener (internal/app/metrics.go) serves
// from the registry, read as it would be.
func scrape(t *testing.T, a *api) response {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(a.metrics, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// canary holds the markers: each is unique and appears nowhere but in the
// field it was put in. New personal fields (birth date, guardian, ...) get a
// marker here and in the profile body below.
var canary = map[string]string{
	"seeker e-mail":   "kanarche.poshta.q7x@example.bg",
	"seeker name":     "Канарчева Маркерова Qzvx",
	"seeker password": "parola-kanarche-Vw93",
	"new password":    "parola-nova-kanarche-Tg48",
	// A whole date: a year-month such as 1987-11 could be any other date's
	// prefix; this one is no date the story or the clock produces.
	"birth date":       "1987-11-23",
	"display name":     "Канарка Тестова Xkqw",
	"phone":            "+359 877 246 813",
	"summary":          "Канарчето пее само тук Zzqy",
	"municipality":     "Канарчево Мркwj",
	"sector interest":  "канарчешки сектор Jyfp",
	"officer note":     "бележка канарче Pwhz",   // internal (the default visibility)
	"shared note":      "споделена бележка Shnt", // the employer's, shared with the person
	"employer e-mail":  "kanarche.rabotodatel.m2@example.bg",
	"employer person":  "Работодател Канарчев Rbgk",
	"other's e-mail":   "kanarche.drug.k5@example.bg",
	"other's name":     "Друг Канарчев Ndvq",
	"other's password": "parola-drug-Hs61",
	// A 13-year-old whose guardian's consent an officer records (the
	// relation is one of parent/guardian, so it carries no marker).
	"child's e-mail":       "kanarche.dete.c3@example.bg",
	"child's name":         "Дете Канарчево Chlq",
	"child's display name": "Детенце Канарче Dspz",
	"guardian's name":      "Настойник Канарчев Grdx",
}

// internalMarkers may not appear in any view of match history that an
// employer or the job-seeker gets: the office's working papers.
var internalMarkers = []string{"officer note"}

func TestLogCanary(t *testing.T) {
	logs := &lockedBuffer{}
	a := newLoggedAPI(t, logs)
	m := canary
	// Error bodies that went to someone other than the person the markers
	// describe; the employer's candidate cards (pseudonymous: they show
	// skills and the municipality, nothing else of the person); the person's
	// own error bodies (no password may be echoed even to its owner); and
	// every view of match history an employer or the job-seeker got (the
	// officer's internal note and the officer's id may not be in them).
	var foreign, cards, own []string
	views := map[string][]string{} // "employer" or "jobseeker" → bodies
	other := func(r response) response {
		if r.Status >= 400 {
			foreign = append(foreign, string(r.Body))
		}
		return r
	}
	mine := func(r response) response {
		if r.Status >= 400 {
			own = append(own, string(r.Body))
		}
		return r
	}
	// view records a 200 view of match history by an employer or the
	// job-seeker (anything else is an error sent to them).
	view := func(who string, r response) response {
		if r.Status == 200 {
			views[who] = append(views[who], string(r.Body))
		}
		return other(r)
	}
	mustView := func(who, method, path, token string, body any) {
		t.Helper()
		if r := view(who, a.do(method, path, token, body)); r.Status != 200 {
			t.Fatalf("%s %s = %d %s, want 200", method, path, r.Status, r.Body)
		}
	}

	officerID, officer := a.staff("officer", "canary.officer@example.bg")
	ownerID := a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": m["employer e-mail"], "password": password, "role": "employer", "name": m["employer person"]})["id"].(string)
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
	seeker := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": m["seeker e-mail"], "password": m["seeker password"]})["accessToken"].(string)
	pb := profileBody(t)
	pb["displayName"], pb["phone"], pb["summary"], pb["municipality"] = m["display name"], m["phone"], m["summary"], m["municipality"]
	delete(pb, "birthYear")
	pb["birthDate"] = m["birth date"]
	pb["interests"] = map[string]any{"kinds": []string{"job"}, "sectors": []string{m["sector interest"]}}
	pb["skills"] = heldSkills(sk[0], 3)
	id := a.must(200, "PUT", "/api/v1/profiles/me", seeker, pb)["id"].(string)
	a.must(200, "GET", "/api/v1/profiles/me", seeker, nil)
	a.must(200, "GET", "/api/v1/profiles/me/matches", seeker, nil)

	// The person changes the password (first with a wrong current one, then
	// a new one that is too short), which ends every session; the old
	// password no longer works, the new one does.
	mine(a.do("POST", "/api/v1/auth/password", seeker, map[string]any{"currentPassword": "wrong " + m["seeker password"], "newPassword": m["new password"]}))
	mine(a.do("POST", "/api/v1/auth/password", seeker, map[string]any{"currentPassword": m["seeker password"], "newPassword": "Tg48"}))
	if r := a.do("POST", "/api/v1/auth/password", seeker, map[string]any{"currentPassword": m["seeker password"], "newPassword": m["new password"]}); r.Status != 204 {
		t.Fatalf("password change = %d %s", r.Status, r.Body)
	}
	mine(a.do("POST", "/api/v1/auth/login", "", map[string]any{"email": m["seeker e-mail"], "password": m["seeker password"]}))
	tok := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": m["seeker e-mail"], "password": m["new password"]})
	seeker, refresh := tok["accessToken"].(string), tok["refreshToken"].(string)

	// Another job-seeker pokes around.
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": m["other's e-mail"], "password": m["other's password"], "role": "jobseeker", "name": m["other's name"]})
	nosy := a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": m["other's e-mail"], "password": m["other's password"]})["accessToken"].(string)
	other(a.do("GET", "/api/v1/profiles/"+id, nosy, nil))

	// A 13-year-old writes a profile, which is held until an officer records
	// a guardian's consent; the employer and the nosy one try it themselves.
	a.must(201, "POST", "/api/v1/auth/register", "", map[string]any{"email": m["child's e-mail"], "password": password, "role": "jobseeker", "name": m["child's name"]})
	child := a.login(m["child's e-mail"])
	cb := profileBody(t)
	delete(cb, "birthYear")
	cb["birthDate"] = time.Now().UTC().AddDate(-13, -1, 0).Format("2006-01")
	cb["displayName"], cb["skills"] = m["child's display name"], heldSkills(sk[0], 3)
	childID := a.must(200, "PUT", "/api/v1/profiles/me", child, cb)["id"].(string)
	consent := map[string]any{"name": m["guardian's name"], "relation": "guardian", "givenOn": time.Now().UTC().Format(time.DateOnly)}
	consentPath := "/api/v1/profiles/" + childID + "/guardian-consent"
	other(a.do("POST", consentPath, owner, consent))
	other(a.do("POST", consentPath, nosy, consent))
	if g := a.must(200, "POST", consentPath, officer, consent)["guardianConsent"].(map[string]any); g["status"] != "recorded" {
		t.Fatalf("guardian consent not recorded: %v", g)
	}
	other(a.do("POST", consentPath, officer, consent)) // twice: 409
	other(a.do("GET", "/api/v1/profiles/"+childID, owner, nil))
	a.must(200, "GET", "/api/v1/profiles/me", child, nil)

	// Matching: the employer sees cards and probes the person before referral.
	cards = append(cards, string(a.must2(200, "GET", "/api/v1/needs/"+need+"/matches", owner).Body))
	a.must(200, "GET", "/api/v1/needs/"+need+"/matches", officer, nil)
	other(a.do("GET", "/api/v1/profiles/"+id, owner, nil))
	match := a.must(201, "POST", "/api/v1/needs/"+need+"/applications", seeker, nil)["id"].(string)
	other(a.do("GET", "/api/v1/matches/"+match, owner, nil))
	other(a.do("GET", "/api/v1/matches/"+match, nosy, nil))
	other(a.do("POST", "/api/v1/matches/"+match+"/transitions", owner, map[string]any{"to": "interview"}))
	other(a.do("POST", "/api/v1/matches/"+match+"/transitions", nosy, map[string]any{"to": "withdrawn"}))

	// The officer refers with an internal note (the default); the employer
	// reads the person (allowed) and invites them with a note it shares.
	// Every view either of them gets of the match's history is recorded.
	a.must(200, "POST", "/api/v1/matches/"+match+"/transitions", officer, map[string]any{"to": "referred", "note": m["officer note"]})
	if r := a.do("GET", "/api/v1/matches/"+match, officer, nil); !strings.Contains(string(r.Body), m["officer note"]) {
		t.Fatalf("the officer's own view lacks the note (%d %s): the views below would prove nothing", r.Status, r.Body)
	}
	a.must(200, "GET", "/api/v1/profiles/"+id, owner, nil)
	mustView("employer", "GET", "/api/v1/matches/"+match, owner, nil)
	mustView("employer", "GET", "/api/v1/matches", owner, nil)
	mustView("employer", "GET", "/api/v1/matches?needId="+need, owner, nil)
	mustView("employer", "POST", "/api/v1/matches/"+match+"/transitions", owner, map[string]any{"to": "interview", "note": m["shared note"], "visibility": "shared"})
	other(a.do("POST", "/api/v1/matches/"+match+"/transitions", owner, map[string]any{"to": "placed"}))
	other(a.do("PUT", "/api/v1/profiles/me", owner, pb))
	other(a.do("GET", "/api/v1/matches?profileId="+id, nosy, nil))
	mustView("jobseeker", "GET", "/api/v1/matches/"+match, seeker, nil)
	mustView("jobseeker", "GET", "/api/v1/matches", seeker, nil)
	if sv := views["jobseeker"]; !strings.Contains(sv[len(sv)-1], m["shared note"]) {
		t.Fatalf("the person's list of matches lacks the employer's shared note: notes are not in the views at all, so the checks below prove nothing: %s", sv[len(sv)-1])
	}

	// The person exports (their matches are a view of match history too),
	// refreshes the session, signs out everywhere, erases the profile;
	// afterwards nobody else gets anything about them.
	mustView("jobseeker", "GET", "/api/v1/profiles/me/export", seeker, nil)
	refresh = a.must(200, "POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": refresh})["refreshToken"].(string)
	if r := a.do("POST", "/api/v1/auth/logout-all", seeker, nil); r.Status != 204 {
		t.Fatalf("sign out everywhere = %d %s", r.Status, r.Body)
	}
	mine(a.do("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": refresh}))
	if r := a.do("DELETE", "/api/v1/profiles/me", seeker, nil); r.Status != 204 {
		t.Fatalf("erasure = %d %s", r.Status, r.Body)
	}
	other(a.do("GET", "/api/v1/profiles/"+id, owner, nil))
	other(a.do("GET", "/api/v1/profiles/"+id, officer, nil))
	view("employer", a.do("GET", "/api/v1/matches/"+match, owner, nil)) // the record stays, withdrawn, naming no one
	view("employer", a.do("GET", "/api/v1/matches", owner, nil))
	other(a.do("GET", "/api/v1/profiles/me", seeker, nil)) // the person's own 404: also no echo of the erased data

	// The others leave: the nosy one and the employer delete their accounts.
	for _, tok := range []string{nosy, owner} {
		if r := a.do("DELETE", "/api/v1/me", tok, nil); r.Status != 204 {
			t.Fatalf("DELETE /me = %d %s", r.Status, r.Body)
		}
	}
	other(a.do("GET", "/api/v1/me", owner, nil))

	if len(foreign) < 15 || len(cards) != 1 || !strings.Contains(cards[0], `"candidate"`) || len(views["employer"]) < 6 || len(views["jobseeker"]) < 3 || len(own) < 4 {
		t.Fatalf("the story produced %d foreign errors, %d own errors, %d views of match history and %d card lists (%.200s): it no longer probes what it should",
			len(foreign), len(own), len(views["employer"])+len(views["jobseeker"]), len(cards), cards)
	}
	metrics := scrape(t, a)
	if metrics.Status != 200 || !strings.Contains(string(metrics.Body), "skillsmatch_http_requests_total") {
		t.Fatalf("/metrics = %d, without the request counts (%.300s): the canary would prove nothing", metrics.Status, metrics.Body)
	}
	logText := logs.String()
	if !strings.Contains(logText, `"status":201`) && !strings.Contains(logText, `"status":200`) {
		t.Fatalf("the access log captured nothing, so the canary proves nothing:\n%.500s", logText)
	}
	for field, marker := range m {
		password := strings.Contains(field, "password")
		internal := slices.Contains(internalMarkers, field)
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
			for _, body := range own {
				if password && strings.Contains(body, probe) {
					t.Errorf("the %s (%q) is echoed in an error to the person: %s", field, probe, body)
				}
			}
			for _, body := range cards {
				if field != "municipality" && strings.Contains(body, probe) {
					t.Errorf("the %s (%q) appears in an employer's candidate card: %s", field, probe, body)
				}
			}
			for who, bodies := range views {
				for _, body := range bodies {
					if internal && strings.Contains(body, probe) {
						t.Errorf("the %s (%q), internal to the office, appears in a view of match history sent to the %s: %s", field, probe, who, trim([]byte(body)))
					}
				}
			}
		}
	}
	// Who at the office moved the match is the office's business; the
	// employer's user id is its colleagues', not the person's.
	for who, bodies := range views {
		for _, body := range bodies {
			if strings.Contains(body, officerID) {
				t.Errorf("the officer's id appears in a view of match history sent to the %s: %s", who, trim([]byte(body)))
			}
			if who == "jobseeker" && strings.Contains(body, ownerID) {
				t.Errorf("the employer's user id appears in a view of match history sent to the person: %s", trim([]byte(body)))
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
