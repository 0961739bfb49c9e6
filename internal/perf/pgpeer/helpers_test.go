package pgpeer

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestMain fails the run if a server that a test started is still running
// at the end: a leaked postmaster outlives the test binary.
func TestMain(m *testing.M) {
	code := m.Run()
	if left := leftServers(); len(left) > 0 {
		fmt.Fprintf(os.Stderr, "pgpeer: servers left running: %s\n", strings.Join(left, "; "))
		code = 1
	}
	os.Exit(code)
}

var clusterDirs struct {
	sync.Mutex
	dirs []string
}

// leftServers returns the command lines of the processes running on a
// data directory of this test binary.
func leftServers() []string {
	clusterDirs.Lock()
	defer clusterDirs.Unlock()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var left []string
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // gone
		}
		cmd := strings.ReplaceAll(string(b), "\x00", " ")
		for _, d := range clusterDirs.dirs {
			if strings.Contains(cmd, filepath.Join(d, "data")) {
				left = append(left, cmd)
			}
		}
	}
	return left
}

// clusterDir returns a new directory for a cluster that the postgres user
// can reach when we are root (t.TempDir's parent is 0700), removed at the
// end of the test.
func clusterDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "pgpeer-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	clusterDirs.Lock()
	clusterDirs.dirs = append(clusterDirs.dirs, dir)
	clusterDirs.Unlock()
	return dir
}

// mustStart starts a server that is stopped at the end of the test.
func mustStart(tb testing.TB) *Server {
	tb.Helper()
	s, err := Start(context.Background(), clusterDir(tb))
	if err != nil {
		tb.Fatalf("Start: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Errorf("Stop: %v", err)
		}
	})
	return s
}

// mustOpen starts a server and opens a connection to it, both closed at
// the end of the test.
func mustOpen(tb testing.TB) *DB {
	tb.Helper()
	s := mustStart(tb)
	db, err := Open(context.Background(), s.DSN())
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	return db
}

// sorted returns a sorted copy, nil for none, to compare id sets.
func sorted(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	return slices.Sorted(slices.Values(ids))
}

// haversineKm is the product's distance (search/score).
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	s1, s2 := math.Sin(dLat/2), math.Sin(dLon/2)
	a := s1*s1 + math.Cos(lat1*rad)*math.Cos(lat2*rad)*s2*s2
	return 2 * earthKm * math.Asin(math.Sqrt(min(1, a)))
}

// inBoxes reports whether (lat, lon) lies in any of boxes.
func inBoxes(boxes []lonLatBox, lat, lon float64) bool {
	return slices.ContainsFunc(boxes, func(b lonLatBox) bool {
		return b.minLat <= lat && lat <= b.maxLat && b.minLon <= lon && lon <= b.maxLon
	})
}
