package app_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/careget/skillsmatch/pkg/client"
)

// TestCareerDayThroughTheClient drives a Career & Skills Day through the
// Go client against the real server: an officer creates it, a verified
// employer joins with a need, the office invites by fit, the job-seeker
// registers with a wish, the schedule is made, the ticket's QR code is
// checked in, and the employer's continue makes a referral.
func TestCareerDayThroughTheClient(t *testing.T) {
	dir := t.TempDir()
	addStaff(t, dir, "officer", "events@labour.example.bg", "Ivan Officer")
	srv := start(t, dir)
	ctx := t.Context()
	anon := client.New(srv.URL)
	seeker, seekerUser := signUp(t, srv.URL, "jobseeker", "day@example.bg", "Day Seeker")
	boss, _ := signUp(t, srv.URL, "employer", "hr@day.example.bg", "Day Boss")
	officer := signIn(t, srv.URL, "events@labour.example.bg")
	skill1, skill2 := nursingSkills(t, anon)
	emp, err := boss.CreateEmployer(ctx, newEmployer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := officer.VerifyEmployer(ctx, emp.ID, true, "checked"); err != nil {
		t.Fatal(err)
	}
	need, err := boss.CreateNeed(ctx, newNeed(emp.ID, skill1, skill2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeker.PutProfile(ctx, client.ProfileInput{DisplayName: "Day", BirthDate: "1998-04",
		Municipality: "Haskovo", Location: client.GeoPoint{Lat: 41.93, Lon: 25.56}, MaxTravelKm: 30,
		WorkModes: []string{"onsite"}, Skills: []client.SkillLevel{{ID: skill1, Level: 3}, {ID: skill2, Level: 3}},
		EducationLevel: 4, Interests: client.Interests{Kinds: []string{"job"}, Sectors: []string{"care"}},
		AvailableFrom: time.Now().Format(time.DateOnly), Hours: "full_time", Consent: client.Consent{Matching: true}}); err != nil {
		t.Fatal(err)
	}

	day := client.NewEvent{Name: client.Text{BG: "Ден на кариерата", EN: "Career Day"}, Date: time.Now().AddDate(0, 0, 3).Format(time.DateOnly),
		Starts: "10:00", Ends: "12:00", Municipality: "Haskovo", Location: "Town hall", Capacity: 20, InterviewMinutes: 10, Slots: 6}
	_, err = boss.CreateEvent(ctx, day)
	wantStatus(t, "employer CreateEvent()", err, http.StatusForbidden)
	ev, err := officer.CreateEvent(ctx, day)
	if err != nil {
		t.Fatalf("CreateEvent() = %v", err)
	}
	if list, err := anon.Events(ctx); err != nil || len(list) != 1 || list[0].ID != ev.ID {
		t.Fatalf("Events() = %+v, %v, want the new event", list, err)
	}
	if _, err := boss.JoinEvent(ctx, ev.ID, emp.ID, []string{need.ID}, 2); err != nil {
		t.Fatalf("JoinEvent() = %v", err)
	}
	sugg, err := officer.SuggestedInvitations(ctx, ev.ID, 10)
	if err != nil || len(sugg) != 1 || sugg[0].ProfileID != seekerUser.ID || sugg[0].NeedID != need.ID {
		t.Fatalf("SuggestedInvitations() = %+v, %v, want the job-seeker for the need", sugg, err)
	}
	if e, err := officer.Invite(ctx, ev.ID, []string{seekerUser.ID}); err != nil || len(e.Invitations) != 1 {
		t.Fatalf("Invite() = %+v, %v", e, err)
	}
	mine, err := seeker.RegisterForEvent(ctx, ev.ID, client.Enrolment{Wishes: []string{emp.ID}})
	if err != nil || len(mine.Registrations) != 1 || mine.Registrations[0].Ticket == "" {
		t.Fatalf("RegisterForEvent() = %+v, %v, want the own registration with a ticket", mine, err)
	}
	sc, err := officer.MakeSchedule(ctx, ev.ID)
	if err != nil || len(sc.Interviews) != 1 || sc.Interviews[0].ProfileID != seekerUser.ID {
		t.Fatalf("MakeSchedule() = %+v, %v, want the job-seeker's one interview", sc, err)
	}
	if own, err := seeker.Schedule(ctx, ev.ID); err != nil || len(own.Interviews) != 1 {
		t.Fatalf("job-seeker Schedule() = %+v, %v", own, err)
	}
	png, err := seeker.EventTicket(ctx, ev.ID)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("EventTicket() = %d bytes, %v, want a PNG", len(png), err)
	}
	if in, err := officer.CheckIn(ctx, ev.ID, mine.Registrations[0].Ticket); err != nil || in.Registration.CheckedInAt == nil {
		t.Fatalf("CheckIn() = %+v, %v", in, err)
	}
	iv, err := boss.InterviewOutcome(ctx, ev.ID, sc.Interviews[0].N, "continue")
	if err != nil || iv.MatchID == "" {
		t.Fatalf("InterviewOutcome(continue) = %+v, %v, want a match", iv, err)
	}
}
