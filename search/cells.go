package search

import "math"

// cellBase is the edge, in degrees, of the smallest cell of the grid laid
// over the map; cells of level l are cellBase·2^l degrees. (The grid once
// gave needs and travel circles retrieval terms; the in-memory pool
// retrieves since layout 9, and only a candidate card's rounded place is
// left of it.)
const cellBase = 0.05

// cellSize is a level's cell edge in degrees.
func cellSize(level int) float64 { return cellBase * float64(int(1)<<level) }

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
