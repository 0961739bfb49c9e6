package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Users keeps accounts; e-mails are unique by index, not by checking first.
type Users struct{ c Collection }

// Users returns the accounts collection.
func (s *Store) Users() Users { return Users{s.Collection("users", "user")} }

type userDoc struct {
	ID           string    `bson:"_id"`
	Email        string    `bson:"email"`
	Role         string    `bson:"role"`
	Name         string    `bson:"name"`
	Locale       string    `bson:"locale"`
	PasswordHash string    `bson:"passwordHash"`
	EmployerIDs  []string  `bson:"employerIds,omitempty"`
	CreatedAt    time.Time `bson:"createdAt"`
	// SessionEpoch is absent (0) until a password change or a sign-out
	// everywhere increments it.
	SessionEpoch int64 `bson:"sessionEpoch,omitempty"`
}

// toUserDoc is the stored form of an account.
func toUserDoc(x auth.User) userDoc {
	return userDoc{ID: x.ID, Email: x.Email, Role: string(x.Role), Name: x.Name, Locale: x.Locale,
		PasswordHash: x.PasswordHash, EmployerIDs: x.EmployerIDs, CreatedAt: x.CreatedAt, SessionEpoch: x.SessionEpoch}
}

func (d userDoc) toDomain() auth.User {
	return auth.User{ID: d.ID, Email: d.Email, Role: auth.Role(d.Role), Name: d.Name, Locale: d.Locale,
		PasswordHash: d.PasswordHash, EmployerIDs: d.EmployerIDs, CreatedAt: d.CreatedAt, SessionEpoch: d.SessionEpoch}
}

func (u Users) ensure(ctx context.Context) error { return u.c.Unique(ctx, "email_unique", "email") }

// InsertUser adds a user; a taken e-mail is failure.Conflict.
func (u Users) InsertUser(ctx context.Context, x auth.User) error {
	return u.c.Insert(ctx, toUserDoc(x))
}

// User returns the user with id, or failure.NotFound.
func (u Users) User(ctx context.Context, id string) (auth.User, error) {
	var d userDoc
	if err := u.c.Get(ctx, id, &d); err != nil {
		return auth.User{}, err
	}
	return d.toDomain(), nil
}

// UserByEmail returns the user with the e-mail, or failure.NotFound.
func (u Users) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	var d userDoc
	if err := u.c.GetBy(ctx, "email", email, &d); err != nil {
		return auth.User{}, err
	}
	return d.toDomain(), nil
}

// AddEmployer records that the user is a member of the employer.
func (u Users) AddEmployer(ctx context.Context, userID, employerID string) error {
	ok, err := u.c.Update(ctx, bson.D{{Key: "_id", Value: userID}},
		bson.D{{Key: "$addToSet", Value: bson.D{{Key: "employerIds", Value: employerID}}}})
	if err == nil && !ok {
		return failure.NotFoundf("user")
	}
	return err
}

// DeleteUser removes the account.
func (u Users) DeleteUser(ctx context.Context, id string) error { return u.c.Delete(ctx, id) }

// SetPassword replaces the password hash if it is still oldHash and
// increments the session epoch, in one update: a compare-and-set on the
// hash the current password was checked against.
func (u Users) SetPassword(ctx context.Context, id, oldHash, newHash string) (bool, error) {
	ok, err := u.c.Update(ctx, bson.D{{Key: "_id", Value: id}, {Key: "passwordHash", Value: oldHash}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "passwordHash", Value: newHash}}}, {Key: "$inc", Value: bson.D{{Key: "sessionEpoch", Value: int64(1)}}}})
	if err != nil || ok {
		return ok, err
	}
	if _, err := u.User(ctx, id); err != nil {
		return false, err // gone: failure.NotFound
	}
	return false, nil
}

// EndSessions increments the session epoch: one field update, so ending
// all of a person's refresh tokens needs no list of them.
func (u Users) EndSessions(ctx context.Context, id string) error {
	ok, err := u.c.Update(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "sessionEpoch", Value: int64(1)}}}})
	if err == nil && !ok {
		return failure.NotFoundf("user")
	}
	return err
}

// Sessions keeps refresh tokens (hashed) and their families.
type Sessions struct{ tokens, families Collection }

// Sessions returns the refresh-token collections.
func (s *Store) Sessions() Sessions {
	return Sessions{s.Collection("refresh_tokens", "refresh token"), s.Collection("token_families", "token family")}
}

type refreshDoc struct {
	Hash      string     `bson:"_id"`
	UserID    string     `bson:"userId"`
	Family    string     `bson:"family"`
	Epoch     int64      `bson:"epoch,omitempty"`
	ExpiresAt time.Time  `bson:"expiresAt"`
	CreatedAt time.Time  `bson:"createdAt"`
	UsedAt    *time.Time `bson:"usedAt"`
}

// InsertRefresh stores a new refresh token.
func (s Sessions) InsertRefresh(ctx context.Context, t auth.RefreshToken) error {
	return s.tokens.Insert(ctx, refreshDoc{Hash: t.Hash, UserID: t.UserID, Family: t.Family, Epoch: t.Epoch, ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt})
}

// Refresh returns the token with the hash, or failure.NotFound.
func (s Sessions) Refresh(ctx context.Context, hash string) (auth.RefreshToken, error) {
	var d refreshDoc
	if err := s.tokens.Get(ctx, hash, &d); err != nil {
		return auth.RefreshToken{}, err
	}
	return auth.RefreshToken{Hash: d.Hash, UserID: d.UserID, Family: d.Family, Epoch: d.Epoch, ExpiresAt: d.ExpiresAt, CreatedAt: d.CreatedAt}, nil
}

// MarkUsed is a compare-and-set from unused to used.
func (s Sessions) MarkUsed(ctx context.Context, hash string, at time.Time) (bool, error) {
	return s.tokens.Update(ctx, bson.D{{Key: "_id", Value: hash}, {Key: "usedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: at.UTC()}}}})
}

// RevokeFamily marks a token family revoked, creating its entry: an
// explicit upsert (not a replace, which must never create a document).
// The time lets retention drop the entry once all its tokens expired.
func (s Sessions) RevokeFamily(ctx context.Context, family, userID string, at time.Time) error {
	var d bson.D
	return s.families.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: family}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "userId", Value: userID}, {Key: "revoked", Value: true}, {Key: "revokedAt", Value: at.UTC()}}}}, true, &d)
}

// FamilyRevoked reports whether the family was revoked.
func (s Sessions) FamilyRevoked(ctx context.Context, family string) (bool, error) {
	var d struct {
		Revoked bool `bson:"revoked"`
	}
	err := s.families.Get(ctx, family, &d)
	if isNotFound(err) {
		return false, nil
	}
	return d.Revoked, err
}

// Throttle keeps recent sign-in and registration attempts per key, in the
// store so that a restart does not reset them.
type Throttle struct{ c Collection }

// Throttle returns the sign-in throttle collection.
func (s *Store) Throttle() Throttle {
	return Throttle{s.Collection("signin_failures", "throttle entry")}
}

type throttleDoc struct {
	Key      string      `bson:"_id"`
	Failures []time.Time `bson:"failures"`
	Version  int64       `bson:"v"`
}

// Failures returns the failures under key since the given time.
func (t Throttle) Failures(ctx context.Context, key string, since time.Time) ([]time.Time, error) {
	var d throttleDoc
	err := t.c.Get(ctx, key, &d)
	if isNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return recent(d.Failures, since), nil
}

// Attempt records an attempt under key unless wait, given the attempts
// after since, says to wait. The read and the write are one
// compare-and-set on the entry's version, retried on races, so concurrent
// attempts each see the others.
func (t Throttle) Attempt(ctx context.Context, key string, at, since time.Time, keep int, wait func(prior []time.Time) time.Duration) (time.Duration, error) {
	for try := 0; ; try++ {
		if err := contended(ctx, key, try); err != nil {
			return 0, err
		}
		var d throttleDoc
		err := t.c.Get(ctx, key, &d)
		if isNotFound(err) {
			if w := wait(nil); w > 0 {
				return w, nil
			}
			err = t.c.Insert(ctx, throttleDoc{Key: key, Failures: []time.Time{at.UTC()}, Version: 1})
			if failure.Is(err, failure.Conflict) {
				continue
			}
			return 0, err
		} else if err != nil {
			return 0, err
		}
		prior := recent(d.Failures, since)
		if w := wait(prior); w > 0 {
			return w, nil
		}
		fails := append(prior, at.UTC())
		if len(fails) > keep {
			fails = fails[len(fails)-keep:]
		}
		ok, err := t.cas(ctx, d, fails)
		if err != nil || ok {
			return 0, err
		}
	}
}

// Forgive removes one attempt recorded at `at` under key, if it is there.
func (t Throttle) Forgive(ctx context.Context, key string, at time.Time) error {
	for try := 0; ; try++ {
		if err := contended(ctx, key, try); err != nil {
			return err
		}
		var d throttleDoc
		err := t.c.Get(ctx, key, &d)
		if isNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		i := slices.IndexFunc(d.Failures, func(x time.Time) bool { return x.Equal(at) })
		if i < 0 {
			return nil
		}
		ok, err := t.cas(ctx, d, slices.Delete(slices.Clone(d.Failures), i, i+1))
		if err != nil || ok {
			return err
		}
	}
}

// contended paces the retries of a compare-and-set on one throttle entry.
// Every lost round is another request's won one, so n concurrent requests
// finish within n rounds; a short random pause spreads them out (many
// sign-ins to one account at once all write its entry). It gives up
// after maxTries rounds or when ctx ends.
func contended(ctx context.Context, key string, try int) error {
	const maxTries = 2000
	switch {
	case try == 0:
		return nil
	case try >= maxTries:
		return fmt.Errorf("throttle entry %s: still contended after %d tries", key, maxTries)
	}
	pause := time.Duration(rand.Int64N(int64(min(try, 20))*int64(time.Millisecond) + 1))
	select {
	case <-ctx.Done():
		return fmt.Errorf("throttle entry %s: %w", key, ctx.Err())
	case <-time.After(pause):
		return nil
	}
}

// cas writes fails over d if d's version is still the stored one.
func (t Throttle) cas(ctx context.Context, d throttleDoc, fails []time.Time) (bool, error) {
	return t.c.Update(ctx, bson.D{{Key: "_id", Value: d.Key}, {Key: "v", Value: d.Version}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "failures", Value: fails}, {Key: "v", Value: d.Version + 1}}}})
}

// Reset forgets the key's failures.
func (t Throttle) Reset(ctx context.Context, key string) error { return t.c.Delete(ctx, key) }

func recent(ts []time.Time, since time.Time) []time.Time {
	out := ts[:0:0]
	for _, x := range ts {
		if x.After(since) {
			out = append(out, x)
		}
	}
	return out
}
