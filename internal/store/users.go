package store

import (
	"context"
	"fmt"
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
}

// toUserDoc is the stored form of an account.
func toUserDoc(x auth.User) userDoc {
	return userDoc{ID: x.ID, Email: x.Email, Role: string(x.Role), Name: x.Name, Locale: x.Locale,
		PasswordHash: x.PasswordHash, EmployerIDs: x.EmployerIDs, CreatedAt: x.CreatedAt}
}

func (d userDoc) toDomain() auth.User {
	return auth.User{ID: d.ID, Email: d.Email, Role: auth.Role(d.Role), Name: d.Name, Locale: d.Locale,
		PasswordHash: d.PasswordHash, EmployerIDs: d.EmployerIDs, CreatedAt: d.CreatedAt}
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
	ExpiresAt time.Time  `bson:"expiresAt"`
	CreatedAt time.Time  `bson:"createdAt"`
	UsedAt    *time.Time `bson:"usedAt"`
}

// InsertRefresh stores a new refresh token.
func (s Sessions) InsertRefresh(ctx context.Context, t auth.RefreshToken) error {
	return s.tokens.Insert(ctx, refreshDoc{Hash: t.Hash, UserID: t.UserID, Family: t.Family, ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt})
}

// Refresh returns the token with the hash, or failure.NotFound.
func (s Sessions) Refresh(ctx context.Context, hash string) (auth.RefreshToken, error) {
	var d refreshDoc
	if err := s.tokens.Get(ctx, hash, &d); err != nil {
		return auth.RefreshToken{}, err
	}
	return auth.RefreshToken{Hash: d.Hash, UserID: d.UserID, Family: d.Family, ExpiresAt: d.ExpiresAt, CreatedAt: d.CreatedAt}, nil
}

// MarkUsed is a compare-and-set from unused to used.
func (s Sessions) MarkUsed(ctx context.Context, hash string, at time.Time) (bool, error) {
	return s.tokens.Update(ctx, bson.D{{Key: "_id", Value: hash}, {Key: "usedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: at.UTC()}}}})
}

// RevokeFamily marks a token family revoked.
func (s Sessions) RevokeFamily(ctx context.Context, family, userID string) error {
	// An atomic field update, created if absent: revoking twice is revoking.
	var out bson.Raw
	return s.families.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: family}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "userId", Value: userID}, {Key: "revoked", Value: true}}}}, true, &out)
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

// Throttle keeps recent sign-in failures per key, in the store so that a
// restart does not reset them.
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

// AddFailure records a failure, retrying its compare-and-set on races.
func (t Throttle) AddFailure(ctx context.Context, key string, at, since time.Time, keep int) error {
	for range 20 {
		var d throttleDoc
		err := t.c.Get(ctx, key, &d)
		if isNotFound(err) {
			err = t.c.Insert(ctx, throttleDoc{Key: key, Failures: []time.Time{at.UTC()}, Version: 1})
			if failure.Is(err, failure.Conflict) {
				continue
			}
			return err
		} else if err != nil {
			return err
		}
		fails := append(recent(d.Failures, since), at.UTC())
		if len(fails) > keep {
			fails = fails[len(fails)-keep:]
		}
		ok, err := t.c.Update(ctx, bson.D{{Key: "_id", Value: key}, {Key: "v", Value: d.Version}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "failures", Value: fails}, {Key: "v", Value: d.Version + 1}}}})
		if err != nil || ok {
			return err
		}
	}
	return fmt.Errorf("record failure for %s: too much contention", key)
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
