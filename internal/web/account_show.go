package web

import (
	"net/http"

	"candour/internal/account"
	"candour/internal/authz"
)

// accountView is the data of the account page.
type accountView struct {
	Tokens   []account.Token
	NewToken string // shown once, straight after creation
}

// accountShow shows the user's details, roles, password form and API tokens.
func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, &Form{}, "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f *Form, newToken string) {
	p := authz.PrincipalFrom(r.Context())
	tokens, err := s.Accounts.Tokens(r.Context(), p.UserID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "account", &Page{Title: "Your account", Form: f, Data: accountView{Tokens: tokens, NewToken: newToken}})
}
