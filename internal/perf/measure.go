package perf

import (
	"slices"
	"syscall"
	"time"
)

// Latency summarises one row's queries: wall-clock percentiles, and the
// process CPU time per query (user + system over the row's queries,
// divided by their number), which a busy machine tilts far less than wall
// time.
type Latency struct {
	Queries int     `json:"queries"`
	P50ms   float64 `json:"p50Ms"`
	P95ms   float64 `json:"p95Ms"`
	P99ms   float64 `json:"p99Ms"`
	MeanMs  float64 `json:"meanMs"`
	CPUms   float64 `json:"cpuMsPerQuery"`
}

// recorder collects the wall and CPU time of queries run one at a time.
type recorder struct {
	wall []time.Duration
	cpu  time.Duration
}

// time runs fn and records its wall-clock and this process's CPU time.
// extraCPU, if set, adds CPU spent elsewhere (a database server's
// backend) during fn.
func (r *recorder) time(fn func() error, extraCPU func() time.Duration) error {
	c0, e0 := processCPU(), time.Duration(0)
	if extraCPU != nil {
		e0 = extraCPU()
	}
	start := time.Now()
	err := fn()
	r.wall = append(r.wall, time.Since(start))
	r.cpu += processCPU() - c0
	if extraCPU != nil {
		r.cpu += extraCPU() - e0
	}
	return err
}

func (r *recorder) latency() Latency {
	if len(r.wall) == 0 {
		return Latency{}
	}
	s := slices.Clone(r.wall)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	n := len(s)
	return Latency{Queries: n, P50ms: ms(quantile(s, 0.50)), P95ms: ms(quantile(s, 0.95)), P99ms: ms(quantile(s, 0.99)),
		MeanMs: ms(sum / time.Duration(n)), CPUms: ms(r.cpu / time.Duration(n))}
}

// quantile is the nearest-rank quantile of sorted durations.
func quantile(s []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// processCPU is the user and system time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
