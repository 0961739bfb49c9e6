package servebench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultBurst is how many registrations and sign-ins the auth burst
// sends at once.
const DefaultBurst = 200

// AuthBurst is the registration and sign-in burst: Requests at once, half
// registrations of new job-seekers, half sign-ins of the benchmark's
// officer, each from its own client address (X-Forwarded-For; the server
// trusts the loopback proxy), so no per-address throttle applies and the
// only bound on the memory is the server's own bound on password hashing
// (argon2id, 19 MiB each).
type AuthBurst struct {
	Requests        int         `json:"requests"`
	Registrations   int         `json:"registrations"`
	SignIns         int         `json:"signIns"`
	Statuses        map[int]int `json:"statuses"` // answers by status: 201/200 done, 503 told to retry
	TransportErrors int         `json:"transportErrors"`
	FirstError      string      `json:"firstError,omitempty"`
	Seconds         float64     `json:"seconds"`      // from the first request sent to the last answer
	BeforeRSSMiB    float64     `json:"beforeRssMiB"` // resident memory just before
	// PeakMiB is the server's peak resident memory during the burst:
	// VmHWM, reset just before (/proc/<pid>/clear_refs), and at least the
	// highest VmRSS sampled every 5 ms.
	PeakMiB float64 `json:"peakMiB"`
	// HWMReset says whether the kernel let the peak be reset; if not,
	// PeakMiB is the highest sample.
	HWMReset bool `json:"hwmReset"`
}

// burstAddress is the i-th client address of a burst: one per request.
func burstAddress(i int) string {
	return fmt.Sprintf("10.%d.%d.%d", (i>>16)&0xff, (i>>8)&0xff, i&0xff)
}

// authBurst sends n registrations and sign-ins at once to the server and
// measures its memory meanwhile.
func authBurst(ctx context.Context, srv *server, n int, signInEmail, password string) (AuthBurst, error) {
	b := AuthBurst{Requests: n, Statuses: map[int]int{}}
	pid := srv.pid()
	b.HWMReset = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
	m, err := ReadProcMemory(pid)
	if err != nil {
		return b, err
	}
	b.BeforeRSSMiB = mib(m.RSS)

	sampled := m.RSS
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if m, err := ReadProcMemory(pid); err == nil {
					sampled = max(sampled, m.RSS)
				}
			}
		}
	})

	type call struct {
		path string
		body []byte
	}
	calls := make([]call, n)
	for i := range calls {
		var body any
		if i%2 == 0 {
			body = map[string]any{"email": fmt.Sprintf("burst-%d@example.bg", i), "password": password, "role": "jobseeker", "name": "Burst"}
			calls[i].path = "/api/v1/auth/register"
			b.Registrations++
		} else {
			body = map[string]any{"email": signInEmail, "password": password}
			calls[i].path = "/api/v1/auth/login"
			b.SignIns++
		}
		calls[i].body, _ = json.Marshal(body)
	}
	hc := &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: n, DisableCompression: true}}
	defer hc.CloseIdleConnections()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range calls {
		wg.Go(func() {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.base+c.path, bytes.NewReader(c.body))
			if err != nil {
				panic(err) // a constant URL and method
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", burstAddress(i))
			<-start
			res, err := hc.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				b.TransportErrors++
				if b.FirstError == "" {
					b.FirstError = err.Error()
				}
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			b.Statuses[res.StatusCode]++
			if res.StatusCode >= 300 && res.StatusCode != http.StatusServiceUnavailable && b.FirstError == "" {
				b.FirstError = fmt.Sprintf("POST %s: %d", c.path, res.StatusCode)
			}
		})
	}
	begin := time.Now()
	close(start)
	wg.Wait()
	b.Seconds = time.Since(begin).Seconds()
	close(stop)
	sampler.Wait()

	peak := sampled
	if b.HWMReset {
		if m, err := ReadProcMemory(pid); err == nil {
			peak = max(peak, m.HWM)
		}
	}
	b.PeakMiB = mib(peak)
	return b, ctx.Err()
}

// BurstConfig is a run of the auth burst alone, on an empty data set.
type BurstConfig struct {
	Binary   string // a built skillsmatch binary; required
	DataDir  string // a fresh (absent or empty) data directory; required
	Requests int    // default DefaultBurst
	Progress io.Writer
	Env      []string // added to the binary's environment
}

// RunBurst starts the binary on an empty data directory with the
// benchmark's officer and measures one auth burst: the figure to compare
// two builds by, without the minutes of the full run.
func RunBurst(ctx context.Context, cfg BurstConfig) (res AuthBurst, err error) {
	if cfg.Binary == "" || cfg.DataDir == "" {
		return AuthBurst{}, errors.New("servebench: Binary and DataDir are required")
	}
	if cfg.Requests <= 0 {
		cfg.Requests = DefaultBurst
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	if err := freshDir(cfg.DataDir); err != nil {
		return AuthBurst{}, err
	}
	env := childEnv(cfg.Env)
	if err := addOfficer(ctx, cfg.Binary, cfg.DataDir, officerEmail, benchPassword, env, cfg.Progress); err != nil {
		return AuthBurst{}, err
	}
	srv, err := startServer(cfg.Binary, burstServeArgs(cfg.DataDir), env, filepath.Join(cfg.DataDir, "servebench.log"))
	if err != nil {
		return AuthBurst{}, err
	}
	defer func() {
		if serr := srv.stop(30 * time.Second); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	if _, err := srv.waitReady(ctx, DefaultReadyTimeout); err != nil {
		return AuthBurst{}, err
	}
	fmt.Fprintf(cfg.Progress, "servebench: auth burst: %d registrations and sign-ins at once\n", cfg.Requests)
	return authBurst(ctx, srv, cfg.Requests, officerEmail, benchPassword)
}

// burstServeArgs are the server's flags for a run with a burst: the
// loopback is a trusted proxy, so each request's X-Forwarded-For is its
// client address.
func burstServeArgs(dataDir string) []string {
	return []string{"--data", dataDir, "--access-ttl", "24h", "--trusted-proxies", "127.0.0.1"}
}
