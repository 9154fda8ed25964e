package web

import (
	"context"
	"net/http"

	"candour/internal/authz"
)

// reportClose ends the handling with an outcome written for the person who
// raised the report, who is then asked for feedback.
func (s *Server) reportClose(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"outcome": "outcome"}, first: "outcome"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		return "Report closed. The person who raised it can now read the outcome", "", s.Reports.Close(ctx, p, id, f.Get("outcome"))
	})
}
