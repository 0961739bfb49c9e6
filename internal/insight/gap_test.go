package insight

import (
	"reflect"
	"testing"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

func TestGapBy(t *testing.T) {
	// Counted needs: n1 (3 positions), n2 (1), n3 (forecast, 5), n9 (1).
	// Consenting profiles: p1, p2, p4, p5, p6, p8 (p3 and p7 do not consent).
	tests := []struct {
		name      string
		dimension string
		filter    GapFilter
		want      []GapRow
	}{
		{"skills", BySkill, GapFilter{}, []GapRow{
			// n1 3 at level 2 + n3 5 at level 3; at level ≥ 2: p1 (2), p4 (3, listed twice). p2 (1) is below; p3 does not consent.
			{Dimension: "skill", ID: "s.nurse", Label: "Сестрински грижи", GroupID: "g.health", GroupLabel: "Здравеопазване",
				MinLevel: 2, Needs: 2, Demand: 8, Supply: 2, Gap: 6},
			// n3 5 at level 2; p2 (4). p6 (1) is below.
			{Dimension: "skill", ID: "s.excel", Label: "Електронни таблици", GroupID: "g.digital", GroupLabel: "Цифрови умения",
				MinLevel: 2, Needs: 1, Demand: 5, Supply: 1, Gap: 4},
			// n1 3 at level 1 + n2 1 at level 3; at level ≥ 1: p1, p2, p5, p8.
			{Dimension: "skill", ID: "s.care", Label: "Грижа за възрастни", GroupID: "g.health", GroupLabel: "Здравеопазване",
				MinLevel: 1, Needs: 2, Demand: 4, Supply: 4, Gap: 0},
			// n9 1 at level 2 (preferred still counts); p4. Expired n6 and draft n7 do not count.
			{Dimension: "skill", ID: "s.driving", Label: "Шофиране", MinLevel: 2, Needs: 1, Demand: 1, Supply: 1, Gap: 0},
		}},
		{"skills in English", BySkill, GapFilter{Kind: "internship", Lang: "en"}, []GapRow{
			// n2 only: care at level 3; p1, p5.
			{Dimension: "skill", ID: "s.care", Label: "Elderly care", GroupID: "g.health", GroupLabel: "Health",
				MinLevel: 3, Needs: 1, Demand: 1, Supply: 2, Gap: -1},
		}},
		{"forecasts only", BySkill, GapFilter{Kind: "forecast"}, []GapRow{
			{Dimension: "skill", ID: "s.excel", Label: "Електронни таблици", GroupID: "g.digital", GroupLabel: "Цифрови умения",
				MinLevel: 2, Needs: 1, Demand: 5, Supply: 1, Gap: 4},
			// level 3 now: p4 only.
			{Dimension: "skill", ID: "s.nurse", Label: "Сестрински грижи", GroupID: "g.health", GroupLabel: "Здравеопазване",
				MinLevel: 3, Needs: 1, Demand: 5, Supply: 1, Gap: 4},
		}},
		{"sector from the employer", BySkill, GapFilter{Sector: "digital", Kind: "job"}, []GapRow{
			// n9 has no sector; its employer's is digital.
			{Dimension: "skill", ID: "s.driving", Label: "Шофиране", MinLevel: 2, Needs: 1, Demand: 1, Supply: 1, Gap: 0},
		}},
		{"no needs", BySkill, GapFilter{Sector: "agriculture"}, []GapRow{}},
		{"groups", ByGroup, GapFilter{}, []GapRow{
			// n3 5; p2.
			{Dimension: "group", ID: "g.digital", Label: "Цифрови умения", Needs: 1, Demand: 5, Supply: 1, Gap: 4},
			// n1 3 (nurse and care: once) + n2 1 + n3 5; nurse ≥ 2 or care ≥ 1: p1, p2, p4, p5, p8.
			{Dimension: "group", ID: "g.health", Label: "Здравеопазване", Needs: 3, Demand: 9, Supply: 5, Gap: 4},
			{Dimension: "group", ID: "", Label: "(неуточнено)", Needs: 1, Demand: 1, Supply: 1, Gap: 0},
		}},
		{"occupations", ByOccupation, GapFilter{}, []GapRow{
			// n3 5 (nothing required: excel 2 and nurse 3 both; nobody consenting) + n9 1 (driving 2: p4).
			{Dimension: "occupation", ID: "", Label: "(неуточнено)", Needs: 2, Demand: 6, Supply: 1, Gap: 5},
			// n1 3: nurse 2 required (care is preferred): p1, p4.
			{Dimension: "occupation", ID: "occ.nurse", Label: "Медицинска сестра", Needs: 1, Demand: 3, Supply: 2, Gap: 1},
			// n2 1: care 3: p1, p5.
			{Dimension: "occupation", ID: "occ.carer", Label: "Болногледач", Needs: 1, Demand: 1, Supply: 2, Gap: -1},
		}},
		{"sectors", BySector, GapFilter{Lang: "en"}, []GapRow{
			// n3 + n9: 6; p4.
			{Dimension: "sector", ID: "digital", Label: "digital", Needs: 2, Demand: 6, Supply: 1, Gap: 5},
			// n1 {p1, p4} ∪ n2 {p1, p5}.
			{Dimension: "sector", ID: "healthcare", Label: "healthcare", Needs: 2, Demand: 4, Supply: 3, Gap: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := GapBy(fixture(), tt.dimension, tt.filter)
			if err != nil {
				t.Fatalf("GapBy(%s, %+v): %v", tt.dimension, tt.filter, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GapBy(%s, %+v) =\n%+v\nwant\n%+v", tt.dimension, tt.filter, got, tt.want)
			}
		})
	}
}

func TestSkillsGapIsGapBySkill(t *testing.T) {
	s := fixture()
	want, _ := GapBy(s, BySkill, GapFilter{Lang: "en"})
	if got := SkillsGap(s, GapFilter{Lang: "en"}); !reflect.DeepEqual(got, want) {
		t.Errorf("SkillsGap = %+v, want %+v", got, want)
	}
}

func TestGapByRejectsUnknownDimension(t *testing.T) {
	_, err := GapBy(fixture(), "municipality", GapFilter{})
	if !failure.Is(err, failure.Invalid) {
		t.Errorf("GapBy(municipality) error = %v, want a failure.Invalid field error", err)
	}
}

func TestGapConsentWithdrawn(t *testing.T) {
	s := fixture()
	for i := range s.Profiles {
		s.Profiles[i].Consent.Matching = false
	}
	for _, dim := range Dimensions {
		rows, _ := GapBy(s, dim, GapFilter{})
		for _, r := range rows {
			if r.Supply != 0 || r.Gap != r.Demand {
				t.Errorf("GapBy(%s) row %s: supply %d, gap %d with nobody consenting; want 0 and %d", dim, r.ID, r.Supply, r.Gap, r.Demand)
			}
		}
	}
}

func TestGapNeedWithoutSkillsIsOpenToEveryone(t *testing.T) {
	s := Snapshot{
		Employers: []register.Employer{{ID: "e", Sector: "care", Verified: true}},
		Needs:     []register.Need{{ID: "n", EmployerID: "e", Kind: "job", Status: "open", Positions: 4}},
		Profiles: []profile.Profile{{ID: "a", Consent: profile.Consent{Matching: true}},
			{ID: "b", Consent: profile.Consent{Matching: true}}, {ID: "c"}},
	}
	got, _ := GapBy(s, BySector, GapFilter{})
	want := []GapRow{{Dimension: "sector", ID: "care", Label: "care", Needs: 1, Demand: 4, Supply: 2, Gap: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GapBy(sector) = %+v, want %+v", got, want)
	}
	if got := SkillsGap(s, GapFilter{}); len(got) != 0 {
		t.Errorf("SkillsGap = %+v, want no rows for a need without skills", got)
	}
}
