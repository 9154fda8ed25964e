package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/validate"
)

// reportRedact replaces a passage of the description or of a message with
// "[redacted]"; the report package keeps the original sealed and audits
// the redaction with its reason.
func (s *Server) reportRedact(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"field": "redact_target", "passage": "redact_passage", "reason": "redact_reason"}, first: "redact_passage"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		field, msgID := "", int64(0)
		switch target := f.Get("redact_target"); {
		case target == "description":
			field = "description"
		case strings.HasPrefix(target, "message:"):
			n, err := strconv.ParseInt(strings.TrimPrefix(target, "message:"), 10, 64)
			if err != nil || n <= 0 {
				return "", "", validate.Errors{{Field: "field", Message: "Choose the description or a message to redact from"}}
			}
			field, msgID = "message", n
		default:
			return "", "", validate.Errors{{Field: "field", Message: "Choose the description or a message to redact from"}}
		}
		// The exact words matter: trim only the line ends a browser may add.
		passage := strings.Trim(f.Get("redact_passage"), "\r\n")
		return "Passage redacted. The original is kept sealed", "", s.Reports.Redact(ctx, p, id, field, msgID, passage, f.Get("redact_reason"))
	})
}
