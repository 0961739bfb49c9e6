package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/careget/skillsmatch/pkg/client"
)

// TestListRounds: GET /api/v1/rounds answers each role the rounds it has
// a part in. Officers all, whole; a job-seeker the rounds taking
// preferences and those they ranked in, with only their own ranking; an
// employer's member the rounds holding their needs, with nobody's; another
// employer none; an administrator 403. The client reads the same list.
func TestListRounds(t *testing.T) {
	w := newWorld(t)
	a := w.a
	w.verify(t, w.employerID, true)
	w.verify(t, w.otherEmpID, true)
	sk := skills(t, 1)
	intern := func(employer, token, title string) string {
		b := needBody(t, employer)
		b["kind"], b["title"], b["positions"] = "internship", title, 1
		b["skills"] = []map[string]any{{"id": sk[0], "level": 1, "required": true}}
		return a.must(201, "POST", "/api/v1/needs", token, b)["id"].(string)
	}
	mine, theirs := intern(w.employerID, w.owner, "Стаж в отделение"), intern(w.otherEmpID, w.other, "Стаж в аптека")
	round := func(name string, closes time.Time, needs ...string) string {
		return a.must(201, "POST", "/api/v1/rounds", w.officer, map[string]any{"name": name, "programme": "internship",
			"needIds": needs, "closesAt": closes.UTC().Format(time.RFC3339)})["id"].(string)
	}
	open := round("Стажове есен", time.Now().Add(24*time.Hour), mine)
	other := round("Стажове аптеки", time.Now().Add(24*time.Hour), theirs)
	closed := round("Стажове лято", time.Now().Add(-time.Hour), mine)
	seekerID, seeker := seekerWith(t, a, "ranker@example.bg", func(b map[string]any) {
		b["interests"] = map[string]any{"kinds": []string{"internship"}}
	})
	_, bystander := seekerWith(t, a, "bystander@example.bg", func(map[string]any) {})
	a.must(200, "PUT", "/api/v1/rounds/"+open+"/preferences/me", seeker, map[string]any{"needIds": []string{mine}})
	a.must(200, "PUT", "/api/v1/rounds/"+open+"/preferences/me", bystander, map[string]any{"needIds": []string{mine}})

	ids := func(token string) (out []string, items []any) {
		t.Helper()
		got := a.must(200, "GET", "/api/v1/rounds", token, nil)
		items = got["items"].([]any)
		if int(got["total"].(float64)) != len(items) {
			t.Errorf("total %v, items %d", got["total"], len(items))
		}
		for _, it := range items {
			out = append(out, it.(map[string]any)["id"].(string))
		}
		return out, items
	}
	if got, _ := ids(w.officer); !same(got, closed, other, open) {
		t.Errorf("officer's rounds = %v, want all three, newest first", got)
	}
	got, items := ids(seeker)
	if !same(got, other, open) {
		t.Errorf("job-seeker's rounds = %v, want the two taking preferences", got)
	}
	for _, it := range items {
		prefs := it.(map[string]any)["preferences"].(map[string]any)
		if it.(map[string]any)["id"] == open && (len(prefs) != 1 || prefs[seekerID] == nil) {
			t.Errorf("job-seeker sees preferences %v, want only their own", prefs)
		}
	}
	got, items = ids(w.owner)
	if !same(got, closed, open) {
		t.Errorf("member's rounds = %v, want the two holding their need", got)
	}
	for _, it := range items {
		if prefs := it.(map[string]any)["preferences"].(map[string]any); len(prefs) != 0 {
			t.Errorf("member sees preferences %v, want none", prefs)
		}
	}
	if got, _ := ids(w.other); !same(got, other) {
		t.Errorf("other employer's rounds = %v, want only the one with their need", got)
	}
	_, admin := a.staff("admin", "admin@example.bg")
	checkProblem(t, a.do("GET", "/api/v1/rounds", admin, nil), 403, "")
	checkProblem(t, a.do("GET", "/api/v1/rounds", "", nil), 401, "")

	ctx := context.Background()
	c := client.New(a.srv.URL)
	if _, err := c.Login(ctx, "officer@example.bg", password); err != nil {
		t.Fatal(err)
	}
	rs, err := c.Rounds(ctx)
	if err != nil || len(rs) != 3 || rs[2].ID != open || len(rs[2].Preferences) != 2 {
		t.Fatalf("client.Rounds() = %+v, %v, want three rounds, the oldest with two rankings", rs, err)
	}
}

// same reports whether got holds exactly want, in that order.
func same(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
