package web

import (
	"net/http"

	"candour/internal/authz"
)

// tokenCreate makes a personal API token and shows its secret once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("token_name", err.Error())
		s.renderAccount(w, r, http.StatusBadRequest, f, "")
		return
	}
	p := authz.PrincipalFrom(r.Context())
	_, secret, err := s.Accounts.CreateToken(r.Context(), actor(r), p.UserID, f.Get("token_name"))
	if err != nil {
		f.Errors.Add("token_name", "Token name must be 100 characters or fewer")
		s.renderAccount(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	s.renderAccount(w, r, http.StatusCreated, &Form{}, secret)
}
