// Package websession holds the rules of the web app's sign-in sessions: an
// opaque random id that only the browser holds (the store keeps its
// SHA-256), a per-session CSRF token, idle and absolute timeouts, and the
// account's session epoch at sign-in, so that auth's "sign out everywhere"
// and a password change end web sessions as they end refresh tokens.
// Credentials are checked by auth.Service (throttle, bounded hashing,
// password rules), never here.
package websession

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
)

// Default timeouts: a session unused for IdleTimeout, or older than
// AbsoluteTimeout, is over.
const (
	DefaultIdleTimeout     = 2 * time.Hour
	DefaultAbsoluteTimeout = 12 * time.Hour
	// touchEvery bounds the writes of last-seen: one per session and
	// minute at most, not one per request.
	touchEvery = time.Minute
)

// Session is a stored web session. Hash is the SHA-256 of the id the
// browser holds; the id itself is never stored.
type Session struct {
	Hash      string
	UserID    string
	Role      auth.Role
	Epoch     int64  // the account's SessionEpoch at sign-in
	CSRF      string // the token every form of this session carries
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // absolute end: CreatedAt + AbsoluteTimeout
}

// Principal is the session's account, as the domain services take it.
func (s Session) Principal() auth.Principal { return auth.Principal{UserID: s.UserID, Role: s.Role} }

// CheckCSRF reports whether token is this session's CSRF token, in
// constant time.
func (s Session) CheckCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

// Store keeps sessions by hash (internal/store implements it).
type Store interface {
	InsertWebSession(ctx context.Context, s Session) error
	// WebSession returns the session with the hash, or failure.NotFound.
	WebSession(ctx context.Context, hash string) (Session, error)
	// TouchWebSession sets the session's last-seen time.
	TouchWebSession(ctx context.Context, hash string, at time.Time) error
	// DeleteWebSession removes the session; an absent one is not an error.
	DeleteWebSession(ctx context.Context, hash string) error
}

// Accounts is what sessions need of auth.Service.
type Accounts interface {
	// CheckCredentials checks an e-mail and password under the sign-in
	// throttle and returns the account.
	CheckCredentials(ctx context.Context, email, password, clientIP string) (auth.User, error)
	User(ctx context.Context, id string) (auth.User, error)
}

// Service applies the session rules.
type Service struct {
	store          Store
	accounts       Accounts
	idle, absolute time.Duration
	now            func() time.Time
}

// NewService returns sessions with the default timeouts.
func NewService(st Store, accounts Accounts, now func() time.Time) *Service {
	return &Service{store: st, accounts: accounts, idle: DefaultIdleTimeout, absolute: DefaultAbsoluteTimeout, now: now}
}

// ErrNoSession is any session that is missing, over or ended: the browser
// must sign in again. One error, so nothing tells a guessed id from an
// expired one.
var ErrNoSession = failure.New(failure.Unauthorized, "no_session", "no valid web session")

// SignIn checks the credentials through auth and starts a session. It
// returns the id for the cookie (shown once, never stored) and the session.
func (s *Service) SignIn(ctx context.Context, email, password, clientIP string) (string, Session, error) {
	u, err := s.accounts.CheckCredentials(ctx, email, password, clientIP)
	if err != nil {
		return "", Session{}, err
	}
	return s.Start(ctx, u)
}

// Start starts a session of an account whose credentials were just checked
// or just created (registration signs the person in without hashing the
// password a second time).
func (s *Service) Start(ctx context.Context, u auth.User) (string, Session, error) {
	id := Token()
	now := s.now().UTC().Truncate(time.Millisecond)
	sess := Session{Hash: Hash(id), UserID: u.ID, Role: u.Role, Epoch: u.SessionEpoch, CSRF: Token(),
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.absolute)}
	if err := s.store.InsertWebSession(ctx, sess); err != nil {
		return "", Session{}, fmt.Errorf("start web session: %w", err)
	}
	return id, sess, nil
}

// Resolve returns the live session of the id, or ErrNoSession. A session
// is over when idle too long, past its absolute end, of a deleted account,
// or of an older session epoch (a password change or "sign out
// everywhere" since); an over session is deleted.
func (s *Service) Resolve(ctx context.Context, id string) (Session, error) {
	if id == "" {
		return Session{}, ErrNoSession
	}
	hash := Hash(id)
	sess, err := s.store.WebSession(ctx, hash)
	if failure.Is(err, failure.NotFound) {
		return Session{}, ErrNoSession
	} else if err != nil {
		return Session{}, fmt.Errorf("read web session: %w", err)
	}
	now := s.now().UTC()
	over := Expired(sess, now, s.idle)
	if !over {
		u, err := s.accounts.User(ctx, sess.UserID)
		switch {
		case failure.Is(err, failure.NotFound):
			over = true
		case err != nil:
			return Session{}, fmt.Errorf("read account of web session: %w", err)
		default:
			over = u.SessionEpoch != sess.Epoch
		}
	}
	if over {
		if err := s.store.DeleteWebSession(ctx, hash); err != nil {
			return Session{}, fmt.Errorf("end web session: %w", err)
		}
		return Session{}, ErrNoSession
	}
	if now.Sub(sess.LastSeen) >= touchEvery {
		if err := s.store.TouchWebSession(ctx, hash, now.Truncate(time.Millisecond)); err != nil {
			return Session{}, fmt.Errorf("touch web session: %w", err)
		}
	}
	return sess, nil
}

// End ends the session of the id (sign-out); an unknown id is not an error.
func (s *Service) End(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	return s.store.DeleteWebSession(ctx, Hash(id))
}

// Expired reports whether a stored session is over by time alone at now
// (idle for idle, or past its absolute end): what the retention job may
// delete.
func Expired(sess Session, now time.Time, idle time.Duration) bool {
	return !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeen.Add(idle))
}

// Token returns 32 random bytes, base64url: session ids and CSRF tokens.
func Token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // no entropy: nothing is safe
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is the stored key of a session id.
func Hash(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}
