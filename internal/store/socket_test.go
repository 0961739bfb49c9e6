package store

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The embedded store has no accounts, so whoever can connect to it reads
// every password hash and profile. These tests hold that no other local
// process can: the server listens on no TCP port, only on a Unix socket in
// a directory only this user may enter.

func TestEmbeddedStoreListensOnPrivateSocketOnly(t *testing.T) {
	s := openEmbedded(t, t.TempDir())
	sock := socketOf(t, s)
	assertPrivate(t, sock)
	if !strings.HasPrefix(sock, filepath.Dir(s.files.dir)+"/") {
		t.Errorf("socket %s is outside the data directory %s", sock, filepath.Dir(s.files.dir))
	}
	// No TCP listener of this process speaks to a MongoDB client: the old
	// server listened on 127.0.0.1:<random> and answered anyone.
	for _, addr := range tcpListeners(t) {
		if pingable(addr) {
			t.Errorf("a TCP listener of this process, %s, answers a MongoDB ping without credentials", addr)
		}
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("the store does not answer on its socket: %v", err)
	}
}

func TestEmbeddedStoreSocketFallsBackForLongDataDir(t *testing.T) {
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	if err := os.MkdirAll(long, 0o700); err != nil {
		t.Fatal(err)
	}
	s := openEmbedded(t, long)
	sock := socketOf(t, s)
	if len(sock) > maxSocketPath {
		t.Fatalf("socket path %s is %d bytes, more than a Unix socket allows", sock, len(sock))
	}
	assertPrivate(t, sock)
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	tmp := filepath.Dir(sock)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the temporary socket directory %s outlived Close: %v", tmp, err)
	}
}

func TestEmbeddedStoreReplacesStaleSocket(t *testing.T) {
	data := t.TempDir()
	dir := filepath.Join(data, "socket")
	if err := os.MkdirAll(dir, 0o755); err != nil { // too open: Open must tighten it
		t.Fatal(err)
	}
	// A socket left behind by a process that was killed.
	ln, err := net.Listen("unix", filepath.Join(dir, "ferretdb.sock"))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	_ = ln.Close()

	s := openEmbedded(t, data)
	assertPrivate(t, socketOf(t, s))
	// A second server on the same data directory is refused while the
	// first one answers.
	if _, err := Open(t.Context(), Options{DataDir: data, Database: "x"}); err == nil || !strings.Contains(err.Error(), "another process") {
		t.Fatalf("a second embedded store on one data directory: err = %v, want refusal", err)
	}
}

func openEmbedded(t *testing.T, data string) *Store {
	t.Helper()
	s, err := Open(t.Context(), Options{DataDir: data, Database: "sockettest"})
	if err != nil {
		t.Fatalf("open embedded store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func socketOf(t *testing.T, s *Store) string {
	t.Helper()
	// Go's url.Parse refuses an escaped "/" in a host; the driver wants it.
	rest, ok := strings.CutPrefix(s.uri, "mongodb://")
	if !ok {
		t.Fatalf("store URI %q is not a mongodb:// URI", s.uri)
	}
	rest, _, _ = strings.Cut(rest, "/")
	host, err := url.PathUnescape(rest)
	if err != nil || !strings.HasPrefix(host, "/") || !strings.HasSuffix(host, ".sock") {
		t.Fatalf("store URI %q does not name a Unix socket", s.uri)
	}
	return host
}

func assertPrivate(t *testing.T, sock string) {
	t.Helper()
	fi, err := os.Lstat(sock)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("socket %s has mode %s, want a socket of 0600", sock, fi.Mode())
	}
	di, err := os.Stat(filepath.Dir(sock))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("socket directory %s has mode %s, want 0700", filepath.Dir(sock), di.Mode().Perm())
	}
}

// tcpListeners returns the addresses of this process's listening TCP
// sockets, from /proc: the sockets among its file descriptors that
// /proc/net/tcp{,6} list in state LISTEN.
func tcpListeners(t *testing.T) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	mine := map[string]bool{}
	for _, fd := range fds {
		if l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.HasPrefix(l, "socket:[") {
			mine[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	var out []string
	for _, file := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6"} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" || !mine[fields[9]] { // 0A: LISTEN
				continue
			}
			_, portHex, _ := strings.Cut(fields[1], ":")
			port, err := strconv.ParseUint(portHex, 16, 16)
			if err != nil {
				t.Fatalf("%s: %q", file, fields[1])
			}
			out = append(out, fmt.Sprintf("127.0.0.1:%d", port))
		}
		_ = f.Close()
	}
	return out
}

func pingable(addr string) bool {
	c, err := mongo.Connect(options.Client().ApplyURI("mongodb://" + addr + "/").SetDirect(true).
		SetServerSelectionTimeout(2 * time.Second).SetConnectTimeout(2 * time.Second))
	if err != nil {
		return false
	}
	defer func() { _ = c.Disconnect(context.Background()) }()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return c.Database("admin").RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err() == nil
}

// A symbolic link where the socket directory belongs (someone else's
// directory, say) is refused rather than followed.
func TestEmbeddedStoreRefusesLinkedSocketDir(t *testing.T) {
	data := t.TempDir()
	if err := os.Symlink(t.TempDir(), filepath.Join(data, "socket")); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.Context(), Options{DataDir: data, Database: "x"})
	if err == nil {
		_ = s.Close(context.Background())
		t.Fatal("Open with a symbolic link as the socket directory succeeded, want refusal")
	}
	if !strings.Contains(err.Error(), "not a plain directory") {
		t.Errorf("Open: %v, want it to say the socket directory is not a plain directory", err)
	}
}
