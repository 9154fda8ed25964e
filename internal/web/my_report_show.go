package web

import (
	"errors"
	"fmt"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// myReportShow shows a report the signed-in user raised.
func (s *Server) myReportShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.renderMyReport(w, r, http.StatusOK, id, &Form{})
}

// renderMyReport shows report id to its reporter, or page not found to
// anyone else.
func (s *Server) renderMyReport(w http.ResponseWriter, r *http.Request, status int, id int64, f *Form) {
	rv, err := s.Reports.ForReporter(r.Context(), authz.PrincipalFrom(r.Context()), nil, id)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := "/my-reports/" + idString(id)
	v := s.newReporterView(rv, "", base, func(aid int64) string { return fmt.Sprintf("%s/attachments/%d", base, aid) })
	v.AttachmentsError = fieldMessages(f.Errors, "attachments")
	v.FilesDropped = f.FilesDropped
	s.render(w, r, status, "followup_report", &Page{Title: "Your report " + rv.Reference, Form: f, Data: v, BackLink: "/my-reports"})
}
