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
