package web_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/profile"
)

// TestMatchesRaiseSkill: a person holding the required skill of two needs
// a level too low ("on my own" where "well" is wanted) is told, in both
// languages, to raise it to that level, which both needs ask for.
func TestMatchesRaiseSkill(t *testing.T) {
	s := newSite(t)
	n := s.need("Санитар", true)
	s.need("Болногледач", true)
	me := s.seeker("ana@example.bg")
	s.profileFor(me.by, "1998-04-02", n.Skills[0].ID)
	p, err := s.svc.Profiles.Mine(context.Background(), me.by)
	if err != nil {
		t.Fatal(err)
	}
	p.Skills = []profile.Skill{{ID: n.Skills[0].ID, Level: n.Skills[0].Level - 1, Evidence: profile.EvidenceDeclared}}
	if _, err := s.svc.Profiles.Put(context.Background(), me.by, p); err != nil {
		t.Fatal(err)
	}
	skill, _ := tax.Skill(n.Skills[0].ID)
	for lang, want := range map[string]string{
		"en": html.EscapeString(skill.Labels["en"]) + ": raise your level to “well”: 2 opportunities ask for that",
		"bg": html.EscapeString(skill.Labels["bg"]) + ": повишете нивото си до „добре“: 2 възможности искат толкова",
	} {
		if page := me.b.get("/me/matches?lang=" + lang); !strings.Contains(page.Body, want) {
			t.Errorf("/me/matches?lang=%s lacks %q:\n%s", lang, want, page.Body)
		}
	}
}
