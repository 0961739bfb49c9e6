package httpapi_test

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// problemCode returns the code of a problem answer with the given status.
func problemCode(t *testing.T, r response, status int) string {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d %s, want %d", r.Status, r.Body, status)
	}
	code, _ := r.json(t)["code"].(string)
	return code
}

// myMatches is what GET /profiles/me/matches shows the person: its items
// and near misses, with their permit flags.
func myMatches(t *testing.T, a *api, token string) map[string]bool {
	t.Helper()
	res := a.must(200, "GET", "/api/v1/profiles/me/matches", token, nil)
	out := map[string]bool{}
	for _, list := range []string{"items", "nearMisses"} {
		items, _ := res[list].([]any)
		for _, it := range items {
			m := it.(map[string]any)
			out[m["need"].(map[string]any)["id"].(string)] = m["permitRequired"].(bool)
		}
	}
	return out
}

// candidates is need→candidates as an officer sees it: profile id →
// permit flag.
func candidates(t *testing.T, a *api, needID, token string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, m := range matchIDs(t, a, needID, token) {
		out[m["candidate"].(map[string]any)["profileId"].(string)] = m["permitRequired"].(bool)
	}
	return out
}

// TestUnder14ProfileIsHeldUntilGuardianConsent: a 13-year-old may keep a
// profile, but until an officer records a guardian's consent it is held:
// never a candidate, never matched, no applications. After the consent
// the young-worker rules still keep work away (under 15).
func TestUnder14ProfileIsHeldUntilGuardianConsent(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)
	now := time.Now().UTC()
	b := needBody(t, w.employerID)
	b["skills"] = []map[string]any{{"id": sk[0], "level": 1, "required": true}}
	b["hours"], b["lightWork"] = "part_time", true
	b["startDate"] = now.AddDate(0, 1, 0).Format(time.DateOnly) // the child is 13 or 14 then
	need := a.must(201, "POST", "/api/v1/needs", w.owner, b)["id"].(string)

	edit := func(born string) func(map[string]any) {
		return func(b map[string]any) {
			delete(b, "birthYear")
			b["birthDate"] = born
			b["skills"] = heldSkills(sk[0], 2)
			b["hours"] = "part_time"
		}
	}
	adult, _ := seekerWith(t, a, "adult@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })
	kidID, kid := a.user("jobseeker", "kid@example.bg")
	kb := profileBody(t)
	edit(now.AddDate(-13, -1, 0).Format("2006-01"))(kb)
	p := a.must(200, "PUT", "/api/v1/profiles/me", kid, kb)
	if g := p["guardianConsent"].(map[string]any); g["status"] != "pending" {
		t.Fatalf("a 13-year-old's guardianConsent = %v, want pending", g)
	}
	if p["birthDate"] != kb["birthDate"] || p["birthYear"] != float64(now.AddDate(-13, -1, 0).Year()) {
		t.Errorf("birthDate %v, birthYear %v; want %v and its year", p["birthDate"], p["birthYear"], kb["birthDate"])
	}
	if g := a.must(200, "GET", "/api/v1/profiles/me", kid, nil)["guardianConsent"].(map[string]any); g["status"] != "pending" {
		t.Errorf("GET /profiles/me guardianConsent = %v, want pending", g)
	}

	// Held: never a candidate, never matched, no application.
	cands := candidates(t, a, need, w.officer)
	if _, ok := cands[adult]; !ok {
		t.Fatalf("the adult is no candidate: %v (the test would prove nothing)", cands)
	}
	if _, ok := cands[kidID]; ok {
		t.Errorf("a held 13-year-old is a candidate: %v", cands)
	}
	if got := myMatches(t, a, kid); len(got) != 0 {
		t.Errorf("a held 13-year-old sees needs %v", got)
	}
	if code := problemCode(t, a.do("POST", "/api/v1/needs/"+need+"/applications", kid, nil), 409); code != "guardian_pending" {
		t.Errorf("a held 13-year-old applies: code %q, want guardian_pending", code)
	}

	// Only officers record the consent, with valid fields.
	consent := map[string]any{"name": "Елена Петрова", "relation": "parent", "givenOn": now.Format(time.DateOnly)}
	path := "/api/v1/profiles/" + kidID + "/guardian-consent"
	checkProblem(t, a.do("POST", path, w.owner, consent), 403, "")
	checkProblem(t, a.do("POST", path, kid, consent), 403, "")
	checkProblem(t, a.do("POST", path, "", consent), 401, "")
	checkProblem(t, a.do("POST", path, w.officer, map[string]any{"name": "X", "relation": "aunt", "givenOn": "2026-01-01"}), 400, "relation")
	checkProblem(t, a.do("POST", path, w.officer, map[string]any{"name": "X", "relation": "parent",
		"givenOn": now.AddDate(0, 0, 2).Format(time.DateOnly)}), 400, "givenOn")
	checkProblem(t, a.do("POST", "/api/v1/profiles/nobody/guardian-consent", w.officer, consent), 404, "")
	rec := a.must(200, "POST", path, w.officer, consent)
	if g := rec["guardianConsent"].(map[string]any); g["status"] != "recorded" || g["name"] != "Елена Петрова" || g["relation"] != "parent" {
		t.Errorf("after recording, guardianConsent = %v", g)
	}
	if code := problemCode(t, a.do("POST", path, w.officer, consent), 409); code != "guardian_recorded" {
		t.Errorf("recording twice: code %q", code)
	}
	if code := problemCode(t, a.do("POST", "/api/v1/profiles/"+adult+"/guardian-consent", w.officer, consent), 409); code != "no_guardian_needed" {
		t.Errorf("recording for an adult: code %q", code)
	}
	// The person sees the officer's act in their export, and a replace by
	// the person keeps the consent.
	ex := a.must(200, "GET", "/api/v1/profiles/me/export", kid, nil)
	views := ex["views"].([]any)
	if len(views) != 1 || views[0].(map[string]any)["why"] != "guardian_consent" {
		t.Errorf("export views = %v, want one guardian_consent", views)
	}
	again := a.must(200, "PUT", "/api/v1/profiles/me", kid, kb)
	if g := again["guardianConsent"].(map[string]any); g["status"] != "recorded" {
		t.Errorf("after the person's replace, guardianConsent = %v, want recorded", g)
	}

	// Released, but under 15 on the start date: still never matched to work.
	if _, ok := candidates(t, a, need, w.officer)[kidID]; ok {
		t.Errorf("a 13-year-old with a guardian's consent is a candidate for work")
	}
	if got := myMatches(t, a, kid); len(got) != 0 {
		t.Errorf("a 13-year-old with a guardian's consent sees needs %v", got)
	}
	if code := problemCode(t, a.do("POST", "/api/v1/needs/"+need+"/applications", kid, nil), 409); code != "minor_not_allowed" {
		t.Errorf("a 13-year-old with a guardian's consent applies: code %q, want minor_not_allowed", code)
	}
}

// TestYoungWorkerRulesBothDirections pins the rules on the need's start
// date (1 September next year) at exact month boundaries, in both
// directions and for applications: born in September the person is still
// a year younger on 1 September (the month is all that is known, so the
// birthday counts as the 30th); born in August they are not.
func TestYoungWorkerRulesBothDirections(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)
	sy := time.Now().Year() + 1
	post := func(title string, edit func(map[string]any)) string {
		b := needBody(t, w.employerID)
		b["title"] = title
		b["skills"] = []map[string]any{{"id": sk[0], "level": 1, "required": true}}
		b["startDate"] = fmt.Sprintf("%d-09-01", sy)
		edit(b)
		return a.must(201, "POST", "/api/v1/needs", w.owner, b)["id"].(string)
	}
	light := post("Light", func(b map[string]any) { b["hours"], b["lightWork"] = "part_time", true })
	partTime := post("Part time", func(b map[string]any) { b["hours"] = "part_time" })
	fullTime := post("Full time", func(map[string]any) {})
	night := post("Night", func(b map[string]any) { b["nightWork"] = true })
	hazard := post("Hazardous", func(b map[string]any) { b["hazardous"] = true })
	all := []string{light, partTime, fullTime, night, hazard}
	if got := a.must(200, "GET", "/api/v1/needs/"+light, w.owner, nil)["lightWork"]; got != true {
		t.Fatalf("need lightWork = %v", got)
	}

	person := func(email, born string) (string, string) {
		return seekerWith(t, a, email, func(b map[string]any) {
			delete(b, "birthYear")
			b["birthDate"] = born
			b["skills"] = heldSkills(sk[0], 2)
			b["hours"] = "any"
		})
	}
	fifteen, fifteenTok := person("fifteen@example.bg", fmt.Sprintf("%d-09", sy-16)) // turns 16 in the start month, after the 1st
	sixteen, sixteenTok := person("sixteen@example.bg", fmt.Sprintf("%d-08", sy-16)) // 16 since August
	seventeen, sevTok := person("seventeen@example.bg", fmt.Sprintf("%d-09", sy-18)) // turns 18 in the start month
	adult, adultTok := person("eighteen@example.bg", fmt.Sprintf("%d-08-31", sy-18)) // 18 the day before

	want := map[string]struct {
		tok    string
		sees   []string
		permit bool
	}{
		fifteen:   {fifteenTok, []string{light}, true},
		sixteen:   {sixteenTok, []string{light, partTime, fullTime}, true},
		seventeen: {sevTok, []string{light, partTime, fullTime}, true},
		adult:     {adultTok, all, false},
	}
	names := map[string]string{fifteen: "15", sixteen: "16", seventeen: "17", adult: "18"}
	for id, wt := range want {
		// profile → needs
		got := myMatches(t, a, wt.tok)
		for _, n := range all {
			permit, seen := got[n]
			if seen != slices.Contains(wt.sees, n) {
				t.Errorf("the %s-year-old sees need %s: %v, want %v", names[id], n, seen, !seen)
			}
			if seen && permit != wt.permit {
				t.Errorf("the %s-year-old's match to %s: permitRequired %v, want %v", names[id], n, permit, wt.permit)
			}
		}
		// need → candidates
		for _, n := range all {
			permit, seen := candidates(t, a, n, w.officer)[id]
			if seen != slices.Contains(wt.sees, n) {
				t.Errorf("the %s-year-old is a candidate for %s: %v, want %v", names[id], n, seen, !seen)
			}
			if seen && permit != wt.permit {
				t.Errorf("the %s-year-old as candidate for %s: permitRequired %v, want %v", names[id], n, permit, wt.permit)
			}
		}
	}
	// Applications keep the same rules.
	if code := problemCode(t, a.do("POST", "/api/v1/needs/"+partTime+"/applications", fifteenTok, nil), 409); code != "minor_not_allowed" {
		t.Errorf("a 15-year-old applies to work not flagged light: code %q", code)
	}
	if code := problemCode(t, a.do("POST", "/api/v1/needs/"+night+"/applications", sevTok, nil), 409); code != "minor_not_allowed" {
		t.Errorf("a 17-year-old applies to night work: code %q", code)
	}
	m := a.must(201, "POST", "/api/v1/needs/"+light+"/applications", fifteenTok, nil)
	if m["permitRequired"] != true {
		t.Errorf("a 15-year-old's application to light work: permitRequired %v, want true", m["permitRequired"])
	}
	if m := a.must(201, "POST", "/api/v1/needs/"+night+"/applications", adultTok, nil); m["permitRequired"] != false {
		t.Errorf("an 18-year-old's application: permitRequired %v, want false", m["permitRequired"])
	}
}

// TestBirthDateInput: the month is required where it decides an age
// limit; a year alone is accepted only when it shows an adult.
func TestBirthDateInput(t *testing.T) {
	a := newAPI(t)
	_, seeker := a.user("jobseeker", "dates@example.bg")
	now := time.Now().UTC()
	for _, tt := range []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"neither", func(b map[string]any) { delete(b, "birthYear") }, "birthDate"},
		{"a minor's year alone", func(b map[string]any) { b["birthYear"] = now.Year() - 16 }, "birthDate"},
		{"a year as birth date", func(b map[string]any) { delete(b, "birthYear"); b["birthDate"] = "2010" }, "birthDate"},
		{"no such month", func(b map[string]any) { delete(b, "birthYear"); b["birthDate"] = "2010-13" }, "birthDate"},
		{"12 years old", func(b map[string]any) {
			delete(b, "birthYear")
			b["birthDate"] = now.AddDate(-12, 0, 0).Format("2006-01")
		}, "birthDate"},
		{"year and date disagree", func(b map[string]any) { b["birthYear"] = 1990; b["birthDate"] = "1991-05" }, "birthYear"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := profileBody(t)
			tt.edit(b)
			checkProblem(t, a.do("PUT", "/api/v1/profiles/me", seeker, b), 400, tt.field)
		})
	}
	b := profileBody(t) // an adult's year alone, as older clients send it
	if p := a.must(200, "PUT", "/api/v1/profiles/me", seeker, b); p["guardianConsent"].(map[string]any)["status"] != "not_required" || p["birthDate"] != nil {
		t.Errorf("an adult's year alone: %v", p)
	}
	b["birthDate"] = fmt.Sprintf("%d-03-09", now.Year()-22)
	if p := a.must(200, "PUT", "/api/v1/profiles/me", seeker, b); p["birthDate"] != b["birthDate"] {
		t.Errorf("birthDate = %v, want %v", p["birthDate"], b["birthDate"])
	}
}

// TestRoundsKeepTheYoungWorkerRules: an employer's ranking in a placement
// round does not place a 15-year-old on full-time work, nor a held
// 13-year-old anywhere; the place goes to the next eligible candidate.
func TestRoundsKeepTheYoungWorkerRules(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 1)
	b := needBody(t, w.employerID)
	b["kind"], b["title"], b["positions"] = "internship", "Стаж", 1
	b["skills"] = []map[string]any{{"id": sk[0], "level": 1, "required": true}}
	b["startDate"] = fmt.Sprintf("%d-09-01", time.Now().Year()+1)
	need := a.must(201, "POST", "/api/v1/needs", w.owner, b)["id"].(string)
	young := func(email, born string) (string, string) {
		return seekerWith(t, a, email, func(b map[string]any) {
			delete(b, "birthYear")
			b["birthDate"] = born
			b["skills"] = heldSkills(sk[0], 4)
			b["interests"] = map[string]any{"kinds": []string{"internship"}}
		})
	}
	fifteen, fifteenTok := young("fifteen@example.bg", fmt.Sprintf("%d-10", time.Now().Year()-15)) // 15 on the start date
	kid, kidTok := young("kid@example.bg", time.Now().UTC().AddDate(-13, -1, 0).Format("2006-01"))
	adult, adultTok := seekerWith(t, a, "adult@example.bg", func(b map[string]any) {
		b["skills"] = heldSkills(sk[0], 1)
		b["interests"] = map[string]any{"kinds": []string{"internship"}}
	})
	r := a.must(201, "POST", "/api/v1/rounds", w.officer, map[string]any{"name": "Есен", "programme": "internship",
		"needIds": []string{need}, "closesAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	id := r["id"].(string)
	for _, tok := range []string{fifteenTok, kidTok, adultTok} {
		a.must(200, "PUT", "/api/v1/rounds/"+id+"/preferences/me", tok, map[string]any{"needIds": []string{need}})
	}
	a.must(200, "PUT", "/api/v1/rounds/"+id+"/preferences/needs/"+need, w.owner, map[string]any{"profileIds": []string{kid, fifteen, adult}})
	run := a.must(200, "POST", "/api/v1/rounds/"+id+"/run", w.officer, nil)
	if got := assignments(run)[need]; got != adult {
		t.Fatalf("the place went to %s, want the adult %s (kid %s, 15-year-old %s)", got, adult, kid, fifteen)
	}
	if pub := a.must(200, "POST", "/api/v1/rounds/"+id+"/publish", w.officer, nil); pub["matchesCreated"].(float64) != 1 {
		t.Errorf("publish = %v, want one match", pub)
	}
}
