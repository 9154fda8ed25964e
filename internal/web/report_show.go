package web

import "net/http"

// reportShow shows a report to a handler in its team, with everything in it
// and the forms to act on it. The report package audits the read; anyone
// outside the team is told the page does not exist.
func (s *Server) reportShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showHandlingReport(w, r, http.StatusOK, id, nil, nil, "")
}
