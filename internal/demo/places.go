package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// place is a municipality by its seat: the seat's centre (WGS84), its
// province (oblast), the municipality's population in thousands at the
// 2021 census, where the open sea lies for a town on the coast, and how
// many of a city-scope data set's job-seekers and employers it draws.
type place struct {
	name     string
	oblast   string
	lat, lon float64
	pop      int // thousands, 2021 census
	sea      int // bearing of the open sea from the centre, degrees clockwise from north; 0 inland
	seekers  int // city scope: weight among job-seekers
	firms    int // city scope: weight among employers
}

// haskovo is the pilot's province.
const haskovo = "Хасково"

// places: the eleven municipalities of Haskovo province and the seven
// large cities that city scope draws from (with their city weights), then
// the rest of the country, province by province: every province seat,
// most other municipalities of 10,000 people or more and a few smaller
// ones, 132 places holding nearly nine in ten of Bulgaria's people.
//
// Coordinates are the town centres, to 0.02° (2 km) or better, from memory
// and cross-checked against GeoNames. Populations are the 2021
// census's for the municipality, in thousands, rounded; some are from
// memory and may be a few thousand off, which matters little here: within
// each province people are only shared out in proportion to them (see
// nationalWeights). Municipalities whose seat is another's (Родопи and
// Марица around Пловдив, Тунджа around Ямбол, Добричка) are not listed;
// their people count towards their province.
//
// The order matters: city scope draws by index, so new places go after the
// first eighteen, or city data sets change.
var places = []place{
	{"Хасково", haskovo, 41.934, 25.555, 83, 0, 83, 83},
	{"Димитровград", haskovo, 42.050, 25.594, 46, 0, 46, 46},
	{"Харманли", haskovo, 41.933, 25.900, 21, 0, 21, 21},
	{"Свиленград", haskovo, 41.767, 26.200, 20, 0, 20, 20},
	{"Тополовград", haskovo, 42.083, 26.333, 10, 0, 10, 10},
	{"Любимец", haskovo, 41.833, 26.083, 8, 0, 8, 8},
	{"Симеоновград", haskovo, 42.033, 25.833, 8, 0, 8, 8},
	{"Ивайловград", haskovo, 41.527, 26.125, 5, 0, 5, 5},
	{"Минерални бани", haskovo, 41.950, 25.350, 5, 0, 5, 5},
	{"Стамболово", haskovo, 41.783, 25.633, 5, 0, 5, 5},
	{"Маджарово", haskovo, 41.633, 25.867, 1, 0, 1, 1},
	{"София", "София (столица)", 42.698, 23.322, 1274, 0, 14, 9},
	{"Пловдив", "Пловдив", 42.150, 24.750, 320, 0, 9, 6},
	{"Стара Загора", "Стара Загора", 42.425, 25.634, 150, 0, 6, 4},
	{"Кърджали", "Кърджали", 41.650, 25.367, 61, 0, 4, 2},
	{"Варна", "Варна", 43.214, 27.914, 316, 110, 2, 1},
	{"Бургас", "Бургас", 42.505, 27.468, 196, 90, 2, 1},
	{"Русе", "Русе", 43.848, 25.954, 139, 0, 1, 1},

	{"Благоевград", "Благоевград", 42.021, 23.094, 69, 0, 0, 0},
	{"Петрич", "Благоевград", 41.398, 23.207, 48, 0, 0, 0},
	{"Сандански", "Благоевград", 41.567, 23.283, 36, 0, 0, 0},
	{"Гоце Делчев", "Благоевград", 41.567, 23.733, 30, 0, 0, 0},
	{"Разлог", "Благоевград", 41.886, 23.467, 19, 0, 0, 0},
	{"Банско", "Благоевград", 41.838, 23.488, 13, 0, 0, 0},
	{"Симитли", "Благоевград", 41.883, 23.117, 12, 0, 0, 0},

	{"Несебър", "Бургас", 42.659, 27.736, 28, 90, 0, 0},
	{"Айтос", "Бургас", 42.700, 27.250, 27, 0, 0, 0},
	{"Поморие", "Бургас", 42.563, 27.630, 26, 120, 0, 0},
	{"Руен", "Бургас", 42.800, 27.283, 26, 0, 0, 0},
	{"Карнобат", "Бургас", 42.650, 26.983, 24, 0, 0, 0},
	{"Созопол", "Бургас", 42.418, 27.696, 15, 45, 0, 0},
	{"Средец", "Бургас", 42.347, 27.179, 13, 0, 0, 0},
	{"Камено", "Бургас", 42.571, 27.299, 11, 0, 0, 0},

	{"Аксаково", "Варна", 43.256, 27.821, 22, 0, 0, 0},
	{"Провадия", "Варна", 43.183, 27.433, 20, 0, 0, 0},
	{"Долни чифлик", "Варна", 42.993, 27.716, 17, 0, 0, 0},
	{"Белослав", "Варна", 43.190, 27.704, 10, 0, 0, 0},
	{"Девня", "Варна", 43.222, 27.569, 8, 0, 0, 0},

	{"Велико Търново", "Велико Търново", 43.081, 25.629, 74, 0, 0, 0},
	{"Горна Оряховица", "Велико Търново", 43.128, 25.702, 40, 0, 0, 0},
	{"Свищов", "Велико Търново", 43.619, 25.350, 31, 0, 0, 0},
	{"Павликени", "Велико Търново", 43.243, 25.322, 21, 0, 0, 0},
	{"Лясковец", "Велико Търново", 43.111, 25.728, 12, 0, 0, 0},
	{"Полски Тръмбеш", "Велико Търново", 43.372, 25.635, 11, 0, 0, 0},

	{"Видин", "Видин", 43.991, 22.882, 50, 0, 0, 0},
	{"Белоградчик", "Видин", 43.627, 22.684, 5, 0, 0, 0},

	{"Враца", "Враца", 43.210, 23.553, 62, 0, 0, 0},
	{"Бяла Слатина", "Враца", 43.467, 23.933, 20, 0, 0, 0},
	{"Козлодуй", "Враца", 43.779, 23.721, 19, 0, 0, 0},
	{"Мездра", "Враца", 43.150, 23.700, 18, 0, 0, 0},
	{"Оряхово", "Враца", 43.736, 23.961, 9, 0, 0, 0},

	{"Габрово", "Габрово", 42.874, 25.334, 53, 0, 0, 0},
	{"Севлиево", "Габрово", 43.026, 25.114, 31, 0, 0, 0},
	{"Трявна", "Габрово", 42.867, 25.500, 11, 0, 0, 0},
	{"Дряново", "Габрово", 42.979, 25.479, 8, 0, 0, 0},

	{"Добрич", "Добрич", 43.572, 27.827, 72, 0, 0, 0},
	{"Балчик", "Добрич", 43.422, 28.158, 18, 160, 0, 0},
	{"Тервел", "Добрич", 43.748, 27.409, 14, 0, 0, 0},
	{"Каварна", "Добрич", 43.436, 28.340, 13, 170, 0, 0},
	{"Генерал Тошево", "Добрич", 43.701, 28.038, 12, 0, 0, 0},

	{"Кирково", "Кърджали", 41.327, 25.364, 18, 0, 0, 0},
	{"Крумовград", "Кърджали", 41.471, 25.655, 16, 0, 0, 0},
	{"Момчилград", "Кърджали", 41.533, 25.417, 15, 0, 0, 0},
	{"Ардино", "Кърджали", 41.583, 25.133, 9, 0, 0, 0},

	{"Кюстендил", "Кюстендил", 42.284, 22.691, 50, 0, 0, 0},
	{"Дупница", "Кюстендил", 42.267, 23.117, 33, 0, 0, 0},

	{"Ловеч", "Ловеч", 43.136, 24.717, 42, 0, 0, 0},
	{"Троян", "Ловеч", 42.894, 24.716, 28, 0, 0, 0},
	{"Тетевен", "Ловеч", 42.917, 24.267, 17, 0, 0, 0},
	{"Луковит", "Ловеч", 43.200, 24.167, 15, 0, 0, 0},

	{"Монтана", "Монтана", 43.412, 23.225, 45, 0, 0, 0},
	{"Лом", "Монтана", 43.821, 23.237, 22, 0, 0, 0},
	{"Берковица", "Монтана", 43.236, 23.127, 16, 0, 0, 0},

	{"Пазарджик", "Пазарджик", 42.193, 24.333, 96, 0, 0, 0},
	{"Велинград", "Пазарджик", 42.028, 23.992, 32, 0, 0, 0},
	{"Панагюрище", "Пазарджик", 42.495, 24.190, 22, 0, 0, 0},
	{"Септември", "Пазарджик", 42.211, 24.129, 22, 0, 0, 0},
	{"Пещера", "Пазарджик", 42.034, 24.300, 16, 0, 0, 0},
	{"Ракитово", "Пазарджик", 41.990, 24.087, 13, 0, 0, 0},

	{"Перник", "Перник", 42.605, 23.038, 73, 0, 0, 0},
	{"Радомир", "Перник", 42.546, 22.966, 17, 0, 0, 0},

	{"Плевен", "Плевен", 43.417, 24.607, 113, 0, 0, 0},
	{"Червен бряг", "Плевен", 43.267, 24.100, 19, 0, 0, 0},
	{"Левски", "Плевен", 43.367, 25.133, 18, 0, 0, 0},
	{"Долна Митрополия", "Плевен", 43.467, 24.533, 17, 0, 0, 0},
	{"Кнежа", "Плевен", 43.500, 24.083, 11, 0, 0, 0},

	{"Асеновград", "Пловдив", 42.012, 24.878, 59, 0, 0, 0},
	{"Карлово", "Пловдив", 42.643, 24.808, 46, 0, 0, 0},
	{"Раковски", "Пловдив", 42.274, 24.941, 25, 0, 0, 0},
	{"Първомай", "Пловдив", 42.100, 25.217, 23, 0, 0, 0},
	{"Стамболийски", "Пловдив", 42.133, 24.533, 19, 0, 0, 0},
	{"Хисаря", "Пловдив", 42.500, 24.700, 11, 0, 0, 0},

	{"Разград", "Разград", 43.526, 26.524, 46, 0, 0, 0},
	{"Исперих", "Разград", 43.717, 26.833, 19, 0, 0, 0},
	{"Кубрат", "Разград", 43.797, 26.501, 15, 0, 0, 0},

	{"Ветово", "Русе", 43.700, 26.267, 12, 0, 0, 0},
	{"Бяла", "Русе", 43.467, 25.733, 11, 0, 0, 0},

	{"Силистра", "Силистра", 44.117, 27.261, 44, 0, 0, 0},
	{"Дулово", "Силистра", 43.817, 27.150, 24, 0, 0, 0},
	{"Тутракан", "Силистра", 44.049, 26.612, 13, 0, 0, 0},

	{"Сливен", "Сливен", 42.682, 26.322, 112, 0, 0, 0},
	{"Нова Загора", "Сливен", 42.483, 26.017, 34, 0, 0, 0},
	{"Котел", "Сливен", 42.883, 26.450, 17, 0, 0, 0},
	{"Твърдица", "Сливен", 42.700, 25.900, 12, 0, 0, 0},

	{"Смолян", "Смолян", 41.575, 24.712, 36, 0, 0, 0},
	{"Девин", "Смолян", 41.743, 24.400, 10, 0, 0, 0},
	{"Златоград", "Смолян", 41.380, 25.096, 10, 0, 0, 0},
	{"Мадан", "Смолян", 41.499, 24.940, 9, 0, 0, 0},
	{"Чепеларе", "Смолян", 41.733, 24.683, 7, 0, 0, 0},

	{"Самоков", "Софийска", 42.337, 23.553, 35, 0, 0, 0},
	{"Ботевград", "Софийска", 42.900, 23.783, 30, 0, 0, 0},
	{"Елин Пелин", "Софийска", 42.667, 23.600, 22, 0, 0, 0},
	{"Своге", "Софийска", 42.967, 23.350, 18, 0, 0, 0},
	{"Костинброд", "Софийска", 42.817, 23.217, 17, 0, 0, 0},
	{"Ихтиман", "Софийска", 42.433, 23.817, 16, 0, 0, 0},
	{"Етрополе", "Софийска", 42.833, 24.000, 11, 0, 0, 0},
	{"Сливница", "Софийска", 42.852, 23.038, 9, 0, 0, 0},
	{"Пирдоп", "Софийска", 42.700, 24.183, 8, 0, 0, 0},

	{"Казанлък", "Стара Загора", 42.619, 25.393, 67, 0, 0, 0},
	{"Чирпан", "Стара Загора", 42.200, 25.333, 17, 0, 0, 0},
	{"Раднево", "Стара Загора", 42.300, 25.933, 17, 0, 0, 0},
	{"Павел баня", "Стара Загора", 42.600, 25.200, 12, 0, 0, 0},
	{"Гълъбово", "Стара Загора", 42.133, 25.850, 11, 0, 0, 0},

	{"Търговище", "Търговище", 43.251, 26.572, 50, 0, 0, 0},
	{"Попово", "Търговище", 43.350, 26.233, 23, 0, 0, 0},
	{"Омуртаг", "Търговище", 43.100, 26.417, 19, 0, 0, 0},

	{"Шумен", "Шумен", 43.271, 26.936, 77, 0, 0, 0},
	{"Нови пазар", "Шумен", 43.350, 27.200, 14, 0, 0, 0},
	{"Велики Преслав", "Шумен", 43.167, 26.817, 12, 0, 0, 0},

	{"Ямбол", "Ямбол", 42.484, 26.503, 61, 0, 0, 0},
	{"Елхово", "Ямбол", 42.167, 26.567, 15, 0, 0, 0},
	{"Стралджа", "Ямбол", 42.600, 26.683, 10, 0, 0, 0},
}

// oblasts are Bulgaria's 28 provinces with their populations in
// thousands at the 2021 census (6,520 thousand in all). National scope
// gives each province its census share of people and employers.
var oblasts = []struct {
	name string
	pop  int
}{
	{"Благоевград", 279}, {"Бургас", 377}, {"Варна", 425}, {"Велико Търново", 205}, {"Видин", 78},
	{"Враца", 143}, {"Габрово", 102}, {"Добрич", 150}, {"Кърджали", 158}, {"Кюстендил", 111},
	{"Ловеч", 113}, {"Монтана", 117}, {"Пазарджик", 229}, {"Перник", 119}, {"Плевен", 225},
	{"Пловдив", 634}, {"Разград", 105}, {"Русе", 192}, {"Силистра", 99}, {"Сливен", 172},
	{"Смолян", 96}, {"София (столица)", 1274}, {"Софийска", 232}, {"Стара Загора", 297},
	{"Търговище", 99}, {"Хасково", 212}, {"Шумен", 151}, {"Ямбол", 114},
}

// placeIndex finds a place by its name.
var placeIndex = func() map[string]int {
	m := make(map[string]int, len(places))
	for i, p := range places {
		if _, dup := m[p.name]; dup {
			panic(fmt.Sprintf("demo: place %s listed twice", p.name))
		}
		m[p.name] = i
	}
	return m
}()

// inProvince reports whether the municipality is in Haskovo province.
func inProvince(name string) bool {
	i, ok := placeIndex[name]
	return ok && places[i].oblast == haskovo
}

// nationalWeights weights every place by its population, scaled within
// its province so that the province gets its census share: the people of
// the municipalities not listed (about 12 % of the country, mostly
// villages) count towards the listed ones of their province. Weights are
// in people.
func nationalWeights() []int {
	listed := map[string]int{}
	for _, p := range places {
		listed[p.oblast] += p.pop
	}
	w := make([]int, len(places))
	for _, o := range oblasts {
		for i, p := range places {
			if p.oblast == o.name {
				w[i] = p.pop * o.pop * 1000 / listed[o.name]
			}
		}
	}
	return w
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

// pick returns an index: i with probability weights[i] / sum. An index of
// weight 0 is never picked.
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

func placeWeights(f func(place) int) []int {
	w := make([]int, len(places))
	for i, p := range places {
		w[i] = f(p)
	}
	return w
}

// geography is where a scope's people and employers are: how places are
// drawn and how points are scattered around their centres.
type geography struct {
	national bool
	seekers  weighted // draws a job-seeker's place
	firms    weighted // draws an employer's place
	// National scope: each province's places and their weights, for
	// branches in the employer's province.
	inOblast map[string]oblastPlaces
}

type oblastPlaces struct {
	idx []int // into places
	weighted
}

var (
	cityGeography = geography{
		seekers: newWeighted(placeWeights(func(p place) int { return p.seekers })),
		firms:   newWeighted(placeWeights(func(p place) int { return p.firms })),
	}
	nationalGeography = func() geography {
		w := nationalWeights()
		g := geography{national: true, seekers: newWeighted(w), firms: newWeighted(w), inOblast: map[string]oblastPlaces{}}
		for _, o := range oblasts {
			var op oblastPlaces
			var ws []int
			for i, p := range places {
				if p.oblast == o.name {
					op.idx = append(op.idx, i)
					ws = append(ws, w[i])
				}
			}
			op.weighted = newWeighted(ws)
			g.inOblast[o.name] = op
		}
		return g
	}()
)

// point scatters a point around the place's centre: within maxJitterKm in
// city scope (as the pilot's data always were), by the town's size in
// national scope.
func (geo *geography) point(rng *rand.Rand, p place) (lat, lon float64) {
	if geo.national {
		return scatter(rng, p)
	}
	return jitter(rng, p)
}

// branch draws a place for a branch of an employer seated in town, and
// reports false when the draw gives no other place: in city scope another
// municipality of Haskovo province, nationally one of the employer's own
// province (in proportion to people in both).
func (geo *geography) branch(rng *rand.Rand, town string) (place, bool) {
	if !geo.national {
		pl := places[geo.firms.pick(rng)]
		return pl, pl.oblast == haskovo && pl.name != town
	}
	i, ok := placeIndex[town]
	if !ok {
		return place{}, false
	}
	op := geo.inOblast[places[i].oblast]
	pl := places[op.idx[op.pick(rng)]]
	return pl, pl.name != town
}

// maxJitterKm is how far from its town's centre a city-scope point may
// fall.
const maxJitterKm = 2.0

const kmPerDegree = 111.32

// jitter returns a point uniformly distributed in the disc of maxJitterKm
// around the place's centre.
func jitter(rng *rand.Rand, p place) (lat, lon float64) {
	r := maxJitterKm * math.Sqrt(rng.Float64())
	theta := 2 * math.Pi * rng.Float64()
	lat = p.lat + r*math.Cos(theta)/kmPerDegree
	lon = p.lon + r*math.Sin(theta)/(kmPerDegree*math.Cos(p.lat*math.Pi/180))
	return round6(lat), round6(lon)
}

// National scope's scatter: a town's people live around its centre, the
// rest of its municipality in villages around it. The town part falls at a
// normally distributed distance (truncated at three standard deviations)
// whose deviation grows with the square root of the population, as a
// town's area does: 5 km for Sofia (nine in ten within 10 km), 2.5 km for
// Plovdiv and Varna, 1.3 km for Haskovo, at least 0.7 km. The village
// share falls with size, from 4 % of Sofia's to half of the smallest
// municipality's (the country's is 27 %), uniformly within villageKm.
const (
	coreKmPerSqrtK = 0.14 // the deviation per √(thousand people)
	minCoreKm      = 0.7
	villageKm      = 10.0
)

// coreKm is the standard deviation of a town's distance from its centre.
func coreKm(pop int) float64 { return max(minCoreKm, coreKmPerSqrtK*math.Sqrt(float64(pop))) }

// villageShare is the share of a municipality's people drawn in its
// villages.
func villageShare(pop int) float64 {
	return min(0.5, max(0.04, 0.6-0.08*math.Log(float64(max(pop, 1)))))
}

// truncation keeps a normal radius within three deviations with one draw:
// 1 - e^(-9/2) of the distribution's mass lies there.
var truncation = 1 - math.Exp(-4.5)

// scatter returns a national-scope point around the place: in the town or
// in its villages. On the coast, a point that would fall towards the sea
// is mirrored through the centre, onto land.
func scatter(rng *rand.Rand, p place) (lat, lon float64) {
	var r float64
	if chance(rng, villageShare(p.pop)) {
		r = villageKm * math.Sqrt(rng.Float64())
	} else {
		r = coreKm(p.pop) * math.Sqrt(-2*math.Log(1-truncation*rng.Float64()))
	}
	theta := 2 * math.Pi * rng.Float64()
	north, east := r*math.Cos(theta), r*math.Sin(theta)
	if p.sea != 0 {
		b := float64(p.sea) * math.Pi / 180
		if north*math.Cos(b)+east*math.Sin(b) > 0 {
			north, east = -north, -east
		}
	}
	lat = p.lat + north/kmPerDegree
	lon = p.lon + east/(kmPerDegree*math.Cos(p.lat*math.Pi/180))
	return round6(lat), round6(lon)
}

// maxScatterKm is the farthest a national-scope point falls from its
// place's centre.
func maxScatterKm(p place) float64 { return max(villageKm, 3*coreKm(p.pop)) }

// round6 keeps six decimals (about 10 cm), as a phone's GPS gives.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
