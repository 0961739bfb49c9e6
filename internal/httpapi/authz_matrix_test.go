package httpapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/gin-gonic/gin"
)

// The route × role authorisation matrix: every route of the real router,
// called for real by every kind of caller, against ONE table of expected
// statuses. A route the table lacks, or a row for a route that no longer
// exists, fails the test by name, so a new route cannot ship without someone
// deciding who may call it.

// The callers, in the order of the table's columns.
const (
	anon      = iota // no token
	seeker           // the job-seeker who owns the profile, the applications and the enrolments
	seeker2          // another job-seeker, with a profile of their own
	member           // an employer account that owns the (verified) employer of the needs
	nonmember        // an employer account that owns another verified employer
	officer          // a labour-office officer
	admin            // an administrator
	nCallers
)

var callerNames = [nCallers]string{"anonymous", "jobseeker", "other jobseeker", "employer member", "employer non-member", "officer", "admin"}

// want is one row's expected statuses: anonymous, jobseeker, other
// jobseeker, employer member, employer non-member, officer, admin.
type want [nCallers]int

// call is one concrete request; token, when set, replaces the caller's
// own (for routes that consume the session or the account they act on).
type call struct {
	path  string
	body  any
	token string
}

// row sets up a fresh request for one caller; setups may create fixtures.
type row struct {
	route string // "METHOD /path/:param", as gin lists it
	setup func(f *fx, who int) call
	want  want
}

// publicRoutes answer without a token. Every other route must answer 401 to
// no token, a forged token and an expired token.
var publicRoutes = []string{
	"GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "GET /docs", "GET /docs/app.js",
	"POST /api/v1/auth/register", "POST /api/v1/auth/login", "POST /api/v1/auth/refresh",
	"GET /api/v1/skills", "GET /api/v1/skills/:id", "GET /api/v1/occupations", "GET /api/v1/taxonomy/attribution",
	"GET /api/v1/employers/:id", "GET /api/v1/needs", "GET /api/v1/needs/:id", "GET /api/v1/pathways",
}

// matrix is the table: one line per route; the columns of want are
// {anonymous, jobseeker, other jobseeker, employer member, employer
// non-member, officer, admin}. A new route needs a line and, unless it is
// public, an anonymous 401. 404 rather than 403 means "not found for you":
// the caller may not learn that the object exists.
var matrix = []row{
	{"GET /healthz", fixed("/healthz"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /readyz", fixed("/readyz"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /metrics", fixed("/metrics"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /openapi.json", fixed("/openapi.json"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /docs", fixed("/docs"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /docs/app.js", fixed("/docs/app.js"), want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/auth/register", (*fx).register, want{201, 201, 201, 201, 201, 201, 201}},
	{"POST /api/v1/auth/login", (*fx).loginCall, want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/auth/refresh", (*fx).refresh, want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/auth/logout", (*fx).logout, want{401, 204, 204, 204, 204, 204, 204}},
	{"GET /api/v1/me", fixed("/api/v1/me"), want{401, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/users", (*fx).createUser, want{401, 403, 403, 403, 403, 403, 201}},
	{"GET /api/v1/skills", fixed("/api/v1/skills?q=care"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/skills/:id", (*fx).skill, want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/occupations", fixed("/api/v1/occupations?q=nurse"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/taxonomy/attribution", fixed("/api/v1/taxonomy/attribution"), want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/employers", (*fx).createEmployer, want{401, 403, 403, 201, 201, 403, 403}},
	{"GET /api/v1/employers/:id", (*fx).employer, want{200, 200, 200, 200, 200, 200, 200}},
	{"PATCH /api/v1/employers/:id", (*fx).updateEmployer, want{401, 403, 403, 200, 403, 200, 403}},
	{"POST /api/v1/employers/:id/verification", (*fx).verifyEmployer, want{401, 404, 404, 403, 404, 200, 404}},
	{"POST /api/v1/needs", (*fx).createNeed, want{401, 403, 403, 201, 403, 201, 403}},
	{"GET /api/v1/needs", fixed("/api/v1/needs"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/needs/:id", (*fx).need, want{200, 200, 200, 200, 200, 200, 200}},
	{"PATCH /api/v1/needs/:id", (*fx).updateNeed, want{401, 403, 403, 200, 403, 200, 403}},
	{"DELETE /api/v1/needs/:id", (*fx).deleteNeed, want{401, 403, 403, 204, 403, 204, 403}},
	{"GET /api/v1/needs/:id/matches", (*fx).needMatches, want{401, 403, 403, 200, 403, 200, 403}},
	{"PUT /api/v1/profiles/me", (*fx).putProfile, want{401, 200, 200, 403, 403, 403, 403}},
	{"GET /api/v1/profiles/me", fixed("/api/v1/profiles/me"), want{401, 200, 200, 403, 403, 403, 403}},
	{"GET /api/v1/profiles/me/export", fixed("/api/v1/profiles/me/export"), want{401, 200, 200, 403, 403, 403, 403}},
	{"GET /api/v1/profiles/me/matches", fixed("/api/v1/profiles/me/matches"), want{401, 200, 200, 403, 403, 403, 403}},
	{"GET /api/v1/profiles/:id", (*fx).readProfile, want{401, 403, 403, 200, 404, 200, 403}},
	{"POST /api/v1/needs/:id/applications", (*fx).apply, want{401, 201, 201, 403, 403, 403, 403}},
	{"GET /api/v1/matches", fixed("/api/v1/matches"), want{401, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/matches/:id", (*fx).getMatch, want{401, 200, 404, 200, 404, 200, 404}},
	{"POST /api/v1/matches/:id/transitions", (*fx).refer, want{401, 403, 404, 404, 404, 200, 404}},
	{"POST /api/v1/rounds", (*fx).createRound, want{401, 403, 403, 403, 403, 201, 403}},
	{"GET /api/v1/rounds/:id", (*fx).getRound, want{401, 200, 200, 200, 200, 200, 200}},
	{"PUT /api/v1/rounds/:id/preferences/me", (*fx).roundPreferences, want{401, 200, 200, 403, 403, 403, 403}},
	{"PUT /api/v1/rounds/:id/preferences/needs/:needId", (*fx).roundRanking, want{401, 403, 403, 200, 403, 200, 403}},
	{"POST /api/v1/rounds/:id/run", (*fx).runRound, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/rounds/:id/publish", (*fx).publishRound, want{401, 403, 403, 403, 403, 200, 403}},
	{"GET /api/v1/pathways", fixed("/api/v1/pathways"), want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/pathways", (*fx).createPathway, want{401, 403, 403, 403, 403, 201, 403}},
	{"POST /api/v1/pathways/:id/participants", (*fx).enrol, want{401, 201, 403, 403, 403, 201, 403}},
	{"GET /api/v1/pathways/:id/participants", (*fx).cohort, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/pathways/:id/participants/:profileId/acceptance", (*fx).accept, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/pathways/:id/participants/:profileId/progress", (*fx).progress, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/pathways/:id/participants/:profileId/checks", (*fx).check, want{401, 403, 403, 403, 403, 200, 403}},
	{"GET /api/v1/insights/skills-gap", fixed("/api/v1/insights/skills-gap"), want{401, 403, 403, 403, 403, 200, 403}},
	{"GET /api/v1/insights/indicators", fixed("/api/v1/insights/indicators"), want{401, 403, 403, 403, 403, 200, 403}},
	{"GET /api/v1/exports/:file", fixed("/api/v1/exports/needs.csv"), want{401, 403, 403, 403, 403, 200, 403}},
	// Last: erasure ends the caller's profile, so each caller erases a fresh one.
	{"DELETE /api/v1/profiles/me", (*fx).erase, want{401, 204, 204, 403, 403, 403, 403}},
}

func TestAuthorisationMatrix(t *testing.T) {
	f := newFx(t)
	a := f.a
	// The table and the router agree, both ways.
	rowOf := map[string]row{}
	for _, r := range matrix {
		if _, dup := rowOf[r.route]; dup {
			t.Errorf("matrix: two rows for %s", r.route)
		}
		rowOf[r.route] = r
	}
	served := map[string]bool{}
	for _, ri := range engineRoutes(t, a) {
		route := ri.Method + " " + ri.Path
		served[route] = true
		if _, ok := rowOf[route]; !ok {
			t.Errorf("route %s has no row in the authorisation matrix (internal/httpapi/authz_matrix_test.go): add one saying which callers may use it", route)
		}
	}
	for _, r := range matrix {
		if !served[r.route] {
			t.Errorf("matrix row %s names a route the router does not serve: remove or rename it", r.route)
		}
	}
	for _, p := range publicRoutes {
		if !served[p] {
			t.Errorf("publicRoutes lists %s, which the router does not serve", p)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	var got []string
	for _, r := range matrix {
		method, _, _ := strings.Cut(r.route, " ")
		var line want
		for who := range nCallers {
			c := r.setup(f, who)
			tok := c.token
			if tok == "" {
				tok = f.tokens[who]
			}
			res := a.do(method, c.path, tok, c.body)
			line[who] = res.Status
			if res.Status != r.want[who] {
				t.Errorf("%s as %s (%s %s) = %d, want %d: %s", r.route, callerNames[who], method, c.path, res.Status, r.want[who], trim(res.Body))
			}
		}
		got = append(got, fmt.Sprintf("{%q, ..., want{%d, %d, %d, %d, %d, %d, %d}},", r.route, line[0], line[1], line[2], line[3], line[4], line[5], line[6]))
	}
	if t.Failed() {
		t.Logf("observed statuses, for review (not to be pasted blindly):\n%s", strings.Join(got, "\n"))
	}
}

// TestEveryPrivateRouteIsGuarded: a route that is not public answers 401 to
// no token, to a token signed by another key, to an expired token and to a
// token whose signature was tampered with, whatever the body; a public
// route never answers 401 to no token.
func TestEveryPrivateRouteIsGuarded(t *testing.T) {
	a := newAPI(t)
	id, _ := a.user("jobseeker", "guard@example.bg")
	forged := signToken(t, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)), time.Now, id)
	expired := signToken(t, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)), func() time.Time { return time.Now().Add(-time.Hour) }, id)
	valid := signToken(t, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)), time.Now, id)
	tampered := valid[:len(valid)-4] + flipAll(valid[len(valid)-4:])
	if r := a.do("GET", "/api/v1/me", valid, nil); r.Status != 200 {
		t.Fatalf("the test's own valid token is refused (%d %s): the forged ones below prove nothing", r.Status, r.Body)
	}
	for _, ri := range engineRoutes(t, a) {
		route := ri.Method + " " + ri.Path
		path := strings.NewReplacer(":id", "x1", ":needId", "x2", ":profileId", "x3", ":file", "needs.csv").Replace(ri.Path)
		if slices.Contains(publicRoutes, route) {
			if r := a.do(ri.Method, path, "", nil); r.Status == 401 {
				t.Errorf("public route %s answers 401 without a token", route)
			}
			continue
		}
		for name, tok := range map[string]string{"no": "", "a forged": forged, "an expired": expired, "a tampered": tampered} {
			if r := a.do(ri.Method, path, tok, `{}`); r.Status != 401 {
				t.Errorf("%s with %s token = %d, want 401 (no auth guard?): %s", route, name, r.Status, trim(r.Body))
			}
		}
	}
}

// engineRoutes is the router's own list of routes.
func engineRoutes(t *testing.T, a *api) gin.RoutesInfo {
	t.Helper()
	eng, ok := a.handler.(*gin.Engine)
	if !ok {
		t.Fatalf("httpapi.New returns %T, not the *gin.Engine: give this test the engine's route list another way", a.handler)
	}
	return eng.Routes()
}

// signToken makes an access token as the server's signer would, with the
// given key and clock.
func signToken(t *testing.T, key ed25519.PrivateKey, now func() time.Time, userID string) string {
	t.Helper()
	s, err := auth.NewSigner(key.Seed(), "skillsmatch", 15*time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Issue(userID, auth.RoleJobseeker)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func flipAll(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
	}
	return string(b)
}

func trim(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// fx is the cast and the shared fixtures of the matrix.
type fx struct {
	t      *testing.T
	a      *api
	tokens [nCallers]string
	emails [nCallers]string
	ids    [nCallers]string
	sk     []string

	employerID, otherEmpID string // owned by member / nonmember, both verified
	needID                 string // an open need of employerID
	internID               string // an open internship of employerID
	referredMatch          string // seeker's match on needID, referred by the officer
	roundID                string
	n                      int // for unique e-mails and EIKs
}

func newFx(t *testing.T) *fx {
	f := &fx{t: t, a: newAPI(t), sk: skills(t, 2)}
	ctx := context.Background()
	for who := seeker; who < nCallers; who++ {
		email := fmt.Sprintf("m%d@example.bg", who)
		var u auth.User
		var err error
		switch who {
		case officer, admin:
			role := auth.RoleOfficer
			if who == admin {
				role = auth.RoleAdmin
			}
			u, err = f.a.auth.CreateStaff(ctx, auth.NewAccount{Email: email, Password: password, Role: role, Name: "Staff"})
		default:
			role := auth.RoleJobseeker
			if who == member || who == nonmember {
				role = auth.RoleEmployer
			}
			u, err = f.a.auth.Register(ctx, auth.NewAccount{Email: email, Password: password, Role: role, Name: "User"})
		}
		if err != nil {
			t.Fatal(err)
		}
		f.ids[who], f.emails[who], f.tokens[who] = u.ID, email, f.a.login(email)
	}
	f.a.must(200, "PUT", "/api/v1/profiles/me", f.tokens[seeker], f.profile())
	f.a.must(200, "PUT", "/api/v1/profiles/me", f.tokens[seeker2], f.profile())
	f.employerID = f.newEmployer(member)
	f.otherEmpID = f.newEmployer(nonmember)
	f.verify(f.otherEmpID)
	f.needID = f.newNeed("job")
	f.internID = f.newNeed("internship")
	f.referredMatch = f.newMatch(true)
	f.roundID = f.newRound()
	return f
}

func (f *fx) profile() map[string]any {
	b := profileBody(f.t)
	b["skills"] = heldSkills(f.sk[0], 3, f.sk[1], 3)
	b["interests"] = map[string]any{"kinds": []string{"job", "internship", "care_pathway"}, "sectors": []string{"healthcare"}}
	return b
}

func (f *fx) uniq() int { f.n++; return f.n }

func (f *fx) newEmployer(owner int) string {
	id := f.a.must(201, "POST", "/api/v1/employers", f.tokens[owner], employerBody(validEIK()))["id"].(string)
	f.verify(id)
	return id
}

func (f *fx) verify(id string) {
	f.a.must(200, "POST", "/api/v1/employers/"+id+"/verification", f.tokens[officer], map[string]any{"verified": true, "note": "checked"})
}

func (f *fx) needOf(kind string) map[string]any {
	b := needBody(f.t, f.employerID)
	b["kind"] = kind
	b["skills"] = []map[string]any{{"id": f.sk[0], "level": 2, "required": true}}
	return b
}

func (f *fx) newNeed(kind string) string {
	return f.a.must(201, "POST", "/api/v1/needs", f.tokens[member], f.needOf(kind))["id"].(string)
}

// newMatch: the seeker applies to a fresh need; the officer refers if asked.
func (f *fx) newMatch(referred bool) string {
	need := f.newNeed("job")
	id := f.a.must(201, "POST", "/api/v1/needs/"+need+"/applications", f.tokens[seeker], nil)["id"].(string)
	if referred {
		f.a.must(200, "POST", "/api/v1/matches/"+id+"/transitions", f.tokens[officer], map[string]any{"to": "referred"})
	}
	return id
}

func (f *fx) roundBody() map[string]any {
	return map[string]any{"name": "Round " + fmt.Sprint(f.uniq()), "programme": "internship", "needIds": []string{f.internID},
		"closesAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)}
}

func (f *fx) newRound() string {
	return f.a.must(201, "POST", "/api/v1/rounds", f.tokens[officer], f.roundBody())["id"].(string)
}

func (f *fx) newPathway() string {
	return f.a.must(201, "POST", "/api/v1/pathways", f.tokens[officer], carePathway(f.sk[0]))["id"].(string)
}

// enrolled: a fresh pathway with the seeker enrolled (and accepted if asked).
func (f *fx) enrolled(accepted bool) string {
	pw := f.newPathway()
	base := "/api/v1/pathways/" + pw + "/participants"
	f.a.must(201, "POST", base, f.tokens[seeker], map[string]any{"profileId": f.ids[seeker]})
	if accepted {
		f.a.must(200, "POST", base+"/"+f.ids[seeker]+"/acceptance", f.tokens[officer], nil)
	}
	return base + "/" + f.ids[seeker]
}

// freshSession signs the caller in again, for routes that end a session.
func (f *fx) freshSession(who int) (access, refresh string) {
	if who == anon {
		return "", ""
	}
	tok := f.a.must(200, "POST", "/api/v1/auth/login", "", map[string]any{"email": f.emails[who], "password": password})
	return tok["accessToken"].(string), tok["refreshToken"].(string)
}

func fixed(path string) func(*fx, int) call { return func(*fx, int) call { return call{path: path} } }

func (f *fx) register(int) call {
	return call{path: "/api/v1/auth/register", body: map[string]any{"email": fmt.Sprintf("new%d@example.bg", f.uniq()),
		"password": password, "role": "jobseeker", "name": "New"}}
}

func (f *fx) loginCall(int) call {
	return call{path: "/api/v1/auth/login", body: map[string]any{"email": f.emails[seeker], "password": password}}
}

func (f *fx) refresh(int) call {
	_, rt := f.freshSession(seeker)
	return call{path: "/api/v1/auth/refresh", body: map[string]any{"refreshToken": rt}}
}

func (f *fx) logout(who int) call {
	at, rt := f.freshSession(who)
	if who == anon {
		_, rt = f.freshSession(seeker)
	}
	return call{path: "/api/v1/auth/logout", body: map[string]any{"refreshToken": rt}, token: at}
}

func (f *fx) createUser(int) call {
	return call{path: "/api/v1/users", body: map[string]any{"email": fmt.Sprintf("staff%d@example.bg", f.uniq()),
		"password": password, "role": "officer", "name": "Staff"}}
}

func (f *fx) skill(int) call { return call{path: "/api/v1/skills/" + f.sk[0]} }

func (f *fx) createEmployer(int) call {
	return call{path: "/api/v1/employers", body: employerBody(validEIK())}
}

func (f *fx) employer(int) call { return call{path: "/api/v1/employers/" + f.employerID} }

func (f *fx) updateEmployer(int) call {
	return call{path: "/api/v1/employers/" + f.employerID, body: map[string]any{"address": fmt.Sprintf("ул. Първа %d", f.uniq())}}
}

// verifyEmployer decides on a fresh, unverified employer of the member.
func (f *fx) verifyEmployer(int) call {
	id := f.a.must(201, "POST", "/api/v1/employers", f.tokens[member], employerBody(validEIK()))["id"].(string)
	return call{path: "/api/v1/employers/" + id + "/verification", body: map[string]any{"verified": true, "note": "checked"}}
}

func (f *fx) createNeed(int) call { return call{path: "/api/v1/needs", body: f.needOf("job")} }

func (f *fx) need(int) call { return call{path: "/api/v1/needs/" + f.needID} }

func (f *fx) updateNeed(int) call {
	return call{path: "/api/v1/needs/" + f.newNeed("job"), body: map[string]any{"title": "Санитар"}}
}

func (f *fx) deleteNeed(int) call { return call{path: "/api/v1/needs/" + f.newNeed("job")} }

func (f *fx) needMatches(int) call { return call{path: "/api/v1/needs/" + f.needID + "/matches"} }

func (f *fx) putProfile(int) call { return call{path: "/api/v1/profiles/me", body: f.profile()} }

// readProfile: the seeker's profile, which the officer referred to the member.
func (f *fx) readProfile(int) call { return call{path: "/api/v1/profiles/" + f.ids[seeker]} }

// apply: the caller applies to a fresh open need.
func (f *fx) apply(int) call {
	return call{path: "/api/v1/needs/" + f.newNeed("job") + "/applications"}
}

func (f *fx) getMatch(int) call { return call{path: "/api/v1/matches/" + f.referredMatch} }

// refer: a fresh application of the seeker, referred (only an officer may).
func (f *fx) refer(int) call {
	return call{path: "/api/v1/matches/" + f.newMatch(false) + "/transitions", body: map[string]any{"to": "referred"}}
}

func (f *fx) createRound(int) call { return call{path: "/api/v1/rounds", body: f.roundBody()} }

func (f *fx) getRound(int) call { return call{path: "/api/v1/rounds/" + f.roundID} }

func (f *fx) roundPreferences(int) call {
	return call{path: "/api/v1/rounds/" + f.roundID + "/preferences/me", body: map[string]any{"needIds": []string{f.internID}}}
}

func (f *fx) roundRanking(int) call {
	return call{path: "/api/v1/rounds/" + f.roundID + "/preferences/needs/" + f.internID,
		body: map[string]any{"profileIds": []string{f.ids[seeker]}}}
}

func (f *fx) runRound(int) call { return call{path: "/api/v1/rounds/" + f.newRound() + "/run"} }

// publishRound: a fresh round, already run by the officer.
func (f *fx) publishRound(int) call {
	id := f.newRound()
	f.a.must(200, "POST", "/api/v1/rounds/"+id+"/run", f.tokens[officer], nil)
	return call{path: "/api/v1/rounds/" + id + "/publish"}
}

func (f *fx) createPathway(int) call {
	return call{path: "/api/v1/pathways", body: carePathway(f.sk[0])}
}

// enrol: the seeker's profile into a fresh pathway (the other job-seeker may not).
func (f *fx) enrol(int) call {
	return call{path: "/api/v1/pathways/" + f.newPathway() + "/participants", body: map[string]any{"profileId": f.ids[seeker]}}
}

func (f *fx) cohort(int) call {
	return call{path: strings.TrimSuffix(f.enrolled(false), "/"+f.ids[seeker])}
}

func (f *fx) accept(int) call { return call{path: f.enrolled(false) + "/acceptance"} }

func (f *fx) progress(int) call {
	return call{path: f.enrolled(true) + "/progress", body: map[string]any{"stage": "orientation", "status": "started"}}
}

func (f *fx) check(int) call {
	return call{path: f.enrolled(true) + "/checks", body: map[string]any{"requirement": "medical", "checked": true, "on": time.Now().Format(time.DateOnly)}}
}

// erase: each job-seeker column erases a fresh job-seeker's profile, so the
// cast's own profiles stay for the rows above.
func (f *fx) erase(who int) call {
	if who != seeker && who != seeker2 {
		return call{path: "/api/v1/profiles/me"}
	}
	email := fmt.Sprintf("erase%d@example.bg", f.uniq())
	if _, err := f.a.auth.Register(context.Background(), auth.NewAccount{Email: email, Password: password, Role: auth.RoleJobseeker, Name: "E"}); err != nil {
		f.t.Fatal(err)
	}
	tok := f.a.login(email)
	f.a.must(200, "PUT", "/api/v1/profiles/me", tok, f.profile())
	return call{path: "/api/v1/profiles/me", token: tok}
}
