package api

import (
	"net/http"
	"slices"

	"candour/internal/report"
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

func isChoice(opts []report.Option, v string) bool {
	return slices.ContainsFunc(opts, func(o report.Option) bool { return o.Value == v })
}
