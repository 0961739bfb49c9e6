package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/pkg/client"
)

// These tests start the whole product with app.Serve, as `skillsmatch
// serve` does, on a fresh data directory with the embedded store, and talk
// to it only through pkg/client, as any other program would.
//
// They run one after another, never in parallel: FerretDB's embedded
// ferretdb.New writes a package variable, so two stores starting at once
// in one process are a data race (and the product runs one per process).

const password = "correct horse battery staple"

// EIK 000695235 is a valid 9-digit UIC: its check digit is right.
const validEIK = "000695235"

// noEnv is an empty environment: every setting takes its default or flag.
func noEnv(string) string { return "" }

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// product is a running server.
type product struct {
	URL  string
	addr string
	logs *syncBuffer

	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once
	stopErr  error
}

// start runs app.Serve on dir and returns once /healthz answers. The
// server is stopped when the test ends, if the test did not stop it.
func start(t *testing.T, dir string) *product {
	t.Helper()
	if testing.Short() {
		t.Skip("starts the whole product; skipped with -short")
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &product{logs: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	addrc := make(chan string, 1)
	go func() {
		p.done <- app.Serve(ctx, []string{"--addr", "127.0.0.1:0", "--data", dir}, noEnv, p.logs,
			func(addr string) { addrc <- addr })
	}()
	select {
	case p.addr = <-addrc:
	case err := <-p.done:
		cancel()
		t.Fatalf("app.Serve(--data %s) = %v before listening, want it to serve\n%s", dir, err, p.logs)
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatalf("app.Serve(--data %s) did not listen within 2 minutes\n%s", dir, p.logs)
	}
	p.URL = "http://" + p.addr
	t.Cleanup(func() {
		if err := p.stop(); err != nil {
			t.Errorf("app.Serve(...) after cancel = %v, want nil", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", p.logs)
		}
	})
	waitHealthy(t, p.URL)
	return p
}

// stop cancels the server's context, as SIGTERM does, and waits for Serve
// to return.
func (p *product) stop() error {
	p.stopOnce.Do(func() {
		p.cancel()
		select {
		case p.stopErr = <-p.done:
		case <-time.After(time.Minute):
			p.stopErr = errors.New("still running a minute after cancel")
		}
	})
	return p.stopErr
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	c := client.New(url)
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := c.Health(t.Context())
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Health() = %v after 30s, want nil", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// addStaff creates a staff account the way an operator does, with
// `skillsmatch user add`. It must run while no server holds dir.
func addStaff(t *testing.T, dir, role, email, name string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts the whole product; skipped with -short")
	}
	var stdout, stderr bytes.Buffer
	args := []string{"user", "add", "--role", role, "--email", email, "--name", name, "--data", dir}
	err := app.Run(t.Context(), args, noEnv, strings.NewReader(password+"\n"), &stdout, &stderr)
	if err != nil {
		t.Fatalf("app.Run(%q) = %v, want nil\n%s", args, err, &stderr)
	}
	if want := "created " + role + " " + email; !strings.Contains(stdout.String(), want) {
		t.Errorf("app.Run(%q) printed %q, want it to contain %q", args, &stdout, want)
	}
}

// signUp registers a self-service account and signs it in.
func signUp(t *testing.T, url, role, email, name string) (*client.Client, client.User) {
	t.Helper()
	c := client.New(url, client.WithLanguage("en"))
	u, err := c.Register(t.Context(), client.NewUser{Email: email, Password: password, Role: role, Name: name})
	if err != nil {
		t.Fatalf("Register(%s, %s) = %v, want nil", role, email, err)
	}
	if u.Role != role || u.Email != email || u.ID == "" {
		t.Fatalf("Register(%s, %s) = %+v, want that role and e-mail and an id", role, email, u)
	}
	return signIn(t, url, email), u
}

// signIn returns a client signed in as email.
func signIn(t *testing.T, url, email string) *client.Client {
	t.Helper()
	c := client.New(url, client.WithLanguage("en"))
	if _, err := c.Login(t.Context(), email, password); err != nil {
		t.Fatalf("Login(%s) = %v, want nil", email, err)
	}
	return c
}

// wantStatus fails the test unless err is a Problem with the status.
func wantStatus(t *testing.T, call string, err error, status int) {
	t.Helper()
	if !client.IsStatus(err, status) {
		t.Errorf("%s = %v, want a %d problem", call, err, status)
	}
}

// nursingSkills returns two distinct ESCO skill ids found by autocomplete.
func nursingSkills(t *testing.T, c *client.Client) (string, string) {
	t.Helper()
	hits, err := c.SuggestSkills(t.Context(), client.SkillQuery{Q: "nursing", Lang: "en", Limit: 10})
	if err != nil {
		t.Fatalf("SuggestSkills(nursing) = %v, want nil", err)
	}
	var ids []string
	for _, h := range hits {
		if h.ID != "" && !slices.Contains(ids, h.ID) {
			ids = append(ids, h.ID)
		}
	}
	if len(ids) < 2 {
		t.Fatalf("SuggestSkills(nursing) = %+v, want at least two skills", hits)
	}
	return ids[0], ids[1]
}

func containsNeed(p client.NeedPage, id string) bool {
	return slices.ContainsFunc(p.Items, func(n client.Need) bool { return n.ID == id })
}

func newEmployer() client.NewEmployer {
	return client.NewEmployer{Name: "Home Care Haskovo Ltd", EIK: validEIK, Sector: "care", Municipality: "Haskovo",
		Location: client.GeoPoint{Lat: 41.934, Lon: 25.555}, Website: "https://homecare.example.bg"}
}

func newNeed(employerID, skill1, skill2 string) client.NewNeed {
	return client.NewNeed{EmployerID: employerID, Kind: "job", Title: "Home care nurse",
		Description: "Visits to elderly people at home.", Sector: "care",
		Skills:    []client.SkillRequirement{{ID: skill1, Level: 2, Required: true}, {ID: skill2, Level: 1}},
		Languages: []client.Language{{Code: "bg", Level: "B2"}},
		Location:  client.NeedLocation{Municipality: "Haskovo", Lat: 41.934, Lon: 25.555},
		WorkMode:  "onsite", Positions: 2, Hours: "full_time",
		StartDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}
}

// TestStory follows one need and one profile through the product: an
// employer publishes a need that only becomes public once an officer
// verifies the employer; a job-seeker's profile is read by the officer, the
// read shows in the job-seeker's export, and erasure removes the profile
// for everyone.
func TestStory(t *testing.T) {
	dir := t.TempDir()
	const officerEmail, officerName = "petrova@labour.example.bg", "Maria Petrova"
	addStaff(t, dir, "officer", officerEmail, officerName)
	srv := start(t, dir)
	ctx := t.Context()

	anon := client.New(srv.URL, client.WithLanguage("en"))
	if r, err := anon.Ready(ctx); err != nil || !r.Ready {
		t.Fatalf("Ready() = %+v, %v, want ready", r, err)
	}
	seeker, seekerUser := signUp(t, srv.URL, "jobseeker", "ana@example.bg", "Ana Ivanova")
	boss, _ := signUp(t, srv.URL, "employer", "hr@homecare.example.bg", "Georgi Dimitrov")
	officer := signIn(t, srv.URL, officerEmail)
	if me, err := officer.Me(ctx); err != nil || me.Role != "officer" || me.Name != officerName {
		t.Fatalf("officer Me() = %+v, %v, want role officer named %q", me, err, officerName)
	}

	// The three refusals: no token, a bad token (even on a public route),
	// the wrong role; and a role no one may give themselves.
	_, err := anon.Me(ctx)
	wantStatus(t, "anonymous Me()", err, http.StatusUnauthorized)
	forged := client.New(srv.URL)
	forged.SetTokens(client.Tokens{AccessToken: "e30.e30.c2ln"})
	_, err = forged.SuggestSkills(ctx, client.SkillQuery{Q: "nursing"})
	wantStatus(t, "SuggestSkills() with a forged token", err, http.StatusUnauthorized)
	_, err = seeker.CreateUser(ctx, client.NewUser{Email: "boss@example.bg", Password: password, Role: "admin", Name: "X"})
	wantStatus(t, "job-seeker CreateUser(admin)", err, http.StatusForbidden)
	_, err = anon.Register(ctx, client.NewUser{Email: "o@example.bg", Password: password, Role: "officer", Name: "O"})
	var p *client.Problem
	if !errors.As(err, &p) || p.Status != http.StatusBadRequest || len(p.Errors) == 0 || p.Errors[0].Field != "role" {
		t.Errorf("Register(role officer) = %v, want a 400 problem on field role", err)
	}

	// Taxonomy: public reads.
	skill1, skill2 := nursingSkills(t, anon)
	if s, err := anon.Skill(ctx, skill1); err != nil || s.ID != skill1 || s.Label == "" {
		t.Errorf("Skill(%s) = %+v, %v, want it with a label", skill1, s, err)
	}
	if _, err := anon.Skill(ctx, "no-such-skill"); !client.IsStatus(err, http.StatusNotFound) {
		t.Errorf("Skill(no-such-skill) = %v, want a 404 problem", err)
	}
	if _, err := anon.Occupations(ctx, client.OccupationQuery{Q: "nurse", Limit: 3}); err != nil {
		t.Errorf("Occupations(nurse) = %v, want nil", err)
	}
	if a, err := anon.Attribution(ctx); err != nil || a.Text == "" {
		t.Errorf("Attribution() = %+v, %v, want a notice", a, err)
	}

	// The employer registers its organisation and a need.
	emp, err := boss.CreateEmployer(ctx, newEmployer())
	if err != nil {
		t.Fatalf("CreateEmployer(%s) = %v, want nil", validEIK, err)
	}
	if emp.Verified || emp.EIK != validEIK {
		t.Errorf("CreateEmployer(%s) = %+v, want unverified with that EIK", validEIK, emp)
	}
	if me, err := boss.Me(ctx); err != nil || !reflect.DeepEqual(me.EmployerIDs, []string{emp.ID}) {
		t.Errorf("employer Me() = %+v, %v, want employerIds [%s]", me, err, emp.ID)
	}
	if _, err := boss.CreateEmployer(ctx, newEmployer()); !client.IsStatus(err, http.StatusConflict) {
		t.Errorf("CreateEmployer(%s) again = %v, want a 409 problem", validEIK, err)
	}
	website := "https://care.example.bg"
	if e, err := boss.UpdateEmployer(ctx, emp.ID, client.EmployerPatch{Website: &website}); err != nil || e.Website != website || e.Name != emp.Name {
		t.Errorf("UpdateEmployer(website) = %+v, %v, want the new website and the rest kept", e, err)
	}
	need, err := boss.CreateNeed(ctx, newNeed(emp.ID, skill1, skill2))
	if err != nil {
		t.Fatalf("CreateNeed() = %v, want nil", err)
	}
	if need.ID == "" || need.Status != "open" || len(need.Skills) != 2 {
		t.Errorf("CreateNeed() = %+v, want an id, status open and two skills", need)
	}

	// Until an officer verifies the employer, only its members and
	// officers see it and its need.
	_, err = anon.Need(ctx, need.ID)
	wantStatus(t, "anonymous Need() before verification", err, http.StatusNotFound)
	_, err = seeker.Need(ctx, need.ID)
	wantStatus(t, "job-seeker Need() before verification", err, http.StatusNotFound)
	_, err = anon.Employer(ctx, emp.ID)
	wantStatus(t, "anonymous Employer() before verification", err, http.StatusNotFound)
	if n, err := boss.Need(ctx, need.ID); err != nil || n.ID != need.ID {
		t.Errorf("member Need() before verification = %+v, %v, want the need", n, err)
	}
	if n, err := officer.Need(ctx, need.ID); err != nil || n.ID != need.ID {
		t.Errorf("officer Need() before verification = %+v, %v, want the need", n, err)
	}
	_, err = boss.VerifyEmployer(ctx, emp.ID, true, "")
	wantStatus(t, "employer VerifyEmployer(own)", err, http.StatusForbidden)

	nurses := client.NeedQuery{Q: "nurse", Kind: "job"}
	if page, err := anon.SearchNeeds(ctx, nurses); err != nil || containsNeed(page, need.ID) {
		t.Errorf("SearchNeeds(%+v) before verification = %+v, %v, want no %s", nurses, page, err, need.ID)
	}

	v, err := officer.VerifyEmployer(ctx, emp.ID, true, "checked in the Commercial Register")
	if err != nil || !v.Verified || v.Verification == nil || !v.Verification.Verified {
		t.Fatalf("officer VerifyEmployer() = %+v, %v, want verified with a verification record", v, err)
	}
	if n, err := anon.Need(ctx, need.ID); err != nil || n.Title != need.Title || n.EmployerID != emp.ID {
		t.Errorf("anonymous Need() after verification = %+v, %v, want the need", n, err)
	}
	if page, err := anon.SearchNeeds(ctx, nurses); err != nil || !containsNeed(page, need.ID) {
		t.Errorf("SearchNeeds(%+v) after verification = %+v, %v, want %s", nurses, page, err, need.ID)
	}
	if e, err := anon.Employer(ctx, emp.ID); err != nil || !e.Verified {
		t.Errorf("anonymous Employer() after verification = %+v, %v, want it verified", e, err)
	}
	// Seen but not theirs: 403.
	_, err = seeker.UpdateNeed(ctx, need.ID, client.NeedPatch{Positions: ptr(9)})
	wantStatus(t, "job-seeker UpdateNeed()", err, http.StatusForbidden)
	if n, err := boss.UpdateNeed(ctx, need.ID, client.NeedPatch{Positions: ptr(3)}); err != nil || n.Positions != 3 || n.Title != need.Title {
		t.Errorf("member UpdateNeed(positions 3) = %+v, %v, want 3 positions and the rest kept", n, err)
	}

	// The job-seeker's profile, read by the officer.
	put, err := seeker.PutProfile(ctx, client.ProfileInput{DisplayName: "Ana", BirthDate: "1998-04", Phone: "+359888123456",
		Municipality: "Haskovo", Location: client.GeoPoint{Lat: 41.93, Lon: 25.56}, MaxTravelKm: 30,
		WorkModes: []string{"onsite"}, Skills: []client.SkillLevel{{ID: skill1, Level: 3}},
		Languages: []client.Language{{Code: "bg", Level: "C2"}}, EducationLevel: 4,
		Interests:     client.Interests{Kinds: []string{"job"}, Sectors: []string{"care"}},
		AvailableFrom: time.Now().Format(time.DateOnly), Hours: "full_time", Summary: "Nurse, five years of home care.",
		Consent: client.Consent{Matching: true}})
	if err != nil {
		t.Fatalf("PutProfile() = %v, want nil", err)
	}
	if put.ID != seekerUser.ID || len(put.Skills) != 1 || put.Skills[0].Evidence != "declared" || !put.Consent.Matching ||
		put.BirthDate != "1998-04" || put.BirthYear != 1998 || put.Guardian.Status != "not_required" {
		t.Errorf("PutProfile() = %+v, want id %s, one declared skill and consent", put, seekerUser.ID)
	}
	_, err = boss.Profile(ctx, put.ID, "")
	wantStatus(t, "employer Profile() of a candidate not referred", err, http.StatusNotFound)

	// Matching, both ways: the employer sees a pseudonymous card, the
	// officer the profile id, the job-seeker the need.
	mine, err := seeker.MyMatches(ctx, "", 10)
	if err != nil || !slices.ContainsFunc(mine.Items, func(m client.NeedMatch) bool { return m.Need.ID == need.ID }) {
		t.Errorf("MyMatches() = %+v, %v, want need %s among the items", mine, err, need.ID)
	}
	cards, err := boss.NeedMatches(ctx, need.ID, 10)
	if err != nil || len(cards) != 1 {
		t.Fatalf("employer NeedMatches(%s) = %+v, %v, want one candidate", need.ID, cards, err)
	}
	if card := cards[0].Candidate; card.ID == "" || card.ID == put.ID || card.ProfileID != "" {
		t.Errorf("employer NeedMatches(%s)[0].Candidate = %+v, want a pseudonym and no profile id", need.ID, card)
	}
	if s := cards[0].Score; s <= 0 || s > 1 {
		t.Errorf("employer NeedMatches(%s)[0].Score = %v, want in (0, 1]", need.ID, s)
	}
	if cards, err := officer.NeedMatches(ctx, need.ID, 10); err != nil || len(cards) != 1 || cards[0].Candidate.ProfileID != put.ID {
		t.Errorf("officer NeedMatches(%s) = %+v, %v, want one candidate with profile id %s", need.ID, cards, err, put.ID)
	}
	_, err = seeker.NeedMatches(ctx, need.ID, 10)
	wantStatus(t, "job-seeker NeedMatches()", err, http.StatusForbidden)

	before := time.Now()
	read, err := officer.Profile(ctx, put.ID, "referral")
	after := time.Now()
	if err != nil || read.DisplayName != "Ana" || read.Phone != "+359888123456" {
		t.Fatalf("officer Profile(%s) = %+v, %v, want the full profile", put.ID, read, err)
	}
	_, err = officer.RecordGuardianConsent(ctx, put.ID, client.GuardianConsent{Name: "Parent", Relation: "parent",
		GivenOn: time.Now().UTC().Format(time.DateOnly)})
	wantStatus(t, "RecordGuardianConsent(adult)", err, http.StatusConflict) // an adult needs none
	exp, err := seeker.ExportProfile(ctx)
	if err != nil {
		t.Fatalf("ExportProfile() = %v, want nil", err)
	}
	if exp.Account.Email != seekerUser.Email || exp.Profile == nil || exp.Profile.ID != put.ID {
		t.Errorf("ExportProfile() = account %+v, profile %+v, want the account and profile", exp.Account, exp.Profile)
	}
	if len(exp.Views) != 1 {
		t.Fatalf("ExportProfile().Views = %+v, want the officer's one read", exp.Views)
	}
	view := exp.Views[0]
	if view.Who != officerName || view.Role != "officer" || view.Organisation != "labour office" || view.Why != "referral" {
		t.Errorf("ExportProfile().Views[0] = %+v, want who %q, role officer, organisation labour office (the client asks for English), why referral",
			view, officerName)
	}
	// The store keeps milliseconds; allow for that and nothing more.
	if view.When.Before(before.Add(-time.Millisecond)) || view.When.After(after) {
		t.Errorf("ExportProfile().Views[0].When = %s, want between %s and %s", view.When, before, after)
	}

	// Erasure.
	if err := seeker.DeleteProfile(ctx); err != nil {
		t.Fatalf("DeleteProfile() = %v, want nil", err)
	}
	_, err = seeker.MyProfile(ctx)
	wantStatus(t, "MyProfile() after erasure", err, http.StatusNotFound)
	_, err = officer.Profile(ctx, put.ID, "")
	wantStatus(t, "officer Profile() after erasure", err, http.StatusNotFound)
	// The account went with the profile: nothing is held to export.
	_, err = seeker.ExportProfile(ctx)
	wantStatus(t, "ExportProfile() after erasure", err, http.StatusNotFound)
	if err := seeker.DeleteProfile(ctx); err != nil {
		t.Errorf("DeleteProfile() again = %v, want nil: erasure is idempotent", err)
	}
	if cards, err := officer.NeedMatches(ctx, need.ID, 10); err != nil || len(cards) != 0 {
		t.Errorf("officer NeedMatches(%s) after erasure = %+v, %v, want no candidates", need.ID, cards, err)
	}

	// The employer withdraws the need.
	if err := boss.DeleteNeed(ctx, need.ID); err != nil {
		t.Fatalf("DeleteNeed() = %v, want nil", err)
	}
	_, err = anon.Need(ctx, need.ID)
	wantStatus(t, "anonymous Need() after delete", err, http.StatusNotFound)
	if page, err := anon.SearchNeeds(ctx, nurses); err != nil || containsNeed(page, need.ID) {
		t.Errorf("SearchNeeds(%+v) after delete = %+v, %v, want no %s", nurses, page, err, need.ID)
	}
}

// TestRefreshRotation shows refresh tokens working once each (RFC 9700):
// reuse of an old one revokes the whole sign-in, and logout ends it.
func TestRefreshRotation(t *testing.T) {
	srv := start(t, t.TempDir())
	ctx := t.Context()
	c, _ := signUp(t, srv.URL, "jobseeker", "ivan@example.bg", "Ivan Petrov")
	first := c.Tokens()

	second, err := c.Refresh(ctx)
	if err != nil {
		t.Fatalf("Refresh() = %v, want nil", err)
	}
	if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken || second.TokenType != "Bearer" {
		t.Errorf("Refresh() = %+v, want a new Bearer pair unlike %+v", second, first)
	}
	if _, err := c.Me(ctx); err != nil {
		t.Errorf("Me() with the refreshed access token = %v, want nil", err)
	}

	// A thief replays the first refresh token: refused, and the family dies.
	thief := client.New(srv.URL)
	thief.SetTokens(first)
	_, err = thief.Refresh(ctx)
	wantStatus(t, "Refresh(first token again)", err, http.StatusUnauthorized)
	_, err = c.Refresh(ctx)
	wantStatus(t, "Refresh(second token) after the first was reused", err, http.StatusUnauthorized)

	// Signing in again starts a new family; logout ends it.
	c = signIn(t, srv.URL, "ivan@example.bg")
	third := c.Tokens()
	if err := c.Logout(ctx); err != nil {
		t.Fatalf("Logout() = %v, want nil", err)
	}
	if got := c.Tokens(); got != (client.Tokens{}) {
		t.Errorf("Tokens() after Logout = %+v, want none", got)
	}
	after := client.New(srv.URL)
	after.SetTokens(third)
	_, err = after.Refresh(ctx)
	wantStatus(t, "Refresh() after Logout", err, http.StatusUnauthorized)

	_, err = client.New(srv.URL).Login(ctx, "ivan@example.bg", "not the password")
	wantStatus(t, "Login(wrong password)", err, http.StatusUnauthorized)
}

// TestRestartKeepsData stops the product gracefully and starts it again
// on the same data directory: accounts, sessions, the signing key, the
// employer and its need all survive.
func TestRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	first := start(t, dir)
	ctx := t.Context()
	boss, _ := signUp(t, first.URL, "employer", "owner@bakery.example.bg", "Elena Koleva")
	skill1, skill2 := nursingSkills(t, boss)
	emp, err := boss.CreateEmployer(ctx, newEmployer())
	if err != nil {
		t.Fatalf("CreateEmployer() = %v, want nil", err)
	}
	need, err := boss.CreateNeed(ctx, newNeed(emp.ID, skill1, skill2))
	if err != nil {
		t.Fatalf("CreateNeed() = %v, want nil", err)
	}
	// Read back what the store holds, to compare after the restart.
	if need, err = boss.Need(ctx, need.ID); err != nil {
		t.Fatalf("Need() = %v, want nil", err)
	}
	if emp, err = boss.Employer(ctx, emp.ID); err != nil {
		t.Fatalf("Employer() = %v, want nil", err)
	}
	tokens := boss.Tokens()

	if err := first.stop(); err != nil {
		t.Fatalf("app.Serve(...) after cancel = %v, want nil", err)
	}
	second := start(t, dir)

	// An access token issued before the restart is still good: the key
	// was kept in the data directory.
	old := client.New(second.URL)
	old.SetTokens(tokens)
	me, err := old.Me(ctx)
	if err != nil || me.Email != "owner@bakery.example.bg" {
		t.Fatalf("Me() with a token from before the restart = %+v, %v, want the employer", me, err)
	}
	if !reflect.DeepEqual(me.EmployerIDs, []string{emp.ID}) {
		t.Errorf("Me().EmployerIDs after restart = %v, want [%s]", me.EmployerIDs, emp.ID)
	}
	// So is the refresh token.
	if _, err := old.Refresh(ctx); err != nil {
		t.Errorf("Refresh() with a token from before the restart = %v, want nil", err)
	}

	again := signIn(t, second.URL, "owner@bakery.example.bg")
	gotEmp, err := again.Employer(ctx, emp.ID)
	if err != nil || !reflect.DeepEqual(gotEmp, emp) {
		t.Errorf("Employer(%s) after restart = %+v, %v, want %+v", emp.ID, gotEmp, err, emp)
	}
	gotNeed, err := again.Need(ctx, need.ID)
	if err != nil || !reflect.DeepEqual(gotNeed, need) {
		t.Errorf("Need(%s) after restart = %+v, %v, want %+v", need.ID, gotNeed, err, need)
	}
	// Unique indexes survive too.
	_, err = again.CreateEmployer(ctx, newEmployer())
	wantStatus(t, "CreateEmployer(same EIK) after restart", err, http.StatusConflict)
}

// TestGracefulShutdown cancels the server's context (what SIGTERM does)
// while a request is inside its handler, and checks that the request still
// completes and Serve returns nil.
//
// To be deterministic it holds the request body back: the request asks
// "Expect: 100-continue", the server answers 100 Continue only when the
// handler starts reading the body, and the body is sent only after the
// server has stopped accepting connections.
func TestGracefulShutdown(t *testing.T) {
	srv := start(t, t.TempDir())
	tr := &http.Transport{ExpectContinueTimeout: time.Minute}
	t.Cleanup(tr.CloseIdleConnections)
	gate := &gatedTransport{
		base:    tr,
		reading: make(chan struct{}),
		release: make(chan struct{}),
	}
	release := sync.OnceFunc(func() { close(gate.release) })
	t.Cleanup(release) // before the server stops, should the test end early
	c := client.New(srv.URL, client.WithHTTPClient(&http.Client{Transport: gate}))

	type result struct {
		user client.User
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		u, err := c.Register(context.Background(), client.NewUser{Email: "late@example.bg", Password: password,
			Role: "jobseeker", Name: "Late Comer"})
		resc <- result{u, err}
	}()
	select {
	case <-gate.reading:
	case r := <-resc:
		t.Fatalf("Register() = %+v, %v before the handler read the body, want it to wait", r.user, r.err)
	case <-time.After(30 * time.Second):
		t.Fatal("the handler did not start reading the body within 30s")
	}

	stopped := make(chan error, 1)
	go func() { stopped <- srv.stop() }()
	waitRefused(t, srv.addr)
	release()

	select {
	case r := <-resc:
		if r.err != nil || r.user.Email != "late@example.bg" {
			t.Errorf("Register() in flight during shutdown = %+v, %v, want the account", r.user, r.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Register() in flight during shutdown did not finish within 30s")
	}
	if err := <-stopped; err != nil {
		t.Errorf("app.Serve(...) after cancel = %v, want nil", err)
	}
}

// gatedTransport sends every request with "Expect: 100-continue", reports
// when the server asks for the body, and sends the body only once release
// is closed.
type gatedTransport struct {
	base    http.RoundTripper
	reading chan struct{} // closed when the server answers 100 Continue
	release chan struct{} // close to send the body
	gotOnce sync.Once
}

func (g *gatedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	trace := &httptrace.ClientTrace{Got100Continue: func() { g.gotOnce.Do(func() { close(g.reading) }) }}
	r := req.Clone(httptrace.WithClientTrace(req.Context(), trace))
	r.Header.Set("Expect", "100-continue")
	if req.Body != nil {
		r.Body = &gatedBody{ReadCloser: req.Body, g: g}
	}
	return g.base.RoundTrip(r)
}

type gatedBody struct {
	io.ReadCloser
	g *gatedTransport
}

func (b *gatedBody) Read(p []byte) (int, error) {
	<-b.g.release
	return b.ReadCloser.Read(p)
}

// waitRefused waits until addr no longer accepts connections: the server
// has closed its listener and is draining.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatalf("net.Dial(%s) still connects 30s after cancel, want refused", addr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestInvalidConfig shows that a bad setting stops start-up, before the
// store or the listener, with a message that names the setting.
func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"SKILLSMATCH_ADDR", map[string]string{"SKILLSMATCH_ADDR": "nonsense"}, nil},
		{"MONGODB_URI", map[string]string{"MONGODB_URI": "http://x"}, []string{"--addr", "127.0.0.1:0"}},
		{"SKILLSMATCH_LOG", map[string]string{"SKILLSMATCH_LOG": "xml"}, []string{"--addr", "127.0.0.1:0"}},
		{"SKILLSMATCH_ACCESS_TTL", map[string]string{"SKILLSMATCH_ACCESS_TTL": "1s"}, []string{"--addr", "127.0.0.1:0"}},
		{"SKILLSMATCH_TRUSTED_PROXIES", map[string]string{"SKILLSMATCH_TRUSTED_PROXIES": "10.0.0.0/8,proxy"}, []string{"--addr", "127.0.0.1:0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			dir := t.TempDir()
			args := append([]string{"--data", dir}, tt.args...)
			started := false
			err := app.Serve(ctx, args, envOf(tt.env), io.Discard, func(string) { started = true; cancel() })
			if err == nil || !strings.Contains(err.Error(), tt.name) {
				t.Errorf("app.Serve(%v) with %v = %v, want an error naming %s", args, tt.env, err, tt.name)
			}
			if started {
				t.Errorf("app.Serve(%v) with %v listened, want it to stop before", args, tt.env)
			}
			if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
				t.Errorf("app.Serve(%v) with %v left %v in the data directory (%v), want it untouched", args, tt.env, entries, err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
