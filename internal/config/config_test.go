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

// TestNotificationRetentionSettings: the inbox and outbox periods default
// to 180 and 365 days (read, unread) and 30 and 90 days (sent, failed),
// are set by environment or flag, and a bad one stops start-up by name.
func TestNotificationRetentionSettings(t *testing.T) {
	day := 24 * time.Hour
	c, err := Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.InboxReadRetention != 180*day || c.InboxUnreadRetention != 365*day || c.OutboxSentRetention != 30*day || c.OutboxFailedRetention != 90*day {
		t.Errorf("defaults: inbox %s/%s, outbox %s/%s; want 180, 365, 30 and 90 days",
			c.InboxReadRetention, c.InboxUnreadRetention, c.OutboxSentRetention, c.OutboxFailedRetention)
	}
	env := map[string]string{"SKILLSMATCH_INBOX_READ_RETENTION": "48h", "SKILLSMATCH_OUTBOX_FAILED_RETENTION": "240h"}
	c, err = Parse([]string{"--outbox-sent-retention", "72h"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.InboxReadRetention != 48*time.Hour || c.OutboxSentRetention != 72*time.Hour || c.OutboxFailedRetention != 240*time.Hour {
		t.Errorf("set: %+v, %v; want 48h, 72h and 240h", c, err)
	}
	for _, bad := range [][]string{{"--inbox-read-retention", "1h"}, {"--inbox-unread-retention", "soon"}, {"--outbox-sent-retention", "0"},
		{"--outbox-failed-retention", "100000h"}} {
		if _, err := Parse(bad, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), "_RETENTION") {
			t.Errorf("%v: err = %v, want an error naming the setting", bad, err)
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
