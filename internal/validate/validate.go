// Package validate carries field-level validation failures from domain
// packages to the web layer (the NHS error summary) and the API (RFC 9457
// problem details with an errors member), without either knowing the other.
package validate

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldError is one problem with one input.
type FieldError struct {
	// Field is the input's name, e.g. "employee_number".
	Field string `json:"field"`
	// Message tells a person what to do, e.g. "Enter an employee number".
	Message string `json:"detail"`
}

// Errors is a list of field problems; it is an error when not empty.
type Errors []FieldError

// Error joins the messages.
func (e Errors) Error() string {
	s := make([]string, len(e))
	for i, fe := range e {
		s[i] = fe.Field + ": " + fe.Message
	}
	return strings.Join(s, "; ")
}

// Add records a problem with field.
func (e *Errors) Add(field, message string) { *e = append(*e, FieldError{field, message}) }

// Has reports whether field already has a problem.
func (e Errors) Has(field string) bool {
	for _, fe := range e {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// Err returns e as an error, or nil when there are no problems.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// As extracts field errors from err, if it carries any.
func As(err error) (Errors, bool) {
	var e Errors
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// Text checks a free-text input: required or not, at most max characters,
// valid UTF-8, free of control characters other than newlines and tabs and
// of the invisible codes that reorder text (see hasBidiControl). Text made
// only of spaces and invisible characters (zero-width spaces, say) counts
// as empty. It returns the trimmed text.
func (e *Errors) Text(field, label, value string, required bool, max int) string {
	v := strings.TrimSpace(value)
	switch {
	case !utf8.ValidString(v):
		e.Add(field, label+" contains characters that cannot be read; retype it")
	case required && !visible(v):
		e.Add(field, "Enter "+lowerFirst(label))
	case utf8.RuneCountInString(v) > max:
		e.Add(field, label+" must be "+Thousands(max)+" characters or fewer; it is "+Thousands(utf8.RuneCountInString(v)))
	case hasControl(v):
		e.Add(field, label+" must not contain control characters")
	case hasBidiControl(v):
		e.Add(field, label+" must not contain hidden characters that change the order text is shown in; retype it or paste it as plain text")
	}
	return v
}

// visible reports whether s has any character that shows: not only spaces
// and invisible format characters.
func visible(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// LongEnough reports whether s has at least n characters that take up
// room of their own when it is shown: letters, digits, punctuation and
// spaces, but not format or control characters (a zero-width space),
// combining marks (an accent stacked on the letter before) or the blank
// filler letters of Hangul and Braille, any of which would let one visible
// letter pass for ten. It stops counting at n.
func LongEnough(s string, n int) bool {
	if len(s) < n {
		return false // every character is at least one byte
	}
	for _, r := range s {
		if r < 0x80 && r >= 0x20 && r != 0x7f || takesRoom(r) {
			if n--; n <= 0 {
				return true
			}
		}
	}
	return n <= 0
}

// takesRoom reports whether r, outside printable ASCII, is shown as a
// character of its own.
func takesRoom(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800: // Hangul fillers, the blank Braille pattern
		return false
	}
	return !unicode.Is(unicode.Cf, r) && !unicode.IsControl(r) && !unicode.In(r, unicode.Mn, unicode.Me)
}

// hasBidiControl reports whether s has a bidirectional embedding, override
// or isolate (U+202A to U+202E, U+2066 to U+2069). They make text display
// in a different order from the one it is stored in, so a handler could
// read something other than what was written ("Trojan Source"). The marks
// that right-to-left writing needs (U+200E, U+200F, U+061C) are allowed.
func hasBidiControl(s string) bool {
	for _, r := range s {
		if (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return true
		}
	}
	return false
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return true
		}
	}
	return false
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	// Keep acronyms such as "NHS number" as they are.
	if n < len(s) {
		r2, _ := utf8.DecodeRuneInString(s[n:])
		if unicode.IsUpper(r2) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// Thousands writes n as people read a number, with commas between the
// thousands: 20,000.
func Thousands(n int) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	var b [27]byte
	i, digits := len(b), 0
	for {
		if digits > 0 && digits%3 == 0 {
			i--
			b[i] = ','
		}
		i--
		b[i] = byte('0' + n%10)
		digits++
		if n /= 10; n == 0 {
			break
		}
	}
	return string(b[i:])
}
