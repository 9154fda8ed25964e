package api

import (
	"net/http"

	"candour/internal/authz"
)

// myReportAttachment sends the caller a file on a report they raised: one
// they attached, or one the team sent with a message.
func (s *Server) myReportAttachment(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	aid, ok := attachmentID(w, r)
	if !ok {
		return
	}
	a, data, err := s.Reports.ReporterAttachment(r.Context(), authz.PrincipalFrom(r.Context()), nil, id, aid)
	s.sendAttachment(w, r, a, data, err)
}
