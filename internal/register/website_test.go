package register_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// hostile are website values that would run script, open a local file or
// disguise their target in the browser of whoever follows the link.
var hostile = []string{
	"javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)", "java\tscript:alert(1)",
	"data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "vbscript:msgbox(1)",
	"//evil.example/", "evil.example", "https://", "https://bank.bg@evil.example/", "https://user:pw@clinic.bg",
	"ftp://clinic.bg", "https://clinic.bg/\x00", "https://clinic.bg/a b", "https://clinic.bg/" + strings.Repeat("a", 300),
}

func TestValidWebsite(t *testing.T) {
	for _, ok := range []string{"", "https://clinic.bg", "http://clinic.bg/careers?x=1#top", "HTTPS://Clinic.bg:8443/", "https://мбал-хасково.бг/"} {
		if !register.ValidWebsite(ok) {
			t.Errorf("ValidWebsite(%q) = false, want true", ok)
		}
	}
	for _, bad := range hostile {
		if register.ValidWebsite(bad) {
			t.Errorf("ValidWebsite(%q) = true, want false", bad)
		}
	}
}

// The rule is the register's, so any client of the service (the API, a
// web UI) is held to it.
func TestServiceRefusesHostileWebsites(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	svc := register.NewService(st.Employers(), st.Needs(), st.Users(), nil, func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) })
	owner := register.Caller{UserID: "u1", Role: auth.RoleEmployer}
	if err := st.Users().InsertUser(ctx, auth.User{ID: "u1", Email: "owner@example.bg", Role: auth.RoleEmployer, Name: "Owner"}); err != nil {
		t.Fatal(err)
	}
	e, err := svc.CreateEmployer(ctx, owner, register.Employer{Name: "Clinic", EIK: "000695235", Website: "https://clinic.bg"})
	if err != nil {
		t.Fatalf("CreateEmployer with an https website: %v", err)
	}
	for _, bad := range hostile {
		if _, err := svc.CreateEmployer(ctx, owner, register.Employer{Name: "Clinic", EIK: "121212121", Website: bad}); !isWebsiteError(err) {
			t.Errorf("CreateEmployer with website %q: err = %v, want a website field error", bad, err)
		}
		if _, err := svc.UpdateEmployer(ctx, owner, e.ID, register.EmployerPatch{Website: &bad}); !isWebsiteError(err) {
			t.Errorf("UpdateEmployer with website %q: err = %v, want a website field error", bad, err)
		}
	}
	got, err := svc.Employer(ctx, owner, e.ID)
	if err != nil || got.Website != "https://clinic.bg" {
		t.Errorf("website after refused updates = %q (%v), want https://clinic.bg", got.Website, err)
	}
}

func isWebsiteError(err error) bool {
	fe, ok := failure.As(err)
	if !ok {
		return false
	}
	for _, f := range fe.Fields {
		if f.Field == "website" {
			return true
		}
	}
	return false
}
