package web

import (
	"context"
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// reportLink records that another report, named by its reference, is
// related to this one.
func (s *Server) reportLink(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"related": "related"}, first: "related"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		typed := strings.TrimSpace(f.Get("related"))
		if typed == "" {
			return "", "", validate.Errors{{Field: "related", Message: "Enter the reference of the related report, like SE-004512-5"}}
		}
		ref, ok, _ := report.NormalReference(typed)
		if !ok {
			ref = typed // refused by the domain, by name
		}
		return "Linked to " + ref, "", s.Reports.Link(ctx, p, id, ref)
	})
}
