package api

import (
	"net/http"
	"time"

	"candour/internal/authz"
)

// myReportGet shows a signed-in reporter one of the reports they raised
// openly or confidentially, as GET /api/v1/followup shows an anonymous
// reporter theirs: status, what they wrote, the messages (never internal
// notes), the files and the outcome. Someone else's report, or an
// anonymous one, is a report that does not exist.
func (s *Server) myReportGet(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	s.writeMyReport(w, r, id)
}

// writeMyReport answers 200 with the caller's own view of their report.
func (s *Server) writeMyReport(w http.ResponseWriter, r *http.Request, id int64) {
	v, err := s.Reports.ForReporter(r.Context(), authz.PrincipalFrom(r.Context()), nil, id)
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, toFollowUpJSON(v, time.Time{}))
}
