// Package apptest builds the whole product for tests the one way the
// product builds it (app.Wire over a store, the taxonomy and a search
// index), on a fresh database of the embedded store and an index in the
// test's temporary directory. The API's, the pages' and the canary's test
// servers all start here, so none of them tests a copy of the wiring.
package apptest

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/prometheus/client_golang/prometheus"
)

// PseudonymKey keys candidate pseudonyms in tests.
var PseudonymKey = []byte("test pseudonym key, 32 bytes....")

// Options changes what Open builds; the zero value is the usual test.
type Options struct {
	Store  *store.Store     // nil: a fresh database (storetest.Open)
	Logger *slog.Logger     // nil: logs are discarded
	Now    func() time.Time // nil: app.Clock
}

// Env is the wired product.
type Env struct {
	Store    *store.Store
	Taxonomy *taxonomy.Taxonomy
	Index    *search.Index
	Services app.Services
	Logger   *slog.Logger
}

var (
	taxOnce sync.Once
	tax     *taxonomy.Taxonomy
	taxErr  error
)

// Taxonomy is the embedded ESCO taxonomy, loaded once per test binary.
func Taxonomy(tb testing.TB) *taxonomy.Taxonomy {
	tb.Helper()
	taxOnce.Do(func() { tax, taxErr = taxonomy.Load() })
	if taxErr != nil {
		tb.Fatal(taxErr)
	}
	return tax
}

// Open wires the product; everything it opens is closed when the test ends.
func Open(tb testing.TB, o Options) *Env {
	tb.Helper()
	ctx := context.Background()
	if o.Store == nil {
		o.Store = storetest.Open(tb)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = app.Clock
	}
	if err := o.Store.EnsureIndexes(ctx); err != nil {
		tb.Fatal(err)
	}
	tx := Taxonomy(tb)
	signer, err := auth.NewSigner(bytes.Repeat([]byte{7}, 32), "skillsmatch", 15*time.Minute, o.Now)
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := search.Open(tb.TempDir(), tx, o.Logger)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ix.Close() })
	if err := ix.CatchUp(ctx, o.Store.Source(), nil); err != nil {
		tb.Fatal(err)
	}
	svc, err := app.Wire(ctx, o.Store, tx, ix, signer, time.Hour, o.Now)
	if err != nil {
		tb.Fatal(err)
	}
	return &Env{Store: o.Store, Taxonomy: tx, Index: ix, Services: svc, Logger: o.Logger}
}

// Deps is what the HTTP layer needs over the environment, with a metrics
// registry of its own and no trusted proxies.
func (e *Env) Deps() httpapi.Deps {
	return e.Services.Deps(e.Logger, e.Store, e.Taxonomy, e.Index, prometheus.NewRegistry(), PseudonymKey, nil)
}
