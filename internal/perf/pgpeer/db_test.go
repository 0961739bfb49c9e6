package pgpeer

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// Places for the tests. Sofia is the centre; a 50 km circle around it.
const (
	sofiaLat, sofiaLon = 42.6977, 23.3219
	varnaLat, varnaLon = 43.2141, 27.9147
)

var (
	// east is 45 km east: in the circle, though beyond a box that forgot
	// that degrees of longitude shrink with cos(lat).
	east = [2]float64{sofiaLat, sofiaLon + 0.55}
	// corner is in the box but 63 km away: the box is a superset, so it
	// must come back, for the caller to drop.
	corner = [2]float64{sofiaLat + 0.4, sofiaLon + 0.55}
	// north is 56 km north: outside the box.
	north = [2]float64{sofiaLat + 0.5, sofiaLon}
)

// The test places are what their names say, or the tests prove nothing.
func TestPlacesAreWhatTheySay(t *testing.T) {
	boxes, err := boundingBoxes(sofiaLat, sofiaLon, 50)
	if err != nil {
		t.Fatal(err)
	}
	km := func(p [2]float64) float64 { return haversineKm(sofiaLat, sofiaLon, p[0], p[1]) }
	naive := 50 / earthKm * 180 / 3.141592653589793
	if d := km(east); d > 50 || east[1]-sofiaLon <= naive {
		t.Errorf("east: %v km, %v° east; want within 50 km and beyond %v°", d, east[1]-sofiaLon, naive)
	}
	if d := km(corner); d <= 50 || !inBoxes(boxes, corner[0], corner[1]) {
		t.Errorf("corner: %v km, in box %v; want beyond 50 km and in the box", d, inBoxes(boxes, corner[0], corner[1]))
	}
	if inBoxes(boxes, north[0], north[1]) || inBoxes(boxes, varnaLat, varnaLon) {
		t.Errorf("north or Varna in the box %+v", boxes)
	}
}

func TestCandidates(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	// A consenting profile at Sofia holding S1, wanting any kind, always
	// available, unless it says otherwise.
	p := func(id string, change func(*ProfileRow)) ProfileRow {
		r := ProfileRow{ID: id, Keys: []string{"S1"}, Lat: sofiaLat, Lon: sofiaLon, MaxKm: 50, Consent: true}
		if change != nil {
			change(&r)
		}
		return r
	}
	at := func(lat, lon float64) func(*ProfileRow) { return func(r *ProfileRow) { r.Lat, r.Lon = lat, lon } }
	rows := []ProfileRow{
		p("at", nil),
		p("other-skill", func(r *ProfileRow) { r.Keys = []string{"S7"} }),
		p("second-skill", func(r *ProfileRow) { r.Keys = []string{"S9", "S2"} }),
		p("no-consent", func(r *ProfileRow) { r.Consent = false }),
		p("wants-internship", func(r *ProfileRow) { r.Kinds = []string{"internship"} }),
		p("wants-job", func(r *ProfileRow) { r.Kinds = []string{"internship", "job"} }),
		p("empty-kinds", func(r *ProfileRow) { r.Kinds = []string{} }),
		p("gone-before", func(r *ProfileRow) { r.From, r.To = "2026-01-01", "2026-02-28" }),
		p("until-first-day", func(r *ProfileRow) { r.From, r.To = "2026-01-01", "2026-03-01" }),
		p("comes-after", func(r *ProfileRow) { r.From = "2026-07-01" }),
		p("until-april", func(r *ProfileRow) { r.To = "2026-04-01" }),
		p("east", at(east[0], east[1])),
		p("corner", at(corner[0], corner[1])),
		p("north", at(north[0], north[1])),
		p("varna-remote", func(r *ProfileRow) { r.Lat, r.Lon, r.Remote = varnaLat, varnaLon, true }),
		p("varna-remote-no-consent", func(r *ProfileRow) { r.Lat, r.Lon, r.Remote, r.Consent = varnaLat, varnaLon, true, false }),
		p("varna", at(varnaLat, varnaLon)),
		p("fiji-east", at(-17, 179.9)),
		p("fiji-west", at(-17, -179.9)),
		p("near-pole", at(89.8, 180)),
	}
	if err := db.LoadProfiles(ctx, rows); err != nil {
		t.Fatalf("LoadProfiles: %v", err)
	}
	need := CandidateQuery{Keys: []string{"S1", "S2"}, Lat: sofiaLat, Lon: sofiaLon, Kind: "job",
		Start: "2026-03-01", End: "2026-06-30", RadiusKm: 50}
	base := []string{"at", "second-skill", "wants-job", "empty-kinds", "until-first-day", "until-april", "east", "corner"}
	tests := []struct {
		name   string
		change func(*CandidateQuery)
		want   []string
	}{
		{"on site", nil, base},
		{"remote work also reaches remote workers anywhere", func(q *CandidateQuery) { q.Remote = true }, append(slices.Clone(base), "varna-remote")},
		{"kind", func(q *CandidateQuery) { q.Kind = "internship" }, append(slices.Clone(base), "wants-internship")},
		{"no shared skill", func(q *CandidateQuery) { q.Keys = []string{"S404"} }, nil},
		{"smaller circle", func(q *CandidateQuery) { q.RadiusKm = 10 },
			[]string{"at", "second-skill", "wants-job", "empty-kinds", "until-first-day", "until-april"}},
		{"open-ended need", func(q *CandidateQuery) { q.Start, q.End = "2026-08-01", "" },
			[]string{"at", "second-skill", "wants-job", "empty-kinds", "comes-after", "east", "corner"}},
		{"across the ±180° meridian", func(q *CandidateQuery) { q.Lat, q.Lon = -17, 179.95 }, []string{"fiji-east", "fiji-west"}},
		{"near the pole", func(q *CandidateQuery) { q.Lat, q.Lon = 89.9, 0 }, []string{"near-pole"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := need
			if tt.change != nil {
				tt.change(&q)
			}
			got, err := db.Candidates(ctx, q)
			if err != nil {
				t.Fatalf("Candidates(%+v): %v", q, err)
			}
			if !slices.Equal(sorted(got), sorted(tt.want)) {
				t.Errorf("Candidates(%+v) = %v, want %v", q, sorted(got), sorted(tt.want))
			}
		})
	}

	// Loading again replaces the table, and the cached statements follow.
	if err := db.LoadProfiles(ctx, rows[:1]); err != nil {
		t.Fatalf("LoadProfiles again: %v", err)
	}
	if got, err := db.Candidates(ctx, need); err != nil || !slices.Equal(got, []string{"at"}) {
		t.Errorf("after reloading one row, Candidates = %v, %v; want [at]", got, err)
	}
}

func TestNeeds(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	// A visible job at Sofia asking for S1, open for applications, unless
	// it says otherwise.
	n := func(id string, change func(*NeedRow)) NeedRow {
		r := NeedRow{ID: id, Keys: []string{"S1", "S2"}, Lat: sofiaLat, Lon: sofiaLon, Kind: "job", Visible: true, Start: "2026-06-01"}
		if change != nil {
			change(&r)
		}
		return r
	}
	at := func(lat, lon float64) func(*NeedRow) { return func(r *NeedRow) { r.Lat, r.Lon = lat, lon } }
	rows := []NeedRow{
		n("at", nil),
		n("other-skill", func(r *NeedRow) { r.Keys = []string{"S3"} }),
		n("hidden", func(r *NeedRow) { r.Visible = false }),
		n("closed-yesterday", func(r *NeedRow) { r.ApplyBy = "2026-04-30" }),
		n("closes-today", func(r *NeedRow) { r.ApplyBy = "2026-05-01" }),
		n("internship", func(r *NeedRow) { r.Kind = "internship"; r.End = "2026-09-30" }),
		n("east", at(east[0], east[1])),
		n("corner", at(corner[0], corner[1])),
		n("north", at(north[0], north[1])),
		n("varna-remote", func(r *NeedRow) { r.Lat, r.Lon, r.Remote = varnaLat, varnaLon, true }),
		n("varna-remote-hidden", func(r *NeedRow) { r.Lat, r.Lon, r.Remote, r.Visible = varnaLat, varnaLon, true, false }),
		n("varna", at(varnaLat, varnaLon)),
	}
	if err := db.LoadNeeds(ctx, rows); err != nil {
		t.Fatalf("LoadNeeds: %v", err)
	}
	person := NeedsQuery{Keys: []string{"S1"}, Lat: sofiaLat, Lon: sofiaLon, RadiusKm: 50, Today: "2026-05-01"}
	base := []string{"at", "closes-today", "internship", "east", "corner"}
	tests := []struct {
		name   string
		change func(*NeedsQuery)
		want   []string
	}{
		{"any kind", nil, base},
		{"empty kinds are any kind", func(q *NeedsQuery) { q.Kinds = []string{} }, base},
		{"jobs", func(q *NeedsQuery) { q.Kinds = []string{"job"} }, []string{"at", "closes-today", "east", "corner"}},
		{"internships and apprenticeships", func(q *NeedsQuery) { q.Kinds = []string{"internship", "apprenticeship"} }, []string{"internship"}},
		{"remote", func(q *NeedsQuery) { q.Remote = true }, append(slices.Clone(base), "varna-remote")},
		{"a day later", func(q *NeedsQuery) { q.Today = "2026-05-02" }, []string{"at", "internship", "east", "corner"}},
		{"no shared skill", func(q *NeedsQuery) { q.Keys = []string{"S404"} }, nil},
		{"smaller circle", func(q *NeedsQuery) { q.RadiusKm = 10 }, []string{"at", "closes-today", "internship"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := person
			if tt.change != nil {
				tt.change(&q)
			}
			got, err := db.Needs(ctx, q)
			if err != nil {
				t.Fatalf("Needs(%+v): %v", q, err)
			}
			if !slices.Equal(sorted(got), sorted(tt.want)) {
				t.Errorf("Needs(%+v) = %v, want %v", q, sorted(got), sorted(tt.want))
			}
		})
	}
}

func TestBadInputIsRefused(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	err := db.LoadProfiles(ctx, []ProfileRow{{ID: "p1", Keys: []string{"S1"}, From: "1 March"}})
	if err == nil || !strings.Contains(err.Error(), "p1") {
		t.Errorf("LoadProfiles(bad date) = %v, want an error naming p1", err)
	}
	if err := db.LoadNeeds(ctx, []NeedRow{{ID: "n1", Keys: []string{"S1"}, Kind: "job"}}); err != nil {
		t.Fatalf("LoadNeeds: %v", err)
	}
	for _, q := range []NeedsQuery{
		{Keys: []string{"S1"}, RadiusKm: 10},                                // no today
		{Keys: []string{"S1"}, RadiusKm: -1, Today: "2026-05-01"},           // negative radius
		{Keys: []string{"S1"}, Lat: 100, RadiusKm: 10, Today: "2026-05-01"}, // no such latitude
	} {
		if _, err := db.Needs(ctx, q); err == nil {
			t.Errorf("Needs(%+v) = nil error, want one", q)
		}
	}
}

// The backend's CPU time grows by about the time a CPU-bound query takes,
// and no more than the wall time it took.
func TestBackendCPU(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	before, err := db.BackendCPU()
	if err != nil {
		t.Fatalf("BackendCPU: %v", err)
	}
	start := time.Now()
	var sum int64
	if err := db.conn.QueryRow(ctx, "SELECT sum(i) FROM generate_series(1, 3000000) i").Scan(&sum); err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	after, err := db.BackendCPU()
	if err != nil {
		t.Fatalf("BackendCPU: %v", err)
	}
	used := after - before
	const tick = time.Second / clockTicks
	if used < wall/4 || used > wall+2*tick {
		t.Errorf("BackendCPU grew by %v over a CPU-bound query of %v wall time, want about that", used, wall)
	}
}
