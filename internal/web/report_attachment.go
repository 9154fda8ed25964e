package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/httpx"
	"candour/internal/report"
)

// reportAttachment sends a file attached to a report or one of its
// messages, as a download that the browser never renders in place.
func (s *Server) reportAttachment(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	aid, ok2 := pathID(r, "aid")
	if !ok || !ok2 {
		s.notFound(w, r)
		return
	}
	a, data, err := s.Reports.AttachmentData(r.Context(), authz.PrincipalFrom(r.Context()), id, aid)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	httpx.SendDownload(w, a.Filename, a.ContentType, data)
}
