package search

import (
	"math"
	"strconv"
)

// Travel radii become keyword terms, so that Bleve narrows candidates by
// place with a term look-up instead of a geo-distance query, which cost
// most of the retrieval time at national scale (measured while planning:
// 3–7× slower). A grid of cells is laid over the map at several sizes; a
// person is indexed under the cells of one size that their travel circle
// touches, a need under the cell it lies in at every size. A need's query
// then asks for its own cells, and the exact distance is checked in the
// re-rank (score.Eligible): the cells are a superset of the circle, never
// a subset.
const (
	cellLevels   = 7    // sizes cellBase·2^level degrees, ≈ 5.6 km .. 356 km north–south
	cellBase     = 0.05 // degrees
	maxCellsAxis = 4    // the travel circle spans at most this many cells per axis
	reachAnyTerm = "any"
)

// cellSize is a level's cell edge in degrees.
func cellSize(level int) float64 { return cellBase * float64(int(1)<<level) }

func cellTerm(level int, x, y int) string {
	return strconv.Itoa(level) + ":" + strconv.Itoa(x) + ":" + strconv.Itoa(y)
}

func cellIndex(deg float64, level int) int { return int(math.Floor(deg / cellSize(level))) }

// pointCells are the terms of a need's place: its cell at every level.
func pointCells(lat, lon float64) []string {
	out := make([]string, 0, cellLevels+1)
	for l := range cellLevels {
		out = append(out, cellTerm(l, cellIndex(lon, l), cellIndex(lat, l)))
	}
	return append(out, reachAnyTerm)
}

// reachCells are the terms of a person's travel circle: the cells of the
// smallest size at which the circle's bounding box spans at most
// maxCellsAxis cells per axis, or reachAnyTerm when even the largest cells
// cannot hold it, when it reaches a pole or the antimeridian, or when the
// place is unknown.
func reachCells(lat, lon, km float64) []string {
	box, ok := boundingBox(lat, lon, km)
	if !ok {
		return []string{reachAnyTerm}
	}
	for l := range cellLevels {
		x0, x1 := cellIndex(box.minLon, l), cellIndex(box.maxLon, l)
		y0, y1 := cellIndex(box.minLat, l), cellIndex(box.maxLat, l)
		if x1-x0 >= maxCellsAxis || y1-y0 >= maxCellsAxis {
			continue
		}
		out := make([]string, 0, (x1-x0+1)*(y1-y0+1))
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				out = append(out, cellTerm(l, x, y))
			}
		}
		return out
	}
	return []string{reachAnyTerm}
}

type box struct{ minLat, maxLat, minLon, maxLon float64 }

// boundingBox is the smallest latitude–longitude box holding every point
// within km of (lat, lon) on the sphere the hard filter measures on, made a
// little larger against rounding. A circle's widest longitude is not at
// its centre's latitude but where the meridians touch it:
// Δλ = asin(sin(r/R) / cos φ). ok is false when the box would wrap around a
// pole or the antimeridian, or the input is not a place and a distance.
func boundingBox(lat, lon, km float64) (box, bool) {
	const earthKm = 6371.0088 // as score.haversineKm
	const deg = 180 / math.Pi
	if math.IsNaN(lat) || math.IsNaN(lon) || math.IsNaN(km) || km < 0 || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		return box{}, false
	}
	ang := (km*1.001 + 0.01) / earthKm // radians, with a metre-scale margin
	dLat := ang * deg
	if math.Abs(lat)+dLat >= 90 || ang >= math.Pi/2 {
		return box{}, false
	}
	dLon := math.Asin(math.Min(1, math.Sin(ang)/math.Cos(lat/deg))) * deg
	b := box{minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon}
	if b.minLon < -180 || b.maxLon > 180 {
		return box{}, false
	}
	return b, true
}

// cardPlaceLevel is the grid level to which a candidate's place is rounded
// in what an employer sees (0.1°: about 11 km north–south and 8 km east–west
// in Bulgaria, finer than most municipalities a card names).
const cardPlaceLevel = 1

// cardPlace is the centre of the cardPlaceLevel cell that holds a point.
func cardPlace(lat, lon float64) (float64, float64) {
	size := cellSize(cardPlaceLevel)
	centre := func(deg float64) float64 { return (math.Floor(deg/size) + 0.5) * size }
	return centre(lat), centre(lon)
}
