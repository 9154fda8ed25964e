package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// myReportRow is one report in My reports.
type myReportRow struct {
	Href, Reference           string
	KindLabel, ModeLabel      string
	StatusLabel, StatusColour string
	ReceivedOn                string
	FeedbackWanted            bool
}

// myReportsList lists the reports the signed-in user raised openly or
// confidentially. Anonymous reports are never linked to anyone.
func (s *Server) myReportsList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	list, err := s.Reports.MyReports(r.Context(), p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rows := make([]myReportRow, 0, len(list))
	for _, sm := range list {
		rows = append(rows, myReportRow{
			Href: "/my-reports/" + idString(sm.ID), Reference: sm.Reference,
			KindLabel: report.KindLabel(sm.Kind), ModeLabel: report.ModeLabel(sm.Mode),
			StatusLabel: report.StatusLabel(sm.Status), StatusColour: statusColour(sm.Status),
			ReceivedOn: longDate(sm.ReceivedOn), FeedbackWanted: sm.FeedbackWanted,
		})
	}
	s.render(w, r, http.StatusOK, "my_reports", &Page{Title: "My reports", Data: rows})
}
