package web

import (
	"net/http"

	"candour/internal/report"
)

// reportStartView is the data of the "Report or speak up" page.
type reportStartView struct {
	Kinds []reportChoice
	Modes []report.Option
}

// reportChoice is one of the two kinds of report, as a card link.
type reportChoice struct {
	Href, Title, Description string
}

// reportStart is the front door: what kind of report, and the three ways
// to raise it.
func (s *Server) reportStart(w http.ResponseWriter, r *http.Request) {
	v := reportStartView{Modes: report.Modes()}
	for _, k := range report.Kinds() {
		href := "/report/safety-event"
		if k.Value == string(report.Concern) {
			href = "/report/concern"
		}
		v.Kinds = append(v.Kinds, reportChoice{Href: href, Title: k.Label, Description: k.Hint})
	}
	s.render(w, r, http.StatusOK, "report_start", &Page{Title: "Report or speak up", Data: v})
}
