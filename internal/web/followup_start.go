package web

import (
	"net/http"
	"net/url"
)

// followUpStart shows the form to enter an access code.
func (s *Server) followUpStart(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "followup_start", &Page{Title: "Follow up an anonymous report", Form: &Form{}, BackLink: "/report"})
}

// renderFollowUpStart shows the access-code form with a problem. The code
// typed is never shown again; what the reporter was sending when the
// follow-up session ended (kept: a message, or feedback answers) travels on
// in hidden fields, so that it is not lost.
func (s *Server) renderFollowUpStart(w http.ResponseWriter, r *http.Request, status int, kept url.Values, problem string) {
	f := &Form{Values: url.Values{}}
	for _, k := range followUpKept {
		if v := kept.Get(k); v != "" {
			f.Values.Set(k, v)
		}
	}
	if problem != "" {
		f.Errors.Add("code", problem)
	}
	s.render(w, r, status, "followup_start", &Page{Title: "Follow up an anonymous report", Form: f, BackLink: "/report"})
}

// followUpKept are the fields of the follow-up forms that wait, through
// the access-code form, for a reporter whose session ended mid-send.
var followUpKept = []string{"message", "speak_up_again", "detriment"}
