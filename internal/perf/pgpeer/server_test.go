package pgpeer

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestStartServesLoopbackAndStops(t *testing.T) {
	ctx := context.Background()
	dir := clusterDir(t)
	s, err := Start(ctx, dir)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Stop() })

	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		t.Fatalf("connect to %s: %v", s.DSN(), err)
	}
	want := map[string]string{
		"listen_addresses": "127.0.0.1", "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
		"shared_buffers": "256MB", "max_parallel_workers_per_gather": "0", "jit": "off",
		"unix_socket_directories": filepath.Join(dir, "socket"),
	}
	for name, w := range want {
		var got string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&got); err != nil {
			t.Fatalf("setting %s: %v", name, err)
		}
		if got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	conn.Close(ctx)

	if other := mustStart(t); other.DSN() == s.DSN() {
		t.Errorf("two servers, one DSN %s", s.DSN())
	}

	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Stop, postmaster.pid: %v, want it gone", err)
	}
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(short, s.DSN()); err == nil {
		conn.Close(ctx)
		t.Errorf("connect after Stop succeeded, want refused")
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v, want nil", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "PG_VERSION")); err != nil {
		t.Errorf("after Stop, the cluster's files: %v, want them left for the caller", err)
	}
}

func TestStartRefusesAClusterDirInUse(t *testing.T) {
	dir := clusterDir(t)
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	if s, err := Start(context.Background(), dir); err == nil {
		s.Stop()
		t.Fatalf("Start(dir with data/) = nil error, want one")
	}
}

// As root, a directory the postgres user cannot reach is reported as such.
func TestStartReportsUnreachableDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the server as another user")
	}
	dir := filepath.Join(t.TempDir(), "pg") // under a 0700 directory of root's
	_, err := Start(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "postgres user cannot reach") {
		t.Fatalf("Start(%s) = %v, want the postgres user cannot reach it", dir, err)
	}
}

func TestFindBin(t *testing.T) {
	fake := func(t *testing.T, dir string) string {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
			if err := os.WriteFile(filepath.Join(dir, name), nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	notOnPath := func(string) (string, error) { return "", exec.ErrNotFound }

	t.Run("highest version under the root", func(t *testing.T) {
		root := t.TempDir()
		for _, v := range []string{"9.6", "15", "13"} {
			fake(t, filepath.Join(root, v, "bin"))
		}
		if err := os.MkdirAll(filepath.Join(root, "17", "bin"), 0o755); err != nil { // a client only
			t.Fatal(err)
		}
		got, err := findBin(notOnPath, root)
		if want := filepath.Join(root, "15", "bin"); got != want || err != nil {
			t.Errorf("findBin = %q, %v; want %q", got, err, want)
		}
	})
	t.Run("PATH first, through symlinks", func(t *testing.T) {
		root := t.TempDir()
		fake(t, filepath.Join(root, "17", "bin"))
		real := fake(t, filepath.Join(t.TempDir(), "pg", "bin"))
		link := filepath.Join(t.TempDir(), "pg_ctl")
		if err := os.Symlink(filepath.Join(real, "pg_ctl"), link); err != nil {
			t.Fatal(err)
		}
		got, err := findBin(func(string) (string, error) { return link, nil }, root)
		if got != real || err != nil {
			t.Errorf("findBin = %q, %v; want %q", got, err, real)
		}
	})
	t.Run("none: says how to install", func(t *testing.T) {
		_, err := findBin(notOnPath, t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "apt-get install -y postgresql") {
			t.Errorf("findBin = %v, want an error saying apt-get install -y postgresql", err)
		}
	})
}
