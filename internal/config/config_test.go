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

// The daily bounds of employers' candidate reads default to 50 per need
// and 200 per employer, and take whole numbers of at least 1.
func TestCardReadLimits(t *testing.T) {
	c, err := Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil || c.CardReadsPerNeed != 50 || c.CardReadsPerEmployer != 200 {
		t.Fatalf("defaults = %d, %d (%v); want 50, 200", c.CardReadsPerNeed, c.CardReadsPerEmployer, err)
	}
	env := map[string]string{"SKILLSMATCH_CARD_READS_PER_NEED": "5", "SKILLSMATCH_CARD_READS_PER_EMPLOYER": "9"}
	if c, err = Parse(nil, func(k string) string { return env[k] }, io.Discard); err != nil || c.CardReadsPerNeed != 5 || c.CardReadsPerEmployer != 9 {
		t.Fatalf("from the environment = %d, %d (%v); want 5, 9", c.CardReadsPerNeed, c.CardReadsPerEmployer, err)
	}
	for _, bad := range []string{"0", "-3", "many"} {
		_, err := Parse([]string{"--card-reads-per-need", bad}, func(string) string { return "" }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "SKILLSMATCH_CARD_READS_PER_NEED") {
			t.Errorf("card reads per need %q: err = %v, want a SKILLSMATCH_CARD_READS_PER_NEED error", bad, err)
		}
	}
}
