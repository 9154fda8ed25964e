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
	f := &Form{Values: keptForFollowUp(kept)}
	if problem != "" {
		f.Errors.Add("code", problem)
	}
	s.render(w, r, status, "followup_start", &Page{Title: "Follow up an anonymous report", Form: f, BackLink: "/report"})
}

// keptForFollowUp picks from v the fields of the follow-up forms that wait,
// through the access-code form, for a reporter whose session ended
// mid-send: a message, and feedback answers.
func keptForFollowUp(v url.Values) url.Values {
	kept := url.Values{}
	for _, k := range []string{"message", "speak_up_again", "detriment"} {
		if x := v.Get(k); x != "" {
			kept.Set(k, x)
		}
	}
	return kept
}
