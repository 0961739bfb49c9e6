package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/search/score"
)

// earthKm is the sphere the hard filter measures on (score.haversineKm);
// the test places points on it and asks score.Eligible whether they are in
// reach, so "inside the circle" means exactly what the re-rank means.
const earthKm = 6371.0088

// destination returns the point reached from (lat, lon) after km along the
// great circle leaving at bearing (degrees clockwise from north), with the
// longitude in [-180, 180).
func destination(lat, lon, bearing, km float64) (float64, float64) {
	const rad = math.Pi / 180
	phi, lam, theta, delta := lat*rad, lon*rad, bearing*rad, km/earthKm
	phi2 := math.Asin(math.Sin(phi)*math.Cos(delta) + math.Cos(phi)*math.Sin(delta)*math.Cos(theta))
	lam2 := lam + math.Atan2(math.Sin(theta)*math.Sin(delta)*math.Cos(phi), math.Cos(delta)-math.Sin(phi)*math.Sin(phi2))
	return phi2 / rad, wrapLon(lam2 / rad)
}

func wrapLon(lon float64) float64 {
	lon = math.Mod(lon+180, 360)
	if lon < 0 {
		lon += 360
	}
	return lon - 180
}

// reach tells whether the hard filter lets a person at a centre who
// travels km take an on-site need at a point.
type reach struct {
	t *testing.T
	s *score.Scorer
}

func newReach(t *testing.T) reach {
	t.Helper()
	s, err := score.New(nil, nil, score.DefaultWeights(), "en")
	if err != nil {
		t.Fatalf("score.New: %v", err)
	}
	return reach{t, s}
}

func (r reach) inside(cLat, cLon, km, lat, lon float64) bool {
	r.t.Helper()
	n, err := r.s.PrepareNeed(score.NeedFacts{ID: "n", Kind: "job", Lat: lat, Lon: lon, WorkMode: "onsite", StartDate: "2026-09-01"})
	if err != nil {
		r.t.Fatalf("PrepareNeed: %v", err)
	}
	c, err := r.s.PrepareCandidate(score.CandidateFacts{ID: "c", BirthYear: 1990, Consent: true, Lat: cLat, Lon: cLon, MaxTravelKm: km})
	if err != nil {
		r.t.Fatalf("PrepareCandidate: %v", err)
	}
	_, reasons, _ := score.Eligible(n, c)
	return !slices.Contains(reasons, score.ReasonTooFar)
}

// edge returns a point on the circle's edge at the bearing that the hard
// filter still counts as inside: the exact edge, or as little inward of it
// as rounding needs. ok is false if none is found (never in practice).
func (r reach) edge(lat, lon, bearing, km float64) (float64, float64, bool) {
	for shrink := 0.0; shrink <= 1e-9; shrink = max(1e-15, shrink*10) {
		pLat, pLon := destination(lat, lon, bearing, km*(1-shrink))
		if r.inside(lat, lon, km, pLat, pLon) {
			return pLat, pLon, true
		}
	}
	return 0, 0, false
}

// sideBearings returns the bearings from the centre to the circle's
// easternmost and westernmost points. On a sphere they lie poleward of the
// centre, where the circle is widest in degrees of longitude, so a box
// measured at the centre's latitude is narrower than the circle.
func sideBearings(lat, km float64) []float64 {
	const rad = math.Pi / 180
	phi, delta := lat*rad, km/earthKm
	if math.Sin(delta) >= math.Cos(phi) {
		return nil // the circle holds a pole
	}
	// The tangent point is at latitude asin(sin φ / cos δ); the bearing to it
	// from the centre follows from the spherical law of cosines.
	phiT := math.Asin(math.Sin(phi) / math.Cos(delta))
	cosTheta := (math.Sin(phiT) - math.Sin(phi)*math.Cos(delta)) / (math.Cos(phi) * math.Sin(delta))
	theta := math.Acos(max(-1, min(1, cosTheta))) / rad
	return []float64{theta, 360 - theta}
}

// maxReachTerms bounds a person's reach terms: each is a clause of the
// query that retrieves needs for the person (MatchNeeds).
const maxReachTerms = 25

// circle is a travel circle to check.
type circle struct{ lat, lon, km float64 }

func randomCircles(rng *rand.Rand, n int) []circle {
	out := make([]circle, 0, n)
	for i := range n {
		var c circle
		if i%2 == 0 { // Bulgaria
			c.lat, c.lon = 41.2+rng.Float64()*3, 22.4+rng.Float64()*6.2
		} else { // anywhere up to ±79°
			c.lat, c.lon = (rng.Float64()*2-1)*79, rng.Float64()*360-180
		}
		switch rng.IntN(4) {
		case 0: // whole kilometres, as profiles hold them
			c.km = float64(rng.IntN(1001))
		case 1: // mostly the radii that cells can hold
			c.km = 1000 * math.Pow(rng.Float64(), 3)
		case 2:
			c.km = rng.Float64() * 1000
		default: // small circles, down to nothing
			c.km = rng.Float64() * rng.Float64() * 60
		}
		out = append(out, c)
	}
	return out
}

// TestReachCellsHoldEveryPointInReach is the cells' promise: a need the
// hard filter lets a person reach always shares a term with the person's
// travel circle, so retrieval by cells never loses a candidate the re-rank
// would keep. Circles are drawn over Bulgaria and the whole map up to ±79°,
// with radii up to 1000 km; points inside them at random, on the edge at
// random bearings, and on the edge where the circle is widest.
func TestReachCellsHoldEveryPointInReach(t *testing.T) {
	r := newReach(t)
	rng := rand.New(rand.NewPCG(20921, 1))
	circles := append(randomCircles(rng, 1000),
		circle{41.9344, 25.5556, 0}, circle{41.9344, 25.5556, 20}, circle{41.9344, 25.5556, 100},
		circle{42.6977, 23.3219, 30}, circle{0, 0, 0}, circle{0.01, -0.01, 3}, circle{-79, 10, 40}, circle{79, -20, 40})
	const perCircle = 24
	failed := 0
	for _, c := range circles {
		cells := reachCells(c.lat, c.lon, c.km)
		if len(cells) == 0 || len(cells) > maxReachTerms {
			t.Fatalf("reachCells(%v, %v, %v) has %d terms, want 1 to %d", c.lat, c.lon, c.km, len(cells), maxReachTerms)
		}
		if slices.Equal(cells, []string{reachAnyTerm}) {
			continue // reaches every need
		}
		level := cellLevelOf(t, cells)
		var first string // the circle's first point in reach whose cell is missing
		check := func(what string, lat, lon float64) {
			if first != "" || !r.inside(c.lat, c.lon, c.km, lat, lon) {
				return
			}
			if p := pointCells(lat, lon); !slices.Contains(cells, p[level]) {
				first = fmt.Sprintf("%s (%.6f, %.6f) has cell %s", what, lat, lon, p[level])
			}
		}
		check("the centre", c.lat, c.lon)
		for range perCircle {
			bearing := rng.Float64() * 360
			lat, lon := destination(c.lat, c.lon, bearing, c.km*math.Sqrt(rng.Float64()))
			check("point", lat, lon)
			if lat, lon, ok := r.edge(c.lat, c.lon, bearing, c.km); ok {
				check("edge point", lat, lon)
			}
		}
		for _, bearing := range append([]float64{0, 90, 180, 270}, sideBearings(c.lat, c.km)...) {
			if lat, lon, ok := r.edge(c.lat, c.lon, bearing, c.km); ok {
				check("edge point", lat, lon)
			}
		}
		if first != "" {
			if failed++; failed <= 10 {
				t.Errorf("reachCells(%.6f, %.6f, %.6f km) = %v: %s, in reach but not among them", c.lat, c.lon, c.km, cells, first)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d circles miss a point in reach", failed, len(circles))
	}
}

// TestReachCellsHoldTheEdgesInBulgaria pins points in reach found by the
// test above for people in Bulgarian towns with whole-kilometre radii: the
// easternmost point of a circle, which lies north of its centre's latitude
// (the circle is widest there), and due north and south on the edge.
func TestReachCellsHoldTheEdgesInBulgaria(t *testing.T) {
	r := newReach(t)
	for _, tt := range []struct {
		town     string
		lat, lon float64
		km       float64
		side     string
	}{
		{"Sliven", 42.6817, 26.3229, 39, "east"},
		{"Stara Zagora", 42.4258, 25.6345, 30, "east"},
		{"Ruse", 43.8356, 25.9657, 99, "east"},
		{"Pazardzhik", 42.1928, 24.3336, 112, "north"},
		{"Razgrad", 43.5259, 26.5243, 14, "south"},
	} {
		bearing := map[string]float64{"north": 0, "south": 180}[tt.side]
		if tt.side == "east" {
			bearing = sideBearings(tt.lat, tt.km)[0]
		}
		lat, lon, ok := r.edge(tt.lat, tt.lon, bearing, tt.km)
		if !ok {
			t.Fatalf("no point of %s's %v km circle's %s edge is in reach", tt.town, tt.km, tt.side)
		}
		cells := reachCells(tt.lat, tt.lon, tt.km)
		if slices.Equal(cells, []string{reachAnyTerm}) {
			continue
		}
		if p := pointCells(lat, lon); !slices.Contains(cells, p[cellLevelOf(t, cells)]) {
			t.Errorf("reachCells(%s, %v km) = %v misses the %s edge (%.6f, %.6f), cell %s, which the hard filter keeps",
				tt.town, tt.km, cells, tt.side, lat, lon, p[cellLevelOf(t, cells)])
		}
	}
}

// cellLevelOf returns the one level of a person's reach terms.
func cellLevelOf(t *testing.T, cells []string) int {
	t.Helper()
	level := -1
	for _, c := range cells {
		prefix, _, _ := strings.Cut(c, ":")
		l, err := strconv.Atoi(prefix)
		if err != nil {
			t.Fatalf("reachCells = %v: term %q has no level", cells, c)
		}
		if level >= 0 && l != level {
			t.Fatalf("reachCells = %v: terms of levels %d and %d", cells, level, l)
		}
		level = l
	}
	if level < 0 || level >= cellLevels {
		t.Fatalf("reachCells = %v: level %d out of range", cells, level)
	}
	return level
}

// TestReachCellsOfUnknownPlacesReachAll: a place or radius that is not a
// number, or a negative radius, reaches every need rather than none.
func TestReachCellsOfUnknownPlacesReachAll(t *testing.T) {
	nan := math.NaN()
	for _, c := range []circle{{nan, 25, 10}, {42, nan, 10}, {nan, nan, 0}, {42, 25, nan}, {42, 25, -1}, {42, 25, -0.001}} {
		if got := reachCells(c.lat, c.lon, c.km); !slices.Equal(got, []string{reachAnyTerm}) {
			t.Errorf("reachCells(%v, %v, %v) = %v, want [%s]", c.lat, c.lon, c.km, got, reachAnyTerm)
		}
	}
}

// TestPointCellsEndWithAny: every need carries the term of people who reach
// everywhere.
func TestPointCellsEndWithAny(t *testing.T) {
	got := pointCells(41.9344, 25.5556)
	if len(got) != cellLevels+1 || got[cellLevels] != reachAnyTerm {
		t.Fatalf("pointCells(Haskovo) = %v, want %d levels and %q", got, cellLevels, reachAnyTerm)
	}
}

// TestReachCellsNarrow: the cells are a filter, not a formality: a 20 km
// circle in Haskovo shares no term with a need 200 km away, nor with one
// 60 km away, while it does with one in town.
func TestReachCellsNarrow(t *testing.T) {
	const lat, lon = 41.9344, 25.5556 // Haskovo
	cells := reachCells(lat, lon, 20)
	shares := func(pLat, pLon float64) bool {
		for _, c := range pointCells(pLat, pLon) {
			if slices.Contains(cells, c) {
				return true
			}
		}
		return false
	}
	if !shares(lat+0.01, lon+0.01) {
		t.Errorf("reachCells(Haskovo, 20 km) = %v shares no term with a need in town %v", cells, pointCells(lat+0.01, lon+0.01))
	}
	for _, km := range []float64{60, 200} {
		for _, bearing := range []float64{0, 45, 90, 135, 180, 225, 270, 315} {
			pLat, pLon := destination(lat, lon, bearing, km)
			if shares(pLat, pLon) {
				t.Errorf("reachCells(Haskovo, 20 km) = %v shares a term with a need %v km away at %v°: %v",
					cells, km, bearing, pointCells(pLat, pLon))
			}
		}
	}
}
