package web

import (
	"net/http"
	"net/url"

	"candour/internal/authz"
)

// signInShow shows the sign-in form, or sends a signed-in user on.
func (s *Server) signInShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if authz.PrincipalFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "sign_in", &Page{Title: "Sign in", Form: &Form{Values: url.Values{"next": {next}}}})
}
