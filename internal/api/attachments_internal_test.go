package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Clients write base64 in more ways than one; each reading that is the
// standard alphabet is taken, and each slip gets a message that says what
// to change.
func TestDecodeBase64(t *testing.T) {
	for _, c := range []struct {
		in, want, problem string
	}{
		{"QUJDRA==", "ABCD", ""},
		{"QUJDRA", "ABCD", ""},
		{"QUJDRA=", "ABCD", ""},
		{"QUJD\r\nRA==\r\n", "ABCD", ""},
		{"QUJD\nRA==\n", "ABCD", ""},
		{"", "", ""},
		{"QQ=====", "", "ends with 5 = signs"},
		{"=", "", ""}, // padding alone is no bytes at all: the domain refuses an empty file
		{"QUJDR", "", "its end is missing"},
		{"QUJD ", "", "a space at offset 4"},
		{"QUJD\tRA", "", "a space at offset 4"},
		{"QU-D", "", `The '-' at offset 2 is from the URL-safe alphabet`},
		{"QU_D", "", `The '_' at offset 2 is from the URL-safe alphabet`},
		{"QU=D", "", "an = at offset 2: padding may come only at the end"},
		{"QUJD*", "", `The '*' at offset 4 is not base64`},
		{"QUJ\n\n\n\nD*", "", `The '*' at offset 8 is not base64`},
		{"QUJ\x00", "", "The byte at offset 3 is not base64"},
		{"QUJ\u00e9", "", "The byte at offset 3 is not base64"},
		{"data:image/png;base64,iVBORw0KGgo=", "", "without a data: URL prefix"},
	} {
		got, problem := decodeBase64([]byte(c.in))
		if c.problem == "" {
			if problem != "" || string(got) != c.want {
				t.Errorf("decodeBase64(%q) = %q, %q; want %q", c.in, got, problem, c.want)
			}
			continue
		}
		if !strings.Contains(problem, c.problem) || got != nil {
			t.Errorf("decodeBase64(%q) = %q, %q; want a problem with %q", c.in, got, problem, c.problem)
		}
	}
}

// Content is read where it lies in the body; escapes that some encoders
// write in base64 text ("\/", "\n") are unescaped first, and a value that
// is not a string is a type error that names the field.
func TestBase64ContentFromTheBody(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{`"QUJDRA=="`, "ABCD"},
		{`"QUJD\nRA=="`, "ABCD"},
		{`"P\/8="`, "?\xff"},
		{`"P/8="`, "?\xff"},
		{`"QUJD\r\nRA==\r\n"`, "ABCD"},
		{`"QUJD\u0052A=="`, "ABCD"}, // an escape only encoding/json undoes
	} {
		var bc base64Content
		if err := bc.UnmarshalJSON([]byte(c.raw)); err != nil || bc.problem != "" || string(bc.data) != c.want {
			t.Errorf("%s: %q, %q, %v; want %q", c.raw, bc.data, bc.problem, err, c.want)
		}
	}
	var req struct {
		Attachments []uploadJSON `json:"attachments"`
	}
	for _, body := range []string{`{"attachments":[{"filename":"a","content":12}]}`, `{"attachments":[{"filename":"a","content":null}]}`} {
		err := json.Unmarshal([]byte(body), &req)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || te.Field != "attachments.content" || te.Type.Kind() != reflect.String {
			t.Errorf("%s: %v, want a type error for attachments.content", body, err)
		}
	}
}
