package web

import "candour/internal/authz"

// libraryRoutes registers the learning library, search and similar events.
// Everyone signed in reads published lessons, marks them as read and
// searches (events appear for the patient safety team only, decided by the
// library package); the safety team writes, publishes and sends lessons and
// sees who read them. Similar events hang off a report, so they are for the
// report's handlers; the library checks the report's team.
func (s *Server) libraryRoutes(m *authz.Mux) {
	signedIn := authz.SignedIn()
	safety := authz.AnyOf(authz.Safety)
	m.HandleFunc("GET /library", signedIn, s.libraryList)
	m.HandleFunc("GET /library/new", safety, s.lessonNew)
	m.HandleFunc("POST /library", safety, s.lessonCreate)
	m.HandleFunc("GET /library/{id}", signedIn, s.lessonShow)
	m.HandleFunc("GET /library/{id}/edit", safety, s.lessonEdit)
	m.HandleFunc("POST /library/{id}", safety, s.lessonUpdate)
	m.HandleFunc("POST /library/{id}/publish", safety, s.lessonPublish)
	m.HandleFunc("POST /library/{id}/read", signedIn, s.lessonRead)
	m.HandleFunc("GET /library/{id}/send", safety, s.lessonSendShow)
	m.HandleFunc("POST /library/{id}/send", safety, s.lessonSendSubmit)
	m.HandleFunc("GET /library/{id}/reads", safety, s.lessonReads)
	m.HandleFunc("GET /search", signedIn, s.searchShow)
	m.HandleFunc("GET /reports/{id}/similar", authz.AnyOf(authz.Safety, authz.Guardian), s.similarShow)
}
