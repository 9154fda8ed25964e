package api

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// myReportJSON is one of the caller's own reports.
type myReportJSON struct {
	ID          int64         `json:"id"`
	Reference   string        `json:"reference"`
	Kind        report.Kind   `json:"kind"`
	Mode        report.Mode   `json:"mode"`
	Status      report.Status `json:"status"`
	StatusLabel string        `json:"status_label"`
	ReceivedOn  string        `json:"received_on"`
	FeedbackBy  string        `json:"feedback_by"`
	// FeedbackWanted: the report is closed and the reporter has not yet
	// said whether they would speak up again.
	FeedbackWanted bool `json:"feedback_wanted"`
}

// myReports lists the reports the caller raised openly or confidentially,
// newest first. Anonymous reports are not linked to anyone, so never appear
// here: they are followed up with their access code.
func (s *Server) myReports(w http.ResponseWriter, r *http.Request) {
	items, err := s.Reports.MyReports(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[myReportJSON]{Items: []myReportJSON{}}
	for _, sm := range items {
		out.Items = append(out.Items, myReportJSON{ID: sm.ID, Reference: sm.Reference, Kind: sm.Kind, Mode: sm.Mode,
			Status: sm.Status, StatusLabel: report.StatusLabel(sm.Status), ReceivedOn: sm.ReceivedOn,
			FeedbackBy: sm.FeedbackDueOn, FeedbackWanted: sm.FeedbackWanted})
	}
	writeJSON(w, http.StatusOK, out)
}
