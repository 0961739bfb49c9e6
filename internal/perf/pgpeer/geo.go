package pgpeer

import (
	"fmt"
	"math"
)

// earthKm is the Earth's mean radius, the one the product's distance uses
// (search/score), so that the boxes enclose the same circles.
const earthKm = 6371.0088

// slackKm widens every radius by a metre, so that rounding cannot leave
// out a point that lies on the circle.
const slackKm = 0.001

// lonLatBox is a box in degrees.
type lonLatBox struct {
	minLat, maxLat, minLon, maxLon float64
}

// boundingBoxes returns one box, or two when it crosses the ±180°
// meridian, that together hold every point within km of (lat, lon) on the
// sphere. They are the smallest such boxes ("Finding Points Within a
// Distance of a Latitude/Longitude Using Bounding Coordinates", J. P.
// Matuschek): a circle spans more degrees of longitude than of latitude,
// by 1/cos(lat) and a little more, and one that reaches a pole spans all
// longitudes.
func boundingBoxes(lat, lon, km float64) ([]lonLatBox, error) {
	switch {
	case !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180):
		return nil, fmt.Errorf("point (%v, %v): want latitude in [-90, 90] and longitude in [-180, 180]", lat, lon)
	case !(km >= 0): // NaN too
		return nil, fmt.Errorf("radius %v km: want 0 or more", km)
	}
	const deg = 180 / math.Pi
	r := (km + slackKm) / earthKm // angular radius, radians
	minLat, maxLat := lat-r*deg, lat+r*deg
	if minLat <= -90 || maxLat >= 90 {
		return []lonLatBox{{max(minLat, -90), min(maxLat, 90), -180, 180}}, nil
	}
	dLon := math.Asin(math.Sin(r)/math.Cos(lat/deg)) * deg
	minLon, maxLon := lon-dLon, lon+dLon
	switch {
	case minLon < -180:
		return []lonLatBox{{minLat, maxLat, minLon + 360, 180}, {minLat, maxLat, -180, maxLon}}, nil
	case maxLon > 180:
		return []lonLatBox{{minLat, maxLat, minLon, 180}, {minLat, maxLat, -180, maxLon - 360}}, nil
	}
	return []lonLatBox{{minLat, maxLat, minLon, maxLon}}, nil
}
