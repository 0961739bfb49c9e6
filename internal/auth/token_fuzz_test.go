package auth

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

// fuzzSigner is a signer on a fixed key and clock, and one token it issued.
func fuzzSigner(tb testing.TB) (*Signer, string) {
	tb.Helper()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s, err := NewSigner(bytes.Repeat([]byte{3}, 32), "skillsmatch", 15*time.Minute, func() time.Time { return now })
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := s.Issue("user-1", RoleJobseeker)
	if err != nil {
		tb.Fatal(err)
	}
	if p, err := s.Verify(tok); err != nil || p != (Principal{UserID: "user-1", Role: RoleJobseeker}) {
		tb.Fatalf("the signer refuses its own token: %v %v", p, err)
	}
	return s, tok
}

// FuzzVerifyToken: a string is accepted only if its signature is a real
// Ed25519 signature of this key over its exact header and claims (checked
// here independently of the JWT library), each segment is the one canonical
// base64url spelling of its bytes, and it names a subject and a valid role;
// so every mutation of an issued token (a changed, added or removed byte in
// the header, the claims or the signature, including the spare low bits of
// a segment's last character) is refused, and a refusal never returns a
// principal. (Tokens carry a random jti, so the fuzzer's worker processes
// each issue their own: "equal to the issued token" cannot be the test.)
func FuzzVerifyToken(f *testing.F) {
	s, tok := fuzzSigner(f)
	pub := s.key.Public().(ed25519.PublicKey)
	parts := strings.Split(tok, ".")
	f.Add(tok)
	f.Add("")
	f.Add("..")
	f.Add(parts[0] + "." + parts[1] + ".")                             // no signature
	f.Add("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0." + parts[1] + ".") // alg none
	f.Add(parts[0] + "." + parts[1] + "." + parts[2] + "A")
	f.Add(parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + string(parts[2][len(parts[2])-1]^1))
	f.Add(parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + "h") // spare bits of the last character
	f.Add(parts[0] + "." + parts[1] + "=." + parts[2])
	f.Add(strings.Repeat("a", 5000))
	f.Fuzz(func(t *testing.T, candidate string) {
		p, err := s.Verify(candidate)
		if err != nil {
			if p != (Principal{}) {
				t.Fatalf("refused %q but returned principal %+v", candidate, p)
			}
			return
		}
		seg := strings.Split(candidate, ".")
		if len(seg) != 3 {
			t.Fatalf("accepted %q with %d segments", candidate, len(seg))
		}
		for i, sg := range seg {
			b, err := base64.RawURLEncoding.DecodeString(sg)
			if err != nil || base64.RawURLEncoding.EncodeToString(b) != sg {
				t.Fatalf("accepted %q whose segment %d is not the canonical spelling of its bytes", candidate, i)
			}
		}
		sig, _ := base64.RawURLEncoding.DecodeString(seg[2])
		if !ed25519.Verify(pub, []byte(seg[0]+"."+seg[1]), sig) {
			t.Fatalf("accepted %q without a valid signature", candidate)
		}
		if p.UserID == "" || !p.Role.Valid() {
			t.Fatalf("accepted %q as %+v", candidate, p)
		}
	})
}

// FuzzVerifyMutatedToken changes one byte of a valid token in place:
// whatever the position and the new byte, the result is refused.
func FuzzVerifyMutatedToken(f *testing.F) {
	s, tok := fuzzSigner(f)
	for _, pos := range []uint16{0, 10, uint16(strings.Index(tok, ".") + 3), uint16(len(tok) - 1), uint16(len(tok) - 2)} {
		for _, x := range []byte{1, 2, 3, 0x20, 0x80} {
			f.Add(pos, x)
		}
	}
	f.Fuzz(func(t *testing.T, pos uint16, x byte) {
		if x == 0 {
			return
		}
		b := []byte(tok)
		i := int(pos) % len(b)
		b[i] ^= x
		if p, err := s.Verify(string(b)); err == nil {
			t.Fatalf("byte %d of the token changed (%q → %q) and it still verifies as %+v", i, tok[i], b[i], p)
		}
	})
}

// TestTokenHasOneSpelling: of the 64 characters that can end the
// signature, only the issued one verifies (without strict base64, the 16
// that differ only in the spare low bits all did).
func TestTokenHasOneSpelling(t *testing.T) {
	s, tok := fuzzSigner(t)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for _, c := range alphabet {
		variant := tok[:len(tok)-1] + string(c)
		if _, err := s.Verify(variant); (err == nil) != (variant == tok) {
			t.Errorf("signature ending %q: verified = %v, want only the issued %q", c, err == nil, tok[len(tok)-1:])
		}
	}
}
