package app

import (
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/taxonomy"
)

// make demo prints these two accounts: they must exist in the data, have
// the right role, and the employer must be verified (an unverified one
// cannot post needs, which would make a poor first visit).
func TestDemoAccountsAreAJobseekerAndAVerifiedEmployer(t *testing.T) {
	tx, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	data := demo.Generate(tx, demo.Config{Profiles: 40, Needs: 60, Seed: 1})
	seeker, employer := demoAccounts(data)
	users := map[string]auth.User{}
	for _, u := range data.Users {
		users[u.Email] = u
	}
	if u, ok := users[seeker]; !ok || u.Role != auth.RoleJobseeker {
		t.Errorf("job-seeker account %q: %+v", seeker, u)
	}
	u, ok := users[employer]
	if !ok || u.Role != auth.RoleEmployer || len(u.EmployerIDs) == 0 {
		t.Fatalf("employer account %q: %+v", employer, u)
	}
	for _, e := range data.Employers {
		if e.ID == u.EmployerIDs[0] && !e.Verified {
			t.Errorf("employer account %s belongs to unverified %s", employer, e.Name)
		}
	}
	// An employer that is not verified must never be offered.
	for i := range data.Employers {
		data.Employers[i].Verified = false
	}
	if _, employer := demoAccounts(data); employer != "" {
		t.Errorf("offered %s although no employer is verified", employer)
	}
}
