package api

import (
	"net/http"
	"slices"

	"candour/internal/authz"
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
	if s.reporterMessage(w, r, nil, &f, f.ReportID) {
		s.writeFollowUp(w, r, f)
	}
}

// reporterMessage reads and stores a reporter's message, from a follow-up
// session or a signed-in reporter, answering the problem itself and
// returning false when it is refused.
func (s *Server) reporterMessage(w http.ResponseWriter, r *http.Request, p *authz.Principal, f *report.FollowUp, reportID int64) bool {
	var req messageRequest
	if !s.decode(w, r, &req) {
		return false
	}
	if err := s.Reports.ReporterMessage(r.Context(), p, f, reportID, req.Body, s.uploads(req.Attachments)); err != nil {
		s.reportProblem(w, r, err, map[string]string{"message": "body"})
		return false
	}
	return true
}

// followUpFeedback records, once the report is closed, whether the reporter
// would speak up again and whether they have suffered detriment for doing
// so (reporterFeedback).
func (s *Server) followUpFeedback(w http.ResponseWriter, r *http.Request) {
	f, ok := s.followUp(w, r)
	if !ok {
		return
	}
	if s.reporterFeedback(w, r, nil, &f, f.ReportID) {
		s.writeFollowUp(w, r, f)
	}
}

// reporterFeedback reads and records a reporter's feedback, from a
// follow-up session or a signed-in reporter, answering the problem itself
// and returning false when it is refused. Answers that are not among the
// choices are 422; feedback before the report is closed, a second time for
// one closing, or for a closing that has since been undone, is 409.
func (s *Server) reporterFeedback(w http.ResponseWriter, r *http.Request, p *authz.Principal, f *report.FollowUp, reportID int64) bool {
	var req feedbackRequest
	if !s.decode(w, r, &req) {
		return false
	}
	err := s.Reports.FeedbackFor(r.Context(), p, f, reportID, req.Closing, req.SpeakUpAgain, req.Detriment)
	if fe, ok := validate.As(err); ok && len(fe) > 0 && isChoice(report.SpeakUpAgainAnswers(), req.SpeakUpAgain) &&
		isChoice(report.DetrimentAnswers(), req.Detriment) {
		// The answers are fine; the report's state is not.
		err = conflict(fe[0].Message)
	}
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return false
	}
	return true
}

func isChoice(opts []report.Option, v string) bool {
	return slices.ContainsFunc(opts, func(o report.Option) bool { return o.Value == v })
}
