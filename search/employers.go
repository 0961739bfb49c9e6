package search

import (
	"maps"
	"slices"

	"github.com/careget/skillsmatch/internal/register"
)

// Employers returns copies of every employer the index follows, for the
// office's employer list and its verification queue: memory only, without
// copying the needs and profiles that Contents copies too.
func (ix *Index) Employers() []register.Employer {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return slices.Collect(maps.Values(ix.employers))
}
