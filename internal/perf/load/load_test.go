package load_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/perf/load"
)

// newServer starts a real HTTP server on loopback that sleeps for the
// "sleep" query parameter (a duration), answers with the "status" one
// (default 200), and counts what it sees.
func newServer(t *testing.T) (*httptest.Server, *serverStats) {
	t.Helper()
	st := &serverStats{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := st.inFlight.Add(1)
		defer st.inFlight.Add(-1)
		for {
			m := st.maxInFlight.Load()
			if n <= m || st.maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		st.requests.Add(1)
		if d, err := time.ParseDuration(r.URL.Query().Get("sleep")); err == nil {
			select { // a client that gave up frees the handler
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		status := http.StatusOK
		if s := r.URL.Query().Get("status"); s != "" {
			status, _ = strconv.Atoi(s)
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"answer":%d}`, status)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			st.conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, st
}

type serverStats struct {
	inFlight, maxInFlight, requests, conns atomic.Int64
}

func get(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestRunCountsAddUp(t *testing.T) {
	srv, st := newServer(t)
	cfg := load.Config{Concurrency: 8, Warmup: 100 * time.Millisecond, Duration: 500 * time.Millisecond}
	res, err := load.Run(context.Background(), cfg, func(worker, i int) *http.Request {
		if i%10 == 3 {
			return get(t, srv.URL+"/?sleep=1ms&status=503")
		}
		return get(t, srv.URL+"/?sleep=1ms")
	})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if res.Requests != res.OK+res.HTTPErrors+res.TransportErrors {
		t.Errorf("Requests = %d, want OK %d + HTTPErrors %d + TransportErrors %d", res.Requests, res.OK, res.HTTPErrors, res.TransportErrors)
	}
	if res.OK < 100 || res.HTTPErrors == 0 || res.TransportErrors != 0 {
		t.Errorf("Run() = %d ok, %d HTTP errors, %d transport errors; want many ok, some HTTP errors, no transport errors",
			res.OK, res.HTTPErrors, res.TransportErrors)
	}
	if res.Statuses[200] != res.OK || res.Statuses[503] != res.HTTPErrors {
		t.Errorf("Statuses = %v, want 200: %d, 503: %d", res.Statuses, res.OK, res.HTTPErrors)
	}
	// One in ten fails, give or take the requests cut off by the window.
	if share := float64(res.HTTPErrors) / float64(res.Requests); share < 0.07 || share > 0.13 {
		t.Errorf("HTTP error share = %.3f, want about 0.1", share)
	}
	if got := st.requests.Load(); got < res.Requests {
		t.Errorf("server saw %d requests, fewer than the %d counted", got, res.Requests)
	}
	if res.Latency.N != int(res.OK) {
		t.Errorf("Latency.N = %d, want OK = %d", res.Latency.N, res.OK)
	}
	if want := float64(res.OK) / 0.5; res.RequestsPerSec != want {
		t.Errorf("RequestsPerSec = %v, want %v", res.RequestsPerSec, want)
	}
	if res.FirstError == "" {
		t.Error("FirstError is empty, want the first 503 described")
	}
}

func TestRunCountsTransportErrors(t *testing.T) {
	srv, _ := newServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/"
	ln.Close() // nothing listens there now: connections are refused
	cfg := load.Config{Concurrency: 4, Duration: 300 * time.Millisecond}
	res, err := load.Run(context.Background(), cfg, func(worker, i int) *http.Request {
		if i%2 == 0 {
			return get(t, dead)
		}
		return get(t, srv.URL+"/?sleep=2ms")
	})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if res.TransportErrors == 0 || res.OK == 0 || res.HTTPErrors != 0 {
		t.Errorf("Run() = %d ok, %d HTTP errors, %d transport errors; want some ok, no HTTP errors, some transport errors",
			res.OK, res.HTTPErrors, res.TransportErrors)
	}
	if res.Requests != res.OK+res.TransportErrors {
		t.Errorf("Requests = %d, want %d", res.Requests, res.OK+res.TransportErrors)
	}
	if _, ok := res.Statuses[0]; ok {
		t.Errorf("Statuses = %v, want no entry for requests without an answer", res.Statuses)
	}
}

func TestRunRespectsDuration(t *testing.T) {
	srv, _ := newServer(t)
	const warmup, window, sleep = 200 * time.Millisecond, 600 * time.Millisecond, 50 * time.Millisecond
	begin := time.Now()
	res, err := load.Run(context.Background(), load.Config{Concurrency: 4, Warmup: warmup, Duration: window},
		func(worker, i int) *http.Request { return get(t, srv.URL+"/?sleep="+sleep.String()) })
	took := time.Since(begin)
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	// It ends when the window closes plus at most one request in flight.
	if took < warmup+window || took > warmup+window+sleep+300*time.Millisecond {
		t.Errorf("Run() took %s, want about %s", took, warmup+window)
	}
	if res.Seconds != window.Seconds() {
		t.Errorf("Seconds = %v, want %v", res.Seconds, window.Seconds())
	}
	// Four workers at 50 ms a request: about 48 requests in 600 ms, none
	// of the warm-up's 16.
	if res.OK < 30 || res.OK > 52 {
		t.Errorf("OK = %d, want about 48 (4 workers × 600 ms / 50 ms)", res.OK)
	}
}

func TestRunKeepsConcurrency(t *testing.T) {
	for _, n := range []int{1, 8, 32} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			srv, st := newServer(t)
			cfg := load.Config{Concurrency: n, Warmup: 50 * time.Millisecond, Duration: 400 * time.Millisecond}
			res, err := load.Run(context.Background(), cfg, func(worker, i int) *http.Request {
				return get(t, srv.URL+"/?sleep=10ms")
			})
			if err != nil {
				t.Fatalf("Run() error = %v", err)
			}
			if got := st.maxInFlight.Load(); got != int64(n) {
				t.Errorf("server saw at most %d requests at once, want %d", got, n)
			}
			// Keep-alive: workers reuse connections. A few more than n
			// may be dialled at the start, when a connection freed by one
			// worker goes to another that was still waiting for its dial.
			if got, reqs := st.conns.Load(), st.requests.Load(); got > int64(2*n) || reqs < 3*got {
				t.Errorf("server saw %d connections for %d requests, want at most %d (kept alive)", got, reqs, 2*n)
			}
			if res.Concurrency != n {
				t.Errorf("Concurrency = %d, want %d", res.Concurrency, n)
			}
		})
	}
}

// TestRunPercentiles sends a known mix: 80 % answer in 2 ms, 17 % in
// 25 ms, 3 % in 100 ms. The median is then a fast request, p95 a
// medium one and p99 a slow one, with room on both sides for the
// requests the window cuts off and for scheduling delays.
func TestRunPercentiles(t *testing.T) {
	srv, _ := newServer(t)
	rngs := make([]*rand.Rand, 16)
	for w := range rngs {
		rngs[w] = rand.New(rand.NewPCG(uint64(w), 7))
	}
	cfg := load.Config{Concurrency: len(rngs), Warmup: 100 * time.Millisecond, Duration: 1500 * time.Millisecond}
	res, err := load.Run(context.Background(), cfg, func(worker, i int) *http.Request {
		sleep := "2ms"
		switch r := rngs[worker].Float64(); {
		case r >= 0.97:
			sleep = "100ms"
		case r >= 0.80:
			sleep = "25ms"
		}
		return get(t, srv.URL+"/?sleep="+sleep)
	})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	l := res.Latency
	checks := []struct {
		name     string
		got      time.Duration
		min, max time.Duration
	}{
		{"p50", l.P50, 2 * time.Millisecond, 20 * time.Millisecond},
		{"p95", l.P95, 25 * time.Millisecond, 90 * time.Millisecond},
		{"p99", l.P99, 100 * time.Millisecond, 200 * time.Millisecond},
		{"max", l.Max, 100 * time.Millisecond, 400 * time.Millisecond},
	}
	for _, c := range checks {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %s, want between %s and %s (n = %d)", c.name, c.got, c.min, c.max, l.N)
		}
	}
	if l.N < 1000 {
		t.Errorf("Latency.N = %d, want over 1000 samples", l.N)
	}
}

func TestRunStopsWhenSourceEnds(t *testing.T) {
	srv, st := newServer(t)
	begin := time.Now()
	res, err := load.Run(context.Background(), load.Config{Concurrency: 4, Duration: 10 * time.Second},
		func(worker, i int) *http.Request {
			if i == 5 {
				return nil
			}
			return get(t, srv.URL+"/")
		})
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Errorf("Run() took %s, want it to end when every worker's source ended", took)
	}
	if res.OK != 20 || st.requests.Load() != 20 {
		t.Errorf("OK = %d, server saw %d; want 20 each (4 workers × 5)", res.OK, st.requests.Load())
	}
}

func TestRunEndsWithContext(t *testing.T) {
	srv, _ := newServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	res, err := load.Run(ctx, load.Config{Concurrency: 4, Duration: 10 * time.Second},
		func(worker, i int) *http.Request { return get(t, srv.URL+"/?sleep=5s") })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run() error = %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Errorf("Run() took %s after its context ended, want it to stop at once", took)
	}
	if res.TransportErrors != 0 {
		t.Errorf("TransportErrors = %d, want the cancelled requests not counted as the server's failures", res.TransportErrors)
	}
}

func TestRunTimesOutSlowRequests(t *testing.T) {
	srv, _ := newServer(t)
	res, err := load.Run(context.Background(), load.Config{Concurrency: 2, Duration: 500 * time.Millisecond, Timeout: 50 * time.Millisecond},
		func(worker, i int) *http.Request { return get(t, srv.URL+"/?sleep=1s") })
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if res.TransportErrors == 0 || res.OK != 0 {
		t.Errorf("Run() = %d ok, %d transport errors; want only timeouts", res.OK, res.TransportErrors)
	}
}

func TestSummarize(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100 ms … 1 ms, unsorted
	}
	tests := []struct {
		name    string
		samples []time.Duration
		want    load.Latency
	}{
		{"none", nil, load.Latency{}},
		{"one", ms(7), load.Latency{N: 1, P50: 7 * time.Millisecond, P95: 7 * time.Millisecond, P99: 7 * time.Millisecond, Max: 7 * time.Millisecond}},
		{"1..100", ms(hundred...), load.Latency{N: 100, P50: 50 * time.Millisecond, P95: 95 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}},
		{"ten", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), load.Latency{N: 10, P50: 5 * time.Millisecond, P95: 10 * time.Millisecond, P99: 10 * time.Millisecond, Max: 10 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := load.Summarize(tt.samples); got != tt.want {
				t.Errorf("Summarize(%s) = %+v, want %+v", tt.name, got, tt.want)
			}
		})
	}
}

func TestLatencyJSON(t *testing.T) {
	l := load.Latency{N: 3, P50: 1500 * time.Microsecond, P95: 12 * time.Millisecond, P99: 25*time.Millisecond + 7*time.Microsecond, Max: time.Second}
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"n":3,"p50Ms":1.5,"p95Ms":12,"p99Ms":25.007,"maxMs":1000}`; string(b) != want {
		t.Errorf("json.Marshal(%+v) = %s, want %s", l, b, want)
	}
	var back load.Latency
	if err := json.Unmarshal(b, &back); err != nil || back != l {
		t.Errorf("json.Unmarshal(%s) = %+v, %v; want %+v", b, back, err, l)
	}
}
