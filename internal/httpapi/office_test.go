package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"
)

// inPersonBody is a profile an officer enters for a walk-in person:
// consent given in person, recorded by the officer.
func inPersonBody(t *testing.T) map[string]any {
	b := profileBody(t)
	b["consent"] = map[string]any{"matching": true, "recordedBy": "Мария Иванова, бюро по труда Хасково"}
	return b
}

// listEmployers: the office's list, unverified ones only.
func (f *fx) listEmployers(int) call { return call{path: "/api/v1/employers?verified=false&q=a"} }

func (f *fx) createInPerson(int) call {
	return call{path: "/api/v1/profiles", body: inPersonBody(f.t)}
}

// updateInPerson: a fresh profile the officer keeps, edited.
func (f *fx) updateInPerson(int) call {
	id := f.a.must(201, "POST", "/api/v1/profiles", f.tokens[officer], inPersonBody(f.t))["id"].(string)
	return call{path: "/api/v1/profiles/" + id, body: inPersonBody(f.t)}
}

// TestOfficeEmployerList: officers list employers from memory, filtered
// by verification and found by a folded name (Latin for Cyrillic) or the
// start of the EIK; nobody else may list them.
func TestOfficeEmployerList(t *testing.T) {
	w := newWorld(t)
	a := w.a
	b := employerBody(validEIK())
	b["name"] = "Дом за стари хора Щастие"
	happy := a.must(201, "POST", "/api/v1/employers", w.owner, b)
	w.verify(t, w.employerID, true)

	list := func(q string) []string {
		t.Helper()
		res := a.must(200, "GET", "/api/v1/employers?"+q, w.officer, nil)
		var ids []string
		for _, it := range res["items"].([]any) {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		if int(res["total"].(float64)) != len(ids) {
			t.Errorf("?%s: total %v for %d items on one page", q, res["total"], len(ids))
		}
		return ids
	}
	if got := list(""); len(got) != 3 {
		t.Errorf("all employers = %v, want 3", got)
	}
	if got := list("verified=true"); !slices.Equal(got, []string{w.employerID}) {
		t.Errorf("verified = %v, want only %s", got, w.employerID)
	}
	if got := list("verified=false"); len(got) != 2 || slices.Contains(got, w.employerID) {
		t.Errorf("unverified = %v, want the two others", got)
	}
	for _, q := range []string{"shtastie", "ЩАСТИЕ", "stari hora", happy["eik"].(string)[:5]} {
		if got := list("q=" + url.QueryEscape(q)); !slices.Equal(got, []string{happy["id"].(string)}) {
			t.Errorf("q=%s: %v, want %s", q, got, happy["id"])
		}
	}
	if got := list("q=shtastie&verified=true"); len(got) != 0 {
		t.Errorf("q=shtastie&verified=true = %v, want none", got)
	}
	checkProblem(t, a.do("GET", "/api/v1/employers?verified=maybe", w.officer, nil), 400, "verified")
	checkProblem(t, a.do("GET", "/api/v1/employers?page=0", w.officer, nil), 400, "page")
	checkProblem(t, a.do("GET", "/api/v1/employers", w.owner, nil), 403, "")
	checkProblem(t, a.do("GET", "/api/v1/employers", w.seeker, nil), 403, "")
	checkProblem(t, a.do("GET", "/api/v1/employers", "", nil), 401, "")
}

// TestWithdrawVerificationNeedsReason: withdrawing an employer's
// verification needs a reason, which the employer then reads.
func TestWithdrawVerificationNeedsReason(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	path := "/api/v1/employers/" + w.employerID + "/verification"
	checkProblem(t, a.do("POST", path, w.officer, map[string]any{"verified": false}), 400, "reason")
	reason := "Фирмата е заличена от Търговския регистър."
	a.must(200, "POST", path, w.officer, map[string]any{"verified": false, "reason": reason})
	e := a.must(200, "GET", "/api/v1/employers/"+w.employerID, w.owner, nil)
	v := e["verification"].(map[string]any)
	if e["verified"] != false || v["reason"] != reason {
		t.Errorf("the employer reads %v, want unverified with the reason", e)
	}
	// Verifying again clears the reason: it explained the withdrawal only.
	w.verify(t, w.employerID, true)
	if v := a.must(200, "GET", "/api/v1/employers/"+w.employerID, w.owner, nil)["verification"].(map[string]any); v["reason"] != nil {
		t.Errorf("verified again, the verification still carries the reason %v", v["reason"])
	}
}

// TestInPersonProfiles: an officer creates and edits the profile of a
// person who does not use the web; consent.recordedBy is required, a
// minor needs a guardian, other roles are refused, the office cannot edit
// a profile its owner keeps, and the profile ranks among a need's
// candidates like any other.
func TestInPersonProfiles(t *testing.T) {
	w := newWorld(t)
	a := w.a
	sk := skills(t, 1)
	for _, tok := range []string{w.owner, w.seeker} {
		checkProblem(t, a.do("POST", "/api/v1/profiles", tok, inPersonBody(t)), 403, "")
	}
	noRecorder := inPersonBody(t)
	noRecorder["consent"] = map[string]any{"matching": true}
	checkProblem(t, a.do("POST", "/api/v1/profiles", w.officer, noRecorder), 400, "consent.recordedBy")

	minor := inPersonBody(t)
	delete(minor, "birthYear")
	minor["birthDate"] = time.Now().UTC().AddDate(-16, 0, 0).Format("2006-01")
	checkProblem(t, a.do("POST", "/api/v1/profiles", w.officer, minor), 400, "guardian")
	minor["guardian"] = map[string]any{"name": "Елена Петрова", "relation": "parent", "givenOn": time.Now().UTC().Format(time.DateOnly)}
	if g := a.must(201, "POST", "/api/v1/profiles", w.officer, minor)["guardianConsent"].(map[string]any); g["status"] != "recorded" {
		t.Errorf("a minor's in-person profile: guardianConsent %v, want recorded", g)
	}

	body := inPersonBody(t)
	body["skills"] = heldSkills(sk[0], 3)
	p := a.must(201, "POST", "/api/v1/profiles", w.officer, body)
	id := p["id"].(string)
	if p["managed"] != true || p["consent"].(map[string]any)["recordedBy"] != body["consent"].(map[string]any)["recordedBy"] {
		t.Errorf("created %v, want managed with the consent's recorder", p)
	}
	body["summary"] = "Търси работа като санитар."
	if got := a.must(200, "PUT", "/api/v1/profiles/"+id, w.officer, body); got["summary"] != body["summary"] || got["createdAt"] != p["createdAt"] {
		t.Errorf("PUT = %v", got)
	}
	for _, tok := range []string{w.owner, w.seeker} {
		checkProblem(t, a.do("PUT", "/api/v1/profiles/"+id, tok, body), 403, "")
	}
	checkProblem(t, a.do("PUT", "/api/v1/profiles/"+id, w.officer, noRecorder), 400, "consent.recordedBy")
	checkProblem(t, a.do("PUT", "/api/v1/profiles/no-such-profile", w.officer, body), 404, "")
	seekerID, seekerTok := a.user("jobseeker", "own@example.bg")
	checkProblem(t, a.do("PUT", "/api/v1/profiles/me", seekerTok, inPersonBody(t)), 400, "consent.recordedBy")
	a.must(200, "PUT", "/api/v1/profiles/me", seekerTok, profileBody(t))
	checkProblem(t, a.do("PUT", "/api/v1/profiles/"+seekerID, w.officer, body), 403, "")

	need := cardNeed(t, a, w.owner, w.employerID, sk[0], nil)
	if ids := profileIDs(matchIDs(t, a, need, w.officer)); !slices.Contains(ids, id) {
		t.Errorf("the need's candidates %v lack the in-person profile %s", ids, id)
	}
}

// officeLiveSteps calls the office's routes for TestLiveResponsesMatchDocument.
func officeLiveSteps(t *testing.T, c *specCheck, a *api, officerTok string) {
	t.Helper()
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers?verified=false&q=a&page=1", token: officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/employers?verified=maybe", token: officerTok, want: 400, bad: true})
	p := c.json(a, liveStep{method: "POST", path: "/api/v1/profiles", token: officerTok, body: inPersonBody(t), want: 201})
	c.call(a, liveStep{method: "PUT", path: fmt.Sprintf("/api/v1/profiles/%s", p["id"]), token: officerTok, body: inPersonBody(t), want: 200})
	bad := inPersonBody(t)
	bad["consent"] = map[string]any{"matching": true}
	c.call(a, liveStep{method: "POST", path: "/api/v1/profiles", token: officerTok, body: bad, want: 400, bad: true})
}
