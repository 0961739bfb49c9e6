package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/register"
)

// employerSignUp registers an employer through the page and its
// organisation through the form; it returns the organisation's id.
func (b *browser) employerSignUp(email, orgName string) string {
	b.s.t.Helper()
	p := b.submit("/register/employer", "/register/employer", url.Values{"name": {"Мария"}, "email": {email}, "password": {password}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/employer" {
		b.s.t.Fatalf("employer sign-up %s = %d %s, want 303 to /employer", email, p.Status, p.Body)
	}
	nextEIK++ // a new EIK for each organisation
	p = b.submit("/employer", "/employer/organisation", url.Values{"orgName": {orgName}, "eik": {validEIK(b.s.t)},
		"sector": {"healthcare"}, "place": {"haskovo"}, "address": {"ул. Първа 1"}})
	if p.Status != http.StatusSeeOther {
		b.s.t.Fatalf("organisation = %d %s, want 303", p.Status, p.Body)
	}
	u, err := b.s.store.Users().UserByEmail(context.Background(), email)
	if err != nil || len(u.EmployerIDs) != 1 {
		b.s.t.Fatalf("account %s: %v, employers %v", email, err, u.EmployerIDs)
	}
	return u.EmployerIDs[0]
}

// verifyEmployer is the office's decision, through the register's use case
// (the office's page is another part of issue 11).
func (s *site) verifyEmployer(id string, ok bool, note string) {
	s.t.Helper()
	officer := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	if _, err := s.svc.Register.Verify(context.Background(), officer, id, ok, note); err != nil {
		s.t.Fatal(err)
	}
}

var needLink = regexp.MustCompile(`/employer/needs/([A-Za-z0-9_-]+)/edit`)

// TestEmployerWorkspacePages walks the workspace over HTTP: the EIK's
// check digit on the form and as typed (htmx), the waiting state with
// nothing else shown, the office's reason after a refusal, then a need
// from an occupation with a skill dropped and one preferred, My needs,
// close, reopen and duplicate; and another employer kept out.
func TestEmployerWorkspacePages(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	p := b.submit("/register/employer", "/register/employer", url.Values{"name": {"Мария"}, "email": {"maria@example.bg"}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("sign-up = %d", p.Status)
	}
	bad := b.submit("/employer", "/employer/organisation", url.Values{"orgName": {"МБАЛ"}, "eik": {"123456788"},
		"sector": {"healthcare"}, "place": {"haskovo"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "контролна цифра") || !strings.Contains(bad.Body, `href="#eik"`) {
		t.Errorf("a bad EIK = %d, want 422 with the check digit's message linked to the field", bad.Status)
	}
	if live := b.get("/employer/eik?eik=123456788", "HX-Request", "true"); !strings.Contains(live.Body, "контролна цифра") {
		t.Errorf("the live EIK check says %q, want the check digit's message", live.Body)
	}
	if live := b.get("/employer/eik?eik=" + validEIK(t)); !strings.Contains(live.Body, "изписан правилно") {
		t.Errorf("the live EIK check of a good EIK says %q", live.Body)
	}
	p = b.submit("/employer", "/employer/organisation", url.Values{"orgName": {"МБАЛ Хасково"}, "eik": {validEIK(t)},
		"sector": {"healthcare"}, "place": {"haskovo"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("organisation = %d %s", p.Status, p.Body)
	}
	u, _ := s.store.Users().UserByEmail(context.Background(), "maria@example.bg")
	empID := u.EmployerIDs[0]
	home := b.get("/employer")
	if !strings.Contains(home.Body, "Очаква проверка") || strings.Contains(home.Body, "Моите потребности") {
		t.Errorf("before verification /employer shows no waiting state or shows the needs:\n%s", home.Body)
	}
	if p := b.get("/employer/needs/new"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/employer" {
		t.Errorf("the need form before verification = %d %s, want 303 to /employer", p.Status, p.Header.Get("Location"))
	}
	s.verifyEmployer(empID, false, "Липсва договор с НАП")
	if home := b.get("/employer"); !strings.Contains(home.Body, "Липсва договор с НАП") || !strings.Contains(home.Body, "Непотвърдена") {
		t.Errorf("after a refusal /employer does not give the office's reason")
	}
	s.verifyEmployer(empID, true, "checked")

	occ := tax.SearchOccupations("медицинска сестра", "bg", 1)[0]
	if res := b.get("/employer/needs/new?occq="+url.QueryEscape("медицинска"), "HX-Request", "true"); !strings.Contains(res.Body, "/employer/needs/new?occupation="+occ.ID) {
		t.Errorf("the occupation search does not offer %s", occ.ID)
	}
	// With JavaScript off the search is the form's GET: the whole page with the results.
	if res := b.get("/employer/needs/new?occq=" + url.QueryEscape("медицинска")); !strings.Contains(res.Body, "<h1>") ||
		!strings.Contains(res.Body, "/employer/needs/new?occupation="+occ.ID) {
		t.Errorf("the occupation search without htmx does not show the page with %s", occ.ID)
	}
	form := b.get("/employer/needs/new?occupation=" + occ.ID)
	if form.Status != http.StatusOK || !strings.Contains(form.Body, `value="`+occ.Essential[0]+`"`) {
		t.Fatalf("the need form from %s = %d, without its essential skill %s", occ.ID, form.Status, occ.Essential[0])
	}
	post := url.Values{"occupation": {occ.ID}, "title": {"Медицинска сестра"}, "kind": {"job"}, "positions": {"2"},
		"workMode": {"onsite"}, "hours": {"full_time"}, "sector": {"healthcare"}, "place": {"haskovo"},
		"startDate": {"2030-02-01"}, "action": {"open"}}
	for i, sk := range occ.Essential {
		post.Add("skill", sk)
		post.Set("use-"+strconv.Itoa(i), "required")
		post.Set("level-"+strconv.Itoa(i), "2")
	}
	post.Set("use-0", "drop")
	post.Set("use-1", "preferred")
	post.Set("level-1", "3")
	post.Set("payMin", "1500")
	post.Set("payMax", "1200")
	if p := b.submit("/employer/needs/new?occupation="+occ.ID, "/employer/needs", post); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `href="#payMax"`) {
		t.Errorf("a pay range upside down = %d, want 422 with the error at the upper figure", p.Status)
	}
	post.Set("payMin", "1200")
	post.Set("payMax", "1500")
	if p := b.submit("/employer/needs/new?occupation="+occ.ID, "/employer/needs", post); p.Status != http.StatusSeeOther {
		t.Fatalf("post the need = %d %s", p.Status, p.Body)
	}
	list := b.get("/employer")
	m := needLink.FindStringSubmatch(list.Body)
	if m == nil || !strings.Contains(list.Body, "Медицинска сестра") || !strings.Contains(list.Body, "Отворена") {
		t.Fatalf("My needs does not list the open need:\n%s", list.Body)
	}
	id := m[1]
	n, err := s.svc.Register.Need(context.Background(), auth.Principal{UserID: "officer", Role: auth.RoleOfficer}, id)
	if err != nil {
		t.Fatal(err)
	}
	if n.Pay == nil || *n.Pay != (register.PayRange{Min: 1200, Max: 1500}) {
		t.Errorf("the need's pay = %+v, want 1200 to 1500", n.Pay)
	}
	if len(n.Skills) != len(occ.Essential)-1 || n.Skills[0].ID != occ.Essential[1] || n.Skills[0].Required || n.Skills[0].Level != 3 || n.Occupation != occ.ID {
		t.Errorf("the need's skills = %+v, want the essential ones but the first, the second preferred at level 3", n.Skills[:min(2, len(n.Skills))])
	}
	for _, step := range []struct{ action, status, want string }{
		{"/status", "closed", register.StatusClosed}, {"/status", "open", register.StatusOpen},
	} {
		p := b.submit("/employer", "/employer/needs/"+id+step.action, url.Values{"status": {step.status}})
		n, _ := s.svc.Register.Need(context.Background(), auth.Principal{UserID: "officer", Role: auth.RoleOfficer}, id)
		if p.Status != http.StatusSeeOther || n.Status != step.want {
			t.Errorf("%s %s = %d, need now %s, want %s", step.action, step.status, p.Status, n.Status, step.want)
		}
	}
	dup := b.submit("/employer", "/employer/needs/"+id+"/duplicate", nil)
	copyID := strings.TrimSuffix(strings.TrimPrefix(strings.Split(dup.Header.Get("Location"), "?")[0], "/employer/needs/"), "/edit")
	c, err := s.svc.Register.Need(context.Background(), auth.Principal{UserID: "officer", Role: auth.RoleOfficer}, copyID)
	if dup.Status != http.StatusSeeOther || err != nil || c.Status != register.StatusDraft || c.Title != n.Title || len(c.Skills) != len(n.Skills) {
		t.Errorf("duplicate = %d %s: %v %+v, want a draft with the same content", dup.Status, dup.Header.Get("Location"), err, c)
	}
	if edit := b.get("/employer/needs/" + copyID + "/edit?done=copied"); edit.Status != http.StatusOK || !strings.Contains(edit.Body, "чернова") {
		t.Errorf("the copy's edit page = %d", edit.Status)
	}
	if list := b.get("/employer"); strings.Count(list.Body, "/employer/needs/") < 2 || !strings.Contains(list.Body, "Чернова") {
		t.Errorf("My needs does not list the copy as a draft")
	}

	// Ten needs a page: with twelve, the first page links to the older ones.
	for i := 0; i < 10; i++ {
		if _, err := s.svc.Register.DuplicateNeed(context.Background(), auth.Principal{UserID: u.ID, Role: auth.RoleEmployer}, id); err != nil {
			t.Fatal(err)
		}
	}
	first, second := b.get("/employer"), b.get("/employer?page=2")
	if strings.Count(first.Body, `id="need-`) != 10 || !strings.Contains(first.Body, `href="/employer?page=2#my-needs"`) ||
		strings.Count(second.Body, `id="need-`) != 2 || !strings.Contains(second.Body, `href="/employer?page=1#my-needs"`) {
		t.Errorf("twelve needs: page 1 lists %d (linking on: %v), page 2 lists %d, want 10 and 2",
			strings.Count(first.Body, `id="need-`), strings.Contains(first.Body, "page=2"), strings.Count(second.Body, `id="need-`))
	}

	// Another verified employer sees neither the list nor the need.
	other := s.browser()
	otherID := other.employerSignUp("other@example.bg", "Друга фирма")
	s.verifyEmployer(otherID, true, "checked")
	if home := other.get("/employer"); strings.Contains(home.Body, id) || strings.Contains(home.Body, "Медицинска сестра") {
		t.Errorf("another employer's /employer shows the first employer's need")
	}
	if p := other.get("/employer/needs/" + id + "/edit"); p.Status != http.StatusForbidden {
		t.Errorf("another employer edits a public need: %d, want 403", p.Status)
	}
	if p := other.get("/employer/needs/" + copyID + "/edit"); p.Status != http.StatusNotFound {
		t.Errorf("another employer edits a draft: %d, want 404", p.Status)
	}
	for _, path := range []string{"/employer/needs/" + id + "/status", "/employer/needs/" + id + "/duplicate", "/employer/needs/" + id} {
		post.Set("status", "closed") // a whole, valid need: the refusal is the register's, not the form's
		if p := other.submit("/employer", path, post); p.Status != http.StatusForbidden {
			t.Errorf("another employer posts %s: %d, want 403", path, p.Status)
		}
	}
	if n, _ := s.svc.Register.Need(context.Background(), auth.Principal{UserID: "officer", Role: auth.RoleOfficer}, id); n.Status != register.StatusOpen {
		t.Errorf("the need is %s after another employer's posts", n.Status)
	}
}
