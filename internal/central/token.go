package central

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Token prefixes tell a station token from an admin token at a glance
// (and in secret scanners).
const (
	StationTokenPrefix = "pds_"
	AdminTokenPrefix   = "pda_"
)

// NewToken returns a random 32-byte token with prefix, URL-safe base64.
func NewToken(prefix string) string {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand panics on a broken system source)
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken is what the stores keep instead of a token: SHA-256, hex.
// Tokens are 256-bit random values, so a fast hash is enough.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewID returns a random identifier with prefix (e.g. "st_" for stations).
func NewID(prefix string) string {
	var b [8]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
