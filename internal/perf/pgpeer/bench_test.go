package pgpeer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// synthetic makes n profiles and n needs spread over Bulgaria, with
// skills drawn from 3,000 by a Zipf law (a few skills are common, most
// rare), as in the product's own benchmarks. Seeded: every run is alike.
func synthetic(n int) ([]ProfileRow, []NeedRow) {
	rng := rand.New(rand.NewPCG(5, 2026))
	zipf := rand.NewZipf(rng, 1.1, 2, 2999)
	keys := func(lo, hi int) []string {
		k := make([]string, lo+rng.IntN(hi-lo+1))
		for i := range k {
			k[i] = fmt.Sprintf("S%d", zipf.Uint64())
		}
		return k
	}
	place := func() (float64, float64) { return 41.2 + 3*rng.Float64(), 22.4 + 6.2*rng.Float64() }
	kinds := []string{"job", "internship", "apprenticeship", "care_pathway"}
	radii := []float64{10, 20, 30, 50, 100}
	day := func() string { return time.Date(2026, 1, 1+rng.IntN(365), 0, 0, 0, 0, time.UTC).Format(time.DateOnly) }

	profiles := make([]ProfileRow, n)
	for i := range profiles {
		p := ProfileRow{ID: fmt.Sprintf("p%06d", i), Keys: keys(4, 12), MaxKm: radii[rng.IntN(len(radii))],
			Remote: rng.IntN(5) == 0, Consent: rng.IntN(10) != 0}
		p.Lat, p.Lon = place()
		if rng.IntN(2) == 0 {
			p.Kinds = []string{kinds[rng.IntN(len(kinds))]}
		}
		if rng.IntN(10) < 3 {
			p.From, p.To = "2026-01-01", day()
		}
		profiles[i] = p
	}
	needs := make([]NeedRow, n)
	for i := range needs {
		nd := NeedRow{ID: fmt.Sprintf("n%06d", i), Keys: keys(3, 8), Remote: rng.IntN(10) == 0,
			Kind: kinds[rng.IntN(len(kinds))], Visible: rng.IntN(10) != 0, Start: day()}
		nd.Lat, nd.Lon = place()
		if rng.IntN(2) == 0 {
			nd.ApplyBy = day()
		}
		needs[i] = nd
	}
	return profiles, needs
}

// BenchmarkPeer loads 50,000 profiles and 50,000 needs (10,000 each with
// -short) and retrieves the candidates of needs and the needs of
// profiles, reporting the wall and the server's CPU time per query.
func BenchmarkPeer(b *testing.B) {
	n := 50_000
	if testing.Short() {
		n = 10_000
	}
	ctx := context.Background()
	db := mustOpen(b)
	profiles, needs := synthetic(n)
	if err := db.LoadProfiles(ctx, profiles); err != nil {
		b.Fatal(err)
	}
	if err := db.LoadNeeds(ctx, needs); err != nil {
		b.Fatal(err)
	}
	var maxKm float64
	for _, p := range profiles {
		maxKm = max(maxKm, p.MaxKm)
	}
	const today = "2026-05-01"

	b.Run(fmt.Sprintf("candidates/profiles=%d", n), func(b *testing.B) {
		qs := make([]CandidateQuery, 500)
		for i := range qs {
			nd := needs[i]
			qs[i] = CandidateQuery{Keys: nd.Keys, Lat: nd.Lat, Lon: nd.Lon, Remote: nd.Remote, Kind: nd.Kind,
				Start: nd.Start, End: nd.End, RadiusKm: maxKm}
		}
		measure(b, db, len(qs), func(i int) (int, error) {
			ids, err := db.Candidates(ctx, qs[i])
			return len(ids), err
		})
	})
	b.Run(fmt.Sprintf("needs/needs=%d", n), func(b *testing.B) {
		qs := make([]NeedsQuery, 500)
		for i := range qs {
			p := profiles[i]
			qs[i] = NeedsQuery{Keys: p.Keys, Lat: p.Lat, Lon: p.Lon, RadiusKm: p.MaxKm, Remote: p.Remote,
				Kinds: p.Kinds, Today: today}
		}
		measure(b, db, len(qs), func(i int) (int, error) {
			ids, err := db.Needs(ctx, qs[i])
			return len(ids), err
		})
	})
}

// measure runs the queries round-robin and reports ms/query, the server's
// CPU ms/query and the ids returned per query.
func measure(b *testing.B, db *DB, n int, query func(i int) (int, error)) {
	cpu0, err := db.BackendCPU()
	if err != nil {
		b.Fatal(err)
	}
	var queries, ids int
	start := time.Now()
	for b.Loop() {
		got, err := query(queries % n)
		if err != nil {
			b.Fatal(err)
		}
		queries++
		ids += got
	}
	wall := time.Since(start)
	cpu1, err := db.BackendCPU()
	if err != nil {
		b.Fatal(err)
	}
	perQuery := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(queries) }
	b.ReportMetric(perQuery(wall), "ms/query")
	b.ReportMetric(perQuery(cpu1-cpu0), "server-cpu-ms/query")
	b.ReportMetric(float64(ids)/float64(queries), "ids/query")
}
