package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/config"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/schollz/progressbar/v3"
)

// userAdd creates a staff account. The password comes from standard
// input, never from a flag, so it stays out of shell history and ps.
func userAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "officer or admin")
	email := fs.String("email", "", "e-mail address")
	name := fs.String("name", "", "full name")
	rest, err := splitFlags(fs, args)
	if err != nil {
		return err
	}
	if *role == "" || *email == "" || *name == "" {
		return errors.New("user add needs --role, --email and --name")
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from standard input: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")
	return withEnv(ctx, rest, getenv, stderr, func(e *env) error {
		u, err := e.auth.CreateStaff(ctx, auth.NewAccount{Email: *email, Password: password, Role: auth.Role(*role), Name: *name})
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
		return nil
	})
}

// taxonomyImport merges an official ESCO CSV download's labels into the
// store, from where every server start applies them.
func taxonomyImport(ctx context.Context, dir string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sets, err := taxonomy.ReadESCOCSV(dir)
	if err != nil {
		return err
	}
	return withEnv(ctx, args, getenv, stderr, func(e *env) error {
		report := e.taxonomy.Apply(sets)
		if err := e.store.TaxonomyLabels().Save(ctx, sets); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d label sets from %s: %d applied, %d with unknown URIs\n",
			len(sets), dir, report.Applied, report.UnknownURI)
		return nil
	})
}

// loadTaxonomy loads the embedded ESCO data and applies imported labels.
func loadTaxonomy(ctx context.Context, st *store.Store) (*taxonomy.Taxonomy, error) {
	tx, err := taxonomy.Load()
	if err != nil {
		return nil, fmt.Errorf("load taxonomy: %w", err)
	}
	sets, err := st.TaxonomyLabels().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load imported labels: %w", err)
	}
	if len(sets) > 0 {
		tx.Apply(sets)
	}
	return tx, nil
}

// withEnv opens the store and services with serve's settings for a
// one-off command. The embedded store allows one process: stop the server
// first, or point both at the same MONGODB_URI.
func withEnv(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, fn func(*env) error) error {
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	e, err := open(ctx, cfg, newLogger(cfg.LogFormat, stderr), false)
	if err != nil {
		return err
	}
	defer e.close()
	return fn(e)
}

// splitFlags parses the flags fs knows and returns the rest (the server's
// settings such as --data), so commands accept both.
func splitFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var own, rest []string
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(strings.SplitN(args[i], "=", 2)[0], "-")
		if fs.Lookup(name) == nil {
			rest = append(rest, args[i])
			if !strings.Contains(args[i], "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				rest = append(rest, args[i+1])
				i++
			}
			continue
		}
		own = append(own, args[i])
		if !strings.Contains(args[i], "=") && i+1 < len(args) {
			own = append(own, args[i+1])
			i++
		}
	}
	return rest, fs.Parse(own)
}

// reindex rebuilds the search index of needs from the store and reads
// every profile into memory (the profiles are not indexed: the pool
// retrieves them), with a progress bar. The index is derived data: this is
// always safe, and the only fix a damaged index needs.
func reindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	dir := filepath.Join(cfg.DataDir, "index")
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove old index: %w", err)
	}
	log := newLogger(cfg.LogFormat, io.Discard)
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	tx, err := loadTaxonomy(ctx, st)
	if err != nil {
		return err
	}
	ix, err := search.Open(dir, tx, log)
	if err != nil {
		return err
	}
	bar := progressbar.NewOptions64(-1, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("indexing"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("docs"))
	begin, n := time.Now(), 0
	err = ix.CatchUp(ctx, st.Source(), func(k int) { n += k; _ = bar.Add(k) })
	_ = bar.Finish()
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	took, c := time.Since(begin), ix.LastCatchUp()
	fmt.Fprintf(stdout, "\nmade %d documents searchable in %s (%.0f documents/s): %d needs indexed, %d profiles loaded into memory\n",
		n, took.Round(time.Millisecond), float64(n)/took.Seconds(), c.NeedsIndexed, c.ProfilesLoaded)
	return nil
}
