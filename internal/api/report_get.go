package api

import (
	"net/http"

	"candour/internal/authz"
)

// reportGet returns a whole report to a handler in its team: narrative,
// people involved, messages and internal notes. The read is audited. A
// confidential reporter's identity is never included; an open reporter's
// name and email are.
func (s *Server) reportGet(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	s.writeReport(w, r, id)
}

// writeReport answers 200 with the report as the caller now sees it.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, id int64) {
	rep, err := s.Reports.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, toReportJSON(rep))
}
