package taxonomy

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestZZP99(t *testing.T) {
	tx := mustLoad(t)
	r := rand.New(rand.NewPCG(1, 2))
	var qs []string
	for len(qs) < 20000 {
		s := tx.skills[r.IntN(len(tx.skills))]
		l := s.Labels["en"]
		if r.IntN(3) == 0 && s.Labels["bg"] != "" {
			l = s.Labels["bg"]
		}
		w := strings.Fields(l)
		n := 1 + r.IntN(min(3, len(w)))
		start := r.IntN(len(w) - n + 1)
		q := strings.Join(w[start:start+n], " ")
		rs := []rune(q)
		q = string(rs[:1+r.IntN(len(rs))]) // keystroke prefix
		qs = append(qs, q)
	}
	for _, single := range []string{"a", "s", "p", "m", "c", "d", "и", "на", "of", "and", "the", "for", "з"} {
		qs = append(qs, single)
	}
	var ds []time.Duration
	worst := map[time.Duration]string{}
	for _, q := range qs {
		var runs []time.Duration
		for range 3 {
			t0 := time.Now()
			tx.SuggestSkills(q, "bg", 10)
			runs = append(runs, time.Since(t0))
		}
		slices.Sort(runs)
		d := runs[1]
		ds = append(ds, d)
		worst[d] = q
	}
	slices.Sort(ds)
	t.Logf("n=%d p50=%v p90=%v p99=%v p99.9=%v max=%v", len(ds), ds[len(ds)/2], ds[len(ds)*9/10], ds[len(ds)*99/100], ds[len(ds)*999/1000], ds[len(ds)-1])
	for _, d := range ds[len(ds)-10:] {
		t.Logf("  %v %q", d, worst[d])
	}
}
