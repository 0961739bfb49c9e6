package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// referralCast is what the referral pages' tests seed through the
// services: a verified employer (its member's e-mail) with an open need,
// a second verified employer with a need of its own, an officer, and
// job-seekers whose profiles fit the need.
type referralCast struct {
	need, otherNeed     register.Need
	boss, other, office string // e-mails
	people              []auth.Principal
	names               []string
}

var nextCast int

func (s *site) referralCast(people int) referralCast {
	s.t.Helper()
	ctx := context.Background()
	nextCast++
	c := referralCast{office: fmt.Sprintf("officer%d@example.bg", nextCast)}
	if _, err := s.svc.Auth.CreateStaff(ctx, auth.NewAccount{Email: c.office, Password: password, Name: "Елена Иванова",
		Role: auth.RoleOfficer}); err != nil {
		s.t.Fatal(err)
	}
	sk := skillIDs(s.t, 2)
	skills := []register.SkillRequirement{{ID: sk[0], Level: 2, Required: true}, {ID: sk[1], Level: 1}}
	c.need, c.boss = s.employerNeed("Медицинска сестра, вътрешно отделение", skills)
	c.otherNeed, c.other = s.employerNeed("Санитар", skills)
	for i := range people {
		email := fmt.Sprintf("person%d-%d@example.bg", nextCast, i)
		name := fmt.Sprintf("Лице %d Петрова", i+1)
		u, err := s.svc.Auth.Register(ctx, auth.NewAccount{Email: email, Password: password, Name: name, Role: auth.RoleJobseeker})
		if err != nil {
			s.t.Fatal(err)
		}
		by := auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker}
		p := profile.Profile{ID: u.ID, DisplayName: name, BirthDate: "1996-03", Phone: fmt.Sprintf("0888 12345%d", i),
			Municipality: "Хасково", Lat: 41.94, Lon: 25.56, MaxTravelKm: 30, WorkModes: []string{"onsite"}, Hours: "full_time",
			AvailableFrom: "2029-01-01", Languages: []profile.Language{{Code: "bg", Level: "C2"}}, EducationLevel: 4,
			Consent: profile.Consent{Matching: true}}
		for j, id := range sk {
			p.Skills = append(p.Skills, profile.Skill{ID: id, Level: 3 - j*i%2, Evidence: profile.EvidenceDeclared})
		}
		if _, err := s.svc.Profiles.Put(ctx, by, p); err != nil {
			s.t.Fatal(err)
		}
		c.people, c.names = append(c.people, by), append(c.names, name)
	}
	return c
}

// employerNeed is needWith's need (an open need of a new verified
// employer) with the e-mail of the employer's member, to sign in with.
func (s *site) employerNeed(title string, skills []register.SkillRequirement) (register.Need, string) {
	s.t.Helper()
	n := s.needWith(title, skills)
	return n, fmt.Sprintf("employer%d@example.bg", nextEIK) // needWith's account
}

// referredCast is a cast of one person, whom an officer referred to the need.
func (s *site) referredCast() (referralCast, match.Match) {
	s.t.Helper()
	c := s.referralCast(1)
	m, err := s.svc.Matches.Refer(context.Background(), auth.Principal{UserID: "o", Role: auth.RoleOfficer},
		match.Referral{NeedID: c.need.ID, ProfileID: c.people[0].UserID})
	if err != nil {
		s.t.Fatal(err)
	}
	return c, m
}

func (b *browser) signedInAs(email string) *browser { b.signIn(email); return b }

var cardIDs = regexp.MustCompile(`id="card-(c-[0-9a-f]+)"`)

// TestReferralPagesFlow: the employer asks for a card's candidate; the
// officer's queue shows the person's name and refers them with an internal
// note; the employer sees the phone, not the note, and records interview,
// offer and placement; a second request is declined with a reason the
// employer reads; the officer refers directly from the need's page and
// notes the match, the shared note reaching the employer.
func TestReferralPagesFlow(t *testing.T) {
	s := newSite(t)
	c := s.referralCast(2)
	boss, office := s.browser().signedInAs(c.boss), s.browser().signedInAs(c.office)
	page := "/employer/needs/" + c.need.ID + "/candidates"

	p := boss.get(page)
	cards := cardIDs.FindAllStringSubmatch(p.Body, -1)
	if p.Status != http.StatusOK || len(cards) != 2 {
		t.Fatalf("GET %s = %d with %d cards, want 200 and 2:\n%.2000s", page, p.Status, len(cards), p.Body)
	}
	for _, want := range []string{"Има 2 от 2 искани умения.", "Владее исканите езици.", "Помолете бюрото по труда да насочи този кандидат"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the candidates page lacks %q", want)
		}
	}
	for _, n := range c.names {
		if strings.Contains(p.Body, n) {
			t.Errorf("the candidates page names %q before any referral", n)
		}
	}
	ask := "/employer/needs/" + c.need.ID + "/referral-requests"
	if r := boss.submit(page, ask, url.Values{"candidate": {cards[0][1]}}); r.Status != http.StatusSeeOther {
		t.Fatalf("ask = %d %.500s", r.Status, r.Body)
	}
	if r := boss.submit(page, ask, url.Values{"candidate": {"c-nobody"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "error-summary") {
		t.Errorf("ask for an unknown card = %d, want 422 with the error summary", r.Status)
	}
	if !strings.Contains(boss.get(page).Body, "Помолихте бюрото по труда да насочи този кандидат.") {
		t.Error("the card asked for does not say so")
	}

	queue := office.get("/office/referral-requests")
	ids := regexp.MustCompile(`id="request-([0-9a-f]+)"`).FindAllStringSubmatch(queue.Body, -1)
	if queue.Status != http.StatusOK || len(ids) != 1 {
		t.Fatalf("the office's queue = %d with %d requests, want 1", queue.Status, len(ids))
	}
	person := -1
	for i, n := range c.names {
		if strings.Contains(queue.Body, n) {
			person = i
		}
	}
	if person < 0 {
		t.Fatalf("the queue names none of %v", c.names)
	}
	accept := "/office/referral-requests/" + ids[0][1] + "/accept"
	if r := office.submit("/office/referral-requests", accept, url.Values{"note": {"Вътрешна бележка за бюрото"}, "visibility": {"internal"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept = %d %.500s", r.Status, r.Body)
	}
	p = boss.get(page)
	if !strings.Contains(p.Body, c.names[person]) || !strings.Contains(p.Body, fmt.Sprintf("0888 12345%d", person)) {
		t.Errorf("after the referral the employer's page lacks the person's name or phone")
	}
	if strings.Contains(p.Body, "Вътрешна бележка") {
		t.Error("the employer's page shows the office's internal note")
	}
	due := match.AddWorkingDays(s.clock.Now(), match.OutcomeDays).Format("2006-01-02")
	if !strings.Contains(p.Body, "Отговорът ви е нужен до") {
		t.Errorf("the referred candidate shows no due date (%s)", due)
	}
	mid := regexp.MustCompile(`id="match-([0-9a-f]+)"`).FindStringSubmatch(p.Body)
	if mid == nil {
		t.Fatal("no referred match on the employer's page")
	}
	for _, to := range []string{"interview", "offered", "placed"} {
		if r := boss.submit(page, "/employer/matches/"+mid[1]+"/move", url.Values{"to": {to}}); r.Status != http.StatusSeeOther {
			t.Fatalf("move to %s = %d %.500s", to, r.Status, r.Body)
		}
	}
	if m, err := s.svc.Matches.Get(context.Background(), auth.Principal{Role: auth.RoleOfficer}, mid[1]); err != nil || m.State != match.Placed {
		t.Errorf("after the moves the match is %v, %v, want placed", m.State, err)
	}

	// A second request, declined with a reason the employer reads.
	if r := boss.submit(page, ask, url.Values{"candidate": {cards[1][1]}}); r.Status != http.StatusSeeOther {
		t.Fatalf("second ask = %d", r.Status)
	}
	ids = regexp.MustCompile(`id="request-([0-9a-f]+)"`).FindAllStringSubmatch(office.get("/office/referral-requests").Body, -1)
	decline := "/office/referral-requests/" + ids[0][1] + "/decline"
	if r := office.submit("/office/referral-requests", decline, url.Values{"reason": {""}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `href="#decline-`+ids[0][1]+`"`) {
		t.Errorf("decline without a reason = %d, want 422 with the summary linking to the reason", r.Status)
	}
	if r := office.submit("/office/referral-requests", decline, url.Values{"reason": {"Лицето е на курс до март"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("decline = %d", r.Status)
	}
	if !strings.Contains(boss.get(page).Body, "Лицето е на курс до март") {
		t.Error("the employer does not read the decline's reason")
	}

	// The officer refers the other person directly, from the need's page
	// with names, then shares a note.
	np := office.get("/office/needs/" + c.need.ID)
	if np.Status != http.StatusOK || !strings.Contains(np.Body, c.names[1-person]) {
		t.Fatalf("the office's need page = %d, want the other person's name", np.Status)
	}
	r := office.submit("/office/needs/"+c.need.ID, "/office/needs/"+c.need.ID+"/referrals",
		url.Values{"profile": {c.people[1-person].UserID}, "note": {"Споделена бележка"}, "visibility": {"shared"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/office/matches/") {
		t.Fatalf("direct referral = %d %s", r.Status, r.Header.Get("Location"))
	}
	matchPage := strings.Split(r.Header.Get("Location"), "?")[0]
	if r := office.submit(matchPage, matchPage+"/notes", url.Values{"note": {"Само за бюрото"}, "visibility": {"internal"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("note = %d %.300s", r.Status, r.Body)
	}
	mp := office.get(matchPage)
	for _, want := range []string{"Споделена бележка", "Само за бюрото", "само бюрото по труда", "споделена с работодателя и лицето"} {
		if !strings.Contains(mp.Body, want) {
			t.Errorf("the office's match page lacks %q", want)
		}
	}
	p = boss.get(page)
	if !strings.Contains(p.Body, "Споделена бележка") || strings.Contains(p.Body, "Само за бюрото") {
		t.Error("the employer's page must show the shared note and not the internal one")
	}
	list := office.get("/office/matches?state=referred")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, c.need.Title) || !strings.Contains(list.Body, "1 съвпадение") {
		t.Errorf("the match queue filtered to referred = %d, want the one match", list.Status)
	}
	if bad := office.get("/office/matches?state=hired"); bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "error-summary") {
		t.Errorf("the match queue with a bad filter = %d, want 422 with the summary", bad.Status)
	}
	n, err := s.svc.Referrals.PendingReferralRequests(context.Background(), auth.Principal{Role: auth.RoleOfficer})
	if err != nil || n != 0 {
		t.Errorf("PendingReferralRequests = %d, %v, want 0", n, err)
	}
}

// TestReferralPagesGuarded: a job-seeker reaches neither workspace, an
// employer never /office nor another employer's need's candidates or
// matches, and a visitor is asked to sign in.
func TestReferralPagesGuarded(t *testing.T) {
	s := newSite(t)
	c, m := s.referredCast()
	office := []string{"/office/referral-requests", "/office/needs/" + c.need.ID, "/office/matches", "/office/matches/" + m.ID}
	seeker := s.browser().signedInAs("person" + fmt.Sprint(nextCast) + "-0@example.bg")
	other := s.browser().signedInAs(c.other)
	for _, path := range append(office, "/employer/needs/"+c.need.ID+"/candidates") {
		if p := seeker.get(path); p.Status != http.StatusForbidden {
			t.Errorf("job-seeker GET %s = %d, want 403", path, p.Status)
		}
		if p := s.browser().get(path); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
			t.Errorf("visitor GET %s = %d, want 303 to sign in", path, p.Status)
		}
	}
	for _, path := range office {
		if p := other.get(path); p.Status != http.StatusForbidden {
			t.Errorf("employer GET %s = %d, want 403", path, p.Status)
		}
	}
	if p := other.get("/employer/needs/" + c.need.ID + "/candidates"); p.Status != http.StatusForbidden || strings.Contains(p.Body, c.names[0]) {
		t.Errorf("another employer's GET of the need's candidates = %d, want 403 without the person", p.Status)
	}
	own := "/employer/needs/" + c.otherNeed.ID + "/candidates"
	if p := other.submit(own, "/employer/matches/"+m.ID+"/move", url.Values{"to": {"interview"}}); p.Status != http.StatusNotFound {
		t.Errorf("another employer's move of the match = %d, want 404", p.Status)
	}
	if p := other.submit(own, "/employer/needs/"+c.need.ID+"/referral-requests", url.Values{"candidate": {"c-x"}}); p.Status != http.StatusForbidden {
		t.Errorf("another employer's referral request on the need = %d, want 403", p.Status)
	}
	if p := other.get(own); p.Status != http.StatusOK || strings.Contains(p.Body, c.names[0]) {
		t.Errorf("the other employer's own page = %d; it must not name the person referred to the first employer", p.Status)
	}
}

// TestCandidatesPageSaysWhyNoCards: a closed need shows its employer no
// cards, says why in words, and still lists the person referred to it, so
// that the outcome can be recorded; a rejection ends the contact details.
func TestCandidatesPageSaysWhyNoCards(t *testing.T) {
	s := newSite(t)
	c, m := s.referredCast()
	ctx := context.Background()
	off := auth.Principal{UserID: "o", Role: auth.RoleOfficer}
	closed := register.StatusClosed
	if _, err := s.svc.Register.UpdateNeed(ctx, off, c.need.ID, register.NeedPatch{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	boss := s.browser().signedInAs(c.boss)
	page := "/employer/needs/" + c.need.ID + "/candidates"
	p := boss.get(page)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Тази потребност не е отворена и не показва кандидати.") ||
		strings.Contains(p.Body, `id="card-`) {
		t.Fatalf("GET %s of a closed need = %d, want the reason in words and no cards:\n%.1500s", page, p.Status, p.Body)
	}
	if !strings.Contains(p.Body, c.names[0]) || !strings.Contains(p.Body, "0888 123450") {
		t.Error("the closed need's page does not show the person referred to it with their phone")
	}
	r := boss.submit(page, "/employer/matches/"+m.ID+"/move", url.Values{"to": {"rejected"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `href="#reason-`+m.ID+`"`) {
		t.Errorf("a rejection without a reason = %d, want 422 with the summary linking to the reason", r.Status)
	}
	if r := boss.submit(page, "/employer/matches/"+m.ID+"/move", url.Values{"to": {"rejected"}, "reason": {"position_filled"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("rejection = %d %.300s", r.Status, r.Body)
	}
	p = boss.get(page)
	if strings.Contains(p.Body, "0888 123450") || !strings.Contains(p.Body, "Данните за връзка вече не се показват") ||
		!strings.Contains(p.Body, "мястото е заето") {
		t.Error("after the rejection the page must hide the phone, say why, and show the reason")
	}
}

// TestOutcomeDueFlagged: the employer's page shows the outcome's due date
// and flags it when at most two working days are left, then as late; the
// office's queue filters the late ones.
func TestOutcomeDueFlagged(t *testing.T) {
	s := newSite(t)
	c, m := s.referredCast()
	page := "/employer/needs/" + c.need.ID + "/candidates"
	// Each look signs in afresh: moving the clock by days ends sessions.
	flags := func() (soon, late bool) {
		p := s.browser().signedInAs(c.boss).get(page)
		if p.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", page, p.Status)
		}
		return strings.Contains(p.Body, "Срокът наближава."), strings.Contains(p.Body, "Отговорът закъснява")
	}
	lateQueue := func() string { return s.browser().signedInAs(c.office).get("/office/matches?overdue=true").Body }
	if soon, late := flags(); soon || late {
		t.Errorf("on the day of the referral: soon %v, late %v, want neither", soon, late)
	}
	due, _ := time.Parse(time.DateOnly, m.OutcomeDue)
	s.clock.Add(due.Sub(s.clock.Now().UTC().Truncate(24*time.Hour)) - time.Hour) // the day before the due date
	if soon, late := flags(); !soon || late {
		t.Errorf("the day before %s: soon %v, late %v, want soon", m.OutcomeDue, soon, late)
	}
	if q := lateQueue(); !strings.Contains(q, "0 съвпадения") {
		t.Error("the office's late filter lists a match not yet late")
	}
	s.clock.Add(49 * time.Hour)
	if soon, late := flags(); soon || !late {
		t.Errorf("after %s: soon %v, late %v, want late", m.OutcomeDue, soon, late)
	}
	if q := lateQueue(); !strings.Contains(q, "1 съвпадение") || !strings.Contains(q, "закъснява") {
		t.Error("the office's late filter does not list the late match")
	}
}
