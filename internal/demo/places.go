package demo

import (
	"math"
	"math/rand/v2"
)

// place is a municipality by its seat: its centre and how many of the
// demo's job-seekers and employers it draws, roughly in proportion to its
// population in thousands (2021 census) for Haskovo province, and a small
// share in the large cities for returnees, students and firms elsewhere.
type place struct {
	name     string
	lat, lon float64
	province bool // in Haskovo province
	seekers  int
	firms    int
}

// places: the eleven municipalities of Haskovo province, then large cities
// elsewhere. Coordinates are the town centres (WGS84).
var places = []place{
	{"Хасково", 41.934, 25.555, true, 83, 83},
	{"Димитровград", 42.050, 25.594, true, 46, 46},
	{"Харманли", 41.933, 25.900, true, 21, 21},
	{"Свиленград", 41.767, 26.200, true, 20, 20},
	{"Тополовград", 42.083, 26.333, true, 10, 10},
	{"Любимец", 41.833, 26.083, true, 8, 8},
	{"Симеоновград", 42.033, 25.833, true, 8, 8},
	{"Ивайловград", 41.527, 26.125, true, 5, 5},
	{"Минерални бани", 41.950, 25.350, true, 5, 5},
	{"Стамболово", 41.783, 25.633, true, 5, 5},
	{"Маджарово", 41.633, 25.867, true, 1, 1},
	{"София", 42.698, 23.322, false, 14, 9},
	{"Пловдив", 42.150, 24.750, false, 9, 6},
	{"Стара Загора", 42.425, 25.634, false, 6, 4},
	{"Кърджали", 41.650, 25.367, false, 4, 2},
	{"Варна", 43.214, 27.914, false, 2, 1},
	{"Бургас", 42.505, 27.468, false, 2, 1},
	{"Русе", 43.848, 25.954, false, 1, 1},
}

// inProvince reports whether the municipality is in Haskovo province.
func inProvince(name string) bool {
	for _, p := range places {
		if p.name == name {
			return p.province
		}
	}
	return false
}

// weighted draws indexes in proportion to fixed weights.
type weighted struct{ cum []int }

func newWeighted(weights []int) weighted {
	w := weighted{cum: make([]int, len(weights))}
	total := 0
	for i, x := range weights {
		total += x
		w.cum[i] = total
	}
	return w
}

// pick returns an index: i with probability weights[i] / sum.
func (w weighted) pick(rng *rand.Rand) int { return pickCum(rng, w.cum) }

// pickCum draws an index from cumulative weights by binary search.
func pickCum(rng *rand.Rand, cum []int) int {
	r := rng.IntN(cum[len(cum)-1])
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > r {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

var (
	seekerPlaces = newWeighted(placeWeights(func(p place) int { return p.seekers }))
	firmPlaces   = newWeighted(placeWeights(func(p place) int { return p.firms }))
)

func placeWeights(f func(place) int) []int {
	w := make([]int, len(places))
	for i, p := range places {
		w[i] = f(p)
	}
	return w
}

// maxJitterKm is how far from its town's centre a point may fall.
const maxJitterKm = 2.0

// jitter returns a point uniformly distributed in the disc of maxJitterKm
// around the place's centre.
func jitter(rng *rand.Rand, p place) (lat, lon float64) {
	const kmPerDegree = 111.32
	r := maxJitterKm * math.Sqrt(rng.Float64())
	theta := 2 * math.Pi * rng.Float64()
	lat = p.lat + r*math.Cos(theta)/kmPerDegree
	lon = p.lon + r*math.Sin(theta)/(kmPerDegree*math.Cos(p.lat*math.Pi/180))
	return round6(lat), round6(lon)
}

// round6 keeps six decimals (about 10 cm), as a phone's GPS gives.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
