package secret

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestSealOpenAndRotation(t *testing.T) {
	oldSpec := NewKeySpec("k1")
	old, _ := NewRing(oldSpec)
	sealed := old.Seal([]byte("Jo Bloggs, Ward 7"), []byte("report:1:reporter"))
	// Not "Jo": two letters turn up in random base64 one time in seventy.
	if strings.Contains(sealed, "Bloggs") || !strings.HasPrefix(sealed, "k1:") {
		t.Fatalf("sealed value %q leaks or lacks key id", sealed)
	}
	pt, err := old.Open(sealed, []byte("report:1:reporter"))
	if err != nil || string(pt) != "Jo Bloggs, Ward 7" {
		t.Fatalf("open: %q %v", pt, err)
	}
	if _, err := old.Open(sealed, []byte("report:2:reporter")); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("opening in another place: %v, want ErrCorrupt", err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := old.Open(tampered, []byte("report:1:reporter")); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("tampered: %v, want ErrCorrupt", err)
	}
	// Rotate: a new first key seals, the old one still opens.
	spec1 := NewKeySpec("k2")
	ring, err := NewRing(spec1 + "," + oldSpec)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := ring.Open(sealed, []byte("report:1:reporter")); err != nil || string(pt) != "Jo Bloggs, Ward 7" {
		t.Fatalf("after rotation: %q %v", pt, err)
	}
	if s := ring.Seal([]byte("x"), nil); !strings.HasPrefix(s, "k2:") {
		t.Fatalf("new data sealed with %q, want k2", s)
	}
	hashes := ring.Hashes("access-code", "abcd")
	if len(hashes) != 2 || hashes[1] != old.Hash("access-code", "abcd") {
		t.Fatalf("hashes across rotation: %v", hashes)
	}
	if old.Hash("access-code", "abcd") == old.Hash("other", "abcd") {
		t.Fatal("the same value hashed for two purposes must differ")
	}
	if _, err := NewRing("k1:bm90IGEga2V5"); err == nil || strings.Contains(err.Error(), "bm90") {
		t.Fatalf("short key: %v (and the error must not echo the key)", err)
	}
}

func TestKeyFileIsCreatedOnceWithTightPermissions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	a, err := LoadOrCreateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	b, err := LoadOrCreateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash("p", "v") != b.Hash("p", "v") {
		t.Fatal("reloading the key file gave a different key")
	}
}

// Keyed hashes are stored (access codes, submission keys, audit reasons),
// so their value must never change: "id:" and the hex HMAC-SHA-256, under
// the key derived from the master key, of purpose, a zero byte and the
// value. The ring hashes from a shared keyed state; hashing at once from
// many goroutines must give the same answers (run with -race).
func TestHashIsAStableHMACSafeToShare(t *testing.T) {
	master := make([]byte, 32)
	for i := range master {
		master[i] = byte(i)
	}
	ring, err := NewRing("k7:" + base64.StdEncoding.EncodeToString(master))
	if err != nil {
		t.Fatal(err)
	}
	macKey, err := hkdf.Key(sha256.New, master, nil, "candour keyed hash v1", 32)
	if err != nil {
		t.Fatal(err)
	}
	want := func(purpose, value string) string {
		m := hmac.New(sha256.New, macKey)
		m.Write([]byte(purpose + "\x00" + value))
		return "k7:" + hex.EncodeToString(m.Sum(nil))
	}
	// Pinned as computed before hashing went through clones.
	if got := ring.Hash("submission-key", "anonymous\x00abc"); got != "k7:e5141f653f4bba7cb9967f60cb40369659b86dd2e8048f23a78694f4bf17ae2f" {
		t.Fatalf("a stored hash would no longer match: %s", got)
	}
	// Without a prototype to clone, the key is used afresh, to the same end.
	fresh := &Ring{keys: []key{{id: "k7", macKey: macKey}}}
	if got := fresh.Hash("submission-key", "anonymous\x00abc"); got != ring.Hash("submission-key", "anonymous\x00abc") {
		t.Fatalf("hash without a clonable HMAC: %s", got)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				purpose, value := "submission-key", fmt.Sprintf("anonymous\x00key-%d-%d", g, i)
				if got, w := ring.Hash(purpose, value), want(purpose, value); got != w {
					t.Errorf("Hash(%q, %q) = %s, want %s", purpose, value, got, w)
					return
				}
			}
		})
	}
	wg.Wait()
}
