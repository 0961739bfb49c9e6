package allocation

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestSortByID(t *testing.T) {
	tricky := []string{
		"", "a", "a\x00", "a\x00b", "ab", "abcdefgh", "abcdefgh", "abcdefghi", "abcdefgha", "abcdefg\xff",
		"b", "\xff", "\xff\xff\xff\xff\xff\xff\xff\xff\xff", "c10", "c9", "c1",
	}
	r := rand.New(rand.NewPCG(4, 0))
	many := make([]string, 70_000) // past the size where two halves are sorted at once
	for i := range many {
		many[i] = tricky[r.IntN(len(tricky))] + strconv.Itoa(r.IntN(1000))
	}
	tests := []struct {
		name  string
		ids   []string
		parts int
	}{
		{"tricky", tricky, 1},
		{"many, one part", many, 1},
		{"many, two parts", many, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			positions := make([]int32, len(tt.ids))
			for i := range positions {
				positions[i] = int32(len(positions) - 1 - i) // any order
			}
			sortByID(positions, func(i int32) string { return tt.ids[i] }, tt.parts)
			want := make([]int32, len(tt.ids))
			for i := range want {
				want[i] = int32(i)
			}
			slices.SortFunc(want, func(a, b int32) int {
				return cmp.Or(strings.Compare(tt.ids[a], tt.ids[b]), cmp.Compare(a, b))
			})
			if !slices.Equal(positions, want) {
				t.Errorf("sortByID(%d ids, %d parts) is not byte order, then position", len(tt.ids), tt.parts)
			}
		})
	}
}

func TestIDIndex(t *testing.T) {
	ids := []string{"n1", "n2", "", "n1", "n3"}
	x := newIDIndex(ids)
	for i, want := range []bool{true, true, true, false, true} {
		if got := x.add(int32(i)); got != want {
			t.Errorf("add(%q at %d) = %v, want %v", ids[i], i, got, want)
		}
	}
	for id, want := range map[string]int32{"n1": 0, "n2": 1, "": 2, "n3": 4} {
		if got, ok := x.lookup(id); !ok || got != want {
			t.Errorf("lookup(%q) = %d, %v, want %d, true", id, got, ok, want)
		}
	}
	for _, id := range []string{"n4", "n", "n11"} {
		if got, ok := x.lookup(id); ok {
			t.Errorf("lookup(%q) = %d, true, want not found", id, got)
		}
	}

	// Reset for other ids, fewer and then more than the table was made for:
	// the old ids are gone, and ids appended after the reset are found.
	for _, n := range []int{2, 40} {
		x.reset([]string{"a", "n1"}, n)
		for i := range x.ids {
			x.add(int32(i))
		}
		x.ids = append(x.ids, "b")
		if !x.add(int32(len(x.ids) - 1)) {
			t.Errorf("after reset(%d): add(b) = false, want true", n)
		}
		for id, want := range map[string]int32{"a": 0, "n1": 1, "b": 2} {
			if got, ok := x.lookup(id); !ok || got != want {
				t.Errorf("after reset(%d): lookup(%q) = %d, %v, want %d, true", n, id, got, ok, want)
			}
		}
		for _, id := range []string{"n2", "n3", ""} {
			if got, ok := x.lookup(id); ok {
				t.Errorf("after reset(%d): lookup(%q) = %d, true, want not found", n, id, got)
			}
		}
	}
}

func TestDescendingReversesTheOrderOfScores(t *testing.T) {
	scores := []float64{
		math.Inf(-1), -math.MaxFloat64, -1, -0.5 - 1e-12, -0.5, -math.SmallestNonzeroFloat64,
		0, math.SmallestNonzeroFloat64, 1e-300, 0.5 - 1e-12, 0.5, 0.5 + 1e-12, 1, math.MaxFloat64, math.Inf(1),
	}
	for i := 1; i < len(scores); i++ {
		if a, b := descending(scores[i-1]), descending(scores[i]); a <= b {
			t.Errorf("descending(%v) = %#x <= descending(%v) = %#x, want greater", scores[i-1], a, scores[i], b)
		}
		if descending(scores[i])>>32 == turnedDown>>32 {
			t.Errorf("descending(%v) shares its top half with turnedDown", scores[i])
		}
	}
	if a, b := descending(math.Copysign(0, -1)), descending(0); a != b {
		t.Errorf("descending(-0) = %#x, descending(+0) = %#x, want equal", a, b)
	}
}
