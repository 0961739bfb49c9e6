package config

import (
	"io"
	"strings"
	"testing"
	"time"
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

// Metrics are served apart from the API, on loopback, or beyond it only
// behind a bearer token.
func TestMetricsAddrLoopbackOrToken(t *testing.T) {
	token := strings.Repeat("t", 32)
	for _, tt := range []struct {
		addr, token string
		ok          bool
	}{
		{"", "", true}, {"127.0.0.1:9090", "", true}, {"[::1]:0", "", true},
		{"0.0.0.0:9090", "", false}, {":9090", "", false}, {"10.0.0.5:9090", "", false}, {"9090", token, false},
		{"0.0.0.0:9090", token, true}, {"0.0.0.0:9090", "short", false},
	} {
		env := map[string]string{"SKILLSMATCH_METRICS_ADDR": tt.addr, "SKILLSMATCH_METRICS_TOKEN": tt.token}
		c, err := Parse(nil, func(k string) string { return env[k] }, io.Discard)
		if tt.ok && err != nil {
			t.Errorf("metrics %q with token %q refused: %v", tt.addr, tt.token, err)
		}
		if !tt.ok && (err == nil || !strings.Contains(err.Error(), "SKILLSMATCH_METRICS_")) {
			t.Errorf("metrics %q with token %q: err = %v, want a SKILLSMATCH_METRICS_ error", tt.addr, tt.token, err)
		}
		if tt.ok && tt.token != "" && c.Masked().MetricsToken == tt.token {
			t.Errorf("Masked() shows the metrics token")
		}
	}
}

func TestRetentionSettings(t *testing.T) {
	c, err := Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.RetentionEvery != time.Hour || c.TombstoneRetention != 30*24*time.Hour {
		t.Errorf("defaults: every %s, tombstones %s; want 1h and 720h", c.RetentionEvery, c.TombstoneRetention)
	}
	if c, err = Parse([]string{"--retention-every", "0"}, func(string) string { return "" }, io.Discard); err != nil || c.RetentionEvery != 0 {
		t.Errorf("--retention-every 0: %s, %v; want off", c.RetentionEvery, err)
	}
	for _, bad := range [][]string{{"--retention-every", "1s"}, {"--tombstone-retention", "1m"}, {"--tombstone-retention", "x"}} {
		if _, err := Parse(bad, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), "RETENTION") {
			t.Errorf("%v: err = %v, want a retention error", bad, err)
		}
	}
}
