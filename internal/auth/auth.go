// Package auth holds accounts, passwords, access and refresh tokens, and
// sign-in throttling. Access tokens are short-lived Ed25519 JWTs with the
// algorithm, issuer, audience, type and expiry all checked. Refresh tokens
// are opaque, stored only as hashes, rotated on every use, and a reused one
// revokes its whole family (RFC 9700).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	RoleJobseeker Role = "jobseeker"
	RoleEmployer  Role = "employer"
	RoleOfficer   Role = "officer"
	RoleAdmin     Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleJobseeker, RoleEmployer, RoleOfficer, RoleAdmin:
		return true
	}
	return false
}

// User is an account.
type User struct {
	ID           string
	Email        string // lower case
	Role         Role
	Name         string
	Locale       string
	PasswordHash string
	EmployerIDs  []string
	CreatedAt    time.Time
}

// RefreshToken is the stored form of a refresh token: only its hash.
type RefreshToken struct {
	Hash      string
	UserID    string
	Family    string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// Users stores accounts.
type Users interface {
	// InsertUser adds u; a taken e-mail is failure.Conflict.
	InsertUser(ctx context.Context, u User) error
	// User returns the user with id, or failure.NotFound.
	User(ctx context.Context, id string) (User, error)
	// UserByEmail returns the user with the (lower-case) e-mail, or failure.NotFound.
	UserByEmail(ctx context.Context, email string) (User, error)
	// DeleteUser removes the account.
	DeleteUser(ctx context.Context, id string) error
}

// Sessions stores refresh tokens and their families.
type Sessions interface {
	InsertRefresh(ctx context.Context, t RefreshToken) error
	// Refresh returns the token with the hash, or failure.NotFound.
	Refresh(ctx context.Context, hash string) (RefreshToken, error)
	// MarkUsed sets the token used if it was not; false means it was
	// already used (a replay).
	MarkUsed(ctx context.Context, hash string, at time.Time) (bool, error)
	RevokeFamily(ctx context.Context, family, userID string) error
	FamilyRevoked(ctx context.Context, family string) (bool, error)
}

// Throttle remembers recent sign-in failures per key.
type Throttle interface {
	// Failures returns the failure times under key not older than since.
	Failures(ctx context.Context, key string, since time.Time) ([]time.Time, error)
	// AddFailure records a failure at t, keeping at most keep recent ones.
	AddFailure(ctx context.Context, key string, t time.Time, since time.Time, keep int) error
	// Reset forgets key's failures.
	Reset(ctx context.Context, key string) error
}

// Sign-in throttle: at most maxFailures failed sign-ins per account and per
// client address in throttleWindow.
const (
	maxFailures    = 10
	throttleWindow = 15 * time.Minute
)

// Service implements the account rules.
type Service struct {
	users      Users
	sessions   Sessions
	throttle   Throttle
	signer     *Signer
	refreshTTL time.Duration
	now        func() time.Time
}

// NewService wires the account rules to their stores.
func NewService(users Users, sessions Sessions, throttle Throttle, signer *Signer, refreshTTL time.Duration, now func() time.Time) *Service {
	return &Service{users: users, sessions: sessions, throttle: throttle, signer: signer, refreshTTL: refreshTTL, now: now}
}

// Signer returns the access-token signer, for the HTTP middleware.
func (s *Service) Signer() *Signer { return s.signer }

// NewAccount is what a person gives to register.
type NewAccount struct {
	Email, Password, Name, Locale string
	Role                          Role
}

// Register creates an account. Only jobseeker and employer accounts can be
// self-registered; staff accounts come from CreateStaff.
func (s *Service) Register(ctx context.Context, a NewAccount) (User, error) {
	if a.Role != RoleJobseeker && a.Role != RoleEmployer {
		return User{}, failure.Field("role", "oneof", "jobseeker employer")
	}
	return s.create(ctx, a)
}

// CreateStaff creates an officer or admin account (admins and the CLI).
func (s *Service) CreateStaff(ctx context.Context, a NewAccount) (User, error) {
	if a.Role != RoleOfficer && a.Role != RoleAdmin {
		return User{}, failure.Field("role", "oneof", "officer admin")
	}
	return s.create(ctx, a)
}

func (s *Service) create(ctx context.Context, a NewAccount) (User, error) {
	email, err := NormalizeEmail(a.Email)
	if err != nil {
		return User{}, err
	}
	if err := CheckPassword(a.Password, email); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(a.Password)
	if err != nil {
		return User{}, err
	}
	if a.Locale == "" {
		a.Locale = "bg"
	}
	u := User{ID: NewID(), Email: email, Role: a.Role, Name: strings.TrimSpace(a.Name), Locale: a.Locale,
		PasswordHash: hash, CreatedAt: s.now().UTC()}
	if err := s.users.InsertUser(ctx, u); err != nil {
		if failure.Is(err, failure.Conflict) {
			return User{}, failure.Conflictf("email_taken", "an account with this e-mail exists")
		}
		return User{}, fmt.Errorf("register %s: %w", u.Role, err)
	}
	return u, nil
}

// NormalizeEmail checks and lower-cases an e-mail address.
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		return "", failure.Field("email", "email", "")
	}
	return strings.ToLower(email), nil
}

// Tokens is what a successful sign-in or refresh returns.
type Tokens struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    int
}

// Login checks credentials and returns a fresh token pair. Unknown e-mail
// and wrong password are the same failure, and take the same time.
func (s *Service) Login(ctx context.Context, email, password, clientIP string) (Tokens, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"acct:" + digest(email), "ip:" + clientIP}
	if err := s.checkThrottle(ctx, keys); err != nil {
		return Tokens{}, err
	}
	u, err := s.users.UserByEmail(ctx, email)
	if err != nil && !failure.Is(err, failure.NotFound) {
		return Tokens{}, fmt.Errorf("login: %w", err)
	}
	hash := u.PasswordHash
	if err != nil {
		hash = dummyHash
	}
	if !VerifyPassword(hash, password) || err != nil {
		now := s.now()
		for _, k := range keys {
			if err := s.throttle.AddFailure(ctx, k, now, now.Add(-throttleWindow), maxFailures); err != nil {
				return Tokens{}, fmt.Errorf("record sign-in failure: %w", err)
			}
		}
		return Tokens{}, failure.New(failure.Unauthorized, "bad_credentials", "wrong e-mail or password")
	}
	if err := s.throttle.Reset(ctx, keys[0]); err != nil {
		return Tokens{}, fmt.Errorf("reset throttle: %w", err)
	}
	return s.issue(ctx, u, NewID())
}

func (s *Service) checkThrottle(ctx context.Context, keys []string) error {
	now := s.now()
	for _, k := range keys {
		fails, err := s.throttle.Failures(ctx, k, now.Add(-throttleWindow))
		if err != nil {
			return fmt.Errorf("read throttle: %w", err)
		}
		if len(fails) >= maxFailures {
			oldest := fails[0]
			for _, f := range fails {
				if f.Before(oldest) {
					oldest = f
				}
			}
			retry := int(oldest.Add(throttleWindow).Sub(now).Seconds()) + 1
			return &failure.Error{Kind: failure.TooMany, Code: "too_many_attempts", Detail: "too many failed sign-ins", RetryAfter: retry}
		}
	}
	return nil
}

func (s *Service) issue(ctx context.Context, u User, family string) (Tokens, error) {
	access, err := s.signer.Issue(u.ID, u.Role)
	if err != nil {
		return Tokens{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Tokens{}, fmt.Errorf("read refresh token: %w", err)
	}
	refresh := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now().UTC()
	err = s.sessions.InsertRefresh(ctx, RefreshToken{Hash: digest(refresh), UserID: u.ID, Family: family,
		ExpiresAt: now.Add(s.refreshTTL), CreatedAt: now})
	if err != nil {
		return Tokens{}, fmt.Errorf("store refresh token: %w", err)
	}
	return Tokens{AccessToken: access, RefreshToken: refresh, ExpiresIn: int(s.signer.TTL().Seconds())}, nil
}

var errBadRefresh = failure.New(failure.Unauthorized, "bad_refresh_token", "the refresh token is not valid")

// Refresh rotates a refresh token. A token that was already used is a
// sign of theft: its whole family is revoked, the legitimate holder's
// current token included.
func (s *Service) Refresh(ctx context.Context, token string) (Tokens, error) {
	hash := digest(token)
	t, err := s.sessions.Refresh(ctx, hash)
	if failure.Is(err, failure.NotFound) {
		return Tokens{}, errBadRefresh
	} else if err != nil {
		return Tokens{}, fmt.Errorf("refresh: %w", err)
	}
	if revoked, err := s.sessions.FamilyRevoked(ctx, t.Family); err != nil {
		return Tokens{}, fmt.Errorf("refresh: %w", err)
	} else if revoked {
		return Tokens{}, errBadRefresh
	}
	fresh, err := s.sessions.MarkUsed(ctx, hash, s.now())
	if err != nil {
		return Tokens{}, fmt.Errorf("refresh: %w", err)
	}
	if !fresh {
		if err := s.sessions.RevokeFamily(ctx, t.Family, t.UserID); err != nil {
			return Tokens{}, fmt.Errorf("revoke reused family: %w", err)
		}
		return Tokens{}, errBadRefresh
	}
	if !s.now().Before(t.ExpiresAt) {
		return Tokens{}, errBadRefresh
	}
	u, err := s.users.User(ctx, t.UserID)
	if err != nil {
		return Tokens{}, errBadRefresh
	}
	return s.issue(ctx, u, t.Family)
}

// Logout revokes the refresh token's family if it belongs to the caller.
// Someone else's or an unknown token is ignored, so logout reveals nothing.
func (s *Service) Logout(ctx context.Context, p Principal, token string) error {
	t, err := s.sessions.Refresh(ctx, digest(token))
	if failure.Is(err, failure.NotFound) || (err == nil && t.UserID != p.UserID) {
		return nil
	} else if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return s.sessions.RevokeFamily(ctx, t.Family, t.UserID)
}

// User returns the account with id.
func (s *Service) User(ctx context.Context, id string) (User, error) { return s.users.User(ctx, id) }

// Authenticate verifies an access token: signature, algorithm, issuer,
// audience, type and times. It does not look the account up, so a deleted
// account's token works until it expires (15 minutes by default).
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	p, err := s.signer.Verify(token)
	if err != nil {
		return Principal{}, failure.Wrap(failure.Unauthorized, "bad_token", err)
	}
	return p, nil
}

// NewID returns a random opaque id (128 bits, hex).
func NewID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS has no entropy: nothing is safe
	}
	return hex.EncodeToString(b)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
