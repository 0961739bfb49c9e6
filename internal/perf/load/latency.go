package load

import (
	"encoding/json"
	"math"
	"slices"
	"time"
)

// Latency summarises a set of latencies exactly: percentiles by nearest
// rank over every sample.
type Latency struct {
	N   int // samples
	P50 time.Duration
	P95 time.Duration
	P99 time.Duration
	Max time.Duration
}

// Summarize returns the summary of samples, which it sorts in place.
// No samples give the zero Latency.
func Summarize(samples []time.Duration) Latency {
	if len(samples) == 0 {
		return Latency{}
	}
	slices.Sort(samples)
	return Latency{
		N:   len(samples),
		P50: Percentile(samples, 50),
		P95: Percentile(samples, 95),
		P99: Percentile(samples, 99),
		Max: samples[len(samples)-1],
	}
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted samples
// by nearest rank: the smallest sample that at least p per cent of the
// samples do not exceed. No samples give 0.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// latencyJSON is Latency on the wire: milliseconds, which people read
// and scripts compare without knowing Go's nanoseconds.
type latencyJSON struct {
	N     int     `json:"n"`
	P50Ms float64 `json:"p50Ms"`
	P95Ms float64 `json:"p95Ms"`
	P99Ms float64 `json:"p99Ms"`
	MaxMs float64 `json:"maxMs"`
}

// MarshalJSON writes the percentiles in milliseconds, to the microsecond.
func (l Latency) MarshalJSON() ([]byte, error) {
	return json.Marshal(latencyJSON{N: l.N, P50Ms: ms(l.P50), P95Ms: ms(l.P95), P99Ms: ms(l.P99), MaxMs: ms(l.Max)})
}

// UnmarshalJSON reads what MarshalJSON writes, so reports can be compared.
func (l *Latency) UnmarshalJSON(b []byte) error {
	var v latencyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = Latency{N: v.N, P50: fromMs(v.P50Ms), P95: fromMs(v.P95Ms), P99: fromMs(v.P99Ms), Max: fromMs(v.MaxMs)}
	return nil
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

func fromMs(v float64) time.Duration { return time.Duration(math.Round(v * 1e6)) }
