package web

import (
	"net/http"

	"candour/internal/report"
)

// reportConcernForm shows the form to speak up about a concern.
func (s *Server) reportConcernForm(w http.ResponseWriter, r *http.Request) {
	s.renderReportForm(w, r, http.StatusOK, report.Concern, newReportForm(), reportFormExtras{})
}
