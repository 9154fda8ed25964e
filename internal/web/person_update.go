package web

import "net/http"

// personUpdate changes a person's details. Every field is replaced,
// equality monitoring data and line manager included.
func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.savePerson(w, r, id)
}
