package web

import (
	"context"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// reportMessage sends a message, with any files, to the person who raised
// the report, however they raised it.
func (s *Server) reportMessage(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"message": "message", "attachments": "message_files"}, first: "message", files: "message_files"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, files handlingFiles) (string, string, error) {
		_, err := s.Reports.MessageReporterOnce(ctx, p, id, formSendKey(f), f.Get("message"), false, []report.Upload(files))
		return "Message sent to the person who raised this", "", err
	})
}
