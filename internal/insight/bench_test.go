package insight

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// benchLabels labels generated ids and puts skill i in group i%40.
type benchLabels map[string]string

func (b benchLabels) Label(id, _ string) string { return b[id] }
func (b benchLabels) GroupOf(skillID string) string {
	var i int
	_, _ = fmt.Sscanf(skillID, "skill-%d", &i)
	return fmt.Sprintf("group-%d", i%40)
}

// citySnapshot is a seeded city: 600 skills in 40 groups, 300 employers
// (nine in ten verified), needs of 5 skills (two required) and profiles
// of 8 skills (seven in ten consenting), a match for every other need.
func citySnapshot(profiles, needs int) Snapshot {
	r := rand.New(rand.NewPCG(1, 2))
	const skills, occupations = 600, 200
	sectors := []string{"healthcare", "care", "medtech", "wellness", "digital", "green", "agriculture", "manufacturing"}
	lb := benchLabels{}
	for i := range skills {
		lb[fmt.Sprintf("skill-%d", i)] = fmt.Sprintf("Умение %d", i)
	}
	for i := range 40 {
		lb[fmt.Sprintf("group-%d", i)] = fmt.Sprintf("Група %d", i)
	}
	s := Snapshot{Today: time.Date(2026, 5, 15, 10, 0, 0, 0, time.UTC), Labels: lb}
	for i := range 300 {
		s.Employers = append(s.Employers, register.Employer{ID: fmt.Sprintf("emp-%d", i), Name: fmt.Sprintf("Работодател %d", i),
			Sector: sectors[i%len(sectors)], Verified: i%10 != 0, CreatedAt: s.Today.AddDate(0, 0, -r.IntN(400))})
	}
	// Skewed skill popularity, as in life: a few skills are everywhere.
	skillID := func() string { return fmt.Sprintf("skill-%d", int(float64(skills)*r.Float64()*r.Float64())) }
	for i := range needs {
		n := register.Need{ID: fmt.Sprintf("need-%d", i), EmployerID: fmt.Sprintf("emp-%d", r.IntN(300)), Kind: needKinds[r.IntN(5)],
			Title: fmt.Sprintf("Позиция %d", i), Occupation: fmt.Sprintf("occ-%d", r.IntN(occupations)), Sector: sectors[r.IntN(len(sectors))],
			Positions: 1 + r.IntN(5), Status: []string{"open", "open", "open", "closed", "draft"}[r.IntN(5)],
			ApplyBy: s.Today.AddDate(0, 0, r.IntN(120)-30).Format(time.DateOnly), CreatedAt: s.Today.AddDate(0, 0, -r.IntN(365))}
		for j := range 5 {
			n.Skills = append(n.Skills, register.SkillRequirement{ID: skillID(), Level: 1 + r.IntN(4), Required: j < 2})
		}
		s.Needs = append(s.Needs, n)
	}
	for i := range profiles {
		p := profile.Profile{ID: fmt.Sprintf("prof-%d", i), BirthYear: 1960 + r.IntN(50),
			Consent: profile.Consent{Matching: r.IntN(10) < 7}, CreatedAt: s.Today.AddDate(0, 0, -r.IntN(365))}
		for range 8 {
			p.Skills = append(p.Skills, profile.Skill{ID: skillID(), Level: 1 + r.IntN(4)})
		}
		s.Profiles = append(s.Profiles, p)
	}
	for i := 0; i < needs; i += 2 {
		created := s.Today.AddDate(0, 0, -r.IntN(365))
		st := matchStates[r.IntN(len(matchStates))]
		s.Matches = append(s.Matches, match.Match{ID: fmt.Sprintf("match-%d", i), NeedID: s.Needs[i].ID,
			ProfileID: s.Profiles[r.IntN(profiles)].ID, EmployerID: s.Needs[i].EmployerID, Programme: s.Needs[i].Kind,
			State: st, CreatedAt: created, History: []match.Event{{To: match.Applied, At: created}, {To: st, At: created.Add(72 * time.Hour)}}})
	}
	return s
}

// BenchmarkSkillsGap: 10,000 profiles, 3,000 needs, every dimension.
func BenchmarkSkillsGap(b *testing.B) {
	s := citySnapshot(10_000, 3_000)
	for _, dim := range Dimensions {
		b.Run(dim, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := GapBy(s, dim, GapFilter{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIndicators(b *testing.B) {
	s := citySnapshot(10_000, 3_000)
	from, to, _ := DayRange("2026-01-01", "2026-03-31", time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Indicators(s, from, to)
	}
}

// BenchmarkXLSX100k writes 100,000 needs as a workbook.
func BenchmarkXLSX100k(b *testing.B) {
	s := bigSnapshot(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, NeedsTable(s, "bg")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCSV100k writes 100,000 needs as CSV.
func BenchmarkCSV100k(b *testing.B) {
	s := bigSnapshot(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteCSV(io.Discard, NeedsTable(s, "bg")); err != nil {
			b.Fatal(err)
		}
	}
}
