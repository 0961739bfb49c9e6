package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	audience  = "skillsmatch-api"
	accessTyp = "at+jwt" // RFC 9068 explicit typing: no other token passes as access
	leeway    = 30 * time.Second
)

// Claims are the access token's claims.
type Claims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

// Principal is the verified caller of a request.
type Principal struct {
	UserID string
	Role   Role
}

// Signer issues and verifies access tokens with one Ed25519 key.
type Signer struct {
	key    ed25519.PrivateKey
	kid    string
	issuer string
	ttl    time.Duration
	now    func() time.Time
	parser *jwt.Parser
}

// NewSigner returns a signer for the given seed (32 bytes).
func NewSigner(seed []byte, issuer string, ttl time.Duration, now func() time.Time) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("jwt key: want a %d-byte Ed25519 seed, got %d bytes", ed25519.SeedSize, len(seed))
	}
	key := ed25519.NewKeyFromSeed(seed)
	sum := sha256.Sum256(key.Public().(ed25519.PublicKey))
	return &Signer{
		key: key, kid: hex.EncodeToString(sum[:8]), issuer: issuer, ttl: ttl, now: now,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(leeway),
			jwt.WithTimeFunc(now),
			// Base64 without strict decoding ignores the spare low bits of
			// a segment's last character, so 16 spellings of one signature
			// verified; a token must have exactly one spelling.
			jwt.WithStrictDecoding(),
		),
	}, nil
}

// TTL is the access tokens' lifetime.
func (s *Signer) TTL() time.Duration { return s.ttl }

// Issue returns a signed access token for the user.
func (s *Signer) Issue(userID string, role Role) (string, error) {
	now := s.now()
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", fmt.Errorf("read jti: %w", err)
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, Claims{
		Role: string(role),
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: s.issuer, Subject: userID, Audience: jwt.ClaimStrings{audience},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.ttl)), ID: hex.EncodeToString(jti),
		},
	})
	t.Header["kid"] = s.kid
	t.Header["typ"] = accessTyp
	signed, err := t.SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return signed, nil
}

// errBadToken hides why a token was refused; the reason goes to logs only.
var errBadToken = errors.New("invalid access token")

// Verify checks an access token and returns its principal.
func (s *Signer) Verify(token string) (Principal, error) {
	if len(token) > 4096 || strings.Count(token, ".") != 2 {
		return Principal{}, errBadToken
	}
	var c Claims
	t, err := s.parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		if _, ok := t.Method.(*jwt.SigningMethodEd25519); !ok {
			return nil, errBadToken
		}
		if kid, _ := t.Header["kid"].(string); kid != s.kid {
			return nil, errBadToken
		}
		return s.key.Public(), nil
	})
	if err != nil || !t.Valid {
		return Principal{}, fmt.Errorf("%w: %v", errBadToken, err)
	}
	if typ, _ := t.Header["typ"].(string); typ != accessTyp {
		return Principal{}, fmt.Errorf("%w: typ %q", errBadToken, typ)
	}
	role := Role(c.Role)
	if !role.Valid() || c.Subject == "" {
		return Principal{}, fmt.Errorf("%w: role %q", errBadToken, c.Role)
	}
	return Principal{UserID: c.Subject, Role: role}, nil
}

// LoadOrCreateKey returns the Ed25519 seed from the base64 value, or from
// dir/jwt-ed25519.key, creating that file (mode 0600) on first start so that
// tokens survive a restart.
func LoadOrCreateKey(value, dir, name string) ([]byte, error) {
	if value != "" {
		seed, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(seed) != 32 {
			return nil, fmt.Errorf("invalid %s: want 32 bytes, base64-encoded", name)
		}
		return seed, nil
	}
	path := filepath.Join(dir, name+".key")
	if b, err := os.ReadFile(path); err == nil {
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(seed) != 32 {
			return nil, fmt.Errorf("key file %s is damaged: want 32 bytes, base64-encoded", path)
		}
		return seed, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read key %s: %w", path, err)
	}
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(seed)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write key %s: %w", path, err)
	}
	return seed, nil
}
