package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
)

// TestWholeStoryInTheBrowser is issue 11's journey in one piece, two
// people in two browser contexts and nothing done behind their backs but
// the job-seekers' profiles: an employer signs up and registers the
// organisation, and waits; the officer verifies it from Today; the
// employer posts a need from an ESCO occupation and asks the office to
// refer a candidate; the officer refers from Today's queue; the employer
// reads the contact details and records interview, offer and placement.
func TestWholeStoryInTheBrowser(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	base := s.srv.URL
	boss := newVisitor(t, browsertest.Options{Viewport: browsertest.Mobile})
	bossShot := func(name string) { boss.Screenshot("story-employer-" + name) }

	// 1. The employer signs up and waits for the office.
	s.employerInBrowser(t, boss, "story-boss@example.bg", "bg", bossShot)
	wantText(t, boss, "main", "Очаква проверка")

	// 2. The officer finds the organisation on Today and verifies it.
	s.staff(auth.RoleOfficer, "story-officer@example.bg")
	office := signInAs(t, s, browsertest.Desktop, "story-officer@example.bg", "bg")
	office.Navigate(base + "/office")
	wantText(t, office, "section[aria-labelledby=queue-verification]", "МБАЛ Хасково")
	office.Screenshot("story-office-today")
	office.FollowLink("МБАЛ Хасково")
	typeAt(t, office, "#note", "Проверена в Търговския регистър")
	submitAt(t, office, `form[action$="/verification"] button[type=submit]`)

	// 3. The employer, verified, posts a need from the nurse's occupation.
	boss.Navigate(base + "/employer")
	wantText(t, boss, "main", "Потвърдена")
	boss.FollowLink("Нова потребност")
	s.chooseNurse(t, boss, bossShot)
	setValue(t, boss, "#startDate", "2030-02-01")
	setValue(t, boss, "#sector", "healthcare")
	setValue(t, boss, "#place", "haskovo")
	boss.Fill("Брой хора", "2")
	submitAt(t, boss, `button[name=action][value=open]`)
	wantText(t, boss, "main", "Потребността е записана", "Отворена")
	needID := firstNeedID(t, boss)
	need, err := s.svc.Register.Need(ctx, auth.Principal{UserID: "story", Role: auth.RoleOfficer}, needID)
	if err != nil {
		t.Fatal(err)
	}

	// Two job-seekers who hold what the need asks (their own pages are
	// TestJobSeekerJourney's).
	names := []string{"Ана Петрова", "Деси Колева"}
	for i, name := range names {
		u, err := s.svc.Auth.Register(ctx, auth.NewAccount{Email: fmt.Sprintf("story-seeker%d@example.bg", i), Password: password,
			Name: name, Role: auth.RoleJobseeker})
		if err != nil {
			t.Fatal(err)
		}
		p := profile.Profile{ID: u.ID, DisplayName: name, BirthDate: "1996-03", Phone: fmt.Sprintf("0888 77700%d", i),
			Municipality: "Хасково", Lat: 41.94, Lon: 25.56, MaxTravelKm: 30, WorkModes: []string{"onsite"}, Hours: "full_time",
			AvailableFrom: "2029-01-01", Languages: []profile.Language{{Code: "bg", Level: "C2"}}, EducationLevel: 4,
			Consent: profile.Consent{Matching: true}}
		for _, sk := range need.Skills {
			p.Skills = append(p.Skills, profile.Skill{ID: sk.ID, Level: 4, Evidence: profile.EvidenceDeclared})
		}
		if _, err := s.svc.Profiles.Put(ctx, auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker}, p); err != nil {
			t.Fatal(err)
		}
	}

	// 4. The employer asks the office to refer the first candidate.
	boss.Navigate(base + "/employer/needs/" + needID + "/candidates")
	for _, n := range names {
		if strings.Contains(boss.Text("main"), n) {
			t.Fatalf("the candidates page names %q before any referral", n)
		}
	}
	card := attrOf(t, boss, "ol.matches > li.match", "id")
	submitAt(t, boss, "#"+card+" form button[type=submit]")
	wantText(t, boss, "main", "Искането ви е изпратено до бюрото по труда.")
	bossShot("asked")

	// 5. The officer sees the request on Today and refers the person.
	office.Navigate(base + "/office")
	wantText(t, office, "#queue-referral_requests", "1")
	submitAt(t, office, `section[aria-labelledby=queue-referral_requests] a[href="/office/referral-requests"]`)
	req := attrOf(t, office, "ol.applications > li.match", "id")
	submitAt(t, office, "#"+req+` form[action$="/accept"] button[type=submit]`)
	wantText(t, office, "main", "Лицето е насочено към работодателя.")
	office.Screenshot("story-office-referred")

	// 6. The employer reads the contact and records the outcome.
	boss.Navigate(base + "/employer/needs/" + needID + "/candidates")
	wantText(t, boss, "section[aria-labelledby=referred-title]", "0888 77700", "Отговорът ви е нужен до")
	m := attrOf(t, boss, "section[aria-labelledby=referred-title] li.match", "id")
	for _, step := range []struct{ to, shows string }{{"interview", "Събеседване"}, {"offered", "Предложено място"}, {"placed", "Назначен"}} {
		submitAt(t, boss, "#"+m+` form:has(input[name=to][value=`+step.to+`]) button[type=submit]`)
		wantText(t, boss, "#"+m, "Сега: "+step.shows)
	}
	bossShot("placed")
	got, err := s.svc.Matches.Get(ctx, auth.Principal{Role: auth.RoleOfficer}, strings.TrimPrefix(m, "match-"))
	if err != nil || got.State != match.Placed || got.NeedID != needID {
		t.Errorf("the match after the story = %+v, %v; want placed on need %s", got.State, err, needID)
	}
}
