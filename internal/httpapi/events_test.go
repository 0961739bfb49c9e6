package httpapi_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// eventBody is a Career & Skills Day a week from now: 4 slots of 15
// minutes from 09:00.
func eventBody() map[string]any {
	return map[string]any{
		"name":        map[string]any{"bg": "Ден на кариерата", "en": "Career & Skills Day"},
		"description": map[string]any{"bg": "Срещи с работодатели.", "en": "Meet employers."},
		"date":        time.Now().AddDate(0, 0, 7).Format(time.DateOnly), "starts": "09:00", "ends": "13:00",
		"municipality": "Пловдив", "location": "Международен панаир, палата 2", "sectors": []string{"healthcare"},
		"capacity": 50, "interviewMinutes": 15, "slots": 4,
	}
}

// interviews returns the schedule's interviews as maps.
func interviews(t *testing.T, sc map[string]any) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, iv := range sc["interviews"].([]any) {
		out = append(out, iv.(map[string]any))
	}
	return out
}

func TestCareerDay(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	w.verify(t, w.otherEmpID, true)
	sk := skills(t, 1)
	need := func(token, employerID string) string {
		b := needBody(t, employerID)
		b["kind"], b["positions"] = "internship", 2
		b["skills"] = []map[string]any{{"id": sk[0], "level": 2, "required": true}}
		return a.must(201, "POST", "/api/v1/needs", token, b)["id"].(string)
	}
	ownNeed, otherNeed := need(w.owner, w.employerID), need(w.other, w.otherEmpID)
	ids, tokens := make([]string, 3), make([]string, 3)
	for i := range ids {
		ids[i], tokens[i] = seekerWith(t, a, fmt.Sprintf("day%d@example.bg", i), func(b map[string]any) {
			b["skills"] = heldSkills(sk[0], 3)
			b["interests"] = map[string]any{"kinds": []string{"internship"}}
		})
	}

	checkProblem(t, a.do("POST", "/api/v1/events", w.owner, eventBody()), 403, "")
	checkProblem(t, a.do("POST", "/api/v1/events", w.officer, bodyWith(eventBody(), map[string]any{"ends": "08:00"})), 400, "ends")
	checkProblem(t, a.do("POST", "/api/v1/events", w.officer, bodyWith(eventBody(), map[string]any{"slots": 20})), 400, "slots")
	id := a.must(201, "POST", "/api/v1/events", w.officer, eventBody())["id"].(string)
	base := "/api/v1/events/" + id
	if items := a.must(200, "GET", "/api/v1/events", "", nil)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("upcoming events = %v, want the new one", items)
	}

	a.must(200, "POST", base+"/employers", w.owner, map[string]any{"employerId": w.employerID, "needIds": []string{ownNeed}, "tables": 1})
	checkProblem(t, a.do("POST", base+"/employers", w.owner, map[string]any{"employerId": w.otherEmpID, "needIds": []string{otherNeed}, "tables": 1}), 403, "")
	checkProblem(t, a.do("POST", base+"/employers", w.other, map[string]any{"employerId": w.otherEmpID, "needIds": []string{ownNeed}, "tables": 1}), 400, "needIds[0]")
	a.must(200, "POST", base+"/employers", w.other, map[string]any{"employerId": w.otherEmpID, "needIds": []string{otherNeed}, "tables": 1})

	// Invitations by fit: all three fit the needs; the officer invites them.
	sugg := a.must(200, "GET", base+"/invitations/suggested?limit=10", w.officer, nil)["items"].([]any)
	if len(sugg) != 3 {
		t.Fatalf("suggested = %v, want the three people who fit", sugg)
	}
	a.must(200, "POST", base+"/invitations", w.officer, map[string]any{"profileIds": ids})

	// The first registers with wishes, the office registers the others as a class.
	checkProblem(t, a.do("POST", base+"/registrations", tokens[0], map[string]any{"wishes": []string{"no-such-employer"}}), 400, "wishes[0]")
	a.must(201, "POST", base+"/registrations", tokens[0], map[string]any{"wishes": []string{w.otherEmpID, w.employerID}})
	a.must(201, "POST", base+"/registrations", w.officer, map[string]any{"profileIds": ids[1:], "group": "12 Б клас", "contact": "г-жа Иванова"})
	mine := a.must(200, "GET", base, tokens[0], nil)["registrations"].([]any)
	if len(mine) != 1 || mine[0].(map[string]any)["profileId"] != ids[0] {
		t.Fatalf("a job-seeker sees registrations %v, want only their own", mine)
	}
	ticket := mine[0].(map[string]any)["ticket"].(string)
	if regs := a.must(200, "GET", base, "", nil)["registrations"].([]any); len(regs) != 0 {
		t.Fatalf("anyone sees registrations %v", regs)
	}

	sc := a.must(200, "POST", base+"/schedule", w.officer, nil)
	all := interviews(t, sc)
	met := map[string]int{}
	for _, iv := range all {
		met[iv["profileId"].(string)]++
	}
	for _, pid := range ids {
		if met[pid] == 0 {
			t.Errorf("person %s has no interview in %v", pid, all)
		}
	}
	for _, iv := range interviews(t, a.must(200, "GET", base+"/schedule", w.owner, nil)) {
		if iv["employerId"] != w.employerID {
			t.Errorf("the employer sees another's interview %v", iv)
		}
	}
	own := interviews(t, a.must(200, "GET", base+"/schedule", tokens[0], nil))
	for _, iv := range own {
		if iv["profileId"] != ids[0] {
			t.Errorf("the job-seeker sees another's interview %v", iv)
		}
	}

	// The ticket's QR code, and the check-in at the door.
	r := a.do("GET", base+"/ticket", tokens[0], nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(r.Body, []byte("\x89PNG")) {
		t.Fatalf("ticket = %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	checkProblem(t, a.do("POST", base+"/checkins", w.officer, map[string]any{"ticket": "NOSUCHCODE"}), 404, "")
	if in := a.must(200, "POST", base+"/checkins", w.officer, map[string]any{"ticket": ticket})["registration"].(map[string]any); in["profileId"] != ids[0] || in["checkedInAt"] == nil {
		t.Fatalf("check-in = %v", in)
	}
	checkProblem(t, a.do("POST", base+"/checkins", w.officer, map[string]any{}), 400, "ticket")

	// A walk-in is registered at the door and gets the free cells; nobody
	// moves and no table or person is in two places at once.
	walkIn, _ := seekerWith(t, a, "walkin@example.bg", func(b map[string]any) {
		b["skills"] = heldSkills(sk[0], 3)
		b["interests"] = map[string]any{"kinds": []string{"internship"}}
	})
	arrival := a.must(200, "POST", base+"/checkins", w.officer, map[string]any{"profileId": walkIn})
	if got := arrival["interviews"].([]any); len(got) == 0 {
		t.Fatalf("the walk-in got no interview: %v", arrival)
	}
	after := interviews(t, a.must(200, "GET", base+"/schedule", w.officer, nil))
	if len(after) != len(all)+len(arrival["interviews"].([]any)) {
		t.Fatalf("schedule after the walk-in has %d interviews, want %d + the walk-in's", len(after), len(all))
	}
	cell := map[string]bool{}
	for i, iv := range after {
		if i < len(all) && fmt.Sprint(iv) != fmt.Sprint(all[i]) {
			t.Errorf("interview %v moved to %v", all[i], iv)
		}
		for _, k := range []string{fmt.Sprint("table", iv["employerId"], iv["table"], iv["slot"]), fmt.Sprint("person", iv["profileId"], iv["slot"])} {
			if cell[k] {
				t.Errorf("%s is taken twice after the walk-in", k)
			}
			cell[k] = true
		}
	}

	// An officer records a continue by mistake at the other employer's
	// table and undoes it the same day: the referral is rejected and the
	// employer records its own outcome.
	var other float64
	for _, iv := range own {
		if iv["employerId"] == w.otherEmpID {
			other = iv["n"].(float64)
		}
	}
	otherPath := fmt.Sprintf("%s/interviews/%d/outcome", base, int(other))
	mistake := a.must(200, "POST", otherPath, w.officer, map[string]any{"outcome": "continue"})
	checkProblem(t, a.do("POST", otherPath, w.other, map[string]any{"outcome": "undo"}), 403, "")
	if undone := a.must(200, "POST", otherPath, w.officer, map[string]any{"outcome": "undo"}); undone["outcome"] != nil || undone["matchId"] != nil {
		t.Fatalf("after undo the interview is %v, want no outcome", undone)
	}
	if m := a.must(200, "GET", "/api/v1/matches/"+mistake["matchId"].(string), w.officer, nil); m["state"] != "rejected" {
		t.Fatalf("the undone referral is %v, want rejected", m["state"])
	}
	a.must(200, "POST", otherPath, w.other, map[string]any{"outcome": "no"})

	// The employer says continue: a referred match, which both sides see.
	var n float64
	for _, iv := range own {
		if iv["employerId"] == w.employerID {
			n = iv["n"].(float64)
		}
	}
	if n == 0 {
		t.Fatalf("the first person has no interview at the owner's table: %v", own)
	}
	path := fmt.Sprintf("%s/interviews/%d/outcome", base, int(n))
	checkProblem(t, a.do("POST", path, w.other, map[string]any{"outcome": "continue"}), 404, "")
	checkProblem(t, a.do("POST", base+"/schedule", w.owner, nil), 403, "")
	out := a.must(200, "POST", path, w.owner, map[string]any{"outcome": "continue"})
	checkProblem(t, a.do("POST", path, w.owner, map[string]any{"outcome": "no"}), 409, "")
	m := a.must(200, "GET", "/api/v1/matches/"+out["matchId"].(string), w.owner, nil)
	if m["state"] != "referred" || m["profileId"] != ids[0] || m["needId"] != ownNeed {
		t.Fatalf("match after continue = %v, want referred for the first person on the owner's need", m)
	}
	a.must(200, "GET", "/api/v1/matches/"+out["matchId"].(string), tokens[0], nil)

	// The employer interviews, offers and places: the event's indicators
	// count the placement, by age group and municipality too.
	for _, to := range []string{"interview", "offered", "placed"} {
		a.must(200, "POST", "/api/v1/matches/"+out["matchId"].(string)+"/transitions", w.owner, map[string]any{"to": to})
	}
	ind := a.must(200, "GET", base+"/indicators", w.officer, nil)
	if ind["registered"].(float64) != 4 || ind["attended"].(float64) != 2 || ind["invited"].(float64) != 3 || ind["invitedRegistered"].(float64) != 3 || ind["continued"].(float64) != 1 ||
		ind["placed"].(float64) != 1 || ind["continues"].(float64) != 1 || ind["interviewsHeld"].(float64) != 2 {
		t.Errorf("indicators = %v, want 4 registered, 2 attended, 1 continued and placed", ind)
	}
	sum := 0.0
	for _, c := range ind["byAgeGroup"].(map[string]any) {
		sum += c.(map[string]any)["registered"].(float64)
	}
	if sum != 4 || len(ind["byMunicipality"].(map[string]any)) == 0 {
		t.Errorf("indicators by group = %v, %v, want the 4 people spread", ind["byAgeGroup"], ind["byMunicipality"])
	}
	if r := a.do("POST", base+"/schedule", w.officer, nil); r.Status != 409 || r.json(t)["code"] != "interviews_started" {
		t.Fatalf("recompute after an outcome = %d %s, want 409 interviews_started", r.Status, r.Body)
	}
}

// liveEvents drives the events' routes for TestLiveResponsesMatchDocument.
func (c *specCheck) liveEvents(a *api, w liveCast) {
	t := c.t
	t.Helper()
	openapi3filter.RegisterBodyDecoder("image/png", openapi3filter.FileBodyDecoder)
	// The care need, which the job-seeker fits; the outcomes below never
	// make a match, so their application to it is no obstacle.
	need := c.json(a, liveStep{method: "GET", path: "/api/v1/needs/" + w.careID, token: w.bossTok, want: 200})
	needID, employerID := w.careID, need["employerId"].(string)

	c.call(a, liveStep{method: "POST", path: "/api/v1/events", token: w.bossTok, body: eventBody(), want: 403})
	c.call(a, liveStep{method: "POST", path: "/api/v1/events", token: w.officerTok, body: bodyWith(eventBody(), map[string]any{"slots": 0}), want: 400, bad: true})
	id := c.json(a, liveStep{method: "POST", path: "/api/v1/events", token: w.officerTok, body: eventBody(), want: 201})["id"].(string)
	base := "/api/v1/events/" + id
	c.call(a, liveStep{method: "GET", path: "/api/v1/events", want: 200})
	c.call(a, liveStep{method: "GET", path: base, want: 200})
	c.call(a, liveStep{method: "GET", path: "/api/v1/events/no-such-event", want: 404})
	c.call(a, liveStep{method: "POST", path: base + "/employers", token: w.otherTok, body: map[string]any{"employerId": employerID, "needIds": []string{needID}, "tables": 1}, want: 403})
	c.call(a, liveStep{method: "POST", path: base + "/employers", token: w.bossTok, body: map[string]any{"employerId": employerID, "needIds": []string{needID}, "tables": 2}, want: 200})
	c.call(a, liveStep{method: "GET", path: base + "/invitations/suggested?limit=5", token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: base + "/invitations/suggested?limit=0", token: w.officerTok, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: base + "/invitations", token: w.officerTok, body: map[string]any{"profileIds": []string{w.seekerID}}, want: 200})
	c.call(a, liveStep{method: "GET", path: base + "/schedule", token: w.officerTok, want: 404})
	reg := c.json(a, liveStep{method: "POST", path: base + "/registrations", token: w.seekerTok, body: map[string]any{"wishes": []string{employerID}}, want: 201})
	ticket := reg["registrations"].([]any)[0].(map[string]any)["ticket"].(string)
	c.call(a, liveStep{method: "GET", path: base + "/ticket", token: w.seekerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: base + "/ticket", token: w.bossTok, want: 403})
	sc := c.json(a, liveStep{method: "POST", path: base + "/schedule", token: w.officerTok, want: 200})
	c.call(a, liveStep{method: "GET", path: base + "/schedule", token: w.seekerTok, want: 200})
	c.call(a, liveStep{method: "POST", path: base + "/checkins", token: w.officerTok, body: map[string]any{"ticket": ticket}, want: 200})
	c.call(a, liveStep{method: "POST", path: base + "/checkins", token: w.officerTok, body: map[string]any{"profileId": w.seekerID}, want: 200})
	c.call(a, liveStep{method: "POST", path: base + "/checkins", token: w.officerTok, body: map[string]any{"ticket": "NOSUCHCODE"}, want: 404})
	ivs := interviews(t, sc)
	if len(ivs) == 0 {
		t.Fatalf("schedule %v has no interview", sc)
	}
	out := fmt.Sprintf("%s/interviews/%d/outcome", base, int(ivs[0]["n"].(float64)))
	c.call(a, liveStep{method: "POST", path: out, token: w.bossTok, body: map[string]any{"outcome": "maybe"}, want: 400, bad: true})
	c.call(a, liveStep{method: "POST", path: out, token: w.bossTok, body: map[string]any{"outcome": "no"}, want: 200})
	c.call(a, liveStep{method: "POST", path: out, token: w.bossTok, body: map[string]any{"outcome": "continue"}, want: 409})
	ind := c.json(a, liveStep{method: "GET", path: base + "/indicators", token: w.officerTok, want: 200})
	if ind["registered"].(float64) != 1 || ind["attended"].(float64) != 1 || ind["interviewsHeld"].(float64) != 1 {
		t.Errorf("indicators = %v, want 1 registered, attended, interview held", ind)
	}
}

// Route × role matrix setups (rows in authz_matrix_test.go).

func (f *fx) newEvent() string {
	return f.a.must(201, "POST", "/api/v1/events", f.tokens[officer], eventBody())["id"].(string)
}

// eventWithSchedule: the member's employer brings the internship, the
// office registers the seeker, the schedule is made; it returns the event
// and the seeker's interview's number.
func (f *fx) eventWithSchedule() (id string, n int) {
	id = f.newEvent()
	base := "/api/v1/events/" + id
	f.a.must(200, "POST", base+"/employers", f.tokens[member], map[string]any{"employerId": f.employerID, "needIds": []string{f.internID}, "tables": 1})
	f.a.must(201, "POST", base+"/registrations", f.tokens[seeker], map[string]any{"wishes": []string{f.employerID}})
	ivs := interviews(f.t, f.a.must(200, "POST", base+"/schedule", f.tokens[officer], nil))
	if len(ivs) == 0 {
		f.t.Fatal("the seeker has no interview at the member's table")
	}
	return id, int(ivs[0]["n"].(float64))
}

func (f *fx) createEvent(int) call { return call{path: "/api/v1/events", body: eventBody()} }
func (f *fx) getEvent(int) call    { return call{path: "/api/v1/events/" + f.newEvent()} }

func (f *fx) joinEvent(int) call {
	return call{path: "/api/v1/events/" + f.newEvent() + "/employers",
		body: map[string]any{"employerId": f.employerID, "needIds": []string{f.internID}, "tables": 1}}
}

func (f *fx) registerForEvent(who int) call {
	body := map[string]any{"wishes": []string{}}
	if who == officer {
		body = map[string]any{"profileIds": []string{f.ids[seeker]}}
	}
	return call{path: "/api/v1/events/" + f.newEvent() + "/registrations", body: body}
}

func (f *fx) eventTicket(int) call {
	id, _ := f.eventWithSchedule()
	return call{path: "/api/v1/events/" + id + "/ticket"}
}

func (f *fx) suggestedInvitations(int) call {
	return call{path: "/api/v1/events/" + f.newEvent() + "/invitations/suggested"}
}

func (f *fx) inviteToEvent(int) call {
	return call{path: "/api/v1/events/" + f.newEvent() + "/invitations", body: map[string]any{"profileIds": []string{f.ids[seeker]}}}
}

func (f *fx) makeSchedule(int) call {
	return call{path: "/api/v1/events/" + f.newEvent() + "/schedule"}
}

func (f *fx) eventSchedule(int) call {
	id, _ := f.eventWithSchedule()
	return call{path: "/api/v1/events/" + id + "/schedule"}
}

func (f *fx) eventIndicators(int) call {
	return call{path: "/api/v1/events/" + f.newEvent() + "/indicators"}
}

func (f *fx) checkIn(int) call {
	id := f.newEvent()
	reg := f.a.must(201, "POST", "/api/v1/events/"+id+"/registrations", f.tokens[seeker], map[string]any{"wishes": []string{}})
	ticket := reg["registrations"].([]any)[0].(map[string]any)["ticket"]
	return call{path: "/api/v1/events/" + id + "/checkins", body: map[string]any{"ticket": ticket}}
}

func (f *fx) interviewOutcome(int) call {
	id, n := f.eventWithSchedule()
	return call{path: fmt.Sprintf("/api/v1/events/%s/interviews/%d/outcome", id, n), body: map[string]any{"outcome": "no"}}
}

// TestCareerDayCapacity: registrations stop at the capacity; a group that
// does not fit is refused whole.
func TestCareerDayCapacity(t *testing.T) {
	w := newWorld(t)
	a := w.a
	id := a.must(201, "POST", "/api/v1/events", w.officer, bodyWith(eventBody(), map[string]any{"capacity": 2}))["id"].(string)
	base := "/api/v1/events/" + id
	var ids []string
	for i := range 3 {
		pid, _ := seekerWith(t, a, fmt.Sprintf("cap%d@example.bg", i), func(map[string]any) {})
		ids = append(ids, pid)
	}
	if r := a.do("POST", base+"/registrations", w.officer, map[string]any{"profileIds": ids}); r.Status != 409 || r.json(t)["code"] != "event_full" {
		t.Fatalf("a group over capacity = %d %s, want 409 event_full", r.Status, r.Body)
	}
	a.must(201, "POST", base+"/registrations", w.officer, map[string]any{"profileIds": ids[:2]})
	if regs := a.must(200, "GET", base, w.officer, nil)["registrations"].([]any); len(regs) != 2 {
		t.Fatalf("registrations = %d, want 2", len(regs))
	}
	checkProblem(t, a.do("POST", base+"/registrations", w.officer, map[string]any{"profileIds": []string{"no-such-profile"}}), 400, "profileIds[0]")
}
