package insight

import (
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
)

// The real taxonomy is what the caller passes.
var _ Labels = (*taxonomy.Taxonomy)(nil)

// sofia is a fixed +03:00 zone (summer time in Haskovo), so the tests need
// no time zone database.
var sofia = time.FixedZone("EEST", 3*3600)

func at(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, sofia)
}

// fakeLabels is a two-language taxonomy of four skills in two groups.
type fakeLabels map[string][2]string

func (f fakeLabels) Label(id, lang string) string {
	l, ok := f[id]
	if !ok {
		return ""
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

func (fakeLabels) GroupOf(skillID string) string {
	switch skillID {
	case "s.nurse", "s.care":
		return "g.health"
	case "s.excel":
		return "g.digital"
	}
	return "" // s.driving has no group
}

var labels = fakeLabels{
	"s.nurse":   {"Сестрински грижи", "Nursing"},
	"s.care":    {"Грижа за възрастни", "Elderly care"},
	"s.excel":   {"Електронни таблици", "Spreadsheets"},
	"s.driving": {"Шофиране", "Driving"},
	"g.health":  {"Здравеопазване", "Health"},
	"g.digital": {"Цифрови умения", "Digital"},
	"occ.nurse": {"Медицинска сестра", "Nurse"},
	"occ.carer": {"Болногледач", "Carer"},
}

func req(id string, level int, required bool) register.SkillRequirement {
	return register.SkillRequirement{ID: id, Level: level, Required: required}
}

func skill(id string, level int) profile.Skill { return profile.Skill{ID: id, Level: level} }

func ev(to match.State, t time.Time, reason string) match.Event {
	return match.Event{To: to, At: t, Reason: reason}
}

// fixture is a small city whose every figure is worked out by hand in the
// comments. Today is 15 May 2026; the indicator period is April 2026.
func fixture() Snapshot {
	referred := func(t time.Time) *time.Time { return &t }
	return Snapshot{
		Today:  at(2026, 5, 15, 10, 0, 0),
		Labels: labels,
		Employers: []register.Employer{
			{ID: "e1", Name: "МБАЛ Хасково", Sector: "healthcare", Verified: true, CreatedAt: at(2026, 3, 10, 9, 0, 0),
				Verification: &register.Verification{Verified: true, At: at(2026, 4, 2, 9, 0, 0)}},
			{ID: "e2", Name: "Digital Ltd", Sector: "digital", Verified: true, CreatedAt: at(2025, 12, 1, 9, 0, 0),
				Verification: &register.Verification{Verified: true, At: at(2026, 1, 10, 9, 0, 0)}},
			{ID: "e3", Name: "Unverified", Sector: "healthcare", CreatedAt: at(2026, 4, 20, 9, 0, 0)},
		},
		Needs: []register.Need{
			// Counted: open, verified, apply-by ahead.
			{ID: "n1", EmployerID: "e1", Kind: "job", Title: "Медицинска сестра, вътрешно отделение", Occupation: "occ.nurse",
				Sector: "healthcare", Positions: 3, Status: "open", ApplyBy: "2026-06-01", CreatedAt: at(2026, 4, 5, 9, 0, 0),
				Skills: []register.SkillRequirement{req("s.nurse", 2, true), req("s.care", 1, false)}},
			// Counted: no positions stated (one); care listed twice: level 3 counts.
			{ID: "n2", EmployerID: "e1", Kind: "internship", Title: "Стаж, болногледач", Occupation: "occ.carer",
				Sector: "healthcare", Status: "open", CreatedAt: at(2026, 4, 30, 23, 59, 59),
				Skills: []register.SkillRequirement{req("s.care", 3, true), req("s.care", 2, false)}},
			// Counted: a forecast past its apply-by date still counts; no occupation.
			{ID: "n3", EmployerID: "e2", Kind: "forecast", Title: "ИТ в здравеопазването", Sector: "digital", Positions: 5,
				Status: "open", ApplyBy: "2026-01-01", CreatedAt: at(2026, 5, 1, 0, 0, 0),
				Skills: []register.SkillRequirement{req("s.excel", 2, false), req("s.nurse", 3, false)}},
			// Not counted: closed.
			{ID: "n4", EmployerID: "e1", Kind: "job", Title: "Closed", Sector: "healthcare", Positions: 2, Status: "closed",
				CreatedAt: at(2026, 4, 10, 9, 0, 0), Skills: []register.SkillRequirement{req("s.nurse", 1, true)}},
			// Not counted: employer not verified.
			{ID: "n5", EmployerID: "e3", Kind: "job", Title: "Unverified", Sector: "healthcare", Positions: 4, Status: "open",
				CreatedAt: at(2026, 4, 12, 9, 0, 0), Skills: []register.SkillRequirement{req("s.excel", 1, true)}},
			// Not counted: apply-by passed yesterday.
			{ID: "n6", EmployerID: "e1", Kind: "job", Title: "Expired", Sector: "healthcare", Positions: 2, Status: "open",
				ApplyBy: "2026-05-14", CreatedAt: at(2026, 3, 31, 23, 59, 59), Skills: []register.SkillRequirement{req("s.driving", 1, true)}},
			// Not counted: draft.
			{ID: "n7", EmployerID: "e1", Kind: "job", Title: "Draft", Sector: "healthcare", Positions: 9, Status: "draft",
				CreatedAt: at(2026, 4, 11, 9, 0, 0), Skills: []register.SkillRequirement{req("s.driving", 1, true)}},
			// Not counted: a closed forecast.
			{ID: "n8", EmployerID: "e2", Kind: "forecast", Title: "Closed forecast", Sector: "digital", Positions: 7,
				Status: "closed", CreatedAt: at(2026, 4, 20, 9, 0, 0), Skills: []register.SkillRequirement{req("s.excel", 1, true)}},
			// Not counted: a forecast of an unverified employer.
			{ID: "n10", EmployerID: "e3", Kind: "forecast", Title: "Unverified forecast", Sector: "healthcare", Positions: 6,
				Status: "open", CreatedAt: at(2026, 4, 22, 9, 0, 0), Skills: []register.SkillRequirement{req("s.care", 1, true)}},
			// Counted: no sector (its employer's: digital); driving preferred only.
			{ID: "n9", EmployerID: "e2", Kind: "job", Title: "=HYPERLINK(\"http://x\")", Positions: 1, Status: "open",
				CreatedAt: at(2026, 4, 1, 0, 0, 0), Skills: []register.SkillRequirement{req("s.driving", 2, false)}},
		},
		Profiles: []profile.Profile{
			{ID: "p1", DisplayName: "Мария Иванова", Phone: "+359888111111", BirthYear: 2000, Consent: profile.Consent{Matching: true},
				CreatedAt: at(2026, 4, 3, 9, 0, 0), Skills: []profile.Skill{skill("s.nurse", 2), skill("s.care", 3)}},
			{ID: "p2", DisplayName: "Георги Петров", Phone: "+359888222222", BirthYear: 1996, Consent: profile.Consent{Matching: true},
				CreatedAt: at(2026, 4, 15, 9, 0, 0), Skills: []profile.Skill{skill("s.nurse", 1), skill("s.care", 1), skill("s.excel", 4)}},
			{ID: "p3", DisplayName: "No Consent", BirthYear: 2005, CreatedAt: at(2026, 4, 20, 9, 0, 0),
				Skills: []profile.Skill{skill("s.nurse", 4), skill("s.excel", 4), skill("s.driving", 4)}},
			{ID: "p4", BirthYear: 2011, Consent: profile.Consent{Matching: true}, CreatedAt: at(2026, 5, 2, 9, 0, 0),
				Skills: []profile.Skill{skill("s.nurse", 3), skill("s.nurse", 1), skill("s.driving", 2)}},
			{ID: "p5", Consent: profile.Consent{Matching: true}, CreatedAt: at(2026, 4, 30, 9, 0, 0),
				Skills: []profile.Skill{skill("s.care", 3)}},
			{ID: "p6", BirthYear: 2010, Consent: profile.Consent{Matching: true}, CreatedAt: at(2026, 4, 1, 0, 0, 0),
				Skills: []profile.Skill{skill("s.excel", 1)}},
			{ID: "p7", BirthYear: 1990, CreatedAt: at(2026, 4, 7, 9, 0, 0)},
			{ID: "p8", BirthYear: 2011, Consent: profile.Consent{Matching: true}, CreatedAt: at(2026, 4, 8, 9, 0, 0),
				Skills: []profile.Skill{skill("s.care", 1)}},
		},
		Matches: []match.Match{
			{ID: "m1", NeedID: "n1", ProfileID: "p1", EmployerID: "e1", Programme: "job", Origin: "application", State: match.Placed,
				AgeGroup: "25-29", ReferredAt: referred(at(2026, 4, 3, 9, 0, 0)),
				CreatedAt: at(2026, 4, 2, 9, 0, 0), History: []match.Event{
					ev(match.Applied, at(2026, 4, 2, 9, 0, 0), ""), ev(match.Referred, at(2026, 4, 3, 9, 0, 0), ""),
					ev(match.Interview, at(2026, 4, 10, 9, 0, 0), ""), ev(match.Offered, at(2026, 4, 20, 9, 0, 0), ""),
					ev(match.Placed, at(2026, 5, 2, 9, 0, 0), "")}},
			{ID: "m2", NeedID: "n1", ProfileID: "p4", EmployerID: "e1", Programme: "job", Origin: "round", State: match.Rejected,
				Reason: "skills", ReferredAt: referred(at(2026, 4, 1, 0, 0, 0)),
				CreatedAt: at(2026, 3, 28, 9, 0, 0), History: []match.Event{
					ev(match.Proposed, at(2026, 3, 28, 9, 0, 0), ""), ev(match.Referred, at(2026, 4, 1, 0, 0, 0), ""),
					ev(match.Rejected, at(2026, 4, 15, 9, 0, 0), "skills")}},
			{ID: "m3", NeedID: "n2", ProfileID: "p5", EmployerID: "e1", Programme: "internship", Origin: "application", State: match.Placed,
				ReferredAt: referred(at(2026, 4, 11, 9, 0, 0)),
				CreatedAt:  at(2026, 4, 10, 9, 0, 0), History: []match.Event{
					ev(match.Applied, at(2026, 4, 10, 9, 0, 0), ""), ev(match.Referred, at(2026, 4, 11, 9, 0, 0), ""),
					ev(match.Offered, at(2026, 4, 12, 9, 0, 0), ""), ev(match.Placed, at(2026, 4, 30, 23, 0, 0), "")}},
			{ID: "m4", NeedID: "n9", ProfileID: "p2", EmployerID: "e2", Programme: "job", Origin: "application", State: match.Rejected,
				Reason: "distance", CreatedAt: at(2026, 4, 20, 9, 0, 0), History: []match.Event{
					ev(match.Applied, at(2026, 4, 20, 9, 0, 0), ""), ev(match.Rejected, at(2026, 4, 21, 9, 0, 0), "distance")}},
			{ID: "m5", NeedID: "n1", ProfileID: "p2", EmployerID: "e1", Programme: "job", Origin: "application", State: match.Referred,
				OutcomeDue: "2026-05-10", ReferredAt: referred(at(2026, 5, 1, 0, 0, 0)),
				CreatedAt: at(2026, 4, 25, 9, 0, 0), History: []match.Event{
					ev(match.Applied, at(2026, 4, 25, 9, 0, 0), ""), ev(match.Referred, at(2026, 5, 1, 0, 0, 0), "")}},
			{ID: "m6", NeedID: "n2", ProfileID: "p8", EmployerID: "e1", Programme: "internship", Origin: "application", State: match.Referred,
				PermitRequired: true, AgeGroup: "15-17", OutcomeDue: "2026-05-20", ReferredAt: referred(at(2026, 5, 4, 9, 0, 0)),
				CreatedAt: at(2026, 5, 3, 9, 0, 0), History: []match.Event{
					ev(match.Applied, at(2026, 5, 3, 9, 0, 0), ""), ev(match.Referred, at(2026, 5, 4, 9, 0, 0), "")}},
			{ID: "m7", NeedID: "n9", ProfileID: "p6", EmployerID: "e2", Programme: "job", Origin: "application", State: match.Withdrawn,
				CreatedAt: at(2026, 4, 28, 9, 0, 0), History: []match.Event{
					ev(match.Applied, at(2026, 4, 28, 9, 0, 0), ""), ev(match.Withdrawn, at(2026, 4, 29, 9, 0, 0), "")}},
			// An older record without history: ReferredAt, Reason and UpdatedAt stand in.
			{ID: "m8", NeedID: "n1", ProfileID: "p5", EmployerID: "e1", Programme: "job", Origin: "application", State: match.Rejected,
				Reason: "no_reply", ReferredAt: referred(at(2026, 4, 5, 12, 0, 0)), CreatedAt: at(2026, 4, 5, 9, 0, 0), UpdatedAt: at(2026, 4, 7, 9, 0, 0)},
			{ID: "m9", NeedID: "n9", ProfileID: "p8", EmployerID: "e2", Programme: "job", Origin: "application", State: match.Rejected,
				CreatedAt: at(2026, 4, 8, 9, 0, 0), History: []match.Event{
					ev(match.Applied, at(2026, 4, 8, 9, 0, 0), ""), ev(match.Rejected, at(2026, 4, 8, 18, 0, 0), "")}},
		},
		Participants: []PathwayParticipant{
			{PathwayID: "pw1", ProfileID: "p1", Stage: "orientation", Status: "started"},
			{PathwayID: "pw1", ProfileID: "p5", Stage: "training", Status: "completed"},
			{PathwayID: "pw1", ProfileID: "p8", Stage: "orientation", Status: "pending"},
			{PathwayID: "pw2", ProfileID: "p1", Stage: "orientation", Status: "started"},
		},
	}
}
