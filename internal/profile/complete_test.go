package profile

import (
	"slices"
	"testing"
)

func TestMissingNamesEachEmptyStep(t *testing.T) {
	full := Profile{DisplayName: "Ана", BirthDate: "2004-05", Skills: []Skill{{ID: "s", Level: 2}},
		Languages: []Language{{Code: "bg", Level: "C2"}}, Municipality: "Хасково", AvailableFrom: "2027-01-01",
		Consent: Consent{Matching: true}}
	if got := full.Missing(); got != nil {
		t.Fatalf("a full profile misses %v", got)
	}
	if got, want := (Profile{}).Missing(), []string{PartAbout, PartSkills, PartLanguages, PartPlace, PartAvailable, PartConsent}; !slices.Equal(got, want) {
		t.Fatalf("an empty profile misses %v, want %v", got, want)
	}
	for part, clear := range map[string]func(*Profile){
		PartAbout:     func(p *Profile) { p.BirthDate = "" },
		PartSkills:    func(p *Profile) { p.Skills = nil },
		PartLanguages: func(p *Profile) { p.Languages = nil },
		PartPlace:     func(p *Profile) { p.Municipality = "" },
		PartAvailable: func(p *Profile) { p.AvailableFrom = "" },
		PartConsent:   func(p *Profile) { p.Consent.Matching = false },
	} {
		p := full
		clear(&p)
		if got := p.Missing(); !slices.Equal(got, []string{part}) {
			t.Errorf("without %s: misses %v", part, got)
		}
	}
}
