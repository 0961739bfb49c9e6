package httpapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
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
// no token, a forged token and an expired token. /metrics is not among them:
// it is served on its own listener (internal/app/metrics.go), never by the
// API's router (TestAuthorisationMatrix checks that the API answers 404).
var publicRoutes = []string{
	"GET /healthz", "GET /readyz", "GET /openapi.json", "GET /docs", "GET /docs/app.js",
	"POST /api/v1/auth/register", "POST /api/v1/auth/login", "POST /api/v1/auth/refresh",
	"GET /api/v1/skills", "GET /api/v1/skills/:id", "GET /api/v1/occupations", "GET /api/v1/taxonomy/attribution",
	"GET /api/v1/employers/:id", "GET /api/v1/needs", "GET /api/v1/needs/:id", "GET /api/v1/pathways",
	"GET /api/v1/events", "GET /api/v1/events/:id",
}

// matrix is the table: one line per route; the columns of want are
// {anonymous, jobseeker, other jobseeker, employer member, employer
// non-member, officer, admin}. A new route needs a line and, unless it is
// public, an anonymous 401. 404 rather than 403 means "not found for you":
// the caller may not learn that the object exists.
var matrix = []row{
	{"GET /healthz", fixed("/healthz"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /readyz", fixed("/readyz"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /openapi.json", fixed("/openapi.json"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /docs", fixed("/docs"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /docs/app.js", fixed("/docs/app.js"), want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/auth/register", (*fx).register, want{201, 201, 201, 201, 201, 201, 201}},
	{"POST /api/v1/auth/login", (*fx).loginCall, want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/auth/refresh", (*fx).refresh, want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/auth/logout", (*fx).logout, want{401, 204, 204, 204, 204, 204, 204}},
	// Every signed-in account may change its own password and end all its
	// own sessions; both end sessions, so each caller acts on a throwaway
	// account of its role (membership of an employer plays no part).
	{"POST /api/v1/auth/password", (*fx).changePassword, want{401, 204, 204, 204, 204, 204, 204}},
	{"POST /api/v1/auth/logout-all", (*fx).logoutAll, want{401, 204, 204, 204, 204, 204, 204}},
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
	// An employer's own needs (issue 11): its members and officers; another
	// employer, a job-seeker and an admin are refused (the employer is
	// verified, so public: 403, not 404). stateRows has the unverified one.
	{"GET /api/v1/employers/:id/needs", (*fx).employerNeeds, want{401, 403, 403, 200, 403, 200, 403}},
	{"POST /api/v1/needs", (*fx).createNeed, want{401, 403, 403, 201, 403, 201, 403}},
	{"GET /api/v1/needs", fixed("/api/v1/needs"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/needs/:id", (*fx).need, want{200, 200, 200, 200, 200, 200, 200}},
	{"PATCH /api/v1/needs/:id", (*fx).updateNeed, want{401, 403, 403, 200, 403, 200, 403}},
	{"DELETE /api/v1/needs/:id", (*fx).deleteNeed, want{401, 403, 403, 204, 403, 204, 403}},
	// On a public need (open, of a verified employer, not past apply-by) the
	// member sees the cards; the non-member gets 403, not 404, because the
	// need itself is public (GET /needs/:id answers it 200), only its
	// candidates are not. stateRows has the needs that are not public.
	{"GET /api/v1/needs/:id/matches", (*fx).needMatches, want{401, 403, 403, 200, 403, 200, 403}},
	{"PUT /api/v1/profiles/me", (*fx).putProfile, want{401, 200, 200, 403, 403, 403, 403}},
	{"GET /api/v1/profiles/me", fixed("/api/v1/profiles/me"), want{401, 200, 200, 403, 403, 403, 403}},
	{"GET /api/v1/profiles/me/export", fixed("/api/v1/profiles/me/export"), want{401, 200, 200, 403, 403, 403, 403}},
	{"GET /api/v1/profiles/me/matches", fixed("/api/v1/profiles/me/matches"), want{401, 200, 200, 403, 403, 403, 403}},
	// The member reads the person while the referral lasts (match.Access);
	// stateRows has the person who withdrew, whom the member no longer reads.
	{"GET /api/v1/profiles/:id", (*fx).readProfile, want{401, 403, 403, 200, 404, 200, 403}},
	// Officers only (requireRole), on a profile held for a guardian's consent
	// (its owner is 13). The jobseeker column is the child itself: a person
	// under 14 may not record their own guardian's consent.
	{"POST /api/v1/profiles/:id/guardian-consent", (*fx).guardianConsent, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/needs/:id/applications", (*fx).apply, want{401, 201, 201, 403, 403, 403, 403}},
	{"GET /api/v1/matches", fixed("/api/v1/matches"), want{401, 200, 200, 200, 200, 200, 200}},
	// A match is 404 to whoever may not see it (another job-seeker, an
	// employer it was not referred to, an admin: match.Service.visible).
	{"GET /api/v1/matches/:id", (*fx).getMatch, want{401, 200, 404, 200, 404, 200, 404}},
	// The referral is the officer's. The person sees their own application,
	// so for them it is 403 (the move is not theirs), not 404; the member
	// does not see an application before it is referred: 404.
	{"POST /api/v1/matches/:id/transitions", (*fx).refer, want{401, 403, 404, 404, 404, 200, 404}},
	{"POST /api/v1/rounds", (*fx).createRound, want{401, 403, 403, 403, 403, 201, 403}},
	{"GET /api/v1/rounds/:id", (*fx).getRound, want{401, 200, 200, 200, 200, 200, 200}},
	{"PUT /api/v1/rounds/:id/preferences/me", (*fx).roundPreferences, want{401, 200, 200, 403, 403, 403, 403}},
	{"PUT /api/v1/rounds/:id/preferences/needs/:needId", (*fx).roundRanking, want{401, 403, 403, 200, 403, 200, 403}},
	{"POST /api/v1/rounds/:id/run", (*fx).runRound, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/rounds/:id/publish", (*fx).publishRound, want{401, 403, 403, 403, 403, 200, 403}},
	// Everyone with a part in rounds lists their own (round.Service.List);
	// administrators have none.
	{"GET /api/v1/rounds", fixed("/api/v1/rounds"), want{401, 200, 200, 200, 200, 200, 403}},
	{"GET /api/v1/pathways", fixed("/api/v1/pathways"), want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/pathways", (*fx).createPathway, want{401, 403, 403, 403, 403, 201, 403}},
	{"POST /api/v1/pathways/:id/participants", (*fx).enrol, want{401, 201, 403, 403, 403, 201, 403}},
	{"GET /api/v1/pathways/:id/participants", (*fx).cohort, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/pathways/:id/participants/:profileId/acceptance", (*fx).accept, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/pathways/:id/participants/:profileId/progress", (*fx).progress, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/pathways/:id/participants/:profileId/checks", (*fx).check, want{401, 403, 403, 403, 403, 200, 403}},
	// Career & Skills Days: the officer runs them, employers' members bring
	// their own employer, job-seekers register themselves; a ticket is only
	// the registered person's (the other job-seeker is not registered: 404),
	// an interview's outcome only its employer's (404 to another's member).
	{"POST /api/v1/events", (*fx).createEvent, want{401, 403, 403, 403, 403, 201, 403}},
	{"GET /api/v1/events", fixed("/api/v1/events"), want{200, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/events/:id", (*fx).getEvent, want{200, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/events/:id/employers", (*fx).joinEvent, want{401, 403, 403, 200, 403, 200, 403}},
	{"POST /api/v1/events/:id/registrations", (*fx).registerForEvent, want{401, 201, 201, 403, 403, 201, 403}},
	{"GET /api/v1/events/:id/ticket", (*fx).eventTicket, want{401, 200, 404, 403, 403, 403, 403}},
	{"GET /api/v1/events/:id/invitations/suggested", (*fx).suggestedInvitations, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/events/:id/invitations", (*fx).inviteToEvent, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/events/:id/schedule", (*fx).makeSchedule, want{401, 403, 403, 403, 403, 200, 403}},
	{"GET /api/v1/events/:id/schedule", (*fx).eventSchedule, want{401, 200, 200, 200, 200, 200, 200}},
	{"GET /api/v1/events/:id/indicators", (*fx).eventIndicators, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/events/:id/checkins", (*fx).checkIn, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/events/:id/interviews/:n/outcome", (*fx).interviewOutcome, want{401, 403, 403, 200, 404, 200, 403}},
	{"GET /api/v1/insights/skills-gap", fixed("/api/v1/insights/skills-gap"), want{401, 403, 403, 403, 403, 200, 403}},
	{"GET /api/v1/insights/indicators", fixed("/api/v1/insights/indicators"), want{401, 403, 403, 403, 403, 200, 403}},
	{"GET /api/v1/exports/:file", fixed("/api/v1/exports/needs.csv"), want{401, 403, 403, 403, 403, 200, 403}},
	// The office's employer list and the profiles it keeps for people who do not use the web (officers only).
	{"GET /api/v1/employers", (*fx).listEmployers, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/profiles", (*fx).createInPerson, want{401, 403, 403, 403, 403, 201, 403}},
	{"PUT /api/v1/profiles/:id", (*fx).updateInPerson, want{401, 403, 403, 403, 403, 200, 403}},
	// Referrals (issue 11): an employer asks with a card's pseudonym on its
	// own public need (the non-member's 403: the need is public, its
	// candidates are not); the queue, its decisions and direct referrals are
	// the office's; a job-seeker reaches none.
	{"POST /api/v1/needs/:id/referral-requests", (*fx).askReferral, want{401, 403, 403, 201, 403, 403, 403}},
	{"GET /api/v1/needs/:id/referral-requests", (*fx).needReferralRequests, want{401, 403, 403, 200, 403, 200, 403}},
	{"GET /api/v1/referral-requests", fixed("/api/v1/referral-requests?state=pending"), want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/referral-requests/:id/accept", (*fx).acceptReferral, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/referral-requests/:id/decline", (*fx).declineReferral, want{401, 403, 403, 403, 403, 200, 403}},
	{"POST /api/v1/matches", (*fx).directReferral, want{401, 403, 403, 403, 403, 201, 403}},
	// Notifications: everyone signed in has an inbox of their own. Number 1
	// exists for those the fixture told something (the seeker and the
	// member of the referral, both employers of their verification), and
	// is looked up among the caller's own only: the others get 404. (They
	// ask for a number far past their inbox: rows before this one may have
	// told them something meanwhile — an application of their own — and
	// then 1 is theirs.)
	{"GET /api/v1/notifications", fixed("/api/v1/notifications"), want{401, 200, 200, 200, 200, 200, 200}},
	{"POST /api/v1/notifications/read", fixed("/api/v1/notifications/read"), want{401, 204, 204, 204, 204, 204, 204}},
	{"POST /api/v1/notifications/:id/read", (*fx).markOneRead, want{401, 204, 404, 204, 204, 404, 404}},
	{"GET /api/v1/notifications/preferences", fixed("/api/v1/notifications/preferences"), want{401, 200, 200, 200, 200, 200, 200}},
	{"PUT /api/v1/notifications/preferences", func(*fx, int) call {
		return call{path: "/api/v1/notifications/preferences", body: map[string]any{"emailOff": []string{"match_moved"}, "digest": false}}
	}, want{401, 200, 200, 200, 200, 200, 200}},
	// Last: erasure ends the caller's profile, so each caller erases a fresh one.
	{"DELETE /api/v1/profiles/me", (*fx).erase, want{401, 204, 204, 403, 403, 403, 403}},
	// Every signed-in account may delete itself (a job-seeker's by erasure,
	// with or without a profile; the others by closing it), each a throwaway
	// account of the caller's role so that the cast survives.
	{"DELETE /api/v1/me", (*fx).deleteMe, want{401, 204, 204, 204, 204, 204, 204}},
}

// stateRow is a route called on an object in another state than its row
// in matrix uses, where the merged fixes made the answer depend on that
// state. code, when set, is the problem code the employer member's refusal
// must carry (the 403 says why).
type stateRow struct {
	state string
	code  string
	row
}

// stateRows: candidate cards only for public needs (issue 9, item 1) and
// the employer's access to a person ending with the match (item 6). The
// non-member's 404 on a need that is not public is "not found for you": it
// may not learn that the need exists (register.Service.visibleNeed), while
// the member, who manages the need, is told why it shows no candidates.
// Officers preview any need's candidates and read any profile.
var stateRows = []stateRow{
	{"a draft need of the member's verified employer", "need_not_open",
		row{"GET /api/v1/needs/:id/matches", (*fx).draftNeedMatches, want{401, 403, 403, 403, 404, 200, 403}}},
	{"an open need of the member's unverified employer", "employer_not_verified",
		row{"GET /api/v1/needs/:id/matches", (*fx).unverifiedNeedMatches, want{401, 403, 403, 403, 404, 200, 403}}},
	{"an open need past its apply-by date", "need_expired",
		row{"GET /api/v1/needs/:id/matches", (*fx).expiredNeedMatches, want{401, 403, 403, 403, 404, 200, 403}}},
	{"the member's employer before the office verified it", "employer_not_verified",
		row{"GET /api/v1/employers/:id/needs", (*fx).unverifiedEmployerNeeds, want{401, 403, 403, 403, 404, 200, 403}}},
	{"a person who withdrew after the referral", "",
		row{"GET /api/v1/profiles/:id", (*fx).readWithdrawnProfile, want{401, 403, 403, 404, 404, 200, 403}}},
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
	for _, r := range stateRows {
		if !served[r.route] {
			t.Errorf("stateRows names %s, which the router does not serve", r.route)
		}
	}
	// Item 10: metrics are the operators', on their own listener.
	if r := a.do("GET", "/metrics", "", nil); r.Status != 404 {
		t.Errorf("the API listener answers GET /metrics with %d, want 404 (metrics belong on their own listener)", r.Status)
	}
	if t.Failed() {
		t.FailNow()
	}

	var got []string
	for _, r := range matrix {
		got = append(got, f.runRow(r, "", ""))
	}
	for _, r := range stateRows {
		got = append(got, f.runRow(r.row, r.state, r.code))
	}
	if t.Failed() {
		t.Logf("observed statuses, for review (not to be pasted blindly):\n%s", strings.Join(got, "\n"))
	}
}

// runRow calls r's route as every caller and compares the statuses with the
// row's; it returns the observed line. state names the fixture of a
// stateRow; code is the problem code expected in the member's refusal.
func (f *fx) runRow(r row, state, code string) string {
	t := f.t
	t.Helper()
	method, _, _ := strings.Cut(r.route, " ")
	name := r.route
	if state != "" {
		name += " on " + state
	}
	var line want
	for who := range nCallers {
		c := r.setup(f, who)
		tok := c.token
		if tok == "" {
			tok = f.tokens[who]
		}
		res := f.a.do(method, c.path, tok, c.body)
		line[who] = res.Status
		if res.Status != r.want[who] {
			t.Errorf("%s as %s (%s %s) = %d, want %d: %s", name, callerNames[who], method, c.path, res.Status, r.want[who], trim(res.Body))
		} else if who == member && code != "" {
			var p struct{ Code string }
			if err := json.Unmarshal(res.Body, &p); err != nil || p.Code != code {
				t.Errorf("%s as %s: problem code %q, want %q: %s", name, callerNames[who], p.Code, code, trim(res.Body))
			}
		}
	}
	if state != "" {
		state = " (on " + state + ")"
	}
	return fmt.Sprintf("{%q%s, ..., want{%d, %d, %d, %d, %d, %d, %d}},", r.route, state, line[0], line[1], line[2], line[3], line[4], line[5], line[6])
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
	withdrawnPerson        string // a job-seeker who withdrew after a referral to the member (lazily)
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

// markOneRead marks notification 1 read for those the fixture told
// something, and a number nobody's inbox reaches for the others.
func (f *fx) markOneRead(who int) call {
	if who == seeker || who == member || who == nonmember {
		return call{path: "/api/v1/notifications/1/read"}
	}
	return call{path: "/api/v1/notifications/1000000/read"}
}

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
	_, tok := f.throwaway(who)
	f.a.must(200, "PUT", "/api/v1/profiles/me", tok, f.profile())
	return call{path: "/api/v1/profiles/me", token: tok}
}

// throwaway creates and signs in a fresh account of the caller's role (a
// job-seeker without a profile, an employer account of no employer), for
// routes that end the caller's sessions or account. Anonymous gets none.
func (f *fx) throwaway(who int) (id, token string) {
	if who == anon {
		return "", ""
	}
	email := fmt.Sprintf("throwaway%d@example.bg", f.uniq())
	acct := auth.NewAccount{Email: email, Password: password, Name: "Throwaway"}
	var u auth.User
	var err error
	switch who {
	case officer:
		acct.Role = auth.RoleOfficer
		u, err = f.a.auth.CreateStaff(context.Background(), acct)
	case admin:
		acct.Role = auth.RoleAdmin
		u, err = f.a.auth.CreateStaff(context.Background(), acct)
	case member, nonmember:
		acct.Role = auth.RoleEmployer
		u, err = f.a.auth.Register(context.Background(), acct)
	default:
		acct.Role = auth.RoleJobseeker
		u, err = f.a.auth.Register(context.Background(), acct)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return u.ID, f.a.login(email)
}

// throwawayCall is path called with a throwaway account's token; for
// anonymous, with none.
func (f *fx) throwawayCall(who int, path string, body any) call {
	_, tok := f.throwaway(who)
	return call{path: path, body: body, token: tok}
}

func (f *fx) changePassword(who int) call {
	return f.throwawayCall(who, "/api/v1/auth/password",
		map[string]any{"currentPassword": password, "newPassword": "a brand new passphrase 42"})
}

func (f *fx) logoutAll(who int) call { return f.throwawayCall(who, "/api/v1/auth/logout-all", nil) }

// deleteMe: the first job-seeker column deletes an account with a profile,
// the second one without (erasure must finish either way).
func (f *fx) deleteMe(who int) call {
	_, tok := f.throwaway(who)
	if who == seeker {
		f.a.must(200, "PUT", "/api/v1/profiles/me", tok, f.profile())
	}
	return call{path: "/api/v1/me", token: tok}
}

// heldChild is a fresh job-seeker of 13 whose profile waits for a
// guardian's consent.
func (f *fx) heldChild() (id, token string) {
	id, token = f.throwaway(seeker)
	b := f.profile()
	delete(b, "birthYear")
	b["birthDate"] = time.Now().UTC().AddDate(-13, -1, 0).Format("2006-01") // as age_test.go: 13, a month past the birthday
	p := f.a.must(200, "PUT", "/api/v1/profiles/me", token, b)
	if g, _ := p["guardianConsent"].(map[string]any); g["status"] != "pending" {
		f.t.Fatalf("the 13-year-old's profile is not held (guardianConsent %v): the guardian-consent row would prove nothing", p["guardianConsent"])
	}
	return id, token
}

// guardianConsent: each caller on a fresh held profile, so that the
// officer's 200 is not a 409 for a consent already recorded, and a wrongly
// admitted caller would show as 200 rather than 409.
func (f *fx) guardianConsent(who int) call {
	id, child := f.heldChild()
	c := call{path: "/api/v1/profiles/" + id + "/guardian-consent",
		body: map[string]any{"name": "Елена Петрова", "relation": "parent", "givenOn": time.Now().UTC().Format(time.DateOnly)}}
	if who == seeker {
		c.token = child
	}
	return c
}

// needMatchesOf posts a need of employerID as the member, edited by edit,
// and calls for its candidates.
func (f *fx) needMatchesOf(employerID string, edit func(map[string]any)) call {
	b := f.needOf("job")
	b["employerId"] = employerID
	edit(b)
	id := f.a.must(201, "POST", "/api/v1/needs", f.tokens[member], b)["id"].(string)
	return call{path: "/api/v1/needs/" + id + "/matches"}
}

func (f *fx) draftNeedMatches(int) call {
	return f.needMatchesOf(f.employerID, func(b map[string]any) { b["status"] = "draft" })
}

// unverifiedNeedMatches: an open need of a fresh employer of the member
// that the office has not verified.
func (f *fx) unverifiedNeedMatches(int) call {
	emp := f.a.must(201, "POST", "/api/v1/employers", f.tokens[member], employerBody(validEIK()))["id"].(string)
	return f.needMatchesOf(emp, func(map[string]any) {})
}

func (f *fx) expiredNeedMatches(int) call {
	return f.needMatchesOf(f.employerID, func(b map[string]any) {
		b["applyBy"] = time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	})
}

// readWithdrawnProfile: a job-seeker whom the officer referred to the
// member's need and who then withdrew; the member's access ended then.
func (f *fx) readWithdrawnProfile(int) call {
	if f.withdrawnPerson == "" {
		id, tok := f.throwaway(seeker)
		f.a.must(200, "PUT", "/api/v1/profiles/me", tok, f.profile())
		m := f.a.must(201, "POST", "/api/v1/needs/"+f.newNeed("job")+"/applications", tok, nil)["id"].(string)
		f.a.must(200, "POST", "/api/v1/matches/"+m+"/transitions", f.tokens[officer], map[string]any{"to": "referred"})
		// While referred, the member reads the person: the 404 below is the withdrawal's.
		f.a.must(200, "GET", "/api/v1/profiles/"+id, f.tokens[member], nil)
		f.a.must(200, "POST", "/api/v1/matches/"+m+"/transitions", tok, map[string]any{"to": "withdrawn"})
		f.withdrawnPerson = id
	}
	return call{path: "/api/v1/profiles/" + f.withdrawnPerson}
}

// askReferral: the member's first card of a fresh open need, asked for by
// the caller.
func (f *fx) askReferral(int) call {
	need := f.newNeed("job")
	return call{path: "/api/v1/needs/" + need + "/referral-requests", body: map[string]any{"candidateId": f.firstCard(need)}}
}

// firstCard is the pseudonym of the need's first candidate as the member
// sees it.
func (f *fx) firstCard(need string) string {
	res := f.a.must(200, "GET", "/api/v1/needs/"+need+"/matches", f.tokens[member], nil)
	its, _ := res["items"].([]any)
	if len(its) == 0 {
		f.t.Fatalf("need %s shows the member no candidates: the referral rows prove nothing", need)
	}
	return its[0].(map[string]any)["candidate"].(map[string]any)["id"].(string)
}

// askedReferral is a fresh pending request of the member.
func (f *fx) askedReferral() string {
	need := f.newNeed("job")
	return f.a.must(201, "POST", "/api/v1/needs/"+need+"/referral-requests", f.tokens[member],
		map[string]any{"candidateId": f.firstCard(need)})["id"].(string)
}

func (f *fx) needReferralRequests(int) call {
	return call{path: "/api/v1/needs/" + f.needID + "/referral-requests"}
}

func (f *fx) acceptReferral(int) call {
	return call{path: "/api/v1/referral-requests/" + f.askedReferral() + "/accept", body: map[string]any{"note": "ok"}}
}

func (f *fx) declineReferral(int) call {
	return call{path: "/api/v1/referral-requests/" + f.askedReferral() + "/decline", body: map[string]any{"reason": "the person moved"}}
}

// directReferral: the seeker to a fresh open need.
func (f *fx) directReferral(int) call {
	return call{path: "/api/v1/matches", body: map[string]any{"needId": f.newNeed("job"), "profileId": f.ids[seeker], "note": "fits"}}
}

func (f *fx) employerNeeds(int) call {
	return call{path: "/api/v1/employers/" + f.employerID + "/needs"}
}

// unverifiedEmployerNeeds lists the needs of a fresh employer of the
// member that the office has not verified.
func (f *fx) unverifiedEmployerNeeds(int) call {
	id := f.a.must(201, "POST", "/api/v1/employers", f.tokens[member], employerBody(validEIK()))["id"].(string)
	return call{path: "/api/v1/employers/" + id + "/needs"}
}
