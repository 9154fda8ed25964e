package report

import (
	"regexp"
	"strings"
	"testing"
)

// The checks on a submission's time of day and idempotency key are loops
// for speed; they must accept exactly what these expressions accept.
func TestTimeAndKeyChecksMatchTheirRules(t *testing.T) {
	timeRule := regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	chars := "0123456789:a "
	n := 0
	var b [5]byte
	var walk func(i int)
	walk = func(i int) {
		if i == len(b) {
			v := string(b[:])
			if got, want := isTimeOfDay(v), timeRule.MatchString(v); got != want {
				t.Errorf("isTimeOfDay(%q) = %v, want %v", v, got, want)
			}
			n++
			return
		}
		for j := 0; j < len(chars); j++ {
			b[i] = chars[j]
			walk(i + 1)
		}
	}
	walk(0)
	for _, v := range []string{"", "9:30", "09:30 ", "009:30", "23:59", "24:00", "00:00", "19:60"} {
		if got, want := isTimeOfDay(v), timeRule.MatchString(v); got != want {
			t.Errorf("isTimeOfDay(%q) = %v, want %v", v, got, want)
		}
	}
	if n < 300_000 {
		t.Fatalf("only %d times tried", n)
	}

	keyRule := regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)
	keys := []string{"", "short", "0123456789abcdef", "0123456789abcde", strings.Repeat("a", 64), strings.Repeat("a", 65),
		"3f2b8c1e-9d4a-4b7e-8f6a-2c1d0e9b8a7f", "key with spaces 123", "abcdefghijklmnop\n", "ÀBCDEFGHIJKLMNOPQ", "abcdefghijklmno.",
		"ABCDEFGHIJ_KLMNOP", "abcdefghijklmnop\x00"}
	for c := 0; c < 256; c++ {
		keys = append(keys, "abcdefghijklmno"+string(rune(c)), "abcdefghijklmno"+string([]byte{byte(c)}))
	}
	for _, k := range keys {
		if got, want := isSubmissionKey(k), keyRule.MatchString(k); got != want {
			t.Errorf("isSubmissionKey(%q) = %v, want %v", k, got, want)
		}
	}
}
