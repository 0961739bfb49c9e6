package eval

import (
	"bytes"
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/careget/skillsmatch/internal/demo"
)

// TestTallyRatios: known counts give known ratios. Of nine eligible
// pairs, six are young people and three older; of the four shown, two are
// young, two older: the young have 2/3 of the eligible and 1/2 of the
// places (ratio 0.75), the older 1/3 and 1/2 (ratio 1.5). A town nobody
// from is shown gets 0.
func TestTallyRatios(t *testing.T) {
	tl := NewTally()
	add := func(n int, ageGroup, town string, shown bool) {
		for range n {
			tl.Add(map[string]string{DimAge: ageGroup, DimMunicipality: town}, shown)
		}
	}
	add(2, "18–24", "Haskovo", true)
	add(4, "18–24", "Haskovo", false)
	add(2, "40+", "Harmanli", true)
	add(1, "40+", "Lyubimets", false)
	got := tl.Rows(DimAge, DimMunicipality)
	want := []ExposureRow{
		{DimAge, "18–24", 6, 2, (2.0 / 4) / (6.0 / 9)},
		{DimAge, "40+", 3, 2, (2.0 / 4) / (3.0 / 9)},
		{DimMunicipality, "Haskovo", 6, 2, (2.0 / 4) / (6.0 / 9)},
		{DimMunicipality, "Harmanli", 2, 2, (2.0 / 4) / (2.0 / 9)},
		{DimMunicipality, "Lyubimets", 1, 0, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Rows =\n%+v\nwant\n%+v", got, want)
	}
	if r := got[0].Ratio; math.Abs(r-0.75) > 1e-12 {
		t.Errorf("the young's ratio = %v, want 0.75 (half the places, two thirds of the eligible)", r)
	}
	if rows := NewTally().Rows(DimAge); len(rows) != 0 {
		t.Errorf("an empty tally has rows %+v", rows)
	}
}

// TestDemoExposure ranks a small demo data set: each dimension covers the
// same places, and the ratios, weighted by the eligible shares, average 1
// (the shares add up to 1 on both sides).
func TestDemoExposure(t *testing.T) {
	tx := esco(t)
	rows, err := DemoExposure(context.Background(), tx, demo.Config{Profiles: 300, Needs: 60, Seed: 1})
	if err != nil {
		t.Fatalf("DemoExposure: %v", err)
	}
	shown, eligible, mean := map[string]int{}, map[string]int{}, map[string]float64{}
	for _, r := range rows {
		shown[r.Dimension] += r.Shown
		eligible[r.Dimension] += r.Eligible
		if r.Shown > r.Eligible {
			t.Errorf("%s %s: shown %d times, eligible %d", r.Dimension, r.Group, r.Shown, r.Eligible)
		}
	}
	for _, r := range rows {
		mean[r.Dimension] += float64(r.Eligible) / float64(eligible[r.Dimension]) * r.Ratio
	}
	if shown[DimAge] == 0 || shown[DimAge] != shown[DimMunicipality] || eligible[DimAge] != eligible[DimMunicipality] {
		t.Errorf("shown %v, eligible %v: want the same non-zero places in each dimension", shown, eligible)
	}
	for dim, m := range mean {
		if math.Abs(m-1) > 1e-9 {
			t.Errorf("%s: weighted mean ratio %v, want 1", dim, m)
		}
	}
	var out bytes.Buffer
	if err := PrintExposure(&out, rows); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
}
