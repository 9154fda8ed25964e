package api

import (
	"errors"
	"mime"
	"net/http"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/validate"
)

// importResponse reports what an import did.
type importResponse struct {
	Applied   bool           `json:"applied"`
	Rows      int            `json:"rows"`
	Created   int            `json:"created"`
	Updated   int            `json:"updated"`
	Unchanged int            `json:"unchanged"`
	Skipped   int            `json:"skipped"`
	Errors    []rowErrorJSON `json:"errors"`
}

type rowErrorJSON struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"detail"`
}

// peopleImport takes a CSV body in the shape of an ESR staff export. With
// errors and without ?skip_bad_rows=true nothing is stored and the answer is
// 422 listing every bad row.
func (s *Server) peopleImport(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "text/csv" {
		problem(w, r, http.StatusUnsupportedMediaType, "Send CSV", "Content-Type must be text/csv.", nil)
		return
	}
	skip := r.URL.Query().Get("skip_bad_rows") == "true"
	p := authz.PrincipalFrom(r.Context())
	body := http.MaxBytesReader(w, r.Body, s.MaxUploadBytes)
	res, err := s.Org.Import(r.Context(), audit.Actor{UserID: p.UserID, Label: p.Email}, body, org.ImportOptions{SkipBadRows: skip})
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		problem(w, r, http.StatusRequestEntityTooLarge, "File too large", "Send a file of at most the configured upload size.", nil)
		return
	}
	if fe, ok := validate.As(err); ok {
		invalid(w, r, fe)
		return
	}
	if err != nil && errors.Is(err, org.ErrBadFile) {
		invalid(w, r, validate.Errors{{Field: "file", Message: err.Error()}})
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := importResponse{Applied: res.Applied, Rows: res.Rows, Created: res.Created, Updated: res.Updated,
		Unchanged: res.Unchanged, Skipped: res.Skipped, Errors: []rowErrorJSON{}}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, rowErrorJSON{e.Line, e.Column, e.Message})
	}
	status := http.StatusOK
	if !res.Applied {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, out)
}
