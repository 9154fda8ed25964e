package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
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

// Bodies of ordinary size never wait; large ones take their turn, and one
// that waits too long is told to come back, with nothing done.
func TestLargeBodiesTakeTurns(t *testing.T) {
	s := &Server{largeBodies: make(chan struct{}, 1), largeBodyWait: 30 * time.Millisecond}
	ran := 0
	h := s.largeBody(func(w http.ResponseWriter, r *http.Request) { ran++; w.WriteHeader(http.StatusCreated) })
	post := func(size int) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h(w, httptest.NewRequest("POST", "/api/v1/reports", bytes.NewReader(make([]byte, size))))
		return w
	}
	s.largeBodies <- struct{}{} // another large body is being read
	if w := post(2 << 10); w.Code != http.StatusCreated || ran != 1 {
		t.Fatalf("a small body while a large one is read: %d (ran %d)", w.Code, ran)
	}
	w := post(2 << 20)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || ran != 1 ||
		!strings.Contains(w.Body.String(), "nothing of it was stored") {
		t.Fatalf("a large body with no place free: %d %v %s (ran %d)", w.Code, w.Header(), w.Body, ran)
	}
	<-s.largeBodies
	if w := post(2 << 20); w.Code != http.StatusCreated || ran != 2 || len(s.largeBodies) != 0 {
		t.Fatalf("a large body with a place free: %d (ran %d, %d places held after)", w.Code, ran, len(s.largeBodies))
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
