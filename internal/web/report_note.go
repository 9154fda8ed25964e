package web

import (
	"context"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// reportNote adds an internal note, with any files, that the person who
// raised the report never sees.
func (s *Server) reportNote(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"note": "note", "message": "note", "attachments": "note_files"}, first: "note", files: "note_files"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, files handlingFiles) (string, string, error) {
		_, err := s.Reports.MessageReporterOnce(ctx, p, id, formSendKey(f), f.Get("note"), true, []report.Upload(files))
		return "Internal note added", "", err
	})
}
