package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// ErrNoKey means data was sealed with a key that is not in the ring.
var ErrNoKey = errors.New("secret: sealed with a key that is not configured")

// ErrCorrupt means a ciphertext failed authentication: altered or truncated.
var ErrCorrupt = errors.New("secret: ciphertext is corrupt or was altered")

type key struct {
	id   string
	aead cipher.AEAD
	// mac is an HMAC-SHA-256 keyed and never written to: each hash starts
	// from a clone of it, which spares hashing the key's padding again
	// (report submission hashes several values). It is nil where the
	// cryptography in use cannot clone one; macKey is then keyed afresh.
	mac    hash.Cloner
	macKey []byte
}

// Ring holds the keys. The first seals; all open.
type Ring struct {
	keys []key
}

var keyID = regexp.MustCompile(`^[a-z0-9]{1,16}$`)

// NewRing builds a ring from "id:base64key" entries, separated by commas or
// newlines; each key is 32 random bytes.
func NewRing(spec string) (*Ring, error) {
	r := &Ring{}
	seen := map[string]bool{}
	for _, part := range strings.FieldsFunc(spec, func(c rune) bool { return c == ',' || c == '\n' || c == ' ' }) {
		id, b64, ok := strings.Cut(part, ":")
		if !ok || !keyID.MatchString(id) {
			return nil, fmt.Errorf("secret: key entry %q: want id:base64, id of 1-16 lower-case letters or digits", redactEntry(part))
		}
		if seen[id] {
			return nil, fmt.Errorf("secret: key id %q appears twice", id)
		}
		seen[id] = true
		master, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(master) != 32 {
			return nil, fmt.Errorf("secret: key %q must be 32 bytes in standard base64", id)
		}
		k, err := derive(id, master)
		if err != nil {
			return nil, err
		}
		r.keys = append(r.keys, k)
	}
	if len(r.keys) == 0 {
		return nil, errors.New("secret: no keys given")
	}
	return r, nil
}

func redactEntry(s string) string {
	if id, _, ok := strings.Cut(s, ":"); ok {
		return id + ":…"
	}
	if len(s) > 4 {
		return s[:4] + "…"
	}
	return s
}

// derive makes separate encryption and MAC keys from one master key, so that
// no key is used for two purposes.
func derive(id string, master []byte) (key, error) {
	encKey, err := hkdf.Key(sha256.New, master, nil, "candour field encryption v1", 32)
	if err != nil {
		return key{}, fmt.Errorf("secret: derive key: %w", err)
	}
	macKey, err := hkdf.Key(sha256.New, master, nil, "candour keyed hash v1", 32)
	if err != nil {
		return key{}, fmt.Errorf("secret: derive key: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return key{}, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, fmt.Errorf("secret: %w", err)
	}
	k := key{id: id, aead: aead, macKey: macKey}
	if mac, ok := hmac.New(sha256.New, macKey).(hash.Cloner); ok {
		if _, err := mac.Clone(); err == nil {
			k.mac = mac
		}
	}
	return k, nil
}

// NewKeySpec returns a fresh "id:base64key" entry for configuration.
func NewKeySpec(id string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return id + ":" + base64.StdEncoding.EncodeToString(b)
}

// LoadOrCreateFile reads the key ring from path, creating the file with one
// new key (mode 0600) when it does not exist.
func LoadOrCreateFile(path string) (*Ring, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("secret: %w", err)
		}
		spec := NewKeySpec("k1")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("secret: create key file: %w", err)
		}
		if _, err := f.WriteString(spec + "\n"); err != nil {
			f.Close()
			return nil, fmt.Errorf("secret: write key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("secret: write key file: %w", err)
		}
		return NewRing(spec)
	}
	if err != nil {
		return nil, fmt.Errorf("secret: read key file: %w", err)
	}
	return NewRing(string(b))
}

// Seal encrypts plaintext with the current key. associated binds the
// ciphertext to its place (for example "report:42:reporter"), so that a
// ciphertext copied to another row does not open there.
func (r *Ring) Seal(plaintext, associated []byte) string {
	k := r.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	ct := k.aead.Seal(nonce, nonce, plaintext, associated)
	return k.id + ":" + base64.RawStdEncoding.EncodeToString(ct)
}

// Open decrypts a value made by Seal with the same associated data.
func (r *Ring) Open(sealed string, associated []byte) ([]byte, error) {
	id, b64, ok := strings.Cut(sealed, ":")
	if !ok {
		return nil, ErrCorrupt
	}
	for _, k := range r.keys {
		if k.id != id {
			continue
		}
		ct, err := base64.RawStdEncoding.DecodeString(b64)
		if err != nil || len(ct) < k.aead.NonceSize() {
			return nil, ErrCorrupt
		}
		pt, err := k.aead.Open(nil, ct[:k.aead.NonceSize()], ct[k.aead.NonceSize():], associated)
		if err != nil {
			return nil, ErrCorrupt
		}
		return pt, nil
	}
	return nil, ErrNoKey
}

// Hash returns the keyed hash of value under the current key, as "id:hex".
// purpose separates uses, so that the same value hashed for two purposes
// gives two unrelated hashes.
func (r *Ring) Hash(purpose, value string) string { return hashWith(r.keys[0], purpose, value) }

// Hashes returns value's keyed hash under every key, newest first, for
// looking up values hashed before a key rotation.
func (r *Ring) Hashes(purpose, value string) []string {
	out := make([]string, len(r.keys))
	for i, k := range r.keys {
		out[i] = hashWith(k, purpose, value)
	}
	return out
}

func hashWith(k key, purpose, value string) string {
	var m hash.Hash
	if k.mac != nil {
		// A clone of a prototype that cloned once does not fail.
		if c, err := k.mac.Clone(); err == nil {
			m = c
		}
	}
	if m == nil {
		m = hmac.New(sha256.New, k.macKey)
	}
	io.WriteString(m, purpose)
	m.Write([]byte{0})
	io.WriteString(m, value)
	var sum [sha256.Size]byte
	out := make([]byte, 0, len(k.id)+1+2*sha256.Size)
	out = append(out, k.id...)
	out = append(out, ':')
	out = hex.AppendEncode(out, m.Sum(sum[:0]))
	return string(out)
}
