package search

import (
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/careget/skillsmatch/internal/mirror"
)

// loadWatermark reads the needs index's watermark: the highest sequence up
// to which it holds every change, written in the same batch as the
// documents.
func loadWatermark(idx bleve.Index) (*mirror.Mark, error) {
	raw, err := idx.GetInternal(watermarkKey)
	if err != nil {
		return nil, fmt.Errorf("read watermark: %w", err)
	}
	var done int64
	if len(raw) > 0 {
		if done, err = strconv.ParseInt(string(raw), 10, 64); err != nil {
			return nil, fmt.Errorf("watermark %q is damaged: %w", raw, err)
		}
	}
	return mirror.NewMark(done), nil
}
