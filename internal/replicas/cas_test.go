package replicas_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/lease"
	"github.com/careget/skillsmatch/internal/store"
)

// casAttempts is how many compare-and-sets each client process tries.
const casAttempts = 1000

// casClient is one client process: it opens the store as the product does
// and tries casAttempts compare-and-sets of one lease document through the
// product's own store code, printing how many it won.
func casClient() int {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{URI: os.Getenv("REPLICAS_URI"), Database: "cas"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	defer st.Close(ctx)
	won, err := casLoop(ctx, st)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("won", won)
	return 0
}

// casLoop tries casAttempts compare-and-sets: read the lease, write it
// back with the next version if nobody changed it meanwhile.
func casLoop(ctx context.Context, st *store.Store) (won int, err error) {
	ls := st.Leases()
	for range casAttempts {
		l, err := ls.Lease(ctx, "race")
		if err != nil {
			return won, fmt.Errorf("read: %w", err)
		}
		was := l.Version
		l.Version++
		ok, err := ls.ReplaceLease(ctx, l, was)
		if err != nil && !failure.IsStale(err) {
			return won, fmt.Errorf("replace: %w", err)
		}
		if ok {
			won++
		}
	}
	return won, nil
}

// TestFerretDBOnPostgreSQLLosesCompareAndSetsAcrossProcesses measures what
// the issue asked: whether FerretDB v1 on PostgreSQL keeps compare-and-set
// correct when two processes race on one document. It does not — both
// processes' compare-and-sets of the same version win — so FerretDB as an
// external store serves one API replica (deploy/README.md). The test
// demonstrates it; should a FerretDB upgrade fix it, the test fails and
// the documents must change.
func TestFerretDBOnPostgreSQLLosesCompareAndSetsAcrossProcesses(t *testing.T) {
	uri := externalStore(t)
	seed(t, uri)
	clients := make([]*exec.Cmd, 2)
	outs := make([]strings.Builder, 2)
	for i := range clients {
		c := exec.Command(os.Args[0], "-test.run=^$")
		c.Env = append(os.Environ(), "REPLICAS_ROLE=cas-client", "REPLICAS_URI="+uri)
		c.Stdout, c.Stderr = &outs[i], os.Stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	won := 0
	for i, c := range clients {
		if err := c.Wait(); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(outs[i].String(), "won")))
		if err != nil {
			t.Fatalf("client %d printed %q", i, outs[i].String())
		}
		won += n
	}
	rose := version(t, uri) - 1
	t.Logf("FerretDB v1.24 on PostgreSQL, 2 processes × %d compare-and-sets: %d won, the version rose by %d: %d lost",
		casAttempts, won, rose, won-int(rose))
	if won == int(rose) {
		t.Errorf("no compare-and-set was lost across processes: FerretDB may now update atomically; " +
			"check again and let deploy/README.md allow several replicas on it")
	}
}

// TestOneProcessOnFerretDBKeepsCompareAndSet: the store sees that it talks
// to FerretDB and serialises its writes, so one replica is correct; without
// that lock, the same process loses compare-and-sets too.
func TestOneProcessOnFerretDBKeepsCompareAndSet(t *testing.T) {
	uri := externalStore(t)
	for _, unserialised := range []bool{false, true} {
		t.Run(fmt.Sprintf("unserialised=%v", unserialised), func(t *testing.T) {
			seed(t, uri)
			st, err := store.Open(t.Context(), store.Options{URI: uri, Database: "cas", Unserialised: unserialised})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close(context.Background())
			var wins [2]int
			var errs [2]error
			var wg sync.WaitGroup
			for i := range wins {
				wg.Go(func() { wins[i], errs[i] = casLoop(t.Context(), st) })
			}
			wg.Wait()
			if err := errors.Join(errs[:]...); err != nil {
				t.Fatal(err)
			}
			won, rose := wins[0]+wins[1], version(t, uri)-1
			t.Logf("one process, 2 goroutines × %d: %d won, the version rose by %d", casAttempts, won, rose)
			if lost := won != int(rose); lost != unserialised {
				t.Errorf("won %d, version rose by %d: want them equal exactly when writes are serialised", won, rose)
			}
		})
	}
}

// seed puts the raced document back at version 1.
func seed(t *testing.T, uri string) {
	t.Helper()
	st, err := store.Open(t.Context(), store.Options{URI: uri, Database: "cas"})
	if err != nil {
		t.Fatalf("open the external store: %v", err)
	}
	defer st.Close(context.Background())
	if err := st.DropDatabase(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := st.Leases().InsertLease(t.Context(), lease.Lease{Name: "race", Holder: "test", Expires: time.Now(), Version: 1}); err != nil {
		t.Fatalf("insert: %v", err)
	}
}

func version(t *testing.T, uri string) int64 {
	t.Helper()
	st, err := store.Open(t.Context(), store.Options{URI: uri, Database: "cas"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	l, err := st.Leases().Lease(t.Context(), "race")
	if err != nil {
		t.Fatal(err)
	}
	return l.Version
}
