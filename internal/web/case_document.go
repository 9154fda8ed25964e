package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/httpx"
)

// caseDocument sends a case's document as a download, never shown in the
// page. The domain audits the read and refuses anyone who may not see it.
func (s *Server) caseDocument(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	did, ok := pathID(r, "did")
	if !ok {
		s.notFound(w, r)
		return
	}
	doc, data, err := s.Cases.Document(r.Context(), authz.PrincipalFrom(r.Context()), id, did)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	httpx.SendDownload(w, doc.Filename, doc.ContentType, data)
}
