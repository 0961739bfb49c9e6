package candidate_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

var loadTaxonomy = sync.OnceValues(taxonomy.Load)

// clock is a fixed clock that a test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// world is the product's services, wired as the product wires them, over
// a fresh embedded store and index, with an employer (unverified), its
// member, an officer and one consenting job-seeker near Haskovo.
type world struct {
	st       *store.Store
	tx       *taxonomy.Taxonomy
	ix       *search.Index
	svc      app.Services
	clock    *clock
	key      []byte
	cards    *candidate.Service
	member   auth.Principal
	officer  auth.Principal
	employer register.Employer
	skills   []string
	seekerID string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	if testing.Short() {
		t.Skip("loading the taxonomy takes seconds")
	}
	ctx := context.Background()
	tx, err := loadTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(t.TempDir(), tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.CatchUp(ctx, st.Source(), nil); err != nil {
		t.Fatal(err)
	}
	signer, err := auth.NewSigner(bytes.Repeat([]byte{7}, 32), "skillsmatch", 15*time.Minute, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, tx: tx, ix: ix, key: []byte("test pseudonym key, 32 bytes...."),
		clock: &clock{t: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)}}
	if w.svc, err = app.Wire(ctx, st, tx, ix, signer, time.Hour, w.clock.now); err != nil {
		t.Fatal(err)
	}
	w.cards = w.svc.Candidates(st, tx, ix, w.key)
	w.member = auth.Principal{UserID: "u-member", Role: auth.RoleEmployer}
	w.officer = auth.Principal{UserID: "u-officer", Role: auth.RoleOfficer}
	if err := st.Users().InsertUser(ctx, auth.User{ID: w.member.UserID, Email: "member@example.bg", Role: auth.RoleEmployer, Name: "Member"}); err != nil {
		t.Fatal(err)
	}
	w.employer, err = w.svc.Register.CreateEmployer(ctx, w.member, register.Employer{Name: "Clinic", EIK: validEIK(), Municipality: "Хасково"})
	if err != nil {
		fe, _ := failure.As(err)
		t.Fatalf("create employer: %v %+v", err, fe)
	}
	for _, h := range tx.SuggestSkills("care", "en", 2) {
		w.skills = append(w.skills, h.ID)
	}
	w.seekerID = "u-seeker"
	seeker := auth.Principal{UserID: w.seekerID, Role: auth.RoleJobseeker}
	_, err = w.svc.Profiles.Put(ctx, seeker, profile.Profile{DisplayName: "Мария Петрова", BirthYear: 1995, Phone: "+359888123456",
		Municipality: "Хасково", Lat: 41.93, Lon: 25.55, MaxTravelKm: 40, WorkModes: []string{"onsite"},
		Skills: []profile.Skill{{ID: w.skills[0], Level: 3}}, EducationLevel: 3, AvailableFrom: "2026-01-01", Hours: "any",
		Summary: "Искам да работя в грижата.", Consent: profile.Consent{Matching: true}})
	if err != nil {
		fe, _ := failure.As(err)
		t.Fatalf("put profile: %v %+v", err, fe)
	}
	return w
}

// need creates an open need of the world's employer.
func (w *world) need(t *testing.T) register.Need {
	t.Helper()
	n, err := w.svc.Register.CreateNeed(context.Background(), w.member, register.Need{EmployerID: w.employer.ID, Kind: register.KindJob,
		Title: "Медицинска сестра", Sector: "healthcare", Skills: []register.SkillRequirement{{ID: w.skills[0], Level: 2, Required: true}},
		Location: register.Location{Municipality: "Хасково", Lat: 41.934, Lon: 25.555}, WorkMode: "onsite", Positions: 1,
		Hours: "full_time", StartDate: "2027-01-15", ApplyBy: "2026-12-31", Status: register.StatusOpen})
	if err != nil {
		fe, _ := failure.As(err)
		t.Fatalf("create need: %v %+v", err, fe)
	}
	return n
}

func (w *world) verify(t *testing.T, ok bool) {
	t.Helper()
	d := register.Decision{Verified: ok, Note: "checked"}
	if !ok {
		d.Reason = "struck off the Commercial Register" // a withdrawal says why
	}
	if _, err := w.svc.Register.Decide(context.Background(), w.officer, w.employer.ID, d); err != nil {
		t.Fatal(err)
	}
}

func wantProblem(t *testing.T, what string, err error, kind failure.Kind, code string) *failure.Error {
	t.Helper()
	fe, ok := failure.As(err)
	if !ok || fe.Kind != kind || fe.Code != code {
		t.Fatalf("%s: error %v, want kind %v code %s", what, err, kind, code)
	}
	return fe
}

// TestCardsOnlyForPublicNeedsOfVerifiedEmployers: an employer sees
// candidates only for an open, unexpired need once the office verified it,
// and is told which of the three is missing; officers preview them always;
// each request that shows cards is one audit entry naming who, for which
// need, and whose cards.
func TestCardsOnlyForPublicNeedsOfVerifiedEmployers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	n := w.need(t)
	q := candidate.Query{Limit: 20, Lang: "en", RequestID: "req-1"}

	_, err := w.cards.Cards(ctx, w.member, n.ID, q)
	wantProblem(t, "unverified employer", err, failure.Forbidden, "employer_not_verified")
	preview, err := w.cards.Cards(ctx, w.officer, n.ID, q)
	if err != nil || len(preview) != 1 || preview[0].Card.ProfileID != w.seekerID {
		t.Fatalf("officer's preview of an unverified employer's need = %+v, %v; want the one candidate with profile id", preview, err)
	}

	w.verify(t, true)
	got, err := w.cards.Cards(ctx, w.member, n.ID, q)
	if err != nil || len(got) != 1 {
		t.Fatalf("verified employer's open need: %+v, %v; want one card", got, err)
	}
	c := got[0].Card
	if c.ProfileID != "" || c.ID != profile.Pseudonym(w.key, w.employer.ID, w.seekerID) || c.Municipality != "Хасково" || len(c.Skills) != 1 {
		t.Errorf("employer's card = %+v, want the pseudonym, no profile id, the municipality and the skill", c)
	}

	draft := register.StatusDraft
	if _, err := w.svc.Register.UpdateNeed(ctx, w.member, n.ID, register.NeedPatch{Status: &draft}); err != nil {
		t.Fatal(err)
	}
	_, err = w.cards.Cards(ctx, w.member, n.ID, q)
	wantProblem(t, "draft need", err, failure.Forbidden, "need_not_open")
	if _, err := w.cards.Cards(ctx, w.officer, n.ID, q); err != nil {
		t.Errorf("officer's preview of a draft need: %v", err)
	}

	open, past := register.StatusOpen, "2026-12-05"
	if _, err := w.svc.Register.UpdateNeed(ctx, w.member, n.ID, register.NeedPatch{Status: &open, ApplyBy: &past}); err != nil {
		t.Fatal(err)
	}
	_, err = w.cards.Cards(ctx, w.member, n.ID, q)
	wantProblem(t, "expired need", err, failure.Forbidden, "need_expired")

	w.verify(t, false) // verification withdrawn: the cards go with it
	future := "2026-12-31"
	if _, err := w.svc.Register.UpdateNeed(ctx, w.member, n.ID, register.NeedPatch{ApplyBy: &future}); err != nil {
		t.Fatal(err)
	}
	_, err = w.cards.Cards(ctx, w.member, n.ID, q)
	wantProblem(t, "verification withdrawn", err, failure.Forbidden, "employer_not_verified")

	reads, err := w.st.CardAudit().Reads(ctx, w.employer.ID)
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, r := range reads {
		roles = append(roles, string(r.ActorRole))
		if r.NeedID != n.ID || r.EmployerID != w.employer.ID || !slices.Equal(r.ProfileIDs, []string{w.seekerID}) ||
			r.RequestID != "req-1" || !r.At.Equal(w.clock.now()) {
			t.Errorf("audit entry %+v, want need %s, employer %s, profiles [%s], the request id and the clock's time", r, n.ID, w.employer.ID, w.seekerID)
		}
	}
	if !slices.Equal(roles, []string{"officer", "employer", "officer"}) {
		t.Errorf("audit entries by %v, want one per request that showed cards: officer, employer, officer", roles)
	}
	byOutcome := map[string]int64{}
	for _, s := range w.cards.Stats() {
		byOutcome[string(s.Role)+"/"+s.Outcome] = s.Reads
	}
	if byOutcome["employer/refused"] != 4 || byOutcome["employer/served"] != 1 || byOutcome["officer/served"] != 2 {
		t.Errorf("stats = %v, want employer refused 4, served 1; officer served 2", byOutcome)
	}
}

// TestCardReadsAreBoundedPerDay: an employer reads one need's candidates
// at most Limits.PerNeed times a day and all its needs' at most
// Limits.PerEmployer times; then 429 until the next UTC day, also for a
// service started afresh over the same store (the counts are stored).
// Officers are not bounded.
func TestCardReadsAreBoundedPerDay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.verify(t, true)
	q := candidate.Query{Limit: 20, Lang: "en"}
	needs := []register.Need{w.need(t), w.need(t), w.need(t), w.need(t), w.need(t)}
	per, all := candidate.DefaultLimits.PerNeed, candidate.DefaultLimits.PerEmployer
	if all/per != 4 {
		t.Fatalf("the test assumes 4 needs' reads fill the employer's day, limits are %+v", candidate.DefaultLimits)
	}
	for i := range per {
		if _, err := w.cards.Cards(ctx, w.member, needs[0].ID, q); err != nil {
			t.Fatalf("read %d of %d: %v", i+1, per, err)
		}
	}
	_, err := w.cards.Cards(ctx, w.member, needs[0].ID, q)
	fe := wantProblem(t, "one read over the need's day", err, failure.TooMany, "card_reads_exceeded")
	if fe.RetryAfter != 14*60*60 { // 10:00 UTC to midnight
		t.Errorf("RetryAfter = %d s, want 50400 (until the next UTC day)", fe.RetryAfter)
	}
	restarted := w.svc.Candidates(w.st, w.tx, w.ix, w.key)
	_, err = restarted.Cards(ctx, w.member, needs[0].ID, q)
	wantProblem(t, "after a restart", err, failure.TooMany, "card_reads_exceeded")
	if _, err := w.cards.Cards(ctx, w.officer, needs[0].ID, q); err != nil {
		t.Errorf("officer over the employer's bound: %v", err)
	}

	w.clock.add(24 * time.Hour) // a new day: the employer's whole day is ahead
	for _, n := range needs[:4] {
		for i := range per {
			if _, err := restarted.Cards(ctx, w.member, n.ID, q); err != nil {
				t.Fatalf("need %s, read %d of %d: %v", n.ID, i+1, per, err)
			}
		}
	}
	_, err = restarted.Cards(ctx, w.member, needs[4].ID, q)
	wantProblem(t, "a fresh need over the employer's day", err, failure.TooMany, "card_reads_exceeded")
	for _, s := range restarted.Stats() {
		if s.Role == auth.RoleEmployer && s.Outcome == candidate.OutcomeLimited && s.Reads != 2 {
			t.Errorf("limited employer reads of the restarted service = %d, want 2", s.Reads)
		}
	}
}

// validEIK is a 9-digit EIK with a correct check digit.
func validEIK() string {
	for n := 121212120; ; n++ {
		if e := strconv.Itoa(n); register.ValidEIK(e) {
			return e
		}
	}
}

// TestCardLabelsFollowTheLanguageAsked: the card's skills are named in
// the language of each request, whichever was asked first (the service
// keeps the labels it looked up).
func TestCardLabelsFollowTheLanguageAsked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var skill string
	for _, h := range w.tx.SuggestSkills("грижа", "bg", 50) {
		if bg, en := w.tx.Label(h.ID, "bg"), w.tx.Label(h.ID, "en"); bg != "" && en != "" && bg != en {
			skill = h.ID
			break
		}
	}
	if skill == "" {
		t.Fatal("no skill with a Bulgarian and an English label to tell the languages apart")
	}
	w.skills[0] = skill // the need asks for it
	_, err := w.svc.Profiles.Put(ctx, auth.Principal{UserID: "u-bilingual", Role: auth.RoleJobseeker}, profile.Profile{
		DisplayName: "Иван Иванов", BirthYear: 1990, Municipality: "Хасково", Lat: 41.93, Lon: 25.55, MaxTravelKm: 40,
		WorkModes: []string{"onsite"}, Skills: []profile.Skill{{ID: skill, Level: 3}}, EducationLevel: 3,
		AvailableFrom: "2026-01-01", Hours: "any", Consent: profile.Consent{Matching: true}})
	if err != nil {
		t.Fatal(err)
	}
	n := w.need(t)
	for _, lang := range []string{"en", "bg", "en", "bg"} {
		ms, err := w.cards.Cards(ctx, w.officer, n.ID, candidate.Query{Limit: 1, Lang: lang})
		if err != nil || len(ms) != 1 || len(ms[0].Card.Skills) != 1 || ms[0].Card.Skills[0].ID != skill {
			t.Fatalf("Cards(%s) = %+v, %v; want the card of the one holding %s", lang, ms, err, skill)
		}
		if got, want := ms[0].Card.Skills[0].Label, w.tx.Label(skill, lang); got != want {
			t.Errorf("label in %s = %q, want %q", lang, got, want)
		}
	}
}
