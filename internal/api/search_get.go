package api

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/library"
)

// searchJSON is what a search found.
type searchJSON struct {
	Terms          []string            `json:"terms"`
	Lessons        []library.LessonHit `json:"lessons"`
	Events         []library.EventHit  `json:"events"`
	EventsSearched bool                `json:"events_searched"`
}

// search finds published lessons, and for the patient safety team safety
// events, containing every word of ?q=, best first. Any text is accepted;
// a query with no words left to search for answers 422 naming q.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	res, err := s.Library.Search(r.Context(), authz.PrincipalFrom(r.Context()), r.URL.Query().Get("q"), 20)
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, searchJSON{Terms: res.Terms, Lessons: nonNil(res.Lessons), Events: nonNil(res.Events), EventsSearched: res.EventsSearched})
}
