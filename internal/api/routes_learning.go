package api

import "candour/internal/authz"

// learningRoutes registers the learning responses API. The patient safety
// team opens and changes responses; any signed-in user may ask to read, and
// the learning package lets through only the safety team, the owner and
// participants who are candour users (everyone else gets 404).
func (s *Server) learningRoutes(m *authz.Mux) {
	signedIn := authz.SignedIn()
	safety := authz.AnyOf(authz.Safety)
	m.HandleFunc("GET /api/v1/learning-responses", signedIn, s.learningList)
	m.HandleFunc("POST /api/v1/learning-responses", safety, s.learningCreate)
	m.HandleFunc("GET /api/v1/learning-responses/{id}", signedIn, s.learningGet)
	m.HandleFunc("POST /api/v1/learning-responses/{id}/record", safety, s.learningRecord)
	m.HandleFunc("POST /api/v1/learning-responses/{id}/engagements", safety, s.learningEngagement)
	m.HandleFunc("PUT /api/v1/learning-responses/{id}/duty-of-candour", safety, s.learningCandour)
	m.HandleFunc("POST /api/v1/learning-responses/{id}/sign-off", safety, s.learningSignOff)
	m.HandleFunc("POST /api/v1/learning-responses/{id}/status", safety, s.learningStatus)
}
