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
// valid UTF-8 and free of control characters other than newlines and tabs.
// It returns the trimmed text.
func (e *Errors) Text(field, label, value string, required bool, max int) string {
	v := strings.TrimSpace(value)
	switch {
	case !utf8.ValidString(v):
		e.Add(field, label+" contains characters that cannot be read; retype it")
	case required && v == "":
		e.Add(field, "Enter "+lowerFirst(label))
	case utf8.RuneCountInString(v) > max:
		e.Add(field, label+" must be "+itoa(max)+" characters or fewer")
	case hasControl(v):
		e.Add(field, label+" must not contain control characters")
	}
	return v
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

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
