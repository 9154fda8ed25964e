package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"candour/internal/httpx"
	"candour/internal/validate"
)

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type      string                `json:"type"`
	Title     string                `json:"title"`
	Status    int                   `json:"status"`
	Detail    string                `json:"detail,omitempty"`
	Instance  string                `json:"instance,omitempty"`
	RequestID string                `json:"request_id,omitempty"`
	Errors    []validate.FieldError `json:"errors,omitempty"`
}

// problemType names the kind of problem; a validation failure has its own
// type so that clients can look for the errors member.
func problemType(status int, errs validate.Errors) string {
	if len(errs) > 0 {
		return "https://candour.invalid/problems/validation"
	}
	return "about:blank"
}

func problem(w http.ResponseWriter, r *http.Request, status int, title, detail string, errs validate.Errors) {
	p := Problem{Type: problemType(status, errs), Title: title, Status: status, Detail: detail,
		Instance: r.URL.Path, RequestID: httpx.RequestID(r.Context()), Errors: errs}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// invalid answers 422 with one error per field.
func invalid(w http.ResponseWriter, r *http.Request, errs validate.Errors) {
	problem(w, r, http.StatusUnprocessableEntity, "The request has invalid fields", "Correct the fields listed in errors and send it again.", errs)
}

func notFound(w http.ResponseWriter, r *http.Request, what string) {
	problem(w, r, http.StatusNotFound, "Not found", what+" does not exist, or you may not see it.", nil)
}

// writeJSON sends v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// List is the shape of every list response.
type List[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// maxJSONBytes bounds a JSON request body.
const maxJSONBytes = 1 << 20

// decode reads a JSON body into v, answering the problem itself and
// returning false when the body is not acceptable.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		problem(w, r, http.StatusUnsupportedMediaType, "Send JSON", "Content-Type must be application/json.", nil)
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			problem(w, r, http.StatusRequestEntityTooLarge, "Request body too large", fmt.Sprintf("Send at most %d bytes.", maxJSONBytes), nil)
		case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
			problem(w, r, http.StatusBadRequest, "Malformed JSON", "The body is not valid JSON.", nil)
		case errors.As(err, &typeErr):
			invalid(w, r, validate.Errors{{Field: typeErr.Field, Message: "must be " + jsonKind(typeErr.Type.Kind().String())}})
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			invalid(w, r, validate.Errors{{Field: f, Message: "is not a field of this request"}})
		case errors.Is(err, io.EOF):
			problem(w, r, http.StatusBadRequest, "Empty body", "Send a JSON object.", nil)
		default:
			problem(w, r, http.StatusBadRequest, "Malformed JSON", err.Error(), nil)
		}
		return false
	}
	if dec.More() {
		problem(w, r, http.StatusBadRequest, "Malformed JSON", "Send exactly one JSON object.", nil)
		return false
	}
	return true
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return "a number"
}
