package bench

import (
	"regexp"
	"testing"
)

// The load generator's idempotency keys are random version 4 UUIDs, as a
// careful client sends, and the server accepts them.
func TestNewKeyIsARandomUUID(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		k := newKey()
		if !uuid.MatchString(k) {
			t.Fatalf("newKey() = %q, not a version 4 UUID", k)
		}
		if seen[k] {
			t.Fatalf("newKey() repeated %q", k)
		}
		seen[k] = true
	}
}
