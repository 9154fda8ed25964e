package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

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

// problemTypeBase begins every problem type. The .invalid name is reserved
// and never resolves: a type is a name to match on, not a page to fetch.
const problemTypeBase = "https://candour.invalid/problems/"

// ProblemType names the kind of problem, as RFC 9457's type: a validation
// failure has its own type, so that clients can look for the errors
// member; any other is named after its title, which is a constant for each
// kind ("Report is closed" is .../problems/report-is-closed), so that two
// refusals with one status can be told apart without reading the English.
// (about:blank would ask for the HTTP status phrase as the title, which
// says less.)
func ProblemType(title string, errs validate.Errors) string {
	if len(errs) > 0 {
		return problemTypeBase + "validation"
	}
	var b strings.Builder
	b.WriteString(problemTypeBase)
	dash := false
	for _, c := range strings.ToLower(title) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if dash && b.Len() > len(problemTypeBase) {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// WriteProblem answers with a problem document of the given status, title
// and detail, as the API answers every error: for the parts of the server
// in front of the API (path checks, cross-origin refusals) that answer API
// paths themselves.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, title, detail string) {
	problem(w, r, status, title, detail, nil)
}

func problem(w http.ResponseWriter, r *http.Request, status int, title, detail string, errs validate.Errors) {
	p := Problem{Type: ProblemType(title, errs), Title: title, Status: status, Detail: detail,
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
// returning false when the body is not acceptable: not JSON, not UTF-8,
// too large, or not the shape of v (checkShape).
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		problem(w, r, http.StatusUnsupportedMediaType, "Send JSON", "Content-Type must be application/json.", nil)
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		problem(w, r, http.StatusUnsupportedMediaType, "Send UTF-8", "JSON must be sent as UTF-8; leave out the charset or give charset=utf-8.", nil)
		return false
	}
	limit, tooBigDetail := int64(maxJSONBytes), fmt.Sprintf("Send at most %d bytes.", maxJSONBytes)
	if _, ok := v.(carriesFiles); ok && s.Reports.MaxAttachments > 0 {
		limit = s.filesBodyLimit()
		tooBigDetail = fmt.Sprintf("Send at most %d bytes: at most %d files of up to %d bytes each before base64, and 1 MiB for the rest.",
			limit, s.Reports.MaxAttachments, s.Reports.MaxAttachmentBytes)
	}
	if r.ContentLength > limit {
		// Said before it is sent: refused before it is read.
		problem(w, r, http.StatusRequestEntityTooLarge, "Request body too large", tooBigDetail, nil)
		return false
	}
	httpx.TimeForBody(w, r) // photos on a slow link need more than a minute
	body, err := s.readBody(w, r, http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		problem(w, r, http.StatusRequestEntityTooLarge, "Request body too large", tooBigDetail, nil)
		return false
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", "30")
		problem(w, r, http.StatusServiceUnavailable, "Busy with other large bodies",
			"Several large bodies are being received at once. Send this again in a little while; nothing of it was stored.", nil)
		return false
	case err != nil:
		problem(w, r, http.StatusBadRequest, "Body not read", "The request body ended early or was not well framed.", nil)
		return false
	case !utf8.Valid(body):
		problem(w, r, http.StatusBadRequest, "Malformed JSON", "The body is not valid UTF-8 text.", nil)
		return false
	}
	// Every request body is an object: not an array, a string or null
	// (which encoding/json would take as an empty request).
	switch trimmed := bytes.TrimLeft(body, " \t\r\n"); {
	case len(trimmed) == 0:
		problem(w, r, http.StatusBadRequest, "Empty body", "Send a JSON object.", nil)
		return false
	case trimmed[0] != '{':
		problem(w, r, http.StatusBadRequest, "Send a JSON object", "The body must be one JSON object, {...}.", nil)
		return false
	}
	// json.Unmarshal reads the body where it lies; a json.Decoder would
	// copy it into a buffer of its own first, twice the memory for a body
	// with files. Unknown fields are left to checkShape, which names them
	// by their place in the body.
	if err := json.Unmarshal(body, v); err != nil {
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax) && syntax.Offset > 0 && json.Valid(body[:syntax.Offset-1]):
			// A whole value, then more.
			problem(w, r, http.StatusBadRequest, "Malformed JSON", "Send exactly one JSON object.", nil)
		case errors.As(err, &syntax):
			problem(w, r, http.StatusBadRequest, "Malformed JSON", "The body is not valid JSON.", nil)
		case errors.As(err, &typeErr):
			// The body is well formed, so the shape check can name the
			// place exactly when a key is the trouble.
			if ferr := checkShape(body, s.shapes.of(v)); ferr != nil {
				invalid(w, r, validate.Errors{{Field: ferr.path, Message: ferr.message}})
				return false
			}
			if typeErr.Field == "" {
				// A value of a map at the top (goals by id, say) has no
				// field name.
				invalid(w, r, validate.Errors{{Field: "", Message: "Each value in the body must be " + typeWanted(typeErr)}})
				return false
			}
			invalid(w, r, validate.Errors{{Field: typeErr.Field, Message: "must be " + typeWanted(typeErr)}})
		default:
			problem(w, r, http.StatusBadRequest, "Malformed JSON", "The body could not be read as this request's JSON.", nil)
		}
		return false
	}
	if ferr := checkShape(body, s.shapes.of(v)); ferr != nil {
		invalid(w, r, validate.Errors{{Field: ferr.path, Message: ferr.message}})
		return false
	}
	return true
}

// typeWanted says what a value of the wrong type should have been.
func typeWanted(e *json.UnmarshalTypeError) string {
	switch e.Type.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, ok := strings.CutPrefix(e.Value, "number "); ok {
			if strings.ContainsAny(n, ".eE") {
				return "a whole number"
			}
			return "a smaller number"
		}
		return "a whole number"
	}
	return jsonKind(e.Type.Kind().String())
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
