package web

import (
	"context"
	"net/http"

	"candour/internal/authz"
)

// reportReopen takes a closed report back into review, with the reason as
// an internal note; the reporter is told and keeps the outcome they read.
func (s *Server) reportReopen(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"reason": "reopen_reason"}, first: "reopen_reason"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		return "Report reopened. The person who raised it has been told", "", s.Reports.Reopen(ctx, p, id, f.Get("reopen_reason"))
	})
}
