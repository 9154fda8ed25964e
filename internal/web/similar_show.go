package web

import (
	"net/http"

	"candour/internal/authz"
)

// similarView is the similar events and lessons of one report.
type similarView struct {
	ReportHref string
	Reference  string
	Terms      string
	Events     []searchEventRow
	Lessons    []searchLessonRow
	ShowEvents bool
}

// similarShow lists the past safety events (for the patient safety team)
// and the lessons that most resemble a report, best first. The report's
// handlers only: the library refuses anyone else as if it did not exist.
func (s *Server) similarShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p := authz.PrincipalFrom(r.Context())
	sim, err := s.Library.Similar(r.Context(), p, id, 10)
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	v := similarView{ReportHref: "/reports/" + idString(id), Reference: sim.Reference, Terms: quoteWords(sim.Terms),
		Events: searchEventRows(sim.Events), Lessons: searchLessonRows(sim.Lessons), ShowEvents: sim.EventsSearched}
	s.render(w, r, http.StatusOK, "search_similar", &Page{Title: "Similar events and lessons", Data: v, BackLink: v.ReportHref})
}
