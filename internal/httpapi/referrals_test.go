package httpapi_test

import (
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/match"
)

var officerPrincipal = auth.Principal{UserID: "officer", Role: auth.RoleOfficer}

// referralWorld: a verified employer (owner) with an open need whose
// skills two job-seekers hold, and a second verified employer (other).
type referralWorld struct {
	*world
	need           string
	seekerA, seekB string // profile ids
	seekerToken    string
	referrals      *match.Referrals // the server's own, for the dashboard's count
}

func newReferralWorld(t *testing.T) referralWorld {
	t.Helper()
	var refs *match.Referrals
	w := newWorld(t, func(d *httpapi.Deps) { refs = d.Referrals })
	w.verify(t, w.employerID, true)
	w.verify(t, w.otherEmpID, true)
	sk := skills(t, 3)
	body := needBody(t, w.employerID)
	body["skills"] = []map[string]any{{"id": sk[0], "level": 2, "required": true}}
	need := w.a.must(201, "POST", "/api/v1/needs", w.owner, body)["id"].(string)
	a, tok := seekerWith(t, w.a, "ref-a@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3) })
	b, _ := seekerWith(t, w.a, "ref-b@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })
	return referralWorld{world: w, need: need, seekerA: a, seekB: b, seekerToken: tok, referrals: refs}
}

// cardIDs are the pseudonyms the token's holder sees for the need.
func (w referralWorld) cardIDs(t *testing.T, need, token string) []string {
	t.Helper()
	var ids []string
	for _, it := range matchIDs(t, w.a, need, token) {
		ids = append(ids, it["candidate"].(map[string]any)["id"].(string))
	}
	if len(ids) < 2 {
		t.Fatalf("need %s shows %d cards, want 2: the test proves nothing", need, len(ids))
	}
	return ids
}

func items(res map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range res["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestReferralRequestAcceptedBecomesAReferral(t *testing.T) {
	w := newReferralWorld(t)
	a := w.a
	cards := w.cardIDs(t, w.need, w.owner)
	path := "/api/v1/needs/" + w.need + "/referral-requests"

	req := a.must(201, "POST", path, w.owner, map[string]any{"candidateId": cards[0]})
	if req["state"] != "pending" || req["candidateId"] != cards[0] || req["profileId"] != nil {
		t.Fatalf("new request = %v, want pending, the card's id and no profile id", req)
	}
	again := a.must(200, "POST", path, w.owner, map[string]any{"candidateId": cards[0]})
	if again["id"] != req["id"] {
		t.Errorf("second request = %v, want the pending one %v", again["id"], req["id"])
	}
	// Who reaches what: the office's queue is the office's; another
	// employer neither lists nor asks on this need; a job-seeker reaches none.
	checkProblem(t, a.do("GET", "/api/v1/referral-requests", w.owner, nil), 403, "")
	checkProblem(t, a.do("GET", "/api/v1/referral-requests", w.seeker, nil), 403, "")
	checkProblem(t, a.do("GET", path, w.other, nil), 403, "")
	checkProblem(t, a.do("GET", path, w.seeker, nil), 403, "")
	checkProblem(t, a.do("POST", path, w.other, map[string]any{"candidateId": cards[1]}), 403, "")
	checkProblem(t, a.do("POST", path, w.seeker, map[string]any{"candidateId": cards[1]}), 403, "")
	checkProblem(t, a.do("POST", path, w.owner, map[string]any{"candidateId": "not-a-card"}), 400, "candidateId")

	queue := items(a.must(200, "GET", "/api/v1/referral-requests?state=pending", w.officer, nil))
	if len(queue) != 1 || queue[0]["id"] != req["id"] {
		t.Fatalf("officer's queue = %v, want the one request", queue)
	}
	profileID, _ := queue[0]["profileId"].(string)
	if profileID != w.seekerA && profileID != w.seekB {
		t.Fatalf("queued request's profileId = %q, want one of the two job-seekers", profileID)
	}
	checkProblem(t, a.do("GET", "/api/v1/referral-requests?state=nonsense", w.officer, nil), 400, "state")

	res := a.must(200, "POST", "/api/v1/referral-requests/"+req["id"].(string)+"/accept", w.officer,
		map[string]any{"note": "Speaks to the ward sister first", "visibility": "internal"})
	m := res["match"].(map[string]any)
	if m["state"] != "referred" || m["profileId"] != profileID || m["origin"] != "referral" {
		t.Fatalf("accepted request's match = %v, want referred of profile %s", m, profileID)
	}
	want := match.AddWorkingDays(time.Now().UTC(), match.OutcomeDays).Format(time.DateOnly)
	if m["outcomeDue"] != want {
		t.Errorf("outcomeDue = %v, want %s (7 working days)", m["outcomeDue"], want)
	}
	if r := res["request"].(map[string]any); r["state"] != "accepted" || r["matchId"] != m["id"] {
		t.Errorf("accepted request = %v, want accepted with the match's id", r)
	}
	// The employer sees the match, without the officer's internal note.
	seen := a.must(200, "GET", "/api/v1/matches/"+m["id"].(string), w.owner, nil)
	for _, e := range seen["history"].([]any) {
		if note := e.(map[string]any)["note"]; note != nil {
			t.Errorf("employer sees note %q of an internal referral note", note)
		}
	}
	checkProblem(t, a.do("GET", "/api/v1/matches/"+m["id"].(string), w.other, nil), 404, "")
	mine := items(a.must(200, "GET", path, w.owner, nil))
	if len(mine) != 1 || mine[0]["state"] != "accepted" || mine[0]["profileId"] != nil || mine[0]["decidedBy"] != nil {
		t.Errorf("employer's requests = %v, want the accepted one without profile id or officer", mine)
	}
	checkProblem(t, a.do("POST", path, w.owner, map[string]any{"candidateId": cards[0]}), 409, "")
	checkProblem(t, a.do("POST", "/api/v1/referral-requests/"+req["id"].(string)+"/accept", w.officer, map[string]any{}), 409, "")
	if n, err := w.referrals.PendingReferralRequests(t.Context(), officerPrincipal); err != nil || n != 0 {
		t.Errorf("PendingReferralRequests = %d, %v, want 0 after the acceptance", n, err)
	}
}

func TestReferralRequestDeclinedWithAReasonTheEmployerReads(t *testing.T) {
	w := newReferralWorld(t)
	a := w.a
	cards := w.cardIDs(t, w.need, w.owner)
	path := "/api/v1/needs/" + w.need + "/referral-requests"
	req := a.must(201, "POST", path, w.owner, map[string]any{"candidateId": cards[1]})
	if n, err := w.referrals.PendingReferralRequests(t.Context(), officerPrincipal); err != nil || n != 1 {
		t.Errorf("PendingReferralRequests = %d, %v, want 1", n, err)
	}
	decline := "/api/v1/referral-requests/" + req["id"].(string) + "/decline"
	checkProblem(t, a.do("POST", decline, w.officer, map[string]any{"reason": ""}), 400, "reason")
	checkProblem(t, a.do("POST", decline, w.owner, map[string]any{"reason": "no"}), 403, "")
	a.must(200, "POST", decline, w.officer, map[string]any{"reason": "The person starts a course that month"})
	mine := items(a.must(200, "GET", path, w.owner, nil))
	if len(mine) != 1 || mine[0]["state"] != "declined" || mine[0]["reason"] != "The person starts a course that month" {
		t.Errorf("employer's requests = %v, want the declined one with its reason", mine)
	}
	checkProblem(t, a.do("POST", path, w.owner, map[string]any{"candidateId": cards[1]}), 409, "")
	if got := items(a.must(200, "GET", "/api/v1/referral-requests?state=declined", w.officer, nil)); len(got) != 1 {
		t.Errorf("declined queue = %v, want one", got)
	}
	// Another employer's card ids are its own: the owner's pseudonym means
	// nothing on the other employer's need.
	body := needBody(t, w.otherEmpID)
	otherNeed := a.must(201, "POST", "/api/v1/needs", w.other, body)["id"].(string)
	checkProblem(t, a.do("POST", "/api/v1/needs/"+otherNeed+"/referral-requests", w.other, map[string]any{"candidateId": cards[0]}), 400, "candidateId")
	if got := items(a.must(200, "GET", "/api/v1/needs/"+otherNeed+"/referral-requests", w.other, nil)); len(got) != 0 {
		t.Errorf("the other employer's need lists %v, want no requests (never another employer's)", got)
	}
}

func TestDirectReferral(t *testing.T) {
	w := newReferralWorld(t)
	a := w.a
	body := map[string]any{"needId": w.need, "profileId": w.seekerA, "note": "Worked here before", "visibility": "shared"}
	checkProblem(t, a.do("POST", "/api/v1/matches", w.owner, body), 403, "")
	checkProblem(t, a.do("POST", "/api/v1/matches", w.seekerToken, body), 403, "")
	m := a.must(201, "POST", "/api/v1/matches", w.officer, body)
	if m["state"] != "referred" || m["outcomeDue"] == nil || m["referredAt"] == nil {
		t.Fatalf("direct referral = %v, want referred with an outcome due date", m)
	}
	checkProblem(t, a.do("POST", "/api/v1/matches", w.officer, body), 409, "")
	seen := a.must(200, "GET", "/api/v1/matches/"+m["id"].(string), w.owner, nil)
	if h := seen["history"].([]any); len(h) != 1 || h[0].(map[string]any)["note"] != "Worked here before" || h[0].(map[string]any)["by"] != nil {
		t.Errorf("employer's view of the history = %v, want the shared note without the officer's id", h)
	}
	// An internal note stays the office's; an application is referred, not duplicated.
	internal := map[string]any{"needId": w.need, "profileId": w.seekB, "note": "Check the permit", "visibility": "internal"}
	mb := a.must(201, "POST", "/api/v1/matches", w.officer, internal)
	for _, e := range a.must(200, "GET", "/api/v1/matches/"+mb["id"].(string), w.owner, nil)["history"].([]any) {
		if e.(map[string]any)["note"] != nil {
			t.Errorf("employer sees an internal note: %v", e)
		}
	}
	if got := a.must(200, "GET", "/api/v1/matches/"+mb["id"].(string), w.officer, nil); got["history"].([]any)[0].(map[string]any)["note"] != "Check the permit" {
		t.Errorf("officer's view lacks the internal note: %v", got["history"])
	}
	checkProblem(t, a.do("POST", "/api/v1/matches", w.officer, map[string]any{"needId": w.need, "profileId": "nobody"}), 404, "")
}

// liveReferralSteps calls the referral routes through the document's
// check (TestLiveResponsesMatchDocument): every answer must be the one
// the document describes.
func liveReferralSteps(t *testing.T, c *specCheck) {
	t.Helper()
	w := newReferralWorld(t)
	a := w.a
	cards := w.cardIDs(t, w.need, w.owner)
	ask := "/api/v1/needs/" + w.need + "/referral-requests"
	c.call(a, liveStep{method: "POST", path: ask, token: w.owner, body: map[string]any{}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: ask, token: w.owner, body: map[string]any{"candidateId": "nobody"}, want: 400})
	first := c.json(a, liveStep{method: "POST", path: ask, token: w.owner, body: map[string]any{"candidateId": cards[0]}, want: 201})
	c.call(a, liveStep{method: "POST", path: ask, token: w.owner, body: map[string]any{"candidateId": cards[0]}, want: 200})
	second := c.json(a, liveStep{method: "POST", path: ask, token: w.owner, body: map[string]any{"candidateId": cards[1]}, want: 201})
	c.call(a, liveStep{method: "POST", path: ask, token: w.other, body: map[string]any{"candidateId": cards[1]}, want: 403})
	c.call(a, liveStep{method: "GET", path: ask, token: w.owner, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/referral-requests", token: w.officer, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/referral-requests?state=declined", token: w.officer, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/referral-requests?state=lost", token: w.officer, want: 400, bad: true})
	c.call(a, liveStep{method: "GET", path: "/api/v1/referral-requests", token: w.owner, want: 403})
	accept := "/api/v1/referral-requests/" + first["id"].(string) + "/accept"
	c.call(a, liveStep{method: "POST", path: accept, token: w.officer, body: map[string]any{"visibility": "public"}, want: 400, bad: true})
	accepted := c.json(a, liveStep{method: "POST", path: accept, token: w.officer, body: map[string]any{"note": "Добра кандидатка", "visibility": "shared"}, want: 200})
	referred := accepted["match"].(map[string]any)["profileId"].(string)
	other := w.seekerA
	if referred == w.seekerA {
		other = w.seekB
	}
	c.call(a, liveStep{method: "POST", path: accept, token: w.officer, body: map[string]any{}, want: 409, code: "request_decided"})
	decline := "/api/v1/referral-requests/" + second["id"].(string) + "/decline"
	c.call(a, liveStep{method: "POST", path: decline, token: w.officer, body: map[string]any{}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: decline, token: w.officer, body: map[string]any{"reason": "Лицето е на обучение"}, want: 200})
	c.call(a, liveStep{method: "POST", path: "/api/v1/referral-requests/nothing/decline", token: w.officer, body: map[string]any{"reason": "x"}, want: 404})
	direct := map[string]any{"needId": w.need, "profileId": other, "note": "Позната на отделението"}
	c.call(a, liveStep{method: "POST", path: "/api/v1/matches", token: w.owner, body: direct, want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/matches", token: w.officer, body: map[string]any{"needId": w.need}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: "/api/v1/matches", token: w.officer, body: direct, want: 201})
	c.call(a, liveStep{method: "POST", path: "/api/v1/matches", token: w.officer, body: direct, want: 409, code: "already_referred"})
	direct["profileId"] = referred
	c.call(a, liveStep{method: "POST", path: "/api/v1/matches", token: w.officer, body: direct, want: 409, code: "already_referred"})
}

// TestReferralRacesDecideOnce: officers accepting one request at once
// refer the person once (one 200, the rest 409), and employers asking at
// once make one request (one 201, the rest answer it with 200).
func TestReferralRacesDecideOnce(t *testing.T) {
	w := newReferralWorld(t)
	a := w.a
	cards := w.cardIDs(t, w.need, w.owner)
	ask := "/api/v1/needs/" + w.need + "/referral-requests"
	if got := a.race(6, "POST", ask, w.owner, map[string]any{"candidateId": cards[0]}); got[201] != 1 || got[200] != 5 {
		t.Errorf("six requests at once = %v, want one 201 and five 200", got)
	}
	queue := items(a.must(200, "GET", "/api/v1/referral-requests", w.officer, nil))
	if len(queue) != 1 {
		t.Fatalf("queue = %v, want one request", queue)
	}
	accept := "/api/v1/referral-requests/" + queue[0]["id"].(string) + "/accept"
	if got := a.race(6, "POST", accept, w.officer, map[string]any{"note": "x"}); got[200] != 1 || got[409] != 5 {
		t.Errorf("six acceptances at once = %v, want one 200 and five 409", got)
	}
	page := a.must(200, "GET", "/api/v1/matches?needId="+w.need, w.officer, nil)
	if page["total"] != float64(1) {
		t.Errorf("matches of the need after the race = %v, want exactly one", page["total"])
	}
}
