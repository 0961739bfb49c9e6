package store_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// The version conformance suite for the sign-in collections (refresh
// tokens, token families, throttle entries), kept apart from the domain
// collections' because the sign-in code changes separately.

func TestVersionsSessions(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	ss := s.Sessions()
	if err := ss.InsertRefresh(ctx, auth.RefreshToken{Hash: "h", UserID: "u", Family: "f", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var wins atomic.Int64
	raceRMW(t, func(r, n int) (bool, error) {
		ok, err := ss.MarkUsed(ctx, "h", time.Now())
		if ok {
			wins.Add(1)
		}
		return true, err
	})
	if wins := wins.Load(); wins != 1 {
		t.Fatalf("%d racing uses of one refresh token: %d won; want 1", racers*rmwPerRacer, wins)
	}
	raceRMW(t, func(r, n int) (bool, error) { return true, ss.RevokeFamily(ctx, "f", "u", time.Now()) })
	if revoked, err := ss.FamilyRevoked(ctx, "f"); err != nil || !revoked {
		t.Fatalf("FamilyRevoked after racing revocations = %v, %v; want true", revoked, err)
	}
}

func TestVersionsThrottle(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	th := s.Throttle()
	since := time.Now().Add(-time.Hour)
	raceRMW(t, func(r, n int) (bool, error) {
		_, err := th.Attempt(ctx, "k", time.Now(), since, 1000, func([]time.Time) time.Duration { return 0 })
		if err != nil && strings.Contains(err.Error(), "contended") {
			return false, nil // it gave up without writing: record it again
		}
		return err == nil, err
	})
	got, err := th.Failures(ctx, "k", since)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != racers*rmwPerRacer {
		t.Fatalf("after %d racing failures: %d recorded", racers*rmwPerRacer, len(got))
	}
}

// TestVersionsDocumentsWithoutVersion: documents written before versions
// (or by a bulk load) have no v field; they read as version 0, their first
// change is a compare-and-set on that, and a second writer of version 0
// then loses.
func TestVersionsDocumentsWithoutVersion(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	if err := s.Collection("needs", "need").Insert(ctx, bson.D{{Key: "_id", Value: "old"}, {Key: "seq", Value: int64(1)},
		{Key: "employerId", Value: "e"}, {Key: "title", Value: "t"}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Needs().Need(ctx, "old")
	if err != nil || n.Version != 0 {
		t.Fatalf("Need(old) = %+v, %v; want version 0", n, err)
	}
	if got, err := s.Needs().UpdateNeed(ctx, n); err != nil || got.Version != 1 {
		t.Fatalf("UpdateNeed(version 0) = %+v, %v; want version 1", got, err)
	}
	if _, err := s.Needs().UpdateNeed(ctx, n); !failure.IsStale(err) {
		t.Fatalf("a second UpdateNeed(version 0) = %v, want failure.Stale", err)
	}
	if err := s.Collection("employers", "employer").Insert(ctx, bson.D{{Key: "_id", Value: "old"}, {Key: "eik", Value: "1"}}); err != nil {
		t.Fatal(err)
	}
	e, err := s.Employers().Employer(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Employers().UpdateEmployer(ctx, e); err != nil {
		t.Fatalf("UpdateEmployer(version 0) = %v", err)
	}
	if _, err := s.Employers().UpdateEmployer(ctx, register.Employer{ID: "old"}); !failure.IsStale(err) {
		t.Fatalf("a second UpdateEmployer(version 0) = %v, want failure.Stale", err)
	}
}
