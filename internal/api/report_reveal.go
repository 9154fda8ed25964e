package api

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// revealJSON is who raised a confidential report.
type revealJSON struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
}

// reportReveal shows who raised a confidential report to its assigned
// handler, who must say why. The report package checks, keeps the reason
// as an internal note and audits the reveal, all in one transaction; the
// report itself is not read here, so a refused reveal leaves no trace of a
// read the caller never got. The answer is never cached; asking again is
// another reveal, noted and audited again.
func (s *Server) reportReveal(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	var req reasonRequest
	if !s.decode(w, r, &req) {
		return
	}
	who, err := s.Reports.Reveal(r.Context(), authz.PrincipalFrom(r.Context()), id, req.Reason)
	switch {
	case errors.Is(err, report.ErrRaisedOpenly):
		problem(w, r, http.StatusConflict, "Raised openly",
			"This report was raised openly: the report itself (GET /api/v1/reports/{id}) names who raised it.", nil)
	case errors.Is(err, report.ErrRaisedAnonymously):
		problem(w, r, http.StatusConflict, "Raised anonymously",
			"Nothing about who raised an anonymous report is stored, so there is nobody to reveal.", nil)
	case errors.Is(err, report.ErrNotAssigned):
		problem(w, r, http.StatusForbidden, "Only the assigned handler can reveal who raised this",
			"Who raised a confidential report is shown only to the handler it is assigned to. If you need to know, ask for the report to be assigned to you.", nil)
	case err != nil:
		// 404 for a report the caller may not see, 422 for the reason.
		s.reportProblem(w, r, err, nil)
	default:
		writeJSON(w, http.StatusOK, revealJSON{UserID: who.UserID, Name: who.Name, Email: who.Email})
	}
}
