package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// myReportMessage sends a message, and any files, from the signed-in
// reporter.
func (s *Server) myReportMessage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f, uploads, problems, err := s.readUploadForm(w, r)
	if err != nil {
		f.Errors = validate.Errors{{Field: "message", Message: err.Error()}}
		s.renderMyReport(w, r, http.StatusBadRequest, id, f)
		return
	}
	f.FilesDropped = len(uploads) > 0 || problems.Has("attachments")
	if errs := reporterMessageProblems(f, problems); len(errs) > 0 {
		f.Errors = errs
		s.renderMyReport(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	_, err = s.Reports.ReporterMessageOnce(r.Context(), authz.PrincipalFrom(r.Context()), nil, id, formSendKey(f), f.Get("message"), uploads)
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderMyReport(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/my-reports/"+idString(id), "Your message has been sent")
}
