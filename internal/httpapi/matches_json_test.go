package httpapi

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/search/score"
)

// The hand-written encoding of the candidates page writes what
// encoding/json writes for the response structs, byte for byte: every
// field, omitted field, rounding and escape.
func TestCandidateMatchesJSONIsEncodingJSONs(t *testing.T) {
	odd := []string{"", "Грижа за възрастни", `<b>"Tom" & 'Jerry'</b>\`, "tab\there\nline\r\b\f\x00\x1f\x7f",
		"bad utf-8 \xff\xfe end", "sep\u2028par\u2029", "emoji 🙂 ok", "\xe2\x80", "en – dash …"}
	var ms []candidate.Match
	for i, s := range odd {
		m := candidate.Match{
			Card: candidate.Card{ID: "c" + s, Municipality: s, AvailableFrom: "2026-01-01", EducationLevel: i,
				Skills:    []candidate.Skill{{ID: "s" + s, Label: s, Level: i, Evidence: "declared"}},
				Languages: []profile.Language{{Code: "bg", Level: s}}},
			Score: []float64{0, 0.12345, 1, 0.0004999, 123456.7895, 1e-7, 3e21, math.NaN(), 7.0005}[i],
			Explanation: score.Explanation{
				MatchedSkills: []score.MatchedSkill{{ID: s, Label: s, Required: i%2 == 0, LevelWanted: 2, LevelHas: 3, Evidence: s, Via: "exact"}},
				MissingSkills: []score.MissingSkill{{ID: "m", Label: s, LevelWanted: 3, LevelHas: i % 2}},
				DistanceKm:    float64(i) * 12.345, LanguagesOK: i%3 == 0, AvailabilityOK: i%2 == 1,
				Parts: []score.Part{{Name: "skills", Value: 0.66666, Weight: 0.5}, {Name: s, Value: 1, Weight: 0}}},
			PermitRequired: i%2 == 1,
		}
		if i%2 == 1 { // the omitted fields, present
			m.Card.ProfileID, m.Card.AvailableTo, m.Card.Hours = "p"+s, s+"x", "full_time"
			m.Explanation.MatchedSkills[0].HeldID, m.Explanation.MatchedSkills[0].HeldLabel, m.Explanation.MatchedSkills[0].Relation = s+"h", s, "broader"
		}
		if i == 2 { // empty lists
			m.Card.Skills, m.Card.Languages, m.Explanation = nil, nil, score.Explanation{}
		}
		ms = append(ms, m)
	}
	for _, page := range [][]candidate.Match{nil, {}, ms[:1], ms} {
		want, err := json.Marshal(toCandidateMatches(page))
		if err != nil {
			t.Fatal(err)
		}
		got := appendCandidateMatches(nil, page)
		if !bytes.Equal(got, want) {
			t.Errorf("hand-written encoding differs from encoding/json's:\n got %s\nwant %s", got, want)
		}
	}
}

// A string plainString passes needs no escape (appendEscaped copies it as
// it is), whatever byte or rune is at whatever place; and ids and labels
// in either alphabet are plain, so they take the fast path.
func TestPlainStringsNeedNoEscape(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if plainString(s) && string(appendEscaped(nil, s)) != `"`+s+`"` {
			t.Fatalf("plainString(%q) = true, but it is written %s", s, appendEscaped(nil, s))
		}
	}
	for _, base := range []string{"abcdefghijklmnopqrst", "жжжжжжжжжж", "http://data.europa.eu/esco/skill/"} {
		if !plainString(base) {
			t.Errorf("plainString(%q) = false, want true", base)
		}
		for pos := range len(base) {
			for c := range 256 {
				check(base[:pos] + string([]byte{byte(c)}) + base[pos+1:])
			}
			for _, r := range []string{"\u2028", "\u2029", "–", "ж", "<", "\x00"} {
				check(base[:pos] + r + base[pos:])
			}
		}
	}
}
