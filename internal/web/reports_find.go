package web

import (
	"errors"
	"fmt"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// findReport goes straight to the report whose reference was typed into
// the queue's search, as a handler does when someone quotes one on the
// phone. It reports whether it redirected; if not, f holds the reference
// as typed with an error for the queue page, and status is the one to show
// it with. A report of another team is not found, as if it did not exist.
// handled is also true when it has answered with an error page.
func (s *Server) findReport(w http.ResponseWriter, r *http.Request, p *authz.Principal, f *Form, typed string) (handled bool, status int) {
	typed = queryText(typed)
	f.Values.Set("reference", typed)
	if typed == "" {
		f.Errors.Add("reference", "Enter the reference of the report you are looking for")
		return false, http.StatusBadRequest
	}
	ref, ok, checkFailed := report.NormalReference(typed)
	switch {
	case checkFailed:
		f.Errors.Add("reference", report.ReferenceCheckFailed)
		return false, http.StatusBadRequest
	case !ok:
		f.Errors.Add("reference", report.ReferenceFormat)
		return false, http.StatusBadRequest
	}
	rows, _, err := s.Reports.Queue(r.Context(), p, report.QueueQuery{Status: "all", Reference: ref, Limit: 1})
	if errors.Is(err, report.ErrNotAllowed) {
		rows, err = nil, nil
	}
	if err != nil {
		s.serverError(w, r, err)
		return true, http.StatusInternalServerError
	}
	if len(rows) == 0 {
		f.Errors.Add("reference", "None of your team's reports has the reference "+ref+". Check it with the person who gave it to you")
		return false, http.StatusNotFound
	}
	http.Redirect(w, r, fmt.Sprintf("/reports/%d", rows[0].ID), http.StatusSeeOther)
	return true, http.StatusSeeOther
}
