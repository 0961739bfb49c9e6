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

// Indexing is a full reindex of a data set into a fresh index: every need
// indexed in Bleve and every profile loaded into memory (the pool; no index
// holds profiles). Docs counts both, the documents made searchable, and
// Needs and Profiles split them.
type Indexing struct {
	Docs       int     `json:"docs"`
	Needs      int     `json:"needsIndexed"`
	Profiles   int     `json:"profilesLoaded"`
	Seconds    float64 `json:"seconds"`
	DocsPerSec float64 `json:"docsPerSec"`
	DiskBytes  int64   `json:"diskBytes"`
}

// buildProduct makes every need and profile of d searchable in a fresh
// index under dir, the way `skillsmatch reindex` and the start-up catch-up
// do: needs indexed, profiles loaded.
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
	took, c := time.Since(start), ix.LastCatchUp()
	docs := c.NeedsIndexed + c.ProfilesLoaded
	size, err := diskUsage(dir)
	if err != nil {
		_ = ix.Close()
		return nil, Indexing{}, err
	}
	return ix, Indexing{Docs: docs, Needs: c.NeedsIndexed, Profiles: c.ProfilesLoaded, Seconds: took.Seconds(), DocsPerSec: float64(docs) / took.Seconds(), DiskBytes: size}, nil
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
