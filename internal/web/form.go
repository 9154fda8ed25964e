package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"candour/internal/validate"
)

// maxFormBytes bounds an ordinary (non-upload) form.
const maxFormBytes = 256 << 10

// Form is what the person typed and what was wrong with it. Pages read values
// back with Get, so nothing typed is lost when a form is shown again.
type Form struct {
	Values url.Values
	Errors validate.Errors
	// FilesDropped says files were chosen in a form shown again: a
	// browser cannot refill a file input, so the person must choose them
	// again, and the page says so.
	FilesDropped bool
}

// Get returns the value typed for name.
func (f *Form) Get(name string) string {
	if f == nil || f.Values == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Has reports whether value is among the values given for name (checkboxes).
func (f *Form) Has(name, value string) bool {
	if f == nil || f.Values == nil {
		return false
	}
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Checked returns a set of the values given for name, for the checkboxes partial.
func (f *Form) Checked(name string) map[string]bool {
	m := map[string]bool{}
	if f != nil && f.Values != nil {
		for _, v := range f.Values[name] {
			m[v] = true
		}
	}
	return m
}

// Err returns the message for name, or "".
func (f *Form) Err(name string) string {
	if f == nil {
		return ""
	}
	for _, e := range f.Errors {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// Int64 parses a whole-number field; zero when empty or not a number.
func (f *Form) Int64(name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(f.Get(name)), 10, 64)
	return n
}

// errBadForm means a request body that is not a form we can read.
var errBadForm = errors.New("this form could not be read; go back and try again")

// parseForm reads an urlencoded form, bounded in size.
func parseForm(w http.ResponseWriter, r *http.Request) (*Form, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" && ct != "multipart/form-data" {
		return &Form{Values: url.Values{}}, errBadForm
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return &Form{Values: url.Values{}}, errBadForm
	}
	return &Form{Values: cleanValues(r.PostForm)}, nil
}

// cleanValues replaces byte sequences that are not UTF-8 with U+FFFD, so
// that malformed input reaches validation as visible text instead of failing
// in the database (PostgreSQL refuses invalid UTF-8).
func cleanValues(v url.Values) url.Values {
	for k, vals := range v {
		for i, s := range vals {
			if !utf8.ValidString(s) {
				vals[i] = strings.ToValidUTF8(s, "\uFFFD")
			}
		}
		v[k] = vals
	}
	return v
}
