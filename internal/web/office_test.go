package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/register"
)

// staff creates an account of role (officers and employers do not sign up
// on the pages) and signs a new browser in with it.
func (s *site) staff(role auth.Role, email string) (*browser, auth.User) {
	s.t.Helper()
	a := auth.NewAccount{Email: email, Password: password, Name: "Мария Иванова", Role: role}
	create := s.svc.Auth.Register
	if role == auth.RoleOfficer || role == auth.RoleAdmin {
		create = s.svc.Auth.CreateStaff
	}
	u, err := create(context.Background(), a)
	if err != nil {
		s.t.Fatal(err)
	}
	b := s.browser()
	b.signIn(email)
	return b, u
}

// organisation registers an organisation for the employer account, as
// /employer's registration would.
func (s *site) organisation(owner auth.User, name string) register.Employer {
	s.t.Helper()
	nextEIK++
	e, err := s.svc.Register.CreateEmployer(context.Background(), auth.Principal{UserID: owner.ID, Role: auth.RoleEmployer},
		register.Employer{Name: name, EIK: validEIK(s.t), Sector: "healthcare", Municipality: "Хасково"})
	if err != nil {
		s.t.Fatal(err)
	}
	return e
}

// TestOfficeVerifiesAndWithdraws: Today lists the organisation waiting;
// the officer finds it in the list, verifies it, then withdraws the
// verification, first without a reason (the form says it is needed), then
// with one, which the employer reads on its verification page.
func TestOfficeVerifiesAndWithdraws(t *testing.T) {
	s := newSite(t)
	boss, owner := s.staff(auth.RoleEmployer, "boss@example.bg")
	e := s.organisation(owner, "Дом за стари хора Щастие")
	officer, _ := s.staff(auth.RoleOfficer, "officer@example.bg")

	today := officer.get("/office?lang=en")
	if today.Status != http.StatusOK || !strings.Contains(today.Body, `href="/office/employers/`+e.ID+`"`) {
		t.Fatalf("Today = %d, lacks the organisation waiting:\n%s", today.Status, today.Body)
	}
	if list := officer.get("/office/employers?q=shtastie&verified=false"); !strings.Contains(list.Body, e.ID) {
		t.Errorf("the list searched in Latin lacks %s", e.ID)
	}
	if list := officer.get("/office/employers?q=shtastie&verified=true"); strings.Contains(list.Body, e.ID) {
		t.Errorf("the verified list has the unverified %s", e.ID)
	}
	page := "/office/employers/" + e.ID
	if p := officer.submit(page, page+"/verification", url.Values{"verified": {"true"}, "note": {"Търговски регистър"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("verify = %d %s", p.Status, p.Body)
	}
	if own := boss.get("/employer/verification?lang=en"); !strings.Contains(own.Body, "The labour office verified this organisation") {
		t.Errorf("the employer does not read that it is verified:\n%s", own.Body)
	}
	p := officer.submit(page, page+"/verification", url.Values{"verified": {"false"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `href="#reason"`) {
		t.Fatalf("withdraw without a reason = %d, want 422 with the summary linking to the reason:\n%s", p.Status, p.Body)
	}
	reason := "Фирмата е заличена от Търговския регистър."
	if p := officer.submit(page, page+"/verification", url.Values{"verified": {"false"}, "reason": {reason}}); p.Status != http.StatusSeeOther {
		t.Fatalf("withdraw = %d %s", p.Status, p.Body)
	}
	if own := boss.get("/employer/verification"); !strings.Contains(own.Body, reason) {
		t.Errorf("the employer does not read the reason:\n%s", own.Body)
	}
}

// TestOfficeEntersAWalkInPerson: the officer enters a profile on the
// person's behalf; without who recorded the consent the form says so; a
// minor without a guardian is refused with the office's words; saved, the
// profile opens for editing and can be erased at the person's request.
func TestOfficeEntersAWalkInPerson(t *testing.T) {
	s := newSite(t)
	officer, _ := s.staff(auth.RoleOfficer, "officer@example.bg")
	form := s.fullForm(skillIDs(t, 1)...)
	form.Set("action", "save")
	form.Set("recordedBy", "")
	p := officer.submit("/office/people/new", "/office/people/new", form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `href="#recordedBy"`) {
		t.Fatalf("without recordedBy = %d, want 422 linking to it:\n%s", p.Status, p.Body)
	}
	minor := url.Values{}
	for k, v := range form {
		minor[k] = v
	}
	minor.Set("recordedBy", "Мария Иванова")
	minor.Set("birthDate", s.clock.Now().AddDate(-16, 0, 0).Format("2006-01"))
	p = officer.submit("/office/people/new?lang=en", "/office/people/new", minor)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "enter the parent or guardian who agreed") {
		t.Fatalf("a minor without a guardian = %d:\n%s", p.Status, p.Body)
	}
	form.Set("recordedBy", "Мария Иванова, бюро Хасково")
	p = officer.submit("/office/people/new", "/office/people/new", form)
	loc := p.Header.Get("Location")
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/office/people/") {
		t.Fatalf("save = %d %s", p.Status, p.Body)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/office/people/"), "?done=saved")
	edit := officer.get(loc)
	if edit.Status != http.StatusOK || !strings.Contains(edit.Body, "Мария Иванова, бюро Хасково") {
		t.Fatalf("the saved profile = %d, lacks the recorder", edit.Status)
	}
	exp := officer.get("/office/people/" + id + "/export.json")
	if exp.Status != http.StatusOK || !strings.Contains(exp.Body, `"DisplayName": "Ана Петрова"`) || !strings.Contains(exp.Body, `"matches": []`) {
		t.Errorf("the person's export = %d:\n%s", exp.Status, exp.Body)
	}
	if p := officer.submit("/office/people/"+id+"/erase", "/office/people/"+id+"/erase", url.Values{}); p.Status != http.StatusSeeOther {
		t.Fatalf("erase = %d %s", p.Status, p.Body)
	}
	if p := officer.get("/office/people/" + id); p.Status != http.StatusNotFound {
		t.Errorf("the erased profile = %d, want 404", p.Status)
	}
}
