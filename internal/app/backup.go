package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/careget/skillsmatch/internal/config"
	"github.com/careget/skillsmatch/internal/store"
)

// backup writes every collection to --out. The file is written beside its
// final name and renamed when complete, so a backup that fails half-way
// never looks like a good one.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the backup file to write (gzip JSON lines)")
	rest, err := splitFlags(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return errors.New("want: backup --out FILE")
	}
	cfg, err := config.Parse(rest, getenv, stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	tmp, err := os.CreateTemp(filepath.Dir(*out), filepath.Base(*out)+".part-*")
	if err != nil {
		return fmt.Errorf("create backup file: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	begin := time.Now()
	m, err := st.Backup(ctx, tmp, Clock(), func(coll string, n int) { fmt.Fprintf(stderr, "%-24s %9d documents\n", coll, n) })
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backed up %d documents of %d collections to %s in %s\n", m.Documents(), len(m.Collections), *out,
		time.Since(begin).Round(time.Millisecond))
	return nil
}

// restore loads a backup into an empty store and removes the local search
// index: it is derived data, and the next start rebuilds it from the
// restored collections.
func restore(ctx context.Context, file string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	begin := time.Now()
	open := func() (io.ReadCloser, error) { return os.Open(file) }
	m, err := st.Restore(ctx, open, nil)
	if err != nil {
		return fmt.Errorf("restore %s: %w", file, err)
	}
	if err := os.RemoveAll(filepath.Join(cfg.DataDir, "index")); err != nil {
		return fmt.Errorf("remove the old index: %w", err)
	}
	fmt.Fprintf(stdout, "restored %d documents of %d collections from %s in %s; the index is rebuilt at the next start\n",
		m.Documents(), len(m.Collections), file, time.Since(begin).Round(time.Millisecond))
	return nil
}

// openStore connects the store with serve's settings, creating the data
// directory for the embedded store.
func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	return store.Open(ctx, store.Options{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database,
		Logger: newLogger(cfg.LogFormat, io.Discard)})
}
