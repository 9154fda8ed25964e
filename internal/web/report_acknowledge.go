package web

import (
	"context"
	"net/http"

	"candour/internal/authz"
)

// reportAcknowledge records that the team has seen the report; the
// reporter is told, if they can be.
func (s *Server) reportAcknowledge(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"status": "status"}, first: "status"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, _ *Form, _ handlingFiles) (string, string, error) {
		return "Report acknowledged", "", s.Reports.Acknowledge(ctx, p, id)
	})
}
