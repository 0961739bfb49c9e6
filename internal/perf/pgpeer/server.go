// Package pgpeer is the PostgreSQL peer of the benchmark (issue 5): the
// way a competent team would retrieve matching candidates and needs with
// PostgreSQL alone — skills in an array column with a GIN index, a
// bounding box on a GiST point index — so that our Bleve retrieval can be
// compared with it. The caller re-ranks what it returns, exactly, in Go.
//
// Start runs a throwaway cluster of Debian's PostgreSQL on a free loopback
// port; DB is one connection to it, which loads the rows, answers the two
// retrieval queries and reports its backend's CPU time.
package pgpeer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a throwaway PostgreSQL cluster listening on a free 127.0.0.1
// port, its files in a directory the caller owns.
type Server struct {
	bin     string              // directory of initdb, pg_ctl and postgres
	data    string              // the cluster's data directory
	port    int                 // TCP port on 127.0.0.1
	cred    *syscall.Credential // the postgres user when we are root; nil otherwise
	stopped bool
}

// installHint is what to do when no PostgreSQL server is installed.
const installHint = "apt-get install -y postgresql"

// debianRoot is where Debian's postgresql-NN packages install their
// binaries, one directory per major version, none of them on PATH.
const debianRoot = "/usr/lib/postgresql"

// Start creates a cluster in dir/data (dir is created if need be and must
// not already hold one), starts it on a free port of 127.0.0.1 and returns
// once it accepts connections. The superuser is postgres, trusted without
// password from the loopback address only.
//
// PostgreSQL refuses to run as root, so when we are root Start runs it as
// the postgres system user (created by Debian's package): dir and every
// directory above it must then be searchable by that user. Stop the server
// with Stop; its files stay in dir for the caller to remove.
func Start(ctx context.Context, dir string) (*Server, error) {
	bin, err := findBin(exec.LookPath, debianRoot)
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("postgres dir: %w", err)
	}
	s := &Server{bin: bin, data: filepath.Join(dir, "data")}
	if os.Geteuid() == 0 {
		if s.cred, err = postgresUser(); err != nil {
			return nil, err
		}
	}
	sock := filepath.Join(dir, "socket")
	if err := s.makeDirs(dir, sock); err != nil {
		return nil, err
	}
	if out, err := s.run(ctx, "initdb", "-D", s.data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb %s: %w\n%s", s.data, err, out)
	}
	if err := s.configure(sock); err != nil {
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	if err := s.ping(ctx); err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	return s, nil
}

// DSN returns the connection string of the postgres database as the
// superuser over TCP.
func (s *Server) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// Stop shuts the server down (fast: open connections are cut) and waits
// for it to exit. It removes no file; a second call does nothing.
func (s *Server) Stop() error {
	if s.stopped {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := s.run(ctx, "pg_ctl", "stop", "-D", s.data, "-m", "fast", "-w"); err != nil {
		return fmt.Errorf("pg_ctl stop %s: %w\n%s", s.data, err, out)
	}
	s.stopped = true
	return nil
}

// findBin returns the directory holding initdb and pg_ctl: the one on PATH
// if there is one, else the highest version under root (Debian's layout).
func findBin(lookPath func(string) (string, error), root string) (string, error) {
	if p, err := lookPath("pg_ctl"); err == nil {
		// pg_ctl runs the postgres binary beside it; Debian's are reached
		// through symlinks, so look beside the real file.
		if real, err := filepath.EvalSymlinks(p); err == nil && hasServer(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "bin")) // the only error is a bad pattern
	dirs = slices.DeleteFunc(dirs, func(d string) bool { return !hasServer(d) })
	if len(dirs) == 0 {
		return "", fmt.Errorf("no PostgreSQL server found (initdb and pg_ctl, on PATH or in %s/*/bin): %s", root, installHint)
	}
	slices.SortFunc(dirs, func(a, b string) int { return slices.Compare(versionOf(a), versionOf(b)) }) // 15 above 9.6
	return dirs[len(dirs)-1], nil
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

// versionOf returns the numbers of a version directory such as
// /usr/lib/postgresql/9.6/bin: [9 6].
func versionOf(binDir string) []int {
	var v []int
	for _, part := range strings.Split(filepath.Base(filepath.Dir(binDir)), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil // not a version: sorts first
		}
		v = append(v, n)
	}
	return v
}

// postgresUser returns the credential of the postgres system user.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, which PostgreSQL refuses, and no postgres user to run it as (%s creates one): %w", installHint, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres gid %q: %w", u.Gid, err)
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	gids, _ := u.GroupIds() // without them the primary group is enough
	for _, g := range gids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			cred.Groups = append(cred.Groups, uint32(n))
		}
	}
	return cred, nil
}

// makeDirs creates dir, then the data and socket directories in it, owned
// by the user that runs the server.
func (s *Server) makeDirs(dir, sock string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("postgres dir: %w", err)
	}
	if s.cred != nil {
		if err := searchable(dir, s.cred); err != nil {
			return err
		}
	}
	for _, d := range []string{s.data, sock} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return fmt.Errorf("postgres dir: %w", err)
		}
		if s.cred != nil {
			if err := os.Chown(d, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return fmt.Errorf("postgres dir: %w", err)
			}
		}
	}
	return nil
}

// searchable checks that the user of cred may search dir and every
// directory above it, so that an unreachable dir (t.TempDir's parent is
// 0700 root) is reported as such rather than as an initdb failure.
func searchable(dir string, cred *syscall.Credential) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("postgres dir: %w", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil // not a Unix file system: let initdb tell
		}
		mode := fi.Mode().Perm()
		var can bool
		switch {
		case st.Uid == cred.Uid:
			can = mode&0o100 != 0
		case st.Gid == cred.Gid || slices.Contains(cred.Groups, st.Gid):
			can = mode&0o010 != 0
		default:
			can = mode&0o001 != 0
		}
		if !can {
			return fmt.Errorf("postgres dir %s: the postgres user cannot reach it: %s is %v owned by uid %d", dir, d, mode, st.Uid)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// socketPathMax is the room for a Unix socket path (sun_path, less its
// NUL) on Linux.
const socketPathMax = 107

// configure writes the benchmark's settings and client authentication.
func (s *Server) configure(sock string) error {
	if len(sock)+len("/.s.PGSQL.65535") > socketPathMax {
		sock = "" // no Unix socket at all rather than a server that cannot start: we connect over TCP
	}
	conf := `
# Written by pgpeer for the benchmark.
listen_addresses = '127.0.0.1'
unix_socket_directories = '` + strings.ReplaceAll(sock, "'", "''") + `'
max_connections = 20
# The data set is a few hundred MB at most: keep it in PostgreSQL's own
# cache, as a production setup of this size would.
shared_buffers = 256MB
effective_cache_size = 4GB
random_page_cost = 1.1
# Bitmap scans over many matches stay exact rather than lossy.
work_mem = 64MB
maintenance_work_mem = 256MB
# A throwaway cluster rebuilt every run: durability would only make the
# load wait on the disk, which is not what is compared. These are unsafe
# for any data one wants to keep.
fsync = off
synchronous_commit = off
full_page_writes = off
# One process per query, so that the backend's CPU time is the query's
# whole CPU time (parallel workers would hide theirs), on one core.
max_parallel_workers_per_gather = 0
# Short queries: compiling them would cost more than it saves.
jit = off
`
	if err := appendFile(filepath.Join(s.data, "postgresql.conf"), conf); err != nil {
		return err
	}
	// Trust, not passwords: a throwaway cluster. Any local user may connect
	// while it runs, but nothing from off the machine can.
	hba := "# Written by pgpeer for the benchmark.\n" +
		"local all all              trust\n" +
		"host  all all 127.0.0.1/32 trust\n"
	if err := os.WriteFile(filepath.Join(s.data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return fmt.Errorf("write pg_hba.conf: %w", err)
	}
	return nil
}

func appendFile(name, text string) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("configure postgres: %w", err)
	}
	_, err = f.WriteString(text)
	return errors.Join(err, f.Close())
}

// start starts the server on a free port. The port is free when chosen but
// may be taken before the server binds it: then it tries another.
func (s *Server) start(ctx context.Context) error {
	logFile := filepath.Join(s.data, "server.log")
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		out, err := s.run(ctx, "pg_ctl", "start", "-D", s.data, "-l", logFile, "-w", "-t", "60",
			"-o", "-p "+strconv.Itoa(port))
		if err == nil {
			s.port = port
			return nil
		}
		log, _ := os.ReadFile(logFile)
		if attempt < 3 && bytes.Contains(log, []byte("could not bind")) {
			continue
		}
		// The server may be up although pg_ctl failed (a cancelled wait).
		_, _ = s.run(context.Background(), "pg_ctl", "stop", "-D", s.data, "-m", "immediate", "-w")
		return fmt.Errorf("pg_ctl start %s: %w\n%s\n%s", s.data, err, out, tail(log, 20))
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ping checks that the server accepts connections on its DSN.
func (s *Server) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	return errors.Join(conn.Ping(ctx), conn.Close(ctx))
}

// run runs one of the server's programs as the server's user, with a C
// locale, and returns its output.
func (s *Server) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, name), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C", "LANG=C"}
	cmd.Dir = s.data // the child's working directory must be its own to reach
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	// pg_ctl leaves the postmaster running with its output in the log; in
	// case a child kept our pipes, do not wait for them forever.
	cmd.WaitDelay = 5 * time.Second
	return cmd.CombinedOutput()
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
