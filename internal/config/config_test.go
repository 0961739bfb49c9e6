package config

import (
	"io"
	"strings"
	"testing"
)

// The profiler shows the process's memory: only a loopback address is
// accepted.
func TestPprofAddrMustBeLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"": true, "127.0.0.1:6060": true, "localhost:0": true, "[::1]:6060": true,
		"0.0.0.0:6060": false, ":6060": false, "10.0.0.5:6060": false, "example.bg:6060": false, "6060": false,
	} {
		_, err := Parse([]string{"--pprof-addr", addr}, func(string) string { return "" }, io.Discard)
		if ok && err != nil {
			t.Errorf("pprof address %q refused: %v", addr, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "SKILLSMATCH_PPROF_ADDR")) {
			t.Errorf("pprof address %q: err = %v, want a SKILLSMATCH_PPROF_ADDR error", addr, err)
		}
	}
}

// Password hashing and the registration throttle are bounded by settings
// that are checked like every other: a bad value stops start-up by name.
func TestHashingAndRegistrationSettings(t *testing.T) {
	none := func(string) string { return "" }
	c, err := Parse(nil, none, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.HashConcurrency != 0 || c.HashWait.String() != "2s" || c.RegistrationsPerHour != 30 {
		t.Errorf("defaults: hash concurrency %d, wait %s, registrations %d; want 0 (from memory), 2s, 30",
			c.HashConcurrency, c.HashWait, c.RegistrationsPerHour)
	}
	env := map[string]string{"SKILLSMATCH_HASH_CONCURRENCY": "3", "SKILLSMATCH_HASH_WAIT": "500ms", "SKILLSMATCH_REGISTER_PER_HOUR": "1000"}
	c, err = Parse(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.HashConcurrency != 3 || c.HashWait.String() != "500ms" || c.RegistrationsPerHour != 1000 {
		t.Errorf("from the environment: %+v, %v", c, err)
	}
	for flag, value := range map[string]string{
		"--hash-concurrency": "-1", "--hash-wait": "1h", "--register-per-hour": "0",
	} {
		if _, err := Parse([]string{flag, value}, none, io.Discard); err == nil {
			t.Errorf("%s %s accepted, want an error", flag, value)
		}
	}
	if _, err := Parse([]string{"--hash-concurrency", "many"}, none, io.Discard); err == nil || !strings.Contains(err.Error(), "SKILLSMATCH_HASH_CONCURRENCY") {
		t.Errorf("--hash-concurrency many: %v, want an error naming SKILLSMATCH_HASH_CONCURRENCY", err)
	}
	if MemoryBytes() <= 0 {
		t.Error("MemoryBytes() = 0 on Linux, want the machine's or the cgroup's memory")
	}
}
