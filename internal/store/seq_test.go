package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// The reads past a sequence (the search index's start from its snapshot)
// find the documents by number — 10 after 9, which the JSON text of the
// numbers would put first — skip documents of old without a seq, and on
// the embedded store search the seq index instead of decoding every
// document.
func TestNeedsAfterSearchesBySequence(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	needs := s.Collection("needs", "need")
	for i := 1; i <= 12; i++ {
		if err := needs.Insert(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("n%02d", i)}, {Key: "seq", Value: int64(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := needs.Insert(ctx, bson.D{{Key: "_id", Value: "old"}}); err != nil {
		t.Fatal(err)
	}
	after := func(seq int64) []string {
		var ids []string
		if err := s.Source().NeedsAfter(ctx, seq, func(n register.Need, _ bool) error { ids = append(ids, n.ID); return nil }); err != nil {
			t.Fatalf("NeedsAfter(%d) = %v", seq, err)
		}
		slices.Sort(ids)
		return ids
	}
	if got := after(9); !slices.Equal(got, []string{"n10", "n11", "n12"}) {
		t.Errorf("NeedsAfter(9) = %v, want n10..n12", got)
	}
	if got := after(0); len(got) != 12 || slices.Contains(got, "old") {
		t.Errorf("NeedsAfter(0) = %v, want n01..n12 (no seq: not after anything)", got)
	}
	if got := after(-1); len(got) != 13 {
		t.Errorf("NeedsAfter(-1) = %v, want all 13", got)
	}
	if !s.Embedded() {
		return
	}
	for _, coll := range []string{"needs", "profiles", "employers"} {
		plan, err := s.ExplainAfter(ctx, coll)
		if err != nil || scans(plan) {
			t.Errorf("plan of the search past a seq in %s = %q, %v; want an index search", coll, plan, err)
		}
	}
}
