// Package config reads the server's settings from flags and the environment
// and checks them before anything starts, so a bad setting stops start-up
// with a message that names it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting of `skillsmatch serve`.
type Config struct {
	Addr           string        // SKILLSMATCH_ADDR: where the HTTP server listens
	DataDir        string        // SKILLSMATCH_DATA: embedded store, index, keys
	MongoURI       string        // MONGODB_URI: a real MongoDB; empty = embedded store
	Database       string        // SKILLSMATCH_DB: database name
	TrustedProxies []string      // SKILLSMATCH_TRUSTED_PROXIES: comma-separated CIDRs or IPs
	JWTKey         string        // SKILLSMATCH_JWT_KEY: base64 Ed25519 seed; empty = kept in DataDir
	PseudonymKey   string        // SKILLSMATCH_PSEUDONYM_KEY: base64 HMAC key; empty = kept in DataDir
	Issuer         string        // SKILLSMATCH_ISSUER: JWT iss
	AccessTTL      time.Duration // SKILLSMATCH_ACCESS_TTL
	RefreshTTL     time.Duration // SKILLSMATCH_REFRESH_TTL
	LogFormat      string        // SKILLSMATCH_LOG: text or json
	PprofAddr      string        // SKILLSMATCH_PPROF_ADDR: loopback address for Go's profiler; empty = off
	MetricsAddr    string        // SKILLSMATCH_METRICS_ADDR: where /metrics is served, never on the API; empty = off
	MetricsToken   string        // SKILLSMATCH_METRICS_TOKEN: bearer token /metrics asks for; required beyond loopback
	// SecureCookies is SKILLSMATCH_SECURE_COOKIES: the web app's cookies
	// are Secure with the __Host- prefix although requests arrive in plain
	// HTTP (TLS ends at a proxy in front). Requests over TLS get them anyway.
	SecureCookies bool

	RetentionEvery time.Duration // SKILLSMATCH_RETENTION_EVERY: how often expired records are removed; 0 = never
	// FollowEvery is SKILLSMATCH_FOLLOW_EVERY: how often a replica on
	// MongoDB polls the store for the other replicas' writes.
	FollowEvery        time.Duration
	TombstoneRetention time.Duration // SKILLSMATCH_TOMBSTONE_RETENTION: how long tombstones are kept once indexed
	// How long the retention job keeps notifications (internal/notify):
	// inbox entries read and unread, from when they were made, and outbox
	// e-mails sent and failed for good, from their last attempt.
	InboxReadRetention    time.Duration // SKILLSMATCH_INBOX_READ_RETENTION: 4320h (180 days)
	InboxUnreadRetention  time.Duration // SKILLSMATCH_INBOX_UNREAD_RETENTION: 8760h (365 days)
	OutboxSentRetention   time.Duration // SKILLSMATCH_OUTBOX_SENT_RETENTION: 720h (30 days)
	OutboxFailedRetention time.Duration // SKILLSMATCH_OUTBOX_FAILED_RETENTION: 2160h (90 days)

	// HashConcurrency is SKILLSMATCH_HASH_CONCURRENCY: password hashes
	// (19 MiB each) run at once; 0 sizes it from the memory (MemoryBytes).
	HashConcurrency int
	HashWait        time.Duration // SKILLSMATCH_HASH_WAIT: the longest wait for a hashing slot before 503
	// RegistrationsPerHour is SKILLSMATCH_REGISTER_PER_HOUR: account
	// registrations one client address may try in an hour.
	RegistrationsPerHour int

	// An employer's daily reads of candidate cards (internal/candidate).
	CardReadsPerNeed     int64 // SKILLSMATCH_CARD_READS_PER_NEED: of one need's candidates
	CardReadsPerEmployer int64 // SKILLSMATCH_CARD_READS_PER_EMPLOYER: over all its needs

	// Notifications by e-mail (internal/notify): with no SMTP URL the
	// messages stay in the outbox (officers see them at /office/outbox).
	SMTPURL   string // SKILLSMATCH_SMTP_URL: smtps://user:pass@host:465 or smtp://…:587 (STARTTLS)
	MailFrom  string // SKILLSMATCH_MAIL_FROM: the sender's address
	PublicURL string // SKILLSMATCH_PUBLIC_URL: the site's address that mails link to; default http://<addr>
}

// Masked returns a copy safe to log: secrets are replaced.
func (c Config) Masked() Config {
	if c.JWTKey != "" {
		c.JWTKey = "***"
	}
	if c.PseudonymKey != "" {
		c.PseudonymKey = "***"
	}
	if c.MetricsToken != "" {
		c.MetricsToken = "***"
	}
	if u, err := url.Parse(c.SMTPURL); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		c.SMTPURL = u.String()
	}
	if u, err := url.Parse(c.MongoURI); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		c.MongoURI = u.String()
	}
	return c
}

// Parse reads flags from args, with defaults from getenv, and validates.
func Parse(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var c Config
	var proxies, accessTTL, refreshTTL, retentionEvery, followEvery, tombstoneRetention, hashWait, hashConcurrency, registrations string
	var cardsPerNeed, cardsPerEmployer string
	var inboxRead, inboxUnread, outboxSent, outboxFailed string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", env("SKILLSMATCH_ADDR", "127.0.0.1:8080"), "listen address (SKILLSMATCH_ADDR)")
	fs.StringVar(&c.DataDir, "data", env("SKILLSMATCH_DATA", "./data"), "data directory (SKILLSMATCH_DATA)")
	fs.StringVar(&c.MongoURI, "mongodb-uri", env("MONGODB_URI", ""), "MongoDB URI; empty starts the embedded store (MONGODB_URI)")
	fs.StringVar(&c.Database, "db", env("SKILLSMATCH_DB", "skillsmatch"), "database name (SKILLSMATCH_DB)")
	fs.StringVar(&proxies, "trusted-proxies", env("SKILLSMATCH_TRUSTED_PROXIES", ""), "comma-separated proxy CIDRs whose X-Forwarded-For is believed (SKILLSMATCH_TRUSTED_PROXIES)")
	fs.StringVar(&c.JWTKey, "jwt-key", env("SKILLSMATCH_JWT_KEY", ""), "base64 Ed25519 seed for access tokens (SKILLSMATCH_JWT_KEY)")
	fs.StringVar(&c.PseudonymKey, "pseudonym-key", env("SKILLSMATCH_PSEUDONYM_KEY", ""), "base64 key for employer-specific pseudonyms (SKILLSMATCH_PSEUDONYM_KEY)")
	fs.StringVar(&cardsPerNeed, "card-reads-per-need", env("SKILLSMATCH_CARD_READS_PER_NEED", "50"), "an employer's daily reads of one need's candidates (SKILLSMATCH_CARD_READS_PER_NEED)")
	fs.StringVar(&cardsPerEmployer, "card-reads-per-employer", env("SKILLSMATCH_CARD_READS_PER_EMPLOYER", "200"), "an employer's daily reads of candidates over all its needs (SKILLSMATCH_CARD_READS_PER_EMPLOYER)")
	fs.StringVar(&c.Issuer, "issuer", env("SKILLSMATCH_ISSUER", "skillsmatch"), "JWT issuer (SKILLSMATCH_ISSUER)")
	fs.StringVar(&accessTTL, "access-ttl", env("SKILLSMATCH_ACCESS_TTL", "15m"), "access token lifetime (SKILLSMATCH_ACCESS_TTL)")
	fs.StringVar(&refreshTTL, "refresh-ttl", env("SKILLSMATCH_REFRESH_TTL", "720h"), "refresh token lifetime (SKILLSMATCH_REFRESH_TTL)")
	fs.StringVar(&c.LogFormat, "log", env("SKILLSMATCH_LOG", "text"), "log format: text or json (SKILLSMATCH_LOG)")
	fs.StringVar(&c.PprofAddr, "pprof-addr", env("SKILLSMATCH_PPROF_ADDR", ""), "loopback host:port for /debug/pprof; empty = off (SKILLSMATCH_PPROF_ADDR)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("SKILLSMATCH_METRICS_ADDR", ""), "host:port for /metrics, apart from the API; loopback unless a token is set; empty = off (SKILLSMATCH_METRICS_ADDR)")
	fs.StringVar(&c.MetricsToken, "metrics-token", env("SKILLSMATCH_METRICS_TOKEN", ""), "bearer token that /metrics requires, at least 32 characters (SKILLSMATCH_METRICS_TOKEN)")
	fs.StringVar(&retentionEvery, "retention-every", env("SKILLSMATCH_RETENTION_EVERY", "1h"), "how often expired tokens, throttle entries and old tombstones are removed; 0 = never (SKILLSMATCH_RETENTION_EVERY)")
	fs.StringVar(&followEvery, "follow-every", env("SKILLSMATCH_FOLLOW_EVERY", "200ms"), "how often a replica on MongoDB polls for the other replicas' writes (SKILLSMATCH_FOLLOW_EVERY)")
	fs.StringVar(&tombstoneRetention, "tombstone-retention", env("SKILLSMATCH_TOMBSTONE_RETENTION", "720h"), "how long a deleted need's or erased profile's tombstone is kept (SKILLSMATCH_TOMBSTONE_RETENTION)")
	fs.StringVar(&inboxRead, "inbox-read-retention", env("SKILLSMATCH_INBOX_READ_RETENTION", "4320h"), "how long a read notification is kept (SKILLSMATCH_INBOX_READ_RETENTION)")
	fs.StringVar(&inboxUnread, "inbox-unread-retention", env("SKILLSMATCH_INBOX_UNREAD_RETENTION", "8760h"), "how long an unread notification is kept (SKILLSMATCH_INBOX_UNREAD_RETENTION)")
	fs.StringVar(&outboxSent, "outbox-sent-retention", env("SKILLSMATCH_OUTBOX_SENT_RETENTION", "720h"), "how long a sent e-mail stays in the outbox (SKILLSMATCH_OUTBOX_SENT_RETENTION)")
	fs.StringVar(&outboxFailed, "outbox-failed-retention", env("SKILLSMATCH_OUTBOX_FAILED_RETENTION", "2160h"), "how long an e-mail that failed for good stays in the outbox (SKILLSMATCH_OUTBOX_FAILED_RETENTION)")
	fs.StringVar(&hashConcurrency, "hash-concurrency", env("SKILLSMATCH_HASH_CONCURRENCY", "0"), "password hashes at once, 19 MiB each; 0 = sized from memory (SKILLSMATCH_HASH_CONCURRENCY)")
	fs.StringVar(&hashWait, "hash-wait", env("SKILLSMATCH_HASH_WAIT", "2s"), "longest wait for a hashing slot before 503 (SKILLSMATCH_HASH_WAIT)")
	fs.StringVar(&registrations, "register-per-hour", env("SKILLSMATCH_REGISTER_PER_HOUR", "30"), "registrations per client address and hour (SKILLSMATCH_REGISTER_PER_HOUR)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env("SKILLSMATCH_SECURE_COOKIES", "") == "true", "web cookies Secure and __Host- although TLS ends at a proxy in front (SKILLSMATCH_SECURE_COOKIES=true)")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("SKILLSMATCH_SMTP_URL", ""), "SMTP server for notification mails, smtps://user:pass@host:465 or smtp://…:587; empty = mails stay in the outbox (SKILLSMATCH_SMTP_URL)")
	fs.StringVar(&c.MailFrom, "mail-from", env("SKILLSMATCH_MAIL_FROM", ""), "sender address of notification mails (SKILLSMATCH_MAIL_FROM)")
	fs.StringVar(&c.PublicURL, "public-url", env("SKILLSMATCH_PUBLIC_URL", ""), "the site's address that mails link to; empty = http://<addr> (SKILLSMATCH_PUBLIC_URL)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.AccessTTL, err = duration("SKILLSMATCH_ACCESS_TTL", accessTTL, time.Minute, 24*time.Hour); err != nil {
		return Config{}, err
	}
	if c.RefreshTTL, err = duration("SKILLSMATCH_REFRESH_TTL", refreshTTL, time.Hour, 365*24*time.Hour); err != nil {
		return Config{}, err
	}
	if retentionEvery != "0" {
		if c.RetentionEvery, err = duration("SKILLSMATCH_RETENTION_EVERY", retentionEvery, time.Minute, 7*24*time.Hour); err != nil {
			return Config{}, err
		}
	}
	if c.FollowEvery, err = duration("SKILLSMATCH_FOLLOW_EVERY", followEvery, 10*time.Millisecond, time.Minute); err != nil {
		return Config{}, err
	}
	// A tombstone tells the search index to forget a document; it must
	// outlive any index that might still replay the change (a restored
	// backup of the index, a replica catching up).
	if c.TombstoneRetention, err = duration("SKILLSMATCH_TOMBSTONE_RETENTION", tombstoneRetention, 24*time.Hour, 10*365*24*time.Hour); err != nil {
		return Config{}, err
	}
	for _, r := range []struct {
		to        *time.Duration
		key, text string
	}{
		{&c.InboxReadRetention, "SKILLSMATCH_INBOX_READ_RETENTION", inboxRead},
		{&c.InboxUnreadRetention, "SKILLSMATCH_INBOX_UNREAD_RETENTION", inboxUnread},
		{&c.OutboxSentRetention, "SKILLSMATCH_OUTBOX_SENT_RETENTION", outboxSent},
		{&c.OutboxFailedRetention, "SKILLSMATCH_OUTBOX_FAILED_RETENTION", outboxFailed},
	} {
		if *r.to, err = duration(r.key, r.text, 24*time.Hour, 10*365*24*time.Hour); err != nil {
			return Config{}, err
		}
	}
	if c.HashWait, err = duration("SKILLSMATCH_HASH_WAIT", hashWait, 0, 30*time.Second); err != nil {
		return Config{}, err
	}
	if c.HashConcurrency, err = integer("SKILLSMATCH_HASH_CONCURRENCY", hashConcurrency, 0, 1024); err != nil {
		return Config{}, err
	}
	if c.RegistrationsPerHour, err = integer("SKILLSMATCH_REGISTER_PER_HOUR", registrations, 1, 1_000_000); err != nil {
		return Config{}, err
	}
	if c.CardReadsPerNeed, err = count("SKILLSMATCH_CARD_READS_PER_NEED", cardsPerNeed); err != nil {
		return Config{}, err
	}
	if c.CardReadsPerEmployer, err = count("SKILLSMATCH_CARD_READS_PER_EMPLOYER", cardsPerEmployer); err != nil {
		return Config{}, err
	}
	if proxies != "" {
		c.TrustedProxies = strings.Split(proxies, ",")
	}
	return c, c.validate()
}

func count(name, v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid %s %q: want a whole number of at least 1", name, v)
	}
	return n, nil
}

func duration(name, v string, min, max time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < min || d > max {
		return 0, fmt.Errorf("invalid %s %q: want a duration between %s and %s", name, v, min, max)
	}
	return d, nil
}

func integer(name, v string, min, max int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min || n > max {
		return 0, fmt.Errorf("invalid %s %q: want a whole number from %d to %d", name, v, min, max)
	}
	return n, nil
}

func (c *Config) validate() error {
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("invalid SKILLSMATCH_ADDR %q: want host:port", c.Addr))
	}
	if c.PprofAddr != "" {
		// The profiler shows memory, including personal data: never
		// beyond this machine.
		if host, _, err := net.SplitHostPort(c.PprofAddr); err != nil || !isLoopback(host) {
			errs = append(errs, fmt.Errorf("invalid SKILLSMATCH_PPROF_ADDR %q: want a loopback host:port", c.PprofAddr))
		}
	}
	if c.MetricsAddr != "" {
		// Metrics name routes, counts and the runtime: nothing for the
		// public. Beyond this machine only with a token.
		host, _, err := net.SplitHostPort(c.MetricsAddr)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("invalid SKILLSMATCH_METRICS_ADDR %q: want host:port", c.MetricsAddr))
		case !isLoopback(host) && c.MetricsToken == "":
			errs = append(errs, fmt.Errorf("invalid SKILLSMATCH_METRICS_ADDR %q: a non-loopback address needs SKILLSMATCH_METRICS_TOKEN", c.MetricsAddr))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 32 {
		errs = append(errs, errors.New("invalid SKILLSMATCH_METRICS_TOKEN: want at least 32 characters"))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("invalid SKILLSMATCH_DATA: empty"))
	} else {
		c.DataDir = filepath.Clean(c.DataDir)
	}
	if c.MongoURI != "" {
		if u, err := url.Parse(c.MongoURI); err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") {
			errs = append(errs, errors.New("invalid MONGODB_URI: want mongodb:// or mongodb+srv://"))
		}
	}
	if c.Database == "" || strings.ContainsAny(c.Database, "/\\. \"$") {
		errs = append(errs, fmt.Errorf("invalid SKILLSMATCH_DB %q", c.Database))
	}
	for i, p := range c.TrustedProxies {
		p = strings.TrimSpace(p)
		c.TrustedProxies[i] = p
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			errs = append(errs, fmt.Errorf("invalid SKILLSMATCH_TRUSTED_PROXIES entry %q: want an IP or CIDR", p))
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("invalid SKILLSMATCH_LOG %q: want text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
