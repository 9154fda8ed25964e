package api

import (
	"net/http"
	"slices"

	"candour/internal/report"
	"candour/internal/validate"
)

type feedbackRequest struct {
	SpeakUpAgain string `json:"speak_up_again"`
	Detriment    string `json:"detriment"`
	// Closing, when given, is the closing GET /api/v1/followup showed:
	// the answer is refused if the report has closed again since.
	Closing string `json:"closing"`
}

// followUpMessage adds a message, or more information, from the reporter,
// with any files. The answer is the reporter's view, as GET /api/v1/followup.
func (s *Server) followUpMessage(w http.ResponseWriter, r *http.Request) {
	f, ok := s.followUp(w, r)
	if !ok {
		return
	}
	var req messageRequest
	if !s.decode(w, r, &req) {
		return
	}
	if err := s.Reports.ReporterMessage(r.Context(), nil, &f, f.ReportID, req.Body, s.uploads(req.Attachments)); err != nil {
		s.reportProblem(w, r, err, map[string]string{"message": "body"})
		return
	}
	s.writeFollowUp(w, r, f)
}

// followUpFeedback records, once the report is closed, whether the reporter
// would speak up again and whether they have suffered detriment for doing
// so. Answers that are not among the choices are 422; feedback before the
// report is closed, a second time for one closing, or for a closing that
// has since been undone, is 409.
func (s *Server) followUpFeedback(w http.ResponseWriter, r *http.Request) {
	f, ok := s.followUp(w, r)
	if !ok {
		return
	}
	var req feedbackRequest
	if !s.decode(w, r, &req) {
		return
	}
	err := s.Reports.FeedbackFor(r.Context(), nil, &f, f.ReportID, req.Closing, req.SpeakUpAgain, req.Detriment)
	if fe, ok := validate.As(err); ok && len(fe) > 0 && isChoice(report.SpeakUpAgainAnswers(), req.SpeakUpAgain) &&
		isChoice(report.DetrimentAnswers(), req.Detriment) {
		// The answers are fine; the report's state is not.
		err = conflict(fe[0].Message)
	}
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return
	}
	s.writeFollowUp(w, r, f)
}

func isChoice(opts []report.Option, v string) bool {
	return slices.ContainsFunc(opts, func(o report.Option) bool { return o.Value == v })
}
