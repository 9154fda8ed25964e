package web

import (
	"errors"
	"net/http"

	"candour/internal/httpx"
	"candour/internal/report"
)

// followUpAttachment sends a file on the report a follow-up token opens.
// It is a POST so that the token stays out of addresses and logs.
func (s *Server) followUpAttachment(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderFollowUpStart(w, r, http.StatusBadRequest, nil, err.Error())
		return
	}
	aid, ok := pathID(r, "aid")
	if !ok {
		s.notFound(w, r)
		return
	}
	fu, ok := s.followUpSession(w, r, f)
	if !ok {
		return
	}
	a, data, err := s.Reports.ReporterAttachment(r.Context(), nil, &fu, fu.ReportID, aid)
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
