package web

import (
	"fmt"
	"net/http"
	"net/url"

	"candour/internal/audit"
)

// auditVerify checks the whole hash chain of the audit log and shows the
// result above the newest entries.
func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request) {
	res, err := audit.Verify(r.Context(), s.DB)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := &Form{Values: url.Values{}}
	if !res.OK() {
		s.renderAudit(w, r, f, &res, "")
		return
	}
	s.renderAudit(w, r, f, nil, fmt.Sprintf("Audit log verified: %d entries, chain unbroken", res.Entries))
}
