package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/httpx"
	"candour/internal/report"
)

// myReportAttachment sends a file on a report the signed-in user raised.
func (s *Server) myReportAttachment(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	aid, ok2 := pathID(r, "aid")
	if !ok1 || !ok2 {
		s.notFound(w, r)
		return
	}
	a, data, err := s.Reports.ReporterAttachment(r.Context(), authz.PrincipalFrom(r.Context()), nil, id, aid)
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
