package opportunity_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

const nursingPrinciples = "8b3aefd2-5021-418f-b069-828fb7abc598" // an ESCO skill

type anySkill struct{}

func (anySkill) KnownSkill(string) bool { return true }

// TestForMeRanksTodaysMatchableNeeds: on the real store and search index,
// with a fixed clock, the job-seeker's matches are the needs open on the
// clock's day (not the machine's), of the kinds a person is matched to:
// never a forecast; an unmatched kind is a field error, and only a
// job-seeker with a profile has matches.
func TestForMeRanksTodaysMatchableNeeds(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
	if err := st.Employers().InsertEmployer(ctx, register.Employer{ID: "e1", Name: "Clinic", EIK: "121212121", Verified: true}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []struct{ id, kind, applyBy string }{
		{"job", register.KindJob, "2026-06-30"},
		{"internship", register.KindInternship, "2026-06-01"}, // the last day is today
		{"forecast", register.KindForecast, "2026-06-30"},
		{"expired", register.KindJob, "2026-05-31"},
	} {
		need := register.Need{ID: n.id, EmployerID: "e1", Kind: n.kind, Title: "Nurse", Description: "Care work.",
			Location: register.Location{Municipality: "Haskovo", Lat: 41.9344, Lon: 25.5556}, WorkMode: "onsite", Positions: 1,
			Hours: "full_time", StartDate: "2026-09-01", ApplyBy: n.applyBy, Status: register.StatusOpen,
			Skills: []register.SkillRequirement{{ID: nursingPrinciples, Level: 2, Required: true}}}
		if _, err := st.Needs().InsertNeed(ctx, need); err != nil {
			t.Fatal(err)
		}
	}
	person := profile.Profile{ID: "u1", DisplayName: "Zlatka", BirthDate: "1990-05", BirthYear: 1990, Municipality: "Haskovo",
		Lat: 41.9344, Lon: 25.5556, MaxTravelKm: 30, WorkModes: []string{"onsite"}, EducationLevel: 3, Hours: "any",
		Skills:  []profile.Skill{{ID: nursingPrinciples, Level: 3, Evidence: profile.EvidenceDeclared}},
		Consent: profile.Consent{Matching: true, UpdatedAt: now()}}
	if _, err := st.Profiles().InsertProfile(ctx, person); err != nil {
		t.Fatal(err)
	}
	tx, err := taxonomy.Load()
	if err != nil {
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
	profiles := profile.NewService(ix.Register().FollowProfiles(st.Profiles()), st.Audit(), st.Users(), anySkill{}, profile.Erasure{}, nil, now)
	svc := opportunity.NewService(profiles, ix, now)
	me := auth.Principal{UserID: "u1", Role: auth.RoleJobseeker}

	ids := func(q opportunity.Query) []string {
		t.Helper()
		ms, err := svc.ForMe(ctx, me, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms.Items {
			if m.Score <= 0 || len(m.Explanation.MatchedSkills) == 0 {
				t.Errorf("%s: score %v, explanation %+v", m.Need.ID, m.Score, m.Explanation)
			}
			out = append(out, m.Need.ID)
		}
		slices.Sort(out)
		return out
	}
	if got := ids(opportunity.Query{Lang: "en"}); !slices.Equal(got, []string{"internship", "job"}) {
		t.Errorf("matches = %v, want [internship job]: open today, no forecast", got)
	}
	if got := ids(opportunity.Query{Kind: register.KindInternship, Limit: 5}); !slices.Equal(got, []string{"internship"}) {
		t.Errorf("internships = %v, want [internship]", got)
	}
	for _, kind := range []string{register.KindForecast, "gig"} {
		_, err := svc.ForMe(ctx, me, opportunity.Query{Kind: kind})
		if e, ok := failure.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "kind" || e.Fields[0].Code != "oneof" {
			t.Errorf("kind %s: err = %v, want a field error on kind", kind, err)
		}
	}
	if _, err := svc.ForMe(ctx, auth.Principal{UserID: "e", Role: auth.RoleEmployer}, opportunity.Query{}); !failure.Is(err, failure.Forbidden) {
		t.Errorf("an employer: %v, want Forbidden", err)
	}
	if _, err := svc.ForMe(ctx, auth.Principal{UserID: "u2", Role: auth.RoleJobseeker}, opportunity.Query{}); !failure.Is(err, failure.NotFound) {
		t.Errorf("no profile: %v, want NotFound", err)
	}
}
