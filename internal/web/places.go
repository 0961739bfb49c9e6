package web

import "github.com/careget/skillsmatch/internal/register"

// place is a municipality seat offered by "near": the eleven
// municipalities of Haskovo province, town centres (WGS84, as the demo's
// places in internal/demo/places.go).
type place struct {
	Key, BG, EN string
	At          register.GeoPoint
}

var places = []place{
	{"haskovo", "Хасково", "Haskovo", register.GeoPoint{Lat: 41.934, Lon: 25.555}},
	{"dimitrovgrad", "Димитровград", "Dimitrovgrad", register.GeoPoint{Lat: 42.050, Lon: 25.594}},
	{"harmanli", "Харманли", "Harmanli", register.GeoPoint{Lat: 41.933, Lon: 25.900}},
	{"svilengrad", "Свиленград", "Svilengrad", register.GeoPoint{Lat: 41.767, Lon: 26.200}},
	{"topolovgrad", "Тополовград", "Topolovgrad", register.GeoPoint{Lat: 42.083, Lon: 26.333}},
	{"lyubimets", "Любимец", "Lyubimets", register.GeoPoint{Lat: 41.833, Lon: 26.083}},
	{"simeonovgrad", "Симеоновград", "Simeonovgrad", register.GeoPoint{Lat: 42.033, Lon: 25.833}},
	{"ivaylovgrad", "Ивайловград", "Ivaylovgrad", register.GeoPoint{Lat: 41.527, Lon: 26.125}},
	{"mineralni-bani", "Минерални бани", "Mineralni Bani", register.GeoPoint{Lat: 41.950, Lon: 25.350}},
	{"stambolovo", "Стамболово", "Stambolovo", register.GeoPoint{Lat: 41.783, Lon: 25.633}},
	{"madzharovo", "Маджарово", "Madzharovo", register.GeoPoint{Lat: 41.633, Lon: 25.867}},
}

func placeByKey(key string) (place, bool) {
	for _, p := range places {
		if p.Key == key {
			return p, true
		}
	}
	return place{}, false
}
