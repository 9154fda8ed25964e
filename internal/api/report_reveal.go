package api

import (
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
// handler, who must say why (at least report.MinRevealReason characters).
// The reason is kept as an internal note and the reveal is audited (the
// report package does both). The answer is never cached; asking again is
// another reveal, noted and audited again.
func (s *Server) reportReveal(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	var req reasonRequest
	if !decode(w, r, &req) {
		return
	}
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	rep, err := s.Reports.Get(ctx, p, id)
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return
	}
	switch {
	case rep.Mode == report.Open:
		problem(w, r, http.StatusConflict, "Raised openly",
			"This report was raised openly: the report itself (GET /api/v1/reports/{id}) names who raised it.", nil)
		return
	case rep.Mode == report.Anonymous:
		problem(w, r, http.StatusConflict, "Raised anonymously",
			"Nothing about who raised an anonymous report is stored, so there is nobody to reveal.", nil)
		return
	case rep.AssignedUserID != p.UserID:
		problem(w, r, http.StatusForbidden, "Only the assigned handler can reveal who raised this",
			"Who raised a confidential report is shown only to the handler it is assigned to. Assign it to yourself first if you are handling it.", nil)
		return
	}
	who, err := s.Reports.Reveal(ctx, p, id, req.Reason)
	if err != nil {
		// A reason too short or too long answers 422; a report reassigned
		// meanwhile, 404.
		s.reportProblem(w, r, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, revealJSON{UserID: who.UserID, Name: who.Name, Email: who.Email})
}
