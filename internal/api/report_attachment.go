package api

import (
	"net/http"

	"candour/internal/authz"
)

// reportAttachment sends a file on a report (on the report itself, a
// message or an internal note) to a handler in the report's team. The read
// is audited. The file comes as a download that is never shown in place
// (httpx.SendDownload).
func (s *Server) reportAttachment(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	aid, ok := attachmentID(w, r)
	if !ok {
		return
	}
	a, data, err := s.Reports.AttachmentData(r.Context(), authz.PrincipalFrom(r.Context()), id, aid)
	s.sendAttachment(w, r, a, data, err)
}
