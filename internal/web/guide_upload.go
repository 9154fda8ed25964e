package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"candour/internal/guide"
	"candour/internal/validate"
)

// guideMaxBytes is the largest definition file accepted: the upload limit,
// and never more than a definition may be.
func (s *Server) guideMaxBytes() int64 {
	return min(s.Config.MaxUploadBytes, guide.MaxDefinitionBytes)
}

// guideUpload stores an uploaded guide definition (JSON) as a new guide or
// a new version of one. Every problem with it is listed, with its line.
func (s *Server) guideUpload(w http.ResponseWriter, r *http.Request) {
	f := &Form{}
	limit := s.guideMaxBytes()
	// Room for the multipart framing around the file.
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	if err := r.ParseMultipartForm(limit + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || strings.Contains(err.Error(), "request body too large") {
			f.Errors.Add("definition", "The file must be smaller than "+sizeText(limit))
			s.renderGuides(w, r, http.StatusRequestEntityTooLarge, f)
			return
		}
		f.Errors.Add("definition", "The file could not be uploaded. Choose the file again and try once more")
		s.renderGuides(w, r, http.StatusBadRequest, f)
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, _, err := r.FormFile("definition")
	if errors.Is(err, http.ErrMissingFile) {
		f.Errors.Add("definition", "Select a guide definition file (JSON)")
		s.renderGuides(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if int64(len(raw)) > limit {
		f.Errors.Add("definition", "The file must be smaller than "+sizeText(limit))
		s.renderGuides(w, r, http.StatusRequestEntityTooLarge, f)
		return
	}
	def, err := s.Culture.AddDefinition(r.Context(), actor(r), raw)
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderGuides(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/guides/"+idString(def.ID), def.Title+", "+versionText(def.Version)+", has been added")
}
