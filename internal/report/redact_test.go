package report

import "testing"

func TestRedactWholeLeavesLongerWordsAlone(t *testing.T) {
	for _, c := range []struct {
		text, passage, want string
		n                   int
	}{
		{"Jo said Joan and Jo's journey.", "Jo", "[redacted] said Joan and [redacted]'s journey.", 2},
		{"Ward 7, not ward 77 or 17.", "7", "Ward [redacted], not ward 77 or 17.", 1},
		{"bed 4 and bed 4a and abed 4", "bed 4", "[redacted] and bed 4a and abed 4", 1},
		{"call 07700 900123 now", "07700 900123", "call [redacted] now", 1},
		{"(Dr Ní Bhriain)", "Ní Bhriain", "(Dr [redacted])", 1},
		{"Éamon and Éamonn", "Éamon", "[redacted] and Éamonn", 1},
		{"aaa", "aa", "aaa", 0},
		{"!! and !!", "!!", "[redacted] and [redacted]", 2},
		{"nothing here", "absent", "nothing here", 0},
	} {
		got, n := redactWhole(c.text, c.passage)
		if got != c.want || n != c.n {
			t.Errorf("redactWhole(%q, %q) = %q, %d; want %q, %d", c.text, c.passage, got, n, c.want, c.n)
		}
	}
}
