package profile

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Pseudonym is the id an employer sees for a candidate before a referral:
// a keyed hash of the employer and the person, so that it is stable for one
// employer and two employers cannot link the same person (EDPB Guidelines
// 01/2025 on pseudonymisation). The key never leaves the server.
func Pseudonym(key []byte, employerID, profileID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(employerID))
	m.Write([]byte{0})
	m.Write([]byte(profileID))
	return "c-" + hex.EncodeToString(m.Sum(nil)[:12])
}
