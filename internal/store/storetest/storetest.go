// Package storetest gives tests a real embedded store: one FerretDB server
// per test binary, and a fresh database per test, talked to through the real
// MongoDB driver. It is not a fake.
package storetest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/careget/skillsmatch/internal/store"
)

var (
	once   sync.Once
	shared *store.Store
	errOne error
	nextDB atomic.Int64
)

// Open returns a store on a new, empty database of the shared embedded
// server (or of MONGODB_URI's server when that is set, to run the same tests
// against a real MongoDB). The database is dropped when the test ends.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	once.Do(func() {
		dir, err := os.MkdirTemp("", "skillsmatch-store-")
		if err != nil {
			errOne = err
			return
		}
		shared, errOne = store.Open(context.Background(), store.Options{
			URI: os.Getenv("MONGODB_URI"), DataDir: dir, Database: "unused",
		})
	})
	if errOne != nil {
		tb.Fatalf("open shared test store: %v", errOne)
	}
	name := fmt.Sprintf("t%d_%s", nextDB.Add(1), sanitize(tb.Name()))
	s := shared.WithDatabase(name)
	tb.Cleanup(func() { _ = s.DropDatabase(context.Background()) })
	return s
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9_]`)

func sanitize(name string) string {
	name = unsafe.ReplaceAllString(name, "_")
	if len(name) > 40 {
		name = name[:40]
	}
	return name
}
