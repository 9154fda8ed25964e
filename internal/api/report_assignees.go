package api

import (
	"net/http"

	"candour/internal/authz"
)

// assigneeJSON is someone a report can be assigned to.
type assigneeJSON struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// reportAssignees lists who a report can be assigned to: the members of
// the team that has it, each with the user_id that POST .../assign takes.
func (s *Server) reportAssignees(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	hs, err := s.Reports.Assignees(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return
	}
	out := List[assigneeJSON]{Items: []assigneeJSON{}}
	for _, h := range hs {
		out.Items = append(out.Items, assigneeJSON{UserID: h.ID, Name: h.Name})
	}
	writeJSON(w, http.StatusOK, out)
}
