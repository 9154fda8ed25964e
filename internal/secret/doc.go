// Package secret protects data at rest: AES-256-GCM envelope encryption of
// sensitive fields (a confidential reporter's identity, redacted passages) and
// keyed hashes (HMAC-SHA256) for values that must be matched but never stored,
// such as an anonymous reporter's access code.
//
// Keys come from configuration (CANDOUR_SECRET_KEYS, or a file) or, for a
// single SQLite installation, from a key file generated in the data directory.
// Every ciphertext and hash names the key that made it, so keys can be rotated:
// the first key in the ring seals new data and every key still opens old data.
package secret
