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
	"runtime"
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
	// SessionEpoch numbers the account's generations of sessions: each
	// refresh token carries the epoch it was issued in, and refresh
	// refuses one of an older epoch. Changing the password and signing
	// out everywhere increment it, so ending all of a person's sessions
	// is one atomic write and checking it the key read refresh already
	// makes. A counter, not a time: a refresh that read the account just
	// before the increment issues a token of the old epoch, refused next
	// time, whatever the clocks say.
	SessionEpoch int64
}

// RefreshToken is the stored form of a refresh token: only its hash.
type RefreshToken struct {
	Hash      string
	UserID    string
	Family    string
	Epoch     int64 // the account's SessionEpoch when it was issued
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
	// SetPassword replaces the password hash if it is still oldHash (false
	// if not: a concurrent change) and increments the session epoch, in
	// one update; failure.NotFound if the account is gone.
	SetPassword(ctx context.Context, id, oldHash, newHash string) (bool, error)
	// EndSessions increments the account's session epoch; failure.NotFound
	// if the account is gone.
	EndSessions(ctx context.Context, id string) error
}

// Sessions stores refresh tokens and their families.
type Sessions interface {
	InsertRefresh(ctx context.Context, t RefreshToken) error
	// Refresh returns the token with the hash, or failure.NotFound.
	Refresh(ctx context.Context, hash string) (RefreshToken, error)
	// MarkUsed sets the token used if it was not; false means it was
	// already used (a replay).
	MarkUsed(ctx context.Context, hash string, at time.Time) (bool, error)
	RevokeFamily(ctx context.Context, family, userID string, at time.Time) error
	FamilyRevoked(ctx context.Context, family string) (bool, error)
}

// Service implements the account rules.
type Service struct {
	users      Users
	sessions   Sessions
	throttle   Throttle
	signer     *Signer
	refreshTTL time.Duration
	now        func() time.Time
	hasher     *Hasher
	register   limit
	eraser     Eraser // job-seekers' account deletion (EraseJobseekersWith)
}

// NewService wires the account rules to their stores. Password hashing
// runs two at a time per processor until Limit says otherwise.
func NewService(users Users, sessions Sessions, throttle Throttle, signer *Signer, refreshTTL time.Duration, now func() time.Time) *Service {
	return &Service{users: users, sessions: sessions, throttle: throttle, signer: signer, refreshTTL: refreshTTL, now: now,
		hasher:   NewHasher(HashSlotsFor(0, runtime.GOMAXPROCS(0)), DefaultHashWait),
		register: registrationLimit(DefaultRegistrationsPerHour)}
}

// Limits are the service's resource bounds, from the configuration.
type Limits struct {
	// Hasher bounds concurrent password hashing; nil keeps the default.
	Hasher *Hasher
	// RegistrationsPerHour per client address; 0 keeps the default.
	RegistrationsPerHour int
}

// Limit sets the service's resource bounds. Call it before serving.
func (s *Service) Limit(l Limits) {
	if l.Hasher != nil {
		s.hasher = l.Hasher
	}
	if l.RegistrationsPerHour > 0 {
		s.register = registrationLimit(l.RegistrationsPerHour)
	}
}

// Hasher returns the password hasher, whose slots bound the memory that
// hashing takes.
func (s *Service) Hasher() *Hasher { return s.hasher }

// Signer returns the access-token signer, for the HTTP middleware.
func (s *Service) Signer() *Signer { return s.signer }

// NewAccount is what a person gives to register.
type NewAccount struct {
	Email, Password, Name, Locale string
	Role                          Role
	// Address is the client's address, for the registration throttle;
	// empty for accounts made by the command line.
	Address string
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
	// The throttle is checked before any hashing, so a flood of
	// registrations from one address costs a key read each, not 19 MiB.
	var scopes []scoped
	now := s.now().UTC().Truncate(time.Millisecond)
	if a.Address != "" {
		scopes = []scoped{{s.register.prefix + a.Address, s.register}}
		if err := s.reserve(ctx, scopes, now, "too_many_registrations", "too many registrations from this address"); err != nil {
			return User{}, err
		}
	}
	hash, err := s.hasher.Hash(ctx, a.Password)
	if err != nil {
		s.forgive(ctx, scopes, now) // refused before any work: not counted
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
	u, err := s.CheckCredentials(ctx, email, password, clientIP)
	if err != nil {
		return Tokens{}, err
	}
	return s.issue(ctx, u, NewID())
}

// CheckCredentials returns the account of the e-mail if the password is
// its own, under the sign-in throttle; unknown e-mail and wrong password
// are the same failure, and take the same time. Login issues tokens on it;
// the web app (internal/websession) starts a session on it.
func (s *Service) CheckCredentials(ctx context.Context, email, password, clientIP string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := s.users.UserByEmail(ctx, email)
	known := err == nil
	if err != nil && !failure.Is(err, failure.NotFound) {
		return User{}, fmt.Errorf("login: %w", err)
	}
	hash := u.PasswordHash
	if !known {
		hash = dummyHash
	}
	if err := s.checkPassword(ctx, email, hash, password, clientIP, known); err != nil {
		return User{}, err
	}
	return u, nil
}

var errBadCredentials = failure.New(failure.Unauthorized, "bad_credentials", "wrong e-mail or password")

// checkPassword verifies password against hash under the sign-in
// throttle of (email, clientIP): the attempt is counted before the hash
// is computed, kept as a failure if the password is wrong (or the account
// unknown), and taken back if it is right.
func (s *Service) checkPassword(ctx context.Context, email, hash, password, clientIP string, known bool) error {
	scopes := signinScopes(email, clientIP)
	now := s.now().UTC().Truncate(time.Millisecond)
	if err := s.reserve(ctx, scopes, now, "too_many_attempts", "too many failed sign-ins"); err != nil {
		return err
	}
	ok, err := s.hasher.Verify(ctx, hash, password)
	if err != nil {
		s.forgive(ctx, scopes, now) // not checked, so not a guess
		return err
	}
	if !ok || !known {
		return errBadCredentials
	}
	// A success ends the run of failures on the account (the limits
	// count consecutive failures) but not the address's: one valid
	// account must not reset an address that sprays others.
	for _, sc := range scopes {
		if sc.prefix == addressLimit.prefix {
			s.forgive(ctx, []scoped{sc}, now)
		} else if err := s.throttle.Reset(ctx, sc.key); err != nil {
			return fmt.Errorf("reset throttle: %w", err)
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
	err = s.sessions.InsertRefresh(ctx, RefreshToken{Hash: digest(refresh), UserID: u.ID, Family: family, Epoch: u.SessionEpoch,
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
		if err := s.sessions.RevokeFamily(ctx, t.Family, t.UserID, s.now()); err != nil {
			return Tokens{}, fmt.Errorf("revoke reused family: %w", err)
		}
		return Tokens{}, errBadRefresh
	}
	if !s.now().Before(t.ExpiresAt) {
		return Tokens{}, errBadRefresh
	}
	u, err := s.users.User(ctx, t.UserID)
	if failure.Is(err, failure.NotFound) {
		return Tokens{}, errBadRefresh // the account was deleted
	} else if err != nil {
		return Tokens{}, fmt.Errorf("refresh: %w", err)
	}
	if t.Epoch != u.SessionEpoch {
		return Tokens{}, errBadRefresh // ended by a password change or a sign-out everywhere
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
	return s.sessions.RevokeFamily(ctx, t.Family, t.UserID, s.now())
}

// PasswordChange is what a signed-in person gives to change a password.
type PasswordChange struct {
	Current, New string
	Address      string // the client's address, for the sign-in throttle
}

// ChangePassword replaces the caller's password after checking the current
// one (under the sign-in throttle: a stolen access token must not become a
// way to guess the password) and the policy, and ends every session of
// the account: whoever else holds a refresh token must sign in again, with
// the new password. The caller too.
func (s *Service) ChangePassword(ctx context.Context, p Principal, c PasswordChange) error {
	u, err := s.users.User(ctx, p.UserID)
	if failure.Is(err, failure.NotFound) {
		return errAccountGone
	} else if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if err := CheckPassword(c.New, u.Email); err != nil {
		return err
	}
	if err := s.checkPassword(ctx, u.Email, u.PasswordHash, c.Current, c.Address, true); err != nil {
		if failure.Is(err, failure.Unauthorized) {
			// Unauthorized would read as "your token is bad"; the token
			// is fine, the current password is not.
			return failure.Field("currentPassword", "password_wrong", "")
		}
		return err
	}
	hash, err := s.hasher.Hash(ctx, c.New)
	if err != nil {
		return err
	}
	ok, err := s.users.SetPassword(ctx, u.ID, u.PasswordHash, hash)
	if failure.Is(err, failure.NotFound) {
		return errAccountGone
	} else if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !ok {
		// Another change won since the current password was checked:
		// this one was checked against a password that is gone.
		return failure.Conflictf("concurrent_change", "the password was changed meanwhile")
	}
	return nil
}

// errAccountGone answers a valid access token whose account was deleted
// meanwhile (access tokens are not looked up, and live 15 minutes).
var errAccountGone = failure.New(failure.Unauthorized, "bad_token", "the account no longer exists")

// SignOutEverywhere ends every session of the caller's account: no refresh
// token issued until now is accepted again. Access tokens already issued
// run out within their lifetime (15 minutes by default).
func (s *Service) SignOutEverywhere(ctx context.Context, p Principal) error {
	if err := s.users.EndSessions(ctx, p.UserID); err != nil {
		if failure.Is(err, failure.NotFound) {
			return errAccountGone
		}
		return fmt.Errorf("sign out everywhere: %w", err)
	}
	return nil
}

// Eraser erases a job-seeker: their profile, the other domains' records
// of them, and last their account (profile.Service.Erase, which ends with
// CloseAccount). Deleting only a job-seeker's account would leave that data
// without its owner.
type Eraser interface {
	Erase(ctx context.Context, by Principal) error
}

// EraseJobseekersWith makes DeleteAccount erase job-seekers with e; wired
// once at start-up (internal/app), before requests are served.
func (s *Service) EraseJobseekersWith(e Eraser) { s.eraser = e }

// DeleteAccount deletes the caller's account. A job-seeker's account goes
// with everything held about them, by erasure (see Eraser); other accounts
// are closed (CloseAccount). Deleting an account that is already gone is
// not an error, so a half-done deletion is finished by asking again.
func (s *Service) DeleteAccount(ctx context.Context, p Principal) error {
	if p.Role == RoleJobseeker {
		if s.eraser == nil {
			return fmt.Errorf("delete account: no eraser of job-seekers is wired")
		}
		return s.eraser.Erase(ctx, p)
	}
	return s.CloseAccount(ctx, p.UserID)
}

// CloseAccount ends every session of the account and deletes it. Sessions
// first: if the deletion fails half-way, nobody can go on refreshing into
// an account its owner asked to delete. An absent account is not an error.
func (s *Service) CloseAccount(ctx context.Context, userID string) error {
	if err := s.users.EndSessions(ctx, userID); err != nil && !failure.Is(err, failure.NotFound) {
		return fmt.Errorf("close account: %w", err)
	}
	if err := s.users.DeleteUser(ctx, userID); err != nil && !failure.Is(err, failure.NotFound) {
		return fmt.Errorf("close account: %w", err)
	}
	return nil
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
