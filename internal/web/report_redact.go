package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// reportRedact replaces a passage of the report's own text or of a message with
// "[redacted]"; the report package keeps the original sealed and audits
// the redaction with its reason.
func (s *Server) reportRedact(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"field": "redact_target", "passage": "redact_passage", "reason": "redact_reason"}, first: "redact_passage"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		field, msgID := f.Get("redact_target"), int64(0)
		if m, ok := strings.CutPrefix(field, "message:"); ok {
			n, err := strconv.ParseInt(m, 10, 64)
			if err != nil || n <= 0 {
				return "", "", validate.Errors{{Field: "field", Message: "Choose the part of the report or the message to redact from"}}
			}
			field, msgID = "message", n
		} else if !slices.Contains(report.RedactableFields(), field) {
			return "", "", validate.Errors{{Field: "field", Message: "Choose the part of the report or the message to redact from"}}
		}
		// The exact words matter: trim only the line ends a browser may add.
		passage := strings.Trim(f.Get("redact_passage"), "\r\n")
		return "Passage redacted. The original is kept sealed", "", s.Reports.Redact(ctx, p, id, field, msgID, passage, f.Get("redact_reason"))
	})
}
