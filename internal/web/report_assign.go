package web

import (
	"context"
	"net/http"

	"candour/internal/authz"
	"candour/internal/validate"
)

// reportAssign gives the report to someone in the team that handles it.
func (s *Server) reportAssign(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"assignee": "assignee"}, first: "assignee"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		to := f.Int64("assignee")
		if to <= 0 {
			return "", "", validate.Errors{{Field: "assignee", Message: "Choose who will handle this report"}}
		}
		if err := s.Reports.Assign(ctx, p, id, to); err != nil {
			return "", "", err
		}
		if to == p.UserID {
			return "Report assigned to you", "", nil
		}
		return "Report assigned", "", nil
	})
}
