package store

import (
	"context"
	"log/slog"
	"testing"
)

// countingHandler counts the attributes handed to it.
type countingHandler struct {
	slog.Handler
	attrs *int
}

func (h countingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	*h.attrs += len(as)
	return countingHandler{h.Handler.WithAttrs(as), h.attrs}
}

func (h countingHandler) WithGroup(name string) slog.Handler {
	return countingHandler{h.Handler.WithGroup(name), h.attrs}
}

// TestLevelFilterDefersAttributes: FerretDB adds the documents of every
// insert as a logger attribute for a debug record; the filter must not
// hand them to the real handler, which would format them, unless a record
// is let through — and then the record must carry them.
func TestLevelFilterDefersAttributes(t *testing.T) {
	var attrs int
	var got []slog.Record
	inner := countingHandler{recordingHandler{&got}, &attrs}
	log := slog.New(levelFilter{h: inner, min: slog.LevelError})
	ctx := context.Background()
	log.With("args", "a hundred documents").DebugContext(ctx, ">>> INSERT")
	if attrs != 0 || len(got) != 0 {
		t.Fatalf("after a dropped debug record: %d attributes and %d records reached the handler, want 0 and 0", attrs, len(got))
	}
	log.WithGroup("g").With("query", "q").ErrorContext(ctx, "failed")
	if attrs != 1 || len(got) != 1 {
		t.Fatalf("after an error record: %d attributes and %d records reached the handler, want 1 and 1", attrs, len(got))
	}
}

type recordingHandler struct{ got *[]slog.Record }

func (h recordingHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h recordingHandler) Handle(_ context.Context, r slog.Record) error {
	*h.got = append(*h.got, r)
	return nil
}

func (h recordingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }

func (h recordingHandler) WithGroup(string) slog.Handler { return h }
