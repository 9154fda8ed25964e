package web

import (
	"errors"
	"net/http"

	"candour/internal/report"
	"candour/internal/validate"
)

// followUpFeedback records an anonymous reporter's feedback after their
// report was closed.
func (s *Server) followUpFeedback(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderFollowUpStart(w, r, http.StatusBadRequest, nil, err.Error())
		return
	}
	fu, ok := s.followUpSession(w, r, f)
	if !ok {
		return
	}
	token := f.Get("token")
	err = s.Reports.FeedbackFor(r.Context(), nil, &fu, fu.ReportID, f.Get("closing"), f.Get("speak_up_again"), f.Get("detriment"))
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
	s.renderFollowUp(w, r, http.StatusOK, fu, token, &Form{}, feedbackThanks(f.Get("detriment")))
}

// feedbackThanks is the banner after a reporter's feedback: none when they
// said they have been treated worse for speaking up, where a green
// "Success" would jar and the page says sorry and what happens instead.
func feedbackThanks(detriment string) string {
	if detriment == "yes" {
		return ""
	}
	return "Thank you for your feedback"
}
