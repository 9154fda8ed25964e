package api

import (
	"net/http"

	"candour/internal/authz"
)

// myReportMessage adds a message, or more information, with any files, to
// a report the caller raised. The answer is their view, as
// GET /api/v1/my-reports/{id}.
func (s *Server) myReportMessage(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	if s.reporterMessage(w, r, authz.PrincipalFrom(r.Context()), nil, id) {
		s.writeMyReport(w, r, id)
	}
}

// myReportFeedback records the caller's feedback on a report they raised,
// once it is closed (reporterFeedback).
func (s *Server) myReportFeedback(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	if s.reporterFeedback(w, r, authz.PrincipalFrom(r.Context()), nil, id) {
		s.writeMyReport(w, r, id)
	}
}
