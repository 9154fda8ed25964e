package web

import (
	"context"
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
)

// reportStatus moves the report between the open statuses. Closing needs
// an outcome, so it has its own form.
func (s *Server) reportStatus(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"status": "status"}, first: "status"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		st := report.Status(strings.TrimSpace(f.Get("status")))
		if err := s.Reports.SetStatus(ctx, p, id, st); err != nil {
			return "", "", err
		}
		return "Status set to " + report.StatusLabel(st), "", nil
	})
}
