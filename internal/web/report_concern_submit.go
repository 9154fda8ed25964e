package web

import (
	"net/http"

	"candour/internal/report"
)

// reportConcernSubmit receives a speak-up concern.
func (s *Server) reportConcernSubmit(w http.ResponseWriter, r *http.Request) {
	s.submitReport(w, r, report.Concern)
}
