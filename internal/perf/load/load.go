// Package load is a closed-loop HTTP load driver for the benchmarks: a
// fixed number of workers, each sending its next request as soon as the
// previous one was answered, for a measured window after an unmeasured
// warm-up. It records every latency exactly (a sorted slice, no
// histogram buckets) and counts non-2xx answers and transport errors
// apart, so a run that "went fast" because it failed is visible as such.
//
// Closed loop means the offered load follows the server: a slow server
// gets fewer requests, and the latencies are those a fixed population of
// busy clients sees. It does not show queueing under a fixed arrival rate
// (coordinated omission); the benchmarks' targets are stated for this
// model.
package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// Defaults of Config.
const (
	DefaultConcurrency = 32
	DefaultDuration    = 30 * time.Second
	DefaultTimeout     = 10 * time.Second
)

// Source returns the i-th request (from 0) of a worker (0..Concurrency-1).
// It is called from every worker at once, so it must be safe for
// concurrent use; the worker and i let it rotate over many ids or tokens
// without shared state. It returns a fresh request each time (a body is
// read once); nil ends that worker early. The request's context is
// replaced by the driver's.
type Source func(worker, i int) *http.Request

// Config shapes a run. The zero value of a field means its default, except
// Warmup: zero means no warm-up.
type Config struct {
	Concurrency int           // workers, each with at most one request in flight; default 32
	Warmup      time.Duration // sent but not counted, before the measured window
	Duration    time.Duration // the measured window; default 30 s
	Timeout     time.Duration // per request, including reading the body; default 10 s
	// Client sends the requests; nil means NewClient(Concurrency). A
	// client of one's own must keep Concurrency connections alive, or
	// the run measures connection set-up.
	Client *http.Client
}

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Duration <= 0 {
		c.Duration = DefaultDuration
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Warmup < 0 {
		c.Warmup = 0
	}
	return c
}

// Result is what a run measured. Only requests that ended inside the
// measured window count; those still in flight when it closes are
// finished (so connections stay clean) but not counted.
type Result struct {
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"` // the measured window: Duration, unless the run ended early
	// Requests is every request that ended in the window:
	// OK + HTTPErrors + TransportErrors.
	Requests        int64         `json:"requests"`
	OK              int64         `json:"ok"`              // 2xx answers
	HTTPErrors      int64         `json:"httpErrors"`      // answers outside 2xx
	TransportErrors int64         `json:"transportErrors"` // no answer: refused, reset, timed out
	Statuses        map[int]int64 `json:"statuses"`        // answers by status code
	// FirstError describes one failure (a transport error, or a non-2xx
	// status with the start of its body), for the person reading the
	// report; empty when nothing failed.
	FirstError string `json:"firstError,omitempty"`
	// RequestsPerSec is 2xx answers per second of the window: failures
	// are not throughput.
	RequestsPerSec float64 `json:"requestsPerSec"`
	// Latency is over the 2xx answers, from sending the request to
	// reading the last byte of the body.
	Latency Latency `json:"latency"`
}

// NewClient returns an HTTP client for a load of the given concurrency:
// keep-alive with room for more idle connections to a host than workers
// (the default transport keeps two, and a closed-loop run would spend its
// time connecting; the few extra ones dialled while all workers start
// together are kept rather than closed and dialled again), and no proxy.
func NewClient(concurrency int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.MaxIdleConns = 0 // no overall limit
	t.MaxIdleConnsPerHost = 2 * max(concurrency, 1)
	return &http.Client{Transport: t}
}

// Run drives the load until the window closes or ctx ends, and returns
// what was measured. It returns ctx's error (with the partial result) if
// ctx ended first.
func Run(ctx context.Context, cfg Config, src Source) (Result, error) {
	if src == nil {
		return Result{}, errors.New("load: nil source")
	}
	cfg = cfg.withDefaults()
	client := cfg.Client
	if client == nil {
		client = NewClient(cfg.Concurrency)
	}
	start := time.Now()
	w := window{from: start.Add(cfg.Warmup), until: start.Add(cfg.Warmup + cfg.Duration)}
	workers := make([]worker, cfg.Concurrency)
	var wg sync.WaitGroup
	for id := range workers {
		wg.Go(func() { workers[id].run(ctx, client, src, id, w, cfg.Timeout) })
	}
	wg.Wait()

	// The window closed, or every worker ended before it did (the
	// sources ran out, or ctx ended).
	end := time.Now()
	if end.After(w.until) {
		end = w.until
	}
	res := Result{Concurrency: cfg.Concurrency, Seconds: max(end.Sub(w.from), 0).Seconds(), Statuses: map[int]int64{}}
	var n int
	for i := range workers {
		n += len(workers[i].latencies)
	}
	all := make([]time.Duration, 0, n)
	for i := range workers {
		wk := &workers[i]
		res.OK += wk.ok
		res.HTTPErrors += wk.httpErrors
		res.TransportErrors += wk.transportErrors
		for code, k := range wk.statuses {
			res.Statuses[code] += k
		}
		if res.FirstError == "" {
			res.FirstError = wk.firstError
		}
		all = append(all, wk.latencies...)
	}
	res.Requests = res.OK + res.HTTPErrors + res.TransportErrors
	if res.Seconds > 0 {
		res.RequestsPerSec = float64(res.OK) / res.Seconds
	}
	res.Latency = Summarize(all)
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("load: %w", err)
	}
	return res, nil
}

// window is the measured part of a run: requests that end in [from, until].
type window struct{ from, until time.Time }

func (w window) contains(t time.Time) bool { return !t.Before(w.from) && !t.After(w.until) }

// worker is one closed loop. Each keeps its own counts, merged at the
// end, so the hot path takes no lock.
type worker struct {
	latencies       []time.Duration
	ok              int64
	httpErrors      int64
	transportErrors int64
	statuses        map[int]int64
	firstError      string
}

// maxErrorBody bounds how much of a failed answer is kept for the report.
const maxErrorBody = 300

func (wk *worker) run(ctx context.Context, client *http.Client, src Source, id int, w window, timeout time.Duration) {
	wk.statuses = map[int]int64{}
	wk.latencies = make([]time.Duration, 0, 4096)
	for i := 0; ; i++ {
		if ctx.Err() != nil || time.Now().After(w.until) {
			return
		}
		req := src(id, i)
		if req == nil {
			return
		}
		rctx, cancel := context.WithTimeout(ctx, timeout)
		begin := time.Now()
		status, detail, err := send(client, req.WithContext(rctx))
		end := time.Now()
		cancel()
		if ctx.Err() != nil {
			return // the caller gave up: not the server's failure
		}
		if !w.contains(end) {
			continue
		}
		switch {
		case err != nil:
			wk.transportErrors++
			wk.noteError(err.Error())
		case status < 200 || status > 299:
			wk.httpErrors++
			wk.statuses[status]++
			wk.noteError(fmt.Sprintf("%s %s: status %d: %s", req.Method, req.URL.Path, status, detail))
		default:
			wk.ok++
			wk.statuses[status]++
			wk.latencies = append(wk.latencies, end.Sub(begin))
		}
	}
}

func (wk *worker) noteError(s string) {
	if wk.firstError == "" {
		wk.firstError = s
	}
}

// send does one exchange and reads the whole body, so the connection goes
// back to the pool and the latency includes the transfer. For a non-2xx
// answer it returns the start of the body.
func send(client *http.Client, req *http.Request) (status int, detail string, err error) {
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
		detail = string(b)
	}
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, "", fmt.Errorf("read body: %w", err)
	}
	return res.StatusCode, detail, nil
}
