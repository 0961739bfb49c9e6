package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// lookupUsers makes n accounts with distinct e-mails and known ids.
func lookupUsers(n int) []auth.User {
	users := make([]auth.User, n)
	at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for i := range users {
		users[i] = auth.User{ID: fmt.Sprintf("u%07d-%s", i, auth.NewID()), Email: fmt.Sprintf("person.%d@example.bg", i),
			Role: auth.RoleJobseeker, Name: fmt.Sprintf("Person %d", i), Locale: "bg",
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$Qi++YBV9gYko5kcPafFVyQ$cJOJkyAaS5QGiTVTdZer/A7rxSRlIpZ5eBKkHqzpo/8",
			CreatedAt:    at}
	}
	return users
}

// BenchmarkKeyLookups times the look-ups a request makes — a user by _id,
// a user by e-mail (sign-in), a compare-and-set by _id and version — on
// collections of 10,000 and 100,000 accounts written by BulkLoad, for the
// first, middle and last document. The three positions should cost the
// same: a look-up that grows with the position is a scan.
func BenchmarkKeyLookups(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			if n > 10_000 && testing.Short() {
				b.Skip("loads 100,000 documents")
			}
			s := storetest.Open(b)
			ctx := context.Background()
			users := lookupUsers(n)
			if err := s.BulkLoad(ctx, store.BulkData{Users: users}, nil); err != nil {
				b.Fatal(err)
			}
			positions := []struct {
				name string
				i    int
			}{{"start", 0}, {"middle", n / 2}, {"end", n - 1}}
			for _, pos := range positions {
				u := users[pos.i]
				b.Run("id/"+pos.name, func(b *testing.B) {
					for b.Loop() {
						if got, err := s.Users().User(ctx, u.ID); err != nil || got.ID != u.ID {
							b.Fatalf("User(%s) = %s, %v", u.ID, got.ID, err)
						}
					}
				})
				b.Run("email/"+pos.name, func(b *testing.B) {
					for b.Loop() {
						if got, err := s.Users().UserByEmail(ctx, u.Email); err != nil || got.ID != u.ID {
							b.Fatalf("UserByEmail(%s) = %s, %v", u.Email, got.ID, err)
						}
					}
				})
				b.Run("cas/"+pos.name, func(b *testing.B) {
					c := s.Collection("users", "user")
					for b.Loop() {
						ok, err := c.Update(ctx, bson.D{{Key: "_id", Value: u.ID}, {Key: "email", Value: u.Email}},
							bson.D{{Key: "$set", Value: bson.D{{Key: "locale", Value: "en"}}}})
						if err != nil || !ok {
							b.Fatalf("Update(%s if e-mail %s) = %v, %v", u.ID, u.Email, ok, err)
						}
					}
				})
			}
		})
	}
}

// scans reports whether a query plan reads a whole table.
func scans(plan []string) bool {
	for _, step := range plan {
		if strings.Contains(step, "SCAN") {
			return true
		}
	}
	return len(plan) == 0
}

// productCollections are the collections the product reads by key.
var productCollections = []string{"users", "refresh_tokens", "token_families", "signin_failures", "employers", "needs",
	"profiles", "counters", "audit", "matches", "pathways", "pathway_participants", "rounds", "round_preferences", "taxonomy_labels", "web_sessions"}

// TestKeyLookupsUseIndexes checks the plans SQLite makes for the embedded
// store's key look-ups: find, update and delete by _id in every collection
// the product uses, and the e-mail search of UserByEmail. A "SCAN" is a
// look-up that reads the table up to its row.
func TestKeyLookupsUseIndexes(t *testing.T) {
	s := storetest.Open(t)
	if !s.Embedded() {
		t.Skip("query plans are the embedded store's")
	}
	ctx := context.Background()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range productCollections {
		if err := s.Collection(name, name).Insert(ctx, bson.D{{Key: "_id", Value: "k1"}}); err != nil {
			t.Fatal(err)
		}
		plan, err := s.ExplainFind(ctx, name, bson.D{{Key: "_id", Value: "k1"}})
		if err != nil || scans(plan) {
			t.Errorf("plan of find {_id} in %s = %q, %v; want an index search", name, plan, err)
		}
		checkPlans(t, s, name, "")
	}
	plans := checkPlans(t, s, "users", "email")
	if lookup := strings.Join(plans["lookup"], " "); !strings.Contains(lookup, "email_unique") {
		t.Errorf("plan of the e-mail look-up = %q; want a search of the email_unique index", lookup)
	}
}

// checkPlans checks that FerretDB's find, update and delete by _id, and
// the search of field if given, are index searches in coll.
func checkPlans(t *testing.T, s *store.Store, coll, field string) map[string][]string {
	t.Helper()
	plans, err := s.ExplainSQL(context.Background(), coll, field)
	if err != nil {
		t.Fatalf("ExplainSQL(%s, %q) = %v", coll, field, err)
	}
	for name, plan := range plans {
		if scans(plan) {
			t.Errorf("plan of %s in %s = %q; want an index search", name, coll, plan)
		}
	}
	return plans
}

// TestOpenIndexesExistingCollections reopens a store holding a collection
// that FerretDB made with its own _id index, which no query can use, and
// checks that Open rebuilt the index.
func TestOpenIndexesExistingCollections(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second embedded server twice")
	}
	ctx := context.Background()
	dir := t.TempDir()
	open := func() *store.Store {
		s, err := store.Open(ctx, store.Options{DataDir: dir, Database: "old"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	if err := s.Collection("legacy", "doc").InsertUnprepared(ctx, bson.D{{Key: "_id", Value: "k1"}}); err != nil {
		t.Fatal(err)
	}
	byID := bson.D{{Key: "_id", Value: "k1"}}
	if plan, err := s.ExplainFind(ctx, "legacy", byID); err != nil || !scans(plan) {
		// FerretDB alone: if this fails, a FerretDB release fixed the
		// mismatch, and the index rebuild in sqlite.go can go.
		t.Errorf("plan of find {_id} in a collection FerretDB made = %q, %v; want a SCAN", plan, err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s = open()
	defer s.Close(ctx)
	var doc bson.M
	if err := s.Collection("legacy", "doc").Get(ctx, "k1", &doc); err != nil {
		t.Errorf("Get(k1) after the rebuild = %v", err)
	}
	checkPlans(t, s, "legacy", "")
	if plan, err := s.ExplainFind(ctx, "legacy", byID); err != nil || scans(plan) {
		t.Errorf("plan of find {_id} after reopening = %q, %v; want an index search", plan, err)
	}
	if err := s.Collection("legacy", "doc").Insert(ctx, byID); !failure.Is(err, failure.Conflict) {
		t.Errorf("Insert(k1 again) after the rebuild = %v, want a conflict: the rebuilt index is unique", err)
	}
}

func TestUserByEmailFindsEveryAddress(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	users := s.Users()
	// Addresses that JSON escapes (as FerretDB stores them) or that could
	// break out of SQL.
	emails := []string{"plain@example.bg", "a&b@example.org", "<x>@example.org", `"quoted\"q"@example.org`,
		`back\slash@example.org`, "o'neil@example.ie", "иван@пример.бг", "line\u2028sep@example.org", "tab\t@example.org"}
	for i, e := range emails {
		if err := users.InsertUser(ctx, auth.User{ID: fmt.Sprint("u", i), Email: e, Role: auth.RoleJobseeker}); err != nil {
			t.Fatalf("InsertUser(%q) = %v", e, err)
		}
	}
	for i, e := range emails {
		if got, err := users.UserByEmail(ctx, e); err != nil || got.ID != fmt.Sprint("u", i) || got.Email != e {
			t.Errorf("UserByEmail(%q) = %s %q, %v; want u%d", e, got.ID, got.Email, err, i)
		}
	}
	for _, e := range []string{"PLAIN@example.bg", "plain@example.b", "", "nobody@example.org"} {
		if got, err := users.UserByEmail(ctx, e); !failure.Is(err, failure.NotFound) {
			t.Errorf("UserByEmail(%q) = %s, %v; want NotFound", e, got.ID, err)
		}
	}
	// A freed address belongs to its next owner.
	if err := users.DeleteUser(ctx, "u0"); err != nil {
		t.Fatal(err)
	}
	if got, err := users.UserByEmail(ctx, emails[0]); !failure.Is(err, failure.NotFound) {
		t.Errorf("UserByEmail(%q) after DeleteUser = %s, %v; want NotFound", emails[0], got.ID, err)
	}
	if err := users.InsertUser(ctx, auth.User{ID: "again", Email: emails[0], Role: auth.RoleJobseeker}); err != nil {
		t.Fatal(err)
	}
	if got, err := users.UserByEmail(ctx, emails[0]); err != nil || got.ID != "again" {
		t.Errorf("UserByEmail(%q) after re-registering = %s, %v; want again", emails[0], got.ID, err)
	}
	if err := users.InsertUser(ctx, auth.User{ID: "thief", Email: emails[1], Role: auth.RoleJobseeker}); !failure.Is(err, failure.Conflict) {
		t.Errorf("InsertUser(taken %q) = %v, want a conflict", emails[1], err)
	}
}
