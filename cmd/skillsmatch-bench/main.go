// Command skillsmatch-bench measures the table of `make bench`: indexing,
// ranking in both directions next to the plain Bleve query and PostgreSQL,
// full-text search, and the served API under load, at the city scale or
// also at the national one. It prints the table and writes it as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/careget/skillsmatch/internal/perf"
	"github.com/careget/skillsmatch/internal/perf/servebench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "skillsmatch-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	scale := flag.String("scale", "city", "city, or national (which also runs the city)")
	queries := flag.Int("queries", 300, "ranking queries per direction and system")
	binary := flag.String("binary", "", "a built skillsmatch binary for the HTTP rows; empty skips them")
	phase := flag.Duration("http-phase", 30*time.Second, "length of each HTTP load phase")
	out := flag.String("out", "bench/results", "directory for the JSON report")
	commit := flag.String("commit", "unknown", "the commit measured")
	work := flag.String("work", "", "directory for indexes and databases (default: a temporary one, removed after)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run")
	noHTTP := flag.Bool("no-http", false, "skip the HTTP rows")
	noCity := flag.Bool("no-city", false, "with -scale national, measure only the national scale")
	cityHTTP := flag.Bool("city-http-only", false, "with -scale national, run the HTTP rows at city scale only (the national ones take ~30 min)")
	profiles := flag.Int("profiles", 0, "with -scale national, this many job-seekers instead of 500,000 (for trying changes)")
	needs := flag.Int("needs", 0, "with -scale national, this many needs instead of 100,000")
	httpOnly := flag.Bool("http-only", false, "measure only the served binary (-binary): skip the indexing, ranking and search rows")
	httpPhases := flag.String("http-phases", "", "comma-separated HTTP phases to run (healthz,key,match,search); empty runs all")
	serverProfiles := flag.String("server-cpuprofile", "", "directory for a CPU profile of the server during each HTTP phase (<scale>/<phase>.pprof)")
	burstOnly := flag.Bool("auth-burst-only", false, "measure only the registration and sign-in burst of -binary, on an empty data set (compare two builds)")
	flag.Parse()
	if *burstOnly {
		return authBurst(*binary, *work)
	}

	phases, err := servebench.ParsePhases(*httpPhases)
	if err != nil {
		return fmt.Errorf("-http-phases: %w", err)
	}
	cfg := perf.Config{Scales: []perf.Scale{perf.City}, Queries: *queries, Commit: *commit, Binary: *binary,
		HTTPPhase: *phase, HTTPScales: map[string]bool{perf.City.Name: true}, WorkDir: *work, Progress: os.Stderr,
		HTTPOnly: *httpOnly, HTTPPhases: phases, ProfileDir: *serverProfiles}
	switch *scale {
	case "city":
	case "national":
		cfg.Scales = append(cfg.Scales, perf.National)
		cfg.HTTPScales[perf.National.Name] = !*cityHTTP
		if *noCity {
			cfg.Scales = cfg.Scales[1:]
		}
		if *profiles > 0 && *needs > 0 {
			n := &cfg.Scales[len(cfg.Scales)-1]
			n.Profiles, n.Needs = *profiles, *needs
		}
	default:
		return fmt.Errorf("-scale %q: want city or national", *scale)
	}
	if *noHTTP {
		cfg.Binary = ""
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := perf.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if err := r.Print(os.Stdout); err != nil {
		return err
	}
	path, err := r.WriteJSON(*out)
	if err != nil {
		return err
	}
	fmt.Printf("\nwritten to %s\n", path)
	return nil
}

// authBurst runs the served binary's auth burst alone and prints it.
func authBurst(binary, work string) error {
	if binary == "" {
		return fmt.Errorf("-auth-burst-only needs -binary")
	}
	if work == "" {
		dir, err := os.MkdirTemp("", "skillsmatch-burst-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b, err := servebench.RunBurst(ctx, servebench.BurstConfig{Binary: binary, DataDir: filepath.Join(work, "burst"), Progress: os.Stderr})
	if err != nil {
		return err
	}
	fmt.Printf("auth burst: %d requests (%d registrations, %d sign-ins) at once: statuses %v, %d transport errors, %.1f s\n",
		b.Requests, b.Registrations, b.SignIns, b.Statuses, b.TransportErrors, b.Seconds)
	fmt.Printf("peak RSS %.0f MiB (resident before: %.0f MiB; peak reset: %v)\n", b.PeakMiB, b.BeforeRSSMiB, b.HWMReset)
	return nil
}
