package perf

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// Indexing is a full reindex of a data set into a fresh index.
type Indexing struct {
	Docs       int     `json:"docs"`
	Seconds    float64 `json:"seconds"`
	DocsPerSec float64 `json:"docsPerSec"`
	DiskBytes  int64   `json:"diskBytes"`
}

// buildProduct indexes every need and profile of d into a fresh index
// under dir, the way `skillsmatch reindex` and the start-up catch-up do.
func buildProduct(ctx context.Context, dir string, tx *taxonomy.Taxonomy, d *demo.Data) (*search.Index, Indexing, error) {
	ix, err := search.Open(dir, tx, nil)
	if err != nil {
		return nil, Indexing{}, err
	}
	start := time.Now()
	if err := ix.CatchUp(ctx, source{d}, nil); err != nil {
		_ = ix.Close()
		return nil, Indexing{}, fmt.Errorf("index the product: %w", err)
	}
	took := time.Since(start)
	docs := len(d.Needs) + len(d.Profiles)
	size, err := diskUsage(dir)
	if err != nil {
		_ = ix.Close()
		return nil, Indexing{}, err
	}
	return ix, Indexing{Docs: docs, Seconds: took.Seconds(), DocsPerSec: float64(docs) / took.Seconds(), DiskBytes: size}, nil
}

// diskUsage is the size of the files under dir.
func diskUsage(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		n += info.Size()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", dir, err)
	}
	return n, nil
}
