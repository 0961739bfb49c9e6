package web_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/round"
)

// roundCast is what a round journey starts from, seeded through the
// services: three internships of one verified employer (one position
// each) and four job-seekers with profiles, who will rank them.
type roundCast struct {
	needs  []register.Need  // A, B, C
	people []auth.Principal // P1..P4
	names  []string         // their display names
	tag    string           // makes this cast's titles and e-mails unique
}

func (s *site) roundCast(tag string) roundCast {
	s.t.Helper()
	ctx := context.Background()
	skills := skillIDs(s.t, 2)
	req := []register.SkillRequirement{{ID: skills[0], Level: 1, Required: true}, {ID: skills[1], Level: 1, Required: true}}
	c := roundCast{tag: tag}
	kind, positions := register.KindInternship, 1
	by := auth.Principal{UserID: "officer", Role: auth.RoleOfficer}
	for _, title := range []string{"A", "B", "C"} {
		n := s.needWith("Стаж "+tag+" "+title, req) // a job of a new, verified employer: made an internship
		n, err := s.svc.Register.UpdateNeed(ctx, by, n.ID, register.NeedPatch{Kind: &kind, Positions: &positions})
		if err != nil {
			s.t.Fatal(err)
		}
		c.needs = append(c.needs, n)
	}
	for i, name := range []string{"Ана Петрова", "Борис Иванов", "Вера Димова", "Георги Колев"} {
		email := fmt.Sprintf("round-%s-%d@example.bg", tag, i)
		u, err := s.svc.Auth.Register(ctx, auth.NewAccount{Email: email, Password: password, Name: name, Role: auth.RoleJobseeker})
		if err != nil {
			s.t.Fatal(err)
		}
		p := auth.Principal{UserID: u.ID, Role: auth.RoleJobseeker}
		pr := profile.Profile{ID: u.ID, DisplayName: name, BirthDate: "1998-04-02", Municipality: "Хасково",
			Lat: 41.94, Lon: 25.56, MaxTravelKm: 30, WorkModes: []string{"onsite"}, Hours: "full_time",
			AvailableFrom: "2029-01-01", Languages: []profile.Language{{Code: "bg", Level: "C2"}},
			Consent: profile.Consent{Matching: true},
			Skills:  []profile.Skill{{ID: skills[0], Level: 3, Evidence: profile.EvidenceDeclared}, {ID: skills[1], Level: 3, Evidence: profile.EvidenceDeclared}}}
		if _, err := s.svc.Profiles.Put(ctx, p, pr); err != nil {
			s.t.Fatal(err)
		}
		c.people, c.names = append(c.people, p), append(c.names, name)
	}
	return c
}

// rank records the cast's preferences in the round, through the service
// as each person's own PUT would: P1 and P3 want A only, P2 wants A then
// B, P4 wants C.
func (s *site) rank(c roundCast, roundID string) {
	s.t.Helper()
	a, b, cc := c.needs[0].ID, c.needs[1].ID, c.needs[2].ID
	for i, prefs := range [][]string{{a}, {a, b}, {a}, {cc}} {
		if _, err := s.svc.Rounds.SetPreferences(context.Background(), c.people[i], roundID, prefs); err != nil {
			s.t.Fatal(err)
		}
	}
}

// officer makes an officer's account and signs in a new Chromium tab as
// them in lang.
func (s *site) officerTab(t *testing.T, email, lang string, vp browsertest.Viewport) *browsertest.Page {
	t.Helper()
	if _, err := s.svc.Auth.CreateStaff(context.Background(), auth.NewAccount{Email: email, Password: password, Name: "Мария Стоянова",
		Role: auth.RoleOfficer}); err != nil {
		t.Fatal(err)
	}
	p := newVisitor(t, browsertest.Options{Viewport: vp})
	p.Navigate(s.srv.URL + "/login?lang=" + lang)
	typeAt(t, p, "#email", email)
	typeAt(t, p, "#password", password)
	submitAt(t, p, `form[action="/login"] button[type=submit]`)
	return p
}

// TestRoundJourney is issue 11's "an officer runs, adjusts and publishes
// a round", in Chromium, in both languages at 360 and 1280 px: the officer
// opens a round over three internships (after a refused empty form), the
// job-seekers rank, the officer reads the names, runs, pins P3 to B and
// forbids P4 from C (each a re-run), sees who got no place and why, and
// publishes; the proposed matches are in the match service. Every page
// state is scanned by axe-core (zero violations, WCAG 2.1 A/AA and best
// practice), nothing scrolls sideways at 360 px, and is photographed.
func TestRoundJourney(t *testing.T) {
	s := newSite(t)
	w := map[string]map[string]string{
		"bg": {"rounds": "Кръгове за разпределяне", "forbidden": "забранили сте всяко подредено от него място", "published": "Публикуван"},
		"en": {"rounds": "Placement rounds", "forbidden": "you forbade every place they ranked", "published": "Published"},
	}
	n := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				n++
				c := s.roundCast(fmt.Sprintf("%s%d", lang, n))
				p := s.officerTab(t, fmt.Sprintf("officer%d@example.bg", n), lang, vp)
				scan := func(name string) {
					t.Helper()
					if l := htmlLang(t, p); l != lang {
						t.Errorf("%s is in %q, want %q", name, l, lang)
					}
					p.Screenshot("round-" + name + "-" + lang)
					if wide := overflow(t, p); wide != "" {
						t.Errorf("%s (%s, %s px) scrolls sideways: %s", name, lang, vp.Name, wide)
					}
					if vs := p.Axe("best-practice"); len(vs) > 0 {
						t.Errorf("%s (%s, %s px), best practice: %s", name, lang, vp.Name, vs)
					}
					if vs := p.Axe(); len(vs) > 0 {
						t.Errorf("%s (%s, %s px): %s", name, lang, vp.Name, vs)
					}
				}

				p.Navigate(s.srv.URL + "/office/rounds")
				expectH1(t, p, w[lang]["rounds"])
				scan("list")
				p.Navigate(s.srv.URL + "/office/rounds/new?programme=internship&q=" + c.tag)
				for _, nd := range c.needs {
					if !p.Has("#need-" + nd.ID) {
						t.Fatalf("the new round's form does not offer %s", nd.Title)
					}
				}
				scan("new")
				submitAt(t, p, `form[action="/office/rounds"] button[type=submit]`)
				if !p.Has(".error-summary") || !p.Has("#name-error") || !p.Has("#needs-error") || !p.Has("#closesAt-error") {
					t.Error("the empty new round shows no errors on name, places and date")
				}
				scan("new-errors")
				typeAt(t, p, "#name", "Стажове "+c.tag)
				setValue(t, p, "#closesAt", s.clock.Now().AddDate(0, 0, 7).Format("2006-01-02"))
				for _, nd := range c.needs {
					tick(t, p, "#need-"+nd.ID, "")
				}
				submitAt(t, p, `form[action="/office/rounds"] button[type=submit]`)
				id := strings.TrimPrefix(strings.SplitN(p.URL(), "?", 2)[0], s.srv.URL+"/office/rounds/")
				r, err := s.svc.Rounds.Get(context.Background(), auth.Principal{UserID: "x", Role: auth.RoleOfficer}, id)
				if err != nil || len(r.NeedIDs) != 3 || r.Programme != round.ProgrammeInternship {
					t.Fatalf("after creating, at %s: round %+v, %v", p.URL(), r, err)
				}
				scan("board-new")

				s.rank(c, id)
				p.Navigate(s.srv.URL + "/office/rounds/" + id)
				if strings.Contains(p.Text("main"), c.names[0]) {
					t.Error("the board shows names before the officer asked for them")
				}
				if n := s.roundReads(c.people[0]); n != 0 {
					t.Errorf("the board without names logged %d reads of a name", n)
				}
				p.Navigate(s.srv.URL + "/office/rounds/" + id + "?names=1")
				wantText(t, p, "#prefs", c.names...)
				if n := s.roundReads(c.people[0]); n != 1 {
					t.Errorf("showing the names logged %d reads in the person's log, want 1 for placement_round", n)
				}
				scan("board-ranked")
				submitAt(t, p, "#run")
				wantText(t, p, "#placed", c.needs[0].Title)
				if !p.Has("#blocking") {
					t.Error("the run's result does not say how many pairs would swap")
				}
				scan("board-run")

				// Pin P3 to B, forbid P4 from C: each runs the round again.
				setValue(t, p, "#pair-person", c.people[2].UserID)
				setValue(t, p, "#pair-need", c.needs[1].ID)
				submitAt(t, p, "#pin")
				setValue(t, p, "#pair-person", c.people[3].UserID)
				setValue(t, p, "#pair-need", c.needs[2].ID)
				submitAt(t, p, "#forbid")
				wantText(t, p, "#pairs", c.names[2], c.names[3])
				wantText(t, p, "#unassigned", c.names[3], w[lang]["forbidden"])
				scan("board-adjusted")

				// A refused change is said on the board: pinning a second
				// person to B, whose one position the pin holds.
				setValue(t, p, "#pair-person", c.people[0].UserID)
				setValue(t, p, "#pair-need", c.needs[1].ID)
				submitAt(t, p, "#pin")
				if !p.Has(".error-summary") || !p.Has("#pair-need-error") {
					t.Error("pinning past the place's positions shows no error")
				}
				if got := eval[string](t, p, `document.querySelector("#pair-need").value`); got != c.needs[1].ID {
					t.Errorf("after the refused pin the place chosen is %s, want B (%s) still", got, c.needs[1].ID)
				}
				scan("board-error")

				p.Navigate(s.srv.URL + "/office/rounds/" + id + "?names=1")
				submitAt(t, p, "#publish")
				wantText(t, p, "#round-state", w[lang]["published"])
				if p.Has("#run") || p.Has("#publish") {
					t.Error("a published round still offers to run or publish")
				}
				scan("board-published")

				r, _ = s.svc.Rounds.Get(context.Background(), auth.Principal{UserID: "x", Role: auth.RoleOfficer}, id)
				var got []string
				for _, m := range s.svc.Matches.All() {
					if m.RoundID == id {
						got = append(got, m.ProfileID+">"+m.NeedID)
					}
				}
				if !slices.Contains(got, c.people[2].UserID+">"+c.needs[1].ID) || len(got) != placedIn(r) || len(got) < 2 {
					t.Errorf("proposed matches of the round = %v, want P3 at B among the %d placed", got, placedIn(r))
				}
				for _, g := range got {
					if strings.HasPrefix(g, c.people[3].UserID) {
						t.Errorf("the forbidden P4 got a match: %s", g)
					}
				}
			})
		}
	}
}

// roundReads counts the reads of the person's full profile logged for a
// placement round, as the person's own export shows them.
func (s *site) roundReads(who auth.Principal) int {
	s.t.Helper()
	x, err := s.svc.Profiles.Export(context.Background(), who)
	if err != nil {
		s.t.Fatal(err)
	}
	n := 0
	for _, v := range x.Views {
		if v.Purpose == profile.PurposePlacementRound {
			n++
		}
	}
	return n
}

func placedIn(r round.Round) int {
	n := 0
	if r.LastRun != nil {
		for _, a := range r.LastRun.Assignments {
			n += len(a.Candidates) + len(a.Pinned)
		}
	}
	return n
}

// expectH1 fails unless the page's heading reads h1.
func expectH1(t *testing.T, p *browsertest.Page, h1 string) {
	t.Helper()
	if got := p.Text("h1"); got != h1 {
		t.Errorf("h1 at %s = %q, want %q", p.URL(), got, h1)
	}
}
