package web

import "candour/internal/authz"

// learningRoutes registers the learning response pages. The patient safety
// team opens and changes responses; any signed-in user may ask for the list
// or a response, and the learning package shows only what they may read:
// everything for the safety team, and the responses they own or take part
// in for anyone else (a response they may not read does not exist).
func (s *Server) learningRoutes(m *authz.Mux) {
	signedIn := authz.SignedIn()
	safety := authz.AnyOf(authz.Safety)
	m.HandleFunc("GET /learning", signedIn, s.learningList)
	m.HandleFunc("GET /learning/new", safety, s.learningNew)
	m.HandleFunc("POST /learning", safety, s.learningCreate)
	m.HandleFunc("GET /learning/{id}", signedIn, s.learningShow)
	m.HandleFunc("POST /learning/{id}/record", safety, s.learningRecordSave)
	m.HandleFunc("POST /learning/{id}/engagements", safety, s.learningEngagementAdd)
	m.HandleFunc("POST /learning/{id}/duty-of-candour", safety, s.learningCandourSave)
	m.HandleFunc("POST /learning/{id}/status", safety, s.learningStatusSave)
	m.HandleFunc("POST /learning/{id}/sign-off", safety, s.learningSignOffSave)
}
