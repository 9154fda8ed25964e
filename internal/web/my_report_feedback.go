package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// myReportFeedback records the signed-in reporter's feedback after their
// report was closed.
func (s *Server) myReportFeedback(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors = validate.Errors{{Field: "speak_up_again", Message: err.Error()}}
		s.renderMyReport(w, r, http.StatusBadRequest, id, f)
		return
	}
	err = s.Reports.FeedbackFor(r.Context(), authz.PrincipalFrom(r.Context()), nil, id, f.Get("closing"), f.Get("speak_up_again"), f.Get("detriment"))
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
	s.redirect(w, r, "/my-reports/"+idString(id), feedbackThanks(f.Get("detriment")))
}
