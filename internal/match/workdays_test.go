package match

import (
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
)

func TestOrthodoxEaster(t *testing.T) {
	for year, want := range map[int]string{2024: "2024-05-05", 2025: "2025-04-20", 2026: "2026-04-12", 2027: "2027-05-02"} {
		if got := orthodoxEaster(year).Format(time.DateOnly); got != want {
			t.Errorf("orthodoxEaster(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	tests := []struct{ from, want string }{
		{"2026-11-24", "2026-12-03"}, // Tue + 7 working days: skips one weekend
		{"2026-12-21", "2027-01-05"}, // 22, 23, (24–26 holidays, 26 on Sat → 28 off) 29, 30, 31, (1 Jan) 4, 5
		{"2026-09-04", "2026-09-16"}, // Fri; 6 Sep is a Sunday → Mon 7 Sep off
		{"2026-04-08", "2026-04-21"}, // Wed before Easter 2026: Fri 10 to Mon 13 April off
	}
	for _, tt := range tests {
		from, _ := time.Parse(time.DateOnly, tt.from)
		if got := AddWorkingDays(from, OutcomeDays).Format(time.DateOnly); got != tt.want {
			t.Errorf("AddWorkingDays(%s, 7) = %s, want %s", tt.from, got, tt.want)
		}
	}
}

func TestDecideFollowsTheTable(t *testing.T) {
	tests := []struct {
		from, to State
		role     string
		want     Decision
	}{
		{Applied, Referred, "officer", Allowed},
		{Applied, Referred, "employer", WrongRole},
		{Referred, Interview, "employer", Allowed},
		{Referred, Interview, "officer", WrongRole},
		{Offered, Placed, "officer", Allowed},
		{Offered, Placed, "employer", Allowed},
		{Applied, Placed, "officer", NotFromHere},
		{Placed, Rejected, "officer", NotFromHere},
		{Applied, Withdrawn, "jobseeker", Allowed},
		{Withdrawn, Applied, "jobseeker", NotFromHere},
		{Applied, Rejected, "employer", WrongRole}, // employers never act before a referral
	}
	for _, tt := range tests {
		if got := Decide(tt.from, tt.to, roleOf(tt.role)); got != tt.want {
			t.Errorf("Decide(%s→%s, %s) = %v, want %v", tt.from, tt.to, tt.role, got, tt.want)
		}
	}
	for _, m := range Moves {
		if m.From.Final() {
			t.Errorf("move out of final state %s", m.From)
		}
	}
}

func roleOf(s string) auth.Role { return auth.Role(s) }

func TestOverdueIsAReferralPastItsDueDate(t *testing.T) {
	m := Match{State: Referred, OutcomeDue: "2026-12-03"}
	tests := []struct {
		state State
		today string
		want  bool
	}{
		{Referred, "2026-12-03", false}, // due today: not late yet
		{Referred, "2026-12-04", true},
		{Interview, "2026-12-10", false}, // the employer answered
		{Rejected, "2026-12-10", false},
	}
	for _, tt := range tests {
		m.State = tt.state
		if got := m.Overdue(tt.today); got != tt.want {
			t.Errorf("Overdue(%s, %s) = %v, want %v", tt.state, tt.today, got, tt.want)
		}
		if got := (Filter{Overdue: true}).matches(m, tt.today); got != tt.want {
			t.Errorf("overdue filter on %s at %s = %v, want %v", tt.state, tt.today, got, tt.want)
		}
	}
}
