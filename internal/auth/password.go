package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/failure"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the OWASP Password Storage Cheat Sheet minimum
// (m = 19 MiB, t = 2, p = 1).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16

	minPasswordLen = 10
	maxPasswordLen = 128 // bounds the hashing work one request can cause
)

// HashPassword returns the PHC-format argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC hash.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when an account does not exist, so that an
// unknown e-mail costs as much time as a wrong password.
var dummyHash, _ = HashPassword("not a real password, only for timing")

// commonPasswords are refused whatever their length; a short list of the
// most used ones that pass the length rule.
var commonPasswords = map[string]bool{
	"1234567890": true, "0123456789": true, "qwertyuiop": true, "password12": true,
	"password123": true, "1q2w3e4r5t": true, "qwerty1234": true, "asdfghjkl1": true,
	"1111111111": true, "iloveyou12": true, "parola1234": true, "parolata1": true,
	"bulgaria123": true, "haskovo123": true, "passwordpassword": true, "abcdefghij": true,
}

// CheckPassword enforces the password policy (NIST SP 800-63B: length over
// composition rules, and no known-common or obviously weak passwords).
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < minPasswordLen:
		return failure.Field("password", "password_short", fmt.Sprint(minPasswordLen))
	case n > maxPasswordLen:
		return failure.Field("password", "password_long", fmt.Sprint(maxPasswordLen))
	case commonPasswords[strings.ToLower(password)] || oneCharacter(password):
		return failure.Field("password", "password_common", "")
	case email != "" && strings.Contains(strings.ToLower(password), strings.ToLower(localPart(email))) && len(localPart(email)) >= 4:
		return failure.Field("password", "password_email", "")
	}
	for _, r := range password {
		if unicode.IsControl(r) {
			return failure.Field("password", "password_control", "")
		}
	}
	return nil
}

func oneCharacter(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(first)) == ""
}

func localPart(email string) string {
	if i := strings.IndexByte(email, '@'); i > 0 {
		return email[:i]
	}
	return email
}
