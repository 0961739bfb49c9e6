package round_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/round"
)

// BenchmarkSetPreferences records one job-seeker's ranking in a round that
// already holds others' rankings, on the wired product and the embedded
// store: the cost of one more preference as a round grows towards a
// national one (500,000 people).
func BenchmarkSetPreferences(b *testing.B) {
	sizes := []int{1_000, 10_000, 50_000}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, held := range sizes {
		b.Run(fmt.Sprintf("held=%d", held), func(b *testing.B) {
			ctx := context.Background()
			env := apptest.Open(b, apptest.Options{})
			seeker := auth.Principal{UserID: "u-seeker", Role: auth.RoleJobseeker}
			putProfile(b, env, seeker)
			needs := []string{"n1", "n2", "n3", "n4", "n5"}
			r := round.Round{ID: "r1", Name: "National internships", Programme: round.ProgrammeInternship, NeedIDs: needs,
				ClosesAt: time.Now().Add(24 * time.Hour), Status: round.StatusOpen, CreatedAt: time.Now(), Version: 1,
				Preferences: make(map[string][]string, held), NeedRankings: map[string][]string{}}
			for i := range held {
				r.Preferences[fmt.Sprintf("p%06d", i)] = needs[:3]
			}
			if err := env.Store.Rounds().InsertRound(ctx, r); err != nil {
				b.Fatal(err)
			}
			if _, err := env.Services.Rounds.Poll(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU(b)
			defer func() {
				b.ReportMetric(float64(processCPU(b)-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			}()
			for i := range b.N {
				ranking := []string{needs[i%5], needs[(i+1)%5]}
				if _, err := env.Services.Rounds.SetPreferences(ctx, seeker, "r1", ranking); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// processCPU is the process's CPU time so far, the embedded store's
// included (it runs in the process): on a machine shared with other work
// the wall time moves with the load, the CPU time much less.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
