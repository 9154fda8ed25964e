package web

import (
	"net/http"

	"candour/internal/casework"
)

// caseNewView is the data of the form that opens an early concern.
type caseNewView struct {
	Types []orgChoice
}

// caseOpenFields are the open form's inputs in page order.
var caseOpenFields = caseFields{Order: []string{"type", "person", "summary", "report", "appeal_of", "manager", "hr_adviser"}, Fallback: "type"}

// caseNew shows the form that opens an early concern. ?report= fills in the
// patient safety event and ?appeal_of= the case being appealed, so that
// other pages can link straight here.
func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string][]string{}}
	q := r.URL.Query()
	if ref := queryText(q.Get("report")); ref != "" {
		f.Values.Set("report", ref)
	}
	if ref := queryText(q.Get("appeal_of")); ref != "" {
		f.Values.Set("appeal_of", ref)
		f.Values.Set("type", string(casework.Appeal))
	}
	s.renderCaseNew(w, r, http.StatusOK, f)
}

func (s *Server) renderCaseNew(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	s.render(w, r, status, "case_new", &Page{Title: "Open an early concern", Form: f, BackLink: "/cases",
		Data: caseNewView{Types: caseChoices(casework.Types())}})
}
