package web

import (
	"errors"
	"net/http"

	"candour/internal/account"
	"candour/internal/authz"
)

// passwordChange lets a user change their own password. It needs the current
// password, and signs the user out everywhere else.
func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("current_password", err.Error())
		s.renderAccount(w, r, http.StatusBadRequest, f, "")
		return
	}
	current, next, confirm := f.Get("current_password"), f.Get("new_password"), f.Get("confirm_password")
	f.Values = nil // passwords are never shown again
	if current == "" {
		f.Errors.Add("current_password", "Enter your current password")
	}
	if err := account.CheckPasswordPolicy(next); err != nil {
		f.Errors.Add("new_password", "Your new password is not long enough: "+passwordHint(err))
	} else if next != confirm {
		f.Errors.Add("confirm_password", "The passwords do not match")
	}
	if len(f.Errors) == 0 {
		if _, err := s.Accounts.Authenticate(r.Context(), p.Email, current); err != nil {
			if !errors.Is(err, account.ErrBadCredentials) && !errors.Is(err, account.ErrLocked) {
				s.serverError(w, r, err)
				return
			}
			f.Errors.Add("current_password", "Your current password is not correct")
		}
	}
	if len(f.Errors) > 0 {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	if err := s.Accounts.SetPassword(r.Context(), actor(r), p.UserID, next); err != nil {
		s.serverError(w, r, err)
		return
	}
	// Changing the password ended every session, this one too: start afresh.
	u, err := s.Accounts.Get(r.Context(), p.UserID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, ok := s.startSession(w, r, u); !ok {
		return
	}
	s.redirect(w, r, "/account", "Your password has been changed and you have been signed out on other devices")
}

func passwordHint(err error) string {
	msg := err.Error()
	if i := len(account.ErrPasswordPolicy.Error()) + 2; len(msg) > i {
		return msg[i:]
	}
	return msg
}
