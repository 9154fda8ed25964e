package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpenAndRotation(t *testing.T) {
	oldSpec := NewKeySpec("k1")
	old, _ := NewRing(oldSpec)
	sealed := old.Seal([]byte("Jo Bloggs, Ward 7"), []byte("report:1:reporter"))
	if strings.Contains(sealed, "Jo") || !strings.HasPrefix(sealed, "k1:") {
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
