package api

import (
	"errors"
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/httpx"
	"candour/internal/report"
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
	a, data, err := s.Reports.AttachmentData(r.Context(), authz.PrincipalFrom(r.Context()), nil, id, aid)
	s.sendAttachment(w, r, a, data, err)
}

// attachmentID reads the {attachment_id} path value; anything that is not
// a positive number is a file that does not exist.
func attachmentID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue("attachment_id"), 10, 64)
	if err != nil || n <= 0 {
		notFound(w, r, "An attachment with this id")
		return 0, false
	}
	return n, true
}

// sendAttachment answers with a file the domain gave, or with why not: a
// file the caller may not see is one that does not exist.
func (s *Server) sendAttachment(w http.ResponseWriter, r *http.Request, a report.Attachment, data []byte, err error) {
	switch {
	case errors.Is(err, report.ErrNotAllowed):
		notFound(w, r, "An attachment with this id on this report")
	case err != nil:
		s.internal(w, r, err)
	default:
		httpx.SendDownload(w, a.Filename, a.ContentType, data)
	}
}
