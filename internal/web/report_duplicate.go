package web

import (
	"context"
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// reportDuplicate closes the report as a duplicate of another, named by
// its reference; the reporter is told their information was not lost.
func (s *Server) reportDuplicate(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"related": "duplicate_of"}, first: "duplicate_of"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		typed := strings.TrimSpace(f.Get("duplicate_of"))
		if typed == "" {
			return "", "", validate.Errors{{Field: "related", Message: "Enter the reference of the report this one duplicates, like SE-004512-5"}}
		}
		ref, ok, _ := report.NormalReference(typed)
		if !ok {
			ref = typed // refused by the domain, by name
		}
		return "Marked as a duplicate of " + ref + " and closed", "", s.Reports.MarkDuplicate(ctx, p, id, ref)
	})
}
