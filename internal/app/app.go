// Package app wires the product together: configuration → store →
// taxonomy → services → HTTP server, and the command-line subcommands.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/config"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

const usage = `usage: skillsmatch <command> [flags]

commands:
  serve                 start the HTTP API (embedded store unless MONGODB_URI is set)
  user add --role R --email E --name N
                        create an officer or admin; the password is read from standard input
  taxonomy import DIR   merge labels from an official ESCO CSV download (any language)
  reindex               rebuild the search indexes from the store (stop the server first)
  retention             remove expired refresh tokens, idle throttle entries, old indexed tombstones,
                        old notifications and finished outbox e-mails once (serve does it every
                        SKILLSMATCH_RETENTION_EVERY; stop the server first)
  demo [--profiles N] [--needs M] [--seed S] [--scope auto|city|national]
                        load a realistic demo data set (stop the server first)
  backup --out FILE     write every collection to FILE (gzip JSON lines with a manifest of counts and
                        checksums); each collection is read consistently; the server may keep running on MongoDB
  restore FILE          load a backup into an empty store and remove the local search index, which the next
                        start rebuilds (stop the server first)
  eval                  relevance evaluation: nDCG@10 and P@5 of the ranking against two baselines
  help                  show this text
`

// Run executes one subcommand.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		args = []string{"serve"}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stderr, nil)
	case "user":
		if len(args) < 2 || args[1] != "add" {
			return errors.New("want: user add --role R --email E --name N")
		}
		return userAdd(ctx, args[2:], getenv, stdin, stdout, stderr)
	case "taxonomy":
		if len(args) < 3 || args[1] != "import" {
			return errors.New("want: taxonomy import DIR [flags]")
		}
		return taxonomyImport(ctx, args[2], args[3:], getenv, stdout, stderr)
	case "reindex":
		return reindex(ctx, args[1:], getenv, stdout, stderr)
	case "retention":
		return retentionOnce(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return demoLoad(ctx, args[1:], getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		if len(args) < 2 || strings.HasPrefix(args[1], "-") {
			return errors.New("want: restore FILE [flags]")
		}
		return restore(ctx, args[1], args[2:], getenv, stdout, stderr)
	case "eval":
		_, err := eval.Run(ctx, stdout, eval.DefaultConfig())
		return err
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
}

// Started is told the server's address once it listens; tests use it.
type Started func(addr string)

// env is the running product: everything serve wires together.
type env struct {
	cfg      config.Config
	log      *slog.Logger
	store    *store.Store
	taxonomy *taxonomy.Taxonomy
	auth     *auth.Service // also without the index, for one-off commands
	index    *search.Index
	services Services

	pseudonymKey []byte
	// replica names this process among the replicas of one store: the
	// holder of the background jobs' leases.
	replica string
}

// open connects the store and builds the services. Without withIndex the
// search index is not opened and only the account service is built: one-off
// commands such as `user add` touch accounts only.
func open(ctx context.Context, cfg config.Config, log *slog.Logger, withIndex bool) (*env, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	st, err := store.Open(ctx, store.Options{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database, Logger: log})
	if err != nil {
		return nil, err
	}
	e := &env{cfg: cfg, log: log, store: st, replica: replicaName()}
	if err := e.build(ctx, withIndex); err != nil {
		_ = st.Close(context.Background())
		return nil, err
	}
	return e, nil
}

func (e *env) build(ctx context.Context, withIndex bool) error {
	if err := e.store.EnsureIndexes(ctx); err != nil {
		return err
	}
	tx, err := loadTaxonomy(ctx, e.store)
	if err != nil {
		return err
	}
	seed, err := auth.LoadOrCreateKey(e.cfg.JWTKey, filepath.Join(e.cfg.DataDir, "keys"), "jwt-ed25519")
	if err != nil {
		return err
	}
	if e.pseudonymKey, err = auth.LoadOrCreateKey(e.cfg.PseudonymKey, filepath.Join(e.cfg.DataDir, "keys"), "pseudonym"); err != nil {
		return err
	}
	signer, err := auth.NewSigner(seed, e.cfg.Issuer, e.cfg.AccessTTL, time.Now)
	if err != nil {
		return err
	}
	e.taxonomy = tx
	if !withIndex {
		// One-off commands touch accounts only; the next server start
		// indexes whatever they change.
		e.auth = auth.NewService(e.store.Users(), e.store.Sessions(), e.store.Throttle(), signer, e.cfg.RefreshTTL, Clock)
		e.auth.Limit(authLimits(e.cfg))
		return nil
	}
	if e.index, err = openIndex(ctx, e.cfg.DataDir, tx, e.store, e.log); err != nil {
		return err
	}
	e.services, err = Wire(ctx, e.store, tx, e.index, signer, e.cfg.RefreshTTL, Clock)
	if err != nil {
		return err
	}
	e.services.CardLimits = candidate.Limits{PerNeed: e.cfg.CardReadsPerNeed, PerEmployer: e.cfg.CardReadsPerEmployer}
	e.services.SecureCookies = e.cfg.SecureCookies
	e.auth = e.services.Auth
	e.auth.Limit(authLimits(e.cfg))
	e.log.Info("password hashing", "slots", e.auth.Hasher().Slots(), "wait", e.cfg.HashWait.String())
	return nil
}

// authLimits are the account service's resource bounds: hashing slots
// sized from the memory unless configured (each hash holds 19 MiB), and
// the registration throttle.
func authLimits(cfg config.Config) auth.Limits {
	slots := cfg.HashConcurrency
	if slots == 0 {
		slots = auth.HashSlotsFor(config.MemoryBytes(), runtime.GOMAXPROCS(0))
	}
	return auth.Limits{Hasher: auth.NewHasher(slots, cfg.HashWait), RegistrationsPerHour: cfg.RegistrationsPerHour}
}

// openIndex opens the search indexes and brings them up to date with the
// store before the server takes requests.
func openIndex(ctx context.Context, dataDir string, tx *taxonomy.Taxonomy, st *store.Store, log *slog.Logger) (*search.Index, error) {
	ix, err := search.Open(filepath.Join(dataDir, "index"), tx, log)
	if err != nil {
		return nil, err
	}
	begin, n := time.Now(), 0
	if err := ix.CatchUp(ctx, st.Source(), func(k int) { n += k }); err != nil {
		return nil, errors.Join(err, ix.Close())
	}
	// reindexed: documents made searchable, needs indexed and profiles
	// read into memory (split in the next two).
	c := ix.LastCatchUp()
	log.Info("index caught up", "reindexed", n, "needsIndexed", c.NeedsIndexed, "profilesLoaded", c.ProfilesLoaded,
		"took", time.Since(begin).Round(time.Millisecond).String())
	return ix, nil
}

func (e *env) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e.index != nil {
		if err := e.index.Close(); err != nil {
			e.log.Warn("close index", "err", err)
		}
	}
	if err := e.store.Close(ctx); err != nil {
		e.log.Warn("close store", "err", err)
	}
}

// Serve runs `skillsmatch serve` with the given flags until ctx ends; started,
// if set, is told the listening address (with --addr 127.0.0.1:0 the port
// is chosen by the system). End-to-end tests start the product with it.
func Serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, started Started) error {
	return serve(ctx, args, getenv, stderr, started)
}

// serve runs the HTTP server until ctx ends, then drains requests and
// closes the store. started, if set, is told the listening address.
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, started Started) error {
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	begin := time.Now()
	e, err := open(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer e.close()
	defer e.startRetention(ctx, log)() // stops before the store closes
	defer e.startNotify(ctx, log)()
	defer e.startFollowing(ctx, log)()
	reg := prometheus.NewRegistry()
	handler, err := e.handler(reg)
	if err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		stop, err := serveMetrics(cfg.MetricsAddr, cfg.MetricsToken, reg, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on SKILLSMATCH_ADDR %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10}
	log.Info("serving", "addr", ln.Addr().String(), "embedded_store", e.store.Embedded(),
		"startup", time.Since(begin).Round(time.Millisecond).String(), "config", fmt.Sprintf("%+v", cfg.Masked()))
	if started != nil {
		started(ln.Addr().String())
	}
	if cfg.PprofAddr != "" {
		stop, err := servePprof(cfg.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func (e *env) handler(reg *prometheus.Registry) (http.Handler, error) {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return httpapi.New(e.services.Deps(e.log, e.store, e.taxonomy, e.index, reg, e.pseudonymKey, e.cfg.TrustedProxies))
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// Clock is the services' clock: UTC at the store's precision (milliseconds),
// so what a write returns equals what a later read returns.
func Clock() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// catalog adapts the taxonomy to the domains' "is this id known" questions.
type catalog struct{ t *taxonomy.Taxonomy }

func (c catalog) KnownSkill(id string) bool {
	_, ok := c.t.Skill(id)
	return ok
}

func (c catalog) KnownOccupation(id string) bool {
	_, ok := c.t.Occupation(id)
	return ok
}

// replicaName is unique per process: the host's name, the process id and
// a random part (two containers may both be process 1 of a host "api").
func replicaName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
}
