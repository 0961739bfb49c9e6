package httpapi_test

import (
	"slices"
	"testing"
)

// The candidates of a need are ranked once and kept while nothing that
// ranks them changes (search's ranking cache): every change below must
// show in the very next read, through the same cache.
func TestMatchesCacheForgetsEveryChangeAtOnce(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	sk := skills(t, 2)
	body := needBody(t, w.employerID)
	body["skills"] = []map[string]any{{"id": sk[0], "level": 3, "required": true}, {"id": sk[1], "level": 1, "required": false}}
	need := a.must(201, "POST", "/api/v1/needs", w.owner, body)["id"].(string)
	other, _ := seekerWith(t, a, "only-other-skill@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[1], 1) })
	first, _ := seekerWith(t, a, "first@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3) })
	gone, goneTok := seekerWith(t, a, "gone@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 2) })
	ranked := func(step string, want ...string) {
		t.Helper()
		for range 2 { // the second read is the cached one
			if got := profileIDs(matchIDs(t, a, need, w.officer)); !slices.Equal(got, want) {
				t.Fatalf("%s: ranked %v, want %v", step, got, want)
			}
		}
	}
	ranked("to begin with", first, gone, other)

	a.must(204, "DELETE", "/api/v1/profiles/me", goneTok, nil)
	ranked("after the erasure", first, other)

	late, lateTok := seekerWith(t, a, "late@example.bg", func(b map[string]any) { b["skills"] = heldSkills(sk[0], 3, sk[1], 1) })
	ranked("after a better candidate came", late, first, other)

	b := profileBody(t)
	b["skills"] = heldSkills(sk[0], 3, sk[1], 1)
	b["consent"] = map[string]any{"matching": false}
	a.must(200, "PUT", "/api/v1/profiles/me", lateTok, b)
	ranked("after consent was withdrawn", first, other)

	a.must(200, "PATCH", "/api/v1/needs/"+need, w.owner, map[string]any{
		"skills": []map[string]any{{"id": sk[1], "level": 1, "required": true}}})
	ranked("after the need asked for another skill", other, first) // first by a related skill
}
