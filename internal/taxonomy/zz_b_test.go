package taxonomy

import "testing"

func BenchmarkZZ(b *testing.B) {
	tx := mustLoad(b)
	for _, q := range []string{"identif", "r", "d", "a p", "a s", "electrical min", "audiolog", "of", "and", "на"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				tx.SuggestSkills(q, "bg", 10)
			}
		})
	}
}
