package web

import (
	"net/http"
)

// followUpStart shows the form to enter an access code.
func (s *Server) followUpStart(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "followup_start", &Page{Title: "Follow up an anonymous report", Form: &Form{}, BackLink: "/report"})
}

// renderFollowUpStart shows the access-code form with a problem. The code
// typed is never shown again; a message being written when the follow-up
// session ended travels on in a hidden field, so that it is not lost.
func (s *Server) renderFollowUpStart(w http.ResponseWriter, r *http.Request, status int, message, problem string) {
	f := &Form{}
	if message != "" {
		f.Values = map[string][]string{"message": {message}}
	}
	if problem != "" {
		f.Errors.Add("code", problem)
	}
	s.render(w, r, status, "followup_start", &Page{Title: "Follow up an anonymous report", Form: f, BackLink: "/report"})
}
