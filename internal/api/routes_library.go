package api

import "candour/internal/authz"

// libraryRoutes registers the learning library, search and similar events,
// with the same access as the pages: everyone signed in reads, searches and
// marks lessons as read (search includes events for the patient safety team
// only); the safety team writes, publishes and sends lessons and sees who
// read them; similar events are for a report's handlers.
func (s *Server) libraryRoutes(m *authz.Mux) {
	signedIn := authz.SignedIn()
	safety := authz.AnyOf(authz.Safety)
	m.HandleFunc("GET /api/v1/lessons", signedIn, s.lessonsList)
	m.HandleFunc("POST /api/v1/lessons", safety, s.lessonCreate)
	m.HandleFunc("POST /api/v1/lessons/similar", signedIn, s.lessonsSimilar)
	m.HandleFunc("GET /api/v1/lessons/{id}", signedIn, s.lessonGet)
	m.HandleFunc("PUT /api/v1/lessons/{id}", safety, s.lessonUpdate)
	m.HandleFunc("POST /api/v1/lessons/{id}/publish", safety, s.lessonPublish)
	m.HandleFunc("POST /api/v1/lessons/{id}/read", signedIn, s.lessonRead)
	m.HandleFunc("POST /api/v1/lessons/{id}/send", safety, s.lessonSend)
	m.HandleFunc("GET /api/v1/lessons/{id}/reads", safety, s.lessonReads)
	m.HandleFunc("GET /api/v1/search", signedIn, s.search)
	m.HandleFunc("GET /api/v1/reports/{id}/similar", authz.AnyOf(authz.Safety, authz.Guardian), s.reportSimilar)
}
