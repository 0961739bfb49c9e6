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
	maxCellsAxis = 5    // the travel circle spans at most this many cells per axis
	reachAnyTerm = "any"
	kmPerDegree  = 111.2 // north–south, on the mean sphere
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
// cannot hold it (or the place is unknown).
func reachCells(lat, lon, km float64) []string {
	if math.IsNaN(lat) || math.IsNaN(lon) || km < 0 || math.Abs(lat) > 80 {
		return []string{reachAnyTerm}
	}
	dLat := km / kmPerDegree
	dLon := dLat / math.Cos(lat*math.Pi/180)
	for l := range cellLevels {
		x0, x1 := cellIndex(lon-dLon, l), cellIndex(lon+dLon, l)
		y0, y1 := cellIndex(lat-dLat, l), cellIndex(lat+dLat, l)
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
