package profile_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// TestReadFullDecidesWhoMayRead: the one use case behind reading a full
// profile, on the real store with a fixed clock and the real match
// workflow deciding the employer's access. It decides the entitlement
// itself (an adapter can no longer pass "entitled"), names the reader and
// their organisation from their account and the employer, and sets the
// purpose: an officer's given one (anything unknown is case_review), an
// employer's always referral.
func TestReadFullDecidesWhoMayRead(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	matches := match.NewService(st.Matches(), nil, st.Employers(), st.Profiles(), c.Now)
	svc := profile.NewService(st.Profiles(), st.Audit(), st.Users(), catalog{}, profile.Erasure{}, matches, c.Now)

	staff := auth.Principal{UserID: "u-officer", Role: auth.RoleOfficer}
	member := auth.Principal{UserID: "u-member", Role: auth.RoleEmployer}
	outsider := auth.Principal{UserID: "u-outsider", Role: auth.RoleEmployer}
	for _, u := range []auth.User{{ID: staff.UserID, Email: "o@x.bg", Role: auth.RoleOfficer, Name: "Officer Ivanova"},
		{ID: member.UserID, Email: "m@x.bg", Role: auth.RoleEmployer, Name: "Member Petrov"},
		{ID: outsider.UserID, Email: "x@x.bg", Role: auth.RoleEmployer, Name: "Outsider"}} {
		if err := st.Users().InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	emp := register.Employer{ID: "e1", Name: "Clinic Haskovo", EIK: "121212121", Verified: true, Members: []string{member.UserID}}
	if err := st.Employers().InsertEmployer(ctx, emp); err != nil {
		t.Fatal(err)
	}
	person := profile.Profile{ID: "p1", DisplayName: "Zlatka", BirthDate: "1990-05", Phone: "+359888000000"}
	if _, err := st.Profiles().InsertProfile(ctx, person); err != nil {
		t.Fatal(err)
	}
	need := register.Need{ID: "n1", EmployerID: emp.ID, Kind: register.KindJob, StartDate: "2027-01-15", Status: register.StatusOpen}
	m, err := matches.Propose(ctx, staff, need, person, "r1")
	if err != nil {
		t.Fatal(err)
	}

	read := func(by auth.Principal, purpose string) (profile.Profile, error) {
		return svc.ReadFull(ctx, by, "p1", profile.Asked{Purpose: purpose, RequestID: "req-" + by.UserID})
	}
	refused := func(what string, by auth.Principal) {
		t.Helper()
		if _, err := read(by, "support"); !failure.Is(err, failure.NotFound) {
			t.Fatalf("%s: err = %v, want NotFound", what, err)
		}
	}
	lastView := func(n int) profile.View {
		t.Helper()
		views, err := st.Audit().Views(ctx, "p1")
		if err != nil || len(views) != n {
			t.Fatalf("audit = %+v, %v; want %d entries", views, err, n)
		}
		return views[n-1]
	}

	refused("an employer before the referral", member)
	refused("a job-seeker", auth.Principal{UserID: "p2", Role: auth.RoleJobseeker})
	if views, _ := st.Audit().Views(ctx, "p1"); len(views) != 0 {
		t.Fatalf("refused reads were audited: %+v", views)
	}

	// An officer reads with the purpose they give; an unknown one is case_review.
	if got, err := read(staff, "bogus"); err != nil || got.Phone != person.Phone {
		t.Fatalf("officer read = %+v, %v", got, err)
	}
	want := profile.View{SubjectID: "p1", ActorID: staff.UserID, ActorName: "Officer Ivanova", ActorRole: auth.RoleOfficer,
		Organisation: profile.LabourOffice, Purpose: profile.PurposeCaseReview, At: c.Now(), RequestID: "req-u-officer"}
	if v := lastView(1); !sameView(v, want) {
		t.Fatalf("officer's audit entry = %+v\nwant %+v", v, want)
	}
	if _, err := read(staff, profile.PurposePathway); err != nil {
		t.Fatal(err)
	}
	if v := lastView(2); v.Purpose != profile.PurposePathway {
		t.Fatalf("officer's purpose = %q, want pathway", v.Purpose)
	}

	// Referred: the member may read, for the referral whatever they ask, in
	// the employer's name; a non-member of the employer may not.
	if _, err := matches.Transition(ctx, staff, m.ID, match.Referred, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := read(member, "support"); err != nil {
		t.Fatalf("member after the referral: %v", err)
	}
	want = profile.View{SubjectID: "p1", ActorID: member.UserID, ActorName: "Member Petrov", ActorRole: auth.RoleEmployer,
		Organisation: "Clinic Haskovo", EmployerID: "e1", Purpose: profile.PurposeReferral, At: c.Now(), RequestID: "req-u-member"}
	if v := lastView(3); !sameView(v, want) {
		t.Fatalf("employer's audit entry = %+v\nwant %+v", v, want)
	}
	refused("an employer the person was not referred to", outsider)

	// A rejection ends the access at once.
	c.Set(c.Now().Add(time.Hour))
	if _, err := matches.Transition(ctx, staff, m.ID, match.Rejected, "", "skills"); err != nil {
		t.Fatal(err)
	}
	refused("the employer after the rejection", member)
	lastView(3)
}

// sameView compares audit entries but for their store-given id.
func sameView(got, want profile.View) bool {
	same := got.At.Equal(want.At)
	got.ID, got.At = want.ID, want.At
	return same && got == want
}

// TestGuardianConsentNamesTheOfficer: recording a guardian's consent is
// audited in the officer's own name, as of the labour office, with the
// request's id; the adapter passes only who asked.
func TestGuardianConsentNamesTheOfficer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.st.Users().InsertUser(ctx, auth.User{ID: officer.UserID, Email: "o@x.bg", Role: auth.RoleOfficer, Name: "Officer Ivanova"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Put(ctx, seeker("kid"), person("2012-06")); err != nil {
		t.Fatal(err)
	}
	g := profile.GuardianConsent{Name: "Elena Petrova", Relation: profile.GuardianParent, GivenOn: "2026-05-13"}
	if _, err := e.svc.RecordGuardianConsent(ctx, officer, "kid", g, "req-7"); err != nil {
		t.Fatal(err)
	}
	views, err := e.st.Audit().Views(ctx, "kid")
	if err != nil || len(views) != 1 {
		t.Fatalf("audit = %+v, %v", views, err)
	}
	v := views[0]
	if v.ActorName != "Officer Ivanova" || v.Organisation != profile.LabourOffice || v.RequestID != "req-7" ||
		v.Purpose != profile.PurposeGuardianConsent || !v.At.Equal(today) {
		t.Fatalf("audit entry = %+v; want the officer's name, the labour office, req-7, guardian_consent, %v", v, today)
	}
}
