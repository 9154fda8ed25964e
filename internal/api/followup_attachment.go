package api

import "net/http"

// followUpAttachment sends the reporter a file on their report: one they
// attached, or one the team sent with a message, never one on an internal
// note. The follow-up token says which report; the read is recorded as
// the reporter's, held to the day for an anonymous report.
func (s *Server) followUpAttachment(w http.ResponseWriter, r *http.Request) {
	f, ok := s.followUp(w, r)
	if !ok {
		return
	}
	aid, ok := attachmentID(w, r)
	if !ok {
		return
	}
	a, data, err := s.Reports.ReporterAttachment(r.Context(), nil, &f, f.ReportID, aid)
	s.sendAttachment(w, r, a, data, err)
}
