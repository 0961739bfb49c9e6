package servebench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DemoLoad is what `skillsmatch demo` reported.
type DemoLoad struct {
	Documents  int     `json:"documents"`  // employers, needs, profiles and accounts
	Seconds    float64 `json:"seconds"`    // the bulk load, as the command measured it
	DocsPerSec float64 `json:"docsPerSec"` // as the command reported it
	// WallSeconds is the whole command: start-up, generation, load, close.
	WallSeconds float64 `json:"wallSeconds"`
}

// demoLine is the summary line of `skillsmatch demo` (internal/app/demo.go).
var demoLine = regexp.MustCompile(`loaded (\d+) documents .* in (\S+): (\d+) documents/s`)

// runDemo loads the demo data set into dataDir with the binary, as a
// person would before a demonstration.
func runDemo(ctx context.Context, binary, dataDir string, cfg Config, env []string, log io.Writer) (DemoLoad, error) {
	args := []string{"demo", "--profiles", strconv.Itoa(cfg.Profiles), "--needs", strconv.Itoa(cfg.Needs),
		"--seed", strconv.FormatUint(cfg.Seed, 10), "--data", dataDir}
	begin := time.Now()
	out, err := runCommand(ctx, binary, args, env, nil, log)
	wall := time.Since(begin)
	if err != nil {
		return DemoLoad{}, err
	}
	m := demoLine.FindStringSubmatch(out)
	if m == nil {
		return DemoLoad{}, fmt.Errorf("demo: no summary line in its output:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	took, err := time.ParseDuration(m[2])
	if err != nil {
		return DemoLoad{}, fmt.Errorf("demo: summary line %q: %w", m[0], err)
	}
	rate, _ := strconv.ParseFloat(m[3], 64)
	return DemoLoad{Documents: n, Seconds: took.Seconds(), DocsPerSec: rate, WallSeconds: wall.Seconds()}, nil
}

// addOfficer creates the labour-office account the benchmark signs in
// with, through `skillsmatch user add` (the password on standard input).
func addOfficer(ctx context.Context, binary, dataDir, email, password string, env []string, log io.Writer) error {
	args := []string{"user", "add", "--role", "officer", "--email", email, "--name", "Benchmark Officer", "--data", dataDir}
	_, err := runCommand(ctx, binary, args, env, strings.NewReader(password+"\n"), log)
	return err
}

// runCommand runs a one-off subcommand and returns its standard output,
// which it also copies to log; its standard error (progress bars) only
// goes into the error, on failure.
func runCommand(ctx context.Context, binary string, args, env []string, stdin io.Reader, log io.Writer) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	cmd.Stdin = stdin
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s%s", binary, args[0], err, stdout.String(), stderr.String())
	}
	_, _ = log.Write(stdout.Bytes())
	return stdout.String(), nil
}

// childEnv is the environment of the binary's processes: this process's,
// without the product's settings (MONGODB_URI, SKILLSMATCH_*), so that the
// flags alone decide, and the embedded store is measured even on a
// machine where a real MongoDB is configured; then extra.
func childEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "MONGODB_URI" || strings.HasPrefix(name, "SKILLSMATCH_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}
