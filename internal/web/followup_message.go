package web

import (
	"errors"
	"net/http"

	"candour/internal/report"
	"candour/internal/validate"
)

// followUpMessage sends a message, and any files, from an anonymous
// reporter, then shows the report again with the token.
func (s *Server) followUpMessage(w http.ResponseWriter, r *http.Request) {
	f, uploads, problems, err := s.readUploadForm(w, r)
	if err != nil {
		s.renderFollowUpStart(w, r, http.StatusBadRequest, f.Values, err.Error())
		return
	}
	fu, ok := s.followUpSession(w, r, f)
	if !ok {
		return
	}
	token := f.Get("token")
	f.FilesDropped = len(uploads) > 0 || problems.Has("attachments")
	if errs := reporterMessageProblems(f, problems); len(errs) > 0 {
		f.Errors = errs
		s.renderFollowUp(w, r, http.StatusUnprocessableEntity, fu, token, f, "")
		return
	}
	_, err = s.Reports.ReporterMessageOnce(r.Context(), nil, &fu, fu.ReportID, formSendKey(f), f.Get("message"), uploads)
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderFollowUp(w, r, http.StatusUnprocessableEntity, fu, token, f, "")
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
	s.renderFollowUp(w, r, http.StatusOK, fu, token, &Form{}, "Your message has been sent")
}

// reporterMessageProblems are the problems the form itself found with a
// reply (files too large or too many), with an empty message too, so that
// they are all shown at once.
func reporterMessageProblems(f *Form, problems validate.Errors) validate.Errors {
	if len(problems) == 0 {
		return nil
	}
	var errs validate.Errors
	errs.Text("message", "Your message", f.Get("message"), true, 10000)
	return append(errs, problems...)
}
