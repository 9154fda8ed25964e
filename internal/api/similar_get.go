package api

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/library"
)

// similarJSON is the answer to GET /reports/{id}/similar: items are the
// similar safety events, best first; lessons are the similar published
// lessons, best first, in their own list.
type similarJSON struct {
	Items          []library.EventHit  `json:"items"`
	Lessons        []library.LessonHit `json:"lessons"`
	Terms          []string            `json:"terms"`
	EventsSearched bool                `json:"events_searched"`
}

// reportSimilar returns the safety events (patient safety team) and lessons
// that most resemble a report the caller handles. Scores are relevance on
// the engine's own scale (bm25 on SQLite, ts_rank_cd on PostgreSQL): higher
// is better, comparable within one answer only.
func (s *Server) reportSimilar(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	sim, err := s.Library.Similar(r.Context(), authz.PrincipalFrom(r.Context()), id, 10)
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	terms := sim.Terms
	if terms == nil {
		terms = []string{}
	}
	writeJSON(w, http.StatusOK, similarJSON{Items: nonNil(sim.Events), Lessons: nonNil(sim.Lessons), Terms: terms, EventsSearched: sim.EventsSearched})
}
