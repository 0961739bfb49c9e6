package pgpeer

import (
	"math"
	"math/rand/v2"
	"testing"
)

// destination returns the point km from (lat, lon) at the bearing, on the
// product's sphere.
func destination(lat, lon, bearing, km float64) (float64, float64) {
	const rad = math.Pi / 180
	d := km / earthKm
	φ1, λ1, θ := lat*rad, lon*rad, bearing*rad
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(d) + math.Cos(φ1)*math.Sin(d)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(d)*math.Cos(φ1), math.Cos(d)-math.Sin(φ1)*math.Sin(φ2))
	lon2 := math.Remainder(λ2/rad, 360) // to [-180, 180]
	return φ2 / rad, lon2
}

// Every point within the radius, by the product's distance, must be in a
// box: points on and just inside the circle, all round it, at centres
// anywhere, near the poles and the ±180° meridian included.
func TestBoundingBoxesHoldTheCircle(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	centres := [][2]float64{{42.6977, 23.3219}, {0, 0}, {0, 179.9}, {0, -179.9}, {-33.9, 151.2},
		{89.9, 10}, {-89.5, -60}, {70, 179.5}, {60, -179.99}, {90, 0}}
	for range 200 {
		centres = append(centres, [2]float64{rng.Float64()*180 - 90, rng.Float64()*360 - 180})
	}
	for _, c := range centres {
		for _, km := range []float64{0, 1, 10, 50, 100, 500, 3000, 25000} {
			boxes, err := boundingBoxes(c[0], c[1], km)
			if err != nil {
				t.Fatalf("boundingBoxes(%v, %v, %v): %v", c[0], c[1], km, err)
			}
			for i := range 72 {
				for _, f := range []float64{1, 0.999, 0.5, rng.Float64()} {
					lat, lon := destination(c[0], c[1], float64(i)*5+rng.Float64(), km*f)
					if haversineKm(c[0], c[1], lat, lon) > km {
						continue // rounding put it outside: not owed
					}
					if !inBoxes(boxes, lat, lon) {
						t.Fatalf("boundingBoxes(%v, %v, %v) = %+v, missing (%v, %v) at %v km",
							c[0], c[1], km, boxes, lat, lon, haversineKm(c[0], c[1], lat, lon))
					}
				}
			}
		}
	}
}

// The boxes are no bigger than they must be: a box twice the size would
// still pass the test above and double the rows the caller re-ranks.
func TestBoundingBoxesAreTight(t *testing.T) {
	boxes, err := boundingBoxes(42.6977, 23.3219, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(boxes) != 1 {
		t.Fatalf("boundingBoxes(Sofia, 50) = %d boxes, want 1", len(boxes))
	}
	b := boxes[0]
	// The circle touches the north and south sides.
	for _, p := range [][2]float64{{b.maxLat, 23.3219}, {b.minLat, 23.3219}} {
		if d := haversineKm(42.6977, 23.3219, p[0], p[1]); math.Abs(d-50) > 0.01 {
			t.Errorf("latitude side at %v km, want 50", d)
		}
	}
	// The widest point of the circle is a little north of the centre's
	// parallel; the box's east side must touch it, not pass it by much.
	var widest float64
	for lat := b.minLat; lat <= b.maxLat; lat += 0.0001 {
		// the eastmost longitude of the circle at this latitude, by bisection
		lo, hi := 23.3219, 25.0
		for range 60 {
			mid := (lo + hi) / 2
			if haversineKm(42.6977, 23.3219, lat, mid) <= 50 {
				lo = mid
			} else {
				hi = mid
			}
		}
		widest = max(widest, lo)
	}
	if b.maxLon < widest || b.maxLon-widest > 0.0005 {
		t.Errorf("east side %v, circle reaches %v: want it touching", b.maxLon, widest)
	}
	if naive := 23.3219 + 50/earthKm*180/math.Pi; widest <= naive {
		t.Errorf("circle reaches %v, not past the naive box (%v): the test shows nothing", widest, naive)
	}
}

func TestBoundingBoxesSplitAtTheAntimeridian(t *testing.T) {
	boxes, err := boundingBoxes(0, 179.95, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(boxes) != 2 || !inBoxes(boxes, 0, -179.9) || !inBoxes(boxes, 0, 179.9) || inBoxes(boxes, 0, 0) {
		t.Errorf("boundingBoxes(0, 179.95, 50) = %+v, want two boxes either side of ±180°", boxes)
	}
}

func TestBoundingBoxesRejectBadInput(t *testing.T) {
	for _, c := range [][3]float64{{91, 0, 1}, {0, 181, 1}, {0, 0, -1}, {0, 0, math.NaN()}, {math.NaN(), 0, 1}} {
		if _, err := boundingBoxes(c[0], c[1], c[2]); err == nil {
			t.Errorf("boundingBoxes(%v, %v, %v) = nil error, want one", c[0], c[1], c[2])
		}
	}
	if boxes, err := boundingBoxes(10, 10, math.Inf(1)); err != nil || !inBoxes(boxes, -80, -170) {
		t.Errorf("boundingBoxes(10, 10, +Inf) = %+v, %v; want the whole world", boxes, err)
	}
}
