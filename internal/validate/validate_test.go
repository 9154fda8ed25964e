package validate

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     string // part of the message; empty for none
	}{
		{"plain", "  The chart was not signed.  ", ""},
		{"empty", "   ", "Enter what happened"},
		{"only zero-width spaces", strings.Repeat("\u200b", 12), "Enter what happened"},
		{"only a byte-order mark and spaces", "\ufeff \u00a0 ", "Enter what happened"},
		{"right-to-left override", "Dose given \u202egnorw\u202c by mistake", "hidden characters that change the order"},
		{"isolate", "Ward \u2066seven\u2069", "hidden characters that change the order"},
		{"control character", "Bed 4\x07", "control characters"},
		{"too long", strings.Repeat("a", 11), "10 characters or fewer"},
		{"emoji joined by zero-width joiners", "Nurse \U0001F469\u200D\u2695\uFE0F helped", ""},
		{"Arabic with a right-to-left mark", "\u0627\u0644\u062c\u0646\u0627\u062d \u200f7", ""},
		{"invalid UTF-8", "bad \xff byte", "cannot be read"},
	} {
		t.Run(c.name, func(t *testing.T) {
			max := 100
			if c.name == "too long" {
				max = 10
			}
			var e Errors
			e.Text("description", "What happened", c.in, true, max)
			switch {
			case c.want == "" && len(e) > 0:
				t.Errorf("refused: %v", e)
			case c.want != "" && (len(e) != 1 || !strings.Contains(e[0].Message, c.want)):
				t.Errorf("got %v, want a message containing %q", e, c.want)
			}
		})
	}
}

func TestLongEnough(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want bool
	}{
		{"Ten chars!", 10, true},
		{"Nine char", 10, false},
		{"a b c d e ", 10, true},                        // spaces take up room
		{"a" + strings.Repeat("\u200b", 12), 10, false}, // zero-width spaces do not
		{"a" + strings.Repeat("\u00ad", 12), 10, false}, // nor soft hyphens
		{"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10", 10, false},
		{"Früh früh", 9, true},
		{"a" + strings.Repeat("\u0301", 12), 10, false}, // an accent stacked twelve times
		{"a" + strings.Repeat("\u3164", 12), 10, false}, // Hangul filler
		{"a" + strings.Repeat("\u2800", 12), 10, false}, // blank Braille
		{"Cafe\u0301 closed early", 10, true},           // a real accent among real letters
		{"事故が起きました。患者は", 10, true},                      // ten characters of three bytes each
		{"", 0, true},
	} {
		if got := LongEnough(tc.s, tc.n); got != tc.want {
			t.Errorf("LongEnough(%q, %d) = %v, want %v", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 20000: "20,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	var e Errors
	e.Text("description", "What happened", strings.Repeat("a", 20001), true, 20000)
	if len(e) != 1 || e[0].Message != "What happened must be 20,000 characters or fewer; it is 20,001" {
		t.Errorf("too long: %v", e)
	}
}
