package replicas_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/careget/skillsmatch/internal/perf/pgpeer"
)

// The test binary plays three parts: the tests; the external store (a
// FerretDB v1 server on PostgreSQL, on TCP, in a process of its own, as an
// operator would run it); and the clients that race on it, each a process
// of its own (REPLICAS_ROLE says which).
func TestMain(m *testing.M) {
	switch os.Getenv("REPLICAS_ROLE") {
	case "ferretdb":
		os.Exit(serveFerretDB(os.Getenv("REPLICAS_PG"), os.Getenv("REPLICAS_ADDR")))
	case "cas-client":
		os.Exit(casClient())
	}
	os.Exit(m.Run())
}

// serveFerretDB runs FerretDB on PostgreSQL until SIGTERM.
func serveFerretDB(pg, addr string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	f, err := ferretdb.New(&ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: addr}, Handler: "postgresql",
		PostgreSQLURL: pg, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		return 1
	}
	if err := f.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		return 1
	}
	return 0
}

// externalStore starts PostgreSQL and a FerretDB process on it and
// returns the MongoDB URI; both stop when the test ends.
func externalStore(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PostgreSQL and FerretDB; skipped with -short")
	}
	dir, err := os.MkdirTemp("", "replicas-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil { // the postgres user must reach it when we are root
		t.Fatal(err)
	}
	pg, err := pgpeer.Start(t.Context(), dir)
	if err != nil {
		t.Fatalf("start PostgreSQL: %v", err)
	}
	t.Cleanup(func() {
		if err := pg.Stop(); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
		}
	})
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REPLICAS_ROLE=ferretdb", "REPLICAS_PG="+pg.DSN(), "REPLICAS_ADDR="+addr)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start FerretDB: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	waitListening(t, addr)
	return "mongodb://" + addr + "/"
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not listening after a minute: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
