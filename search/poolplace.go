package search

import (
	"cmp"
	"math"
	"slices"
)

// The pool numbers its documents by place, so that a query reads only the
// parts of each posting list whose documents may be within reach: a
// common skill's list spans the whole country, and a person 200 km from a
// need is never read for it. Documents are ordered by placeKey (remote
// work, travel band, then a grid cell of placeCellDeg) and each run of
// one key is a placeRange. A document written since the last ordering is
// numbered past the ranges, in the tail, which every query reads whole;
// a written document whose key changed moves to the tail. When the tail
// grows past a quarter of the ordered documents, the pool orders them
// again (compactProfiles, compactNeeds).
//
// Only what the hard filters exclude is skipped: a range is read unless
// the distance from the query's point to its cell is more than the
// widest travel radius in it (for needs: the person's), or, for remote
// work, its documents accept remote work anywhere.

// placeCellDeg is the side of a grid cell in degrees: about 11 by 8 km
// in Bulgaria.
const placeCellDeg = 0.1

// placeKey orders documents: remote (1 bit), travel band (3 bits), row
// and column of the cell. A place that is not a number gets the last key:
// it is read by every query, as the distance test decides nothing there.
type placeKey uint32

const (
	rowBits, colBits = 12, 13
	rowBias, colBias = 1 << (rowBits - 1), 1 << (colBits - 1)
	anywhere         = placeKey(math.MaxUint32)
)

// travelBands split people by their travel radius, so that those who
// travel little are read only near the need: the upper bound of each
// band in km; past the last, the fifth.
var travelBands = [...]float64{20, 30, 50, 80}

func travelBand(km float64) uint32 {
	for i, b := range travelBands {
		if km <= b {
			return uint32(i)
		}
	}
	return uint32(len(travelBands))
}

func placeKeyOf(lat, lon float64, remote bool, band uint32) placeKey {
	if !(math.Abs(lat) <= 90 && math.Abs(lon) <= 180) { // also NaN
		return anywhere
	}
	row := uint32(int32(math.Floor(lat/placeCellDeg)) + rowBias)
	col := uint32(int32(math.Floor(lon/placeCellDeg)) + colBias)
	k := band<<(rowBits+colBits) | row<<colBits | col
	if remote {
		k |= 1 << 31
	}
	return placeKey(k)
}

func (k placeKey) remote() bool { return k != anywhere && k&(1<<31) != 0 }

// cell is the key's cell: its south-west corner.
func (k placeKey) cell() (lat, lon float64) {
	row := int32(k>>colBits&(1<<rowBits-1)) - rowBias
	col := int32(k&(1<<colBits-1)) - colBias
	return float64(row) * placeCellDeg, float64(col) * placeCellDeg
}

// placeRange is a run of documents [lo, hi) of one key, and the widest
// travel radius among them (profiles only).
type placeRange struct {
	key    placeKey
	lo, hi int32
	maxKm  float64
}

// layout is the ordered part of a family of documents.
type layout struct {
	ranges []placeRange // by key, which is by lo
	sorted int32        // documents below it are in ranges; from it on, the tail
}

// rangeOf is the range of an ordered document.
func (lo *layout) rangeOf(d int32) *placeRange {
	i, _ := slices.BinarySearchFunc(lo.ranges, d, func(r placeRange, d int32) int {
		switch {
		case r.hi <= d:
			return -1
		case r.lo > d:
			return 1
		}
		return 0
	})
	return &lo.ranges[i]
}

// span is a run of documents [lo, hi) a query reads.
type span struct{ lo, hi int32 }

// reach are the runs of documents a query from (lat, lon) reads, in
// order: the ranges whose cell is within km of it (km < 0: within the
// range's widest travel radius), those of remote work when remoteOK, and
// the tail up to total.
func (lo *layout) reach(lat, lon, km float64, remoteOK bool, total int32) []span {
	var out []span
	add := func(a, b int32) {
		if n := len(out); n > 0 && out[n-1].hi == a {
			out[n-1].hi = b
			return
		}
		out = append(out, span{a, b})
	}
	for i := range lo.ranges {
		r := &lo.ranges[i]
		radius := km
		if radius < 0 {
			radius = r.maxKm
		}
		if r.key == anywhere || (remoteOK && r.key.remote()) || cellWithin(lat, lon, r.key, radius+2*reachSlackKm) {
			add(r.lo, r.hi)
		}
	}
	if lo.sorted < total {
		add(lo.sorted, total)
	}
	return out
}

// cellWithin reports whether some point of the key's cell may be within
// km of (lat, lon): false only when a lower bound of the distance to
// every point of the cell is beyond km. The great-circle distance is at
// least the arc between the latitudes, and, by the haversine formula, at
// least 2R·asin(cos φ·sin(Δλ/2)) for the largest |latitude| φ of both.
func cellWithin(lat, lon float64, k placeKey, km float64) bool {
	const earthKm = 6371.0088
	const rad = math.Pi / 180
	lat0, lon0 := k.cell()
	lat1, lon1 := lat0+placeCellDeg, lon0+placeCellDeg
	dLat := max(lat0-lat, lat-lat1, 0)
	if dLat*rad*earthKm > km {
		return false
	}
	dLon := max(lon0-lon, lon-lon1, 0)
	dLon = min(dLon, 360-dLon) // the short way round
	phi := max(math.Abs(lat), math.Abs(lat0), math.Abs(lat1))
	if phi >= 90 || dLon <= 0 {
		return true
	}
	s := math.Cos(phi*rad) * math.Sin(dLon*rad/2)
	return 2*earthKm*math.Asin(min(1, s)) <= km
}

// ranges groups ordered documents [0, n) by key.
func rangesOf(n int32, key func(int32) placeKey, maxKm func(int32) float64) []placeRange {
	var out []placeRange
	for d := int32(0); d < n; d++ {
		k := key(d)
		if len(out) == 0 || out[len(out)-1].key != k {
			out = append(out, placeRange{key: k, lo: d, hi: d})
		}
		r := &out[len(out)-1]
		r.hi = d + 1
		r.maxKm = max(r.maxKm, maxKm(d))
	}
	return out
}

// tailSlack is the tail's length below which the pool never orders again.
var tailSlack int32 = 4096

// untidy reports whether the tail has grown enough to order again.
func (lo *layout) untidy(total int32) bool {
	tail := total - lo.sorted
	return tail > tailSlack && tail > lo.sorted/4
}

// byKey orders records by key, then id.
func byKey[T any](recs []T, key func(T) placeKey, id func(T) string) {
	slices.SortFunc(recs, func(a, b T) int { return cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(id(a), id(b))) })
}

// seekDoc is the first index at or after from whose document is at least d.
func seekDoc(l []int32, from int, d int32) int {
	step := 1
	hi := from
	for hi < len(l) && postingDoc(l[hi]) < d {
		from = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(l))
	j, _ := slices.BinarySearchFunc(l[from:hi], d, func(v, d int32) int { return cmp.Compare(postingDoc(v), d) })
	return from + j
}
