package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/validate"
)

// caseDocumentFields is the upload form: one file input.
var caseDocumentFields = caseFields{Order: []string{"document"}, Fallback: "document"}

// caseDocumentUpload keeps a document with a case. The domain checks and
// cleans the file as it does report attachments.
func (s *Server) caseDocumentUpload(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f := &Form{Values: map[string][]string{}}
	fail := func(status int, msg string) {
		f.Errors = validate.Errors{{Field: "document", Message: msg}}
		s.renderCase(w, r, status, c, f)
	}
	maxBytes := s.Config.MaxUploadBytes
	// The limit leaves room for the multipart framing around the file.
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes+64<<10)
	if err := r.ParseMultipartForm(importMemoryBytes); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || strings.Contains(err.Error(), "request body too large") {
			fail(http.StatusRequestEntityTooLarge, "The document must be smaller than "+sizeText(maxBytes))
			return
		}
		fail(http.StatusBadRequest, "The document could not be uploaded. Choose it again and try once more")
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("document")
	if errors.Is(err, http.ErrMissingFile) {
		fail(http.StatusUnprocessableEntity, "Choose a document to upload")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxBytes+1))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if int64(len(data)) > maxBytes {
		fail(http.StatusRequestEntityTooLarge, "The document must be smaller than "+sizeText(maxBytes))
		return
	}
	doc, err := s.Cases.AddDocument(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, hdr.Filename, data, maxBytes)
	if s.caseFormFailed(w, r, c, f, caseDocumentFields, err) {
		return
	}
	s.redirect(w, r, caseHref(c.ID)+"#timeline", doc.Filename+" has been added to the case")
}
