package web

import (
	"errors"
	"net/http"
	"strings"

	"candour/internal/account"
	"candour/internal/validate"
)

// signInSubmit checks the email address and password and starts a session.
// Every failure reads the same, whether or not the address exists.
func (s *Server) signInSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("email", err.Error())
		s.render(w, r, http.StatusBadRequest, "sign_in", &Page{Title: "Sign in", Form: f})
		return
	}
	email := strings.TrimSpace(f.Get("email"))
	pw := f.Get("password")
	next := f.Get("next")
	f.Values.Del("password") // never echo a password back into the page
	if email == "" {
		f.Errors.Add("email", "Enter your email address")
	}
	if pw == "" {
		f.Errors.Add("password", "Enter your password")
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "sign_in", &Page{Title: "Sign in", Form: f})
		return
	}
	u, err := s.Accounts.Authenticate(r.Context(), email, pw)
	if msg, refused := signInRefusal(err); refused {
		f.Errors = validate.Errors{{Field: "email", Message: msg}}
		s.render(w, r, http.StatusUnauthorized, "sign_in", &Page{Title: "Sign in", Form: f})
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, ok := s.startSession(w, r, u); !ok {
		return
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

// signInRefusal says why Authenticate refused someone, in words for them,
// and whether it did: other errors are the service's fault, not theirs.
// A wrong address and a wrong password read the same.
func signInRefusal(err error) (string, bool) {
	switch {
	case errors.Is(err, account.ErrBadCredentials):
		return "Your email address or password is not correct", true
	case errors.Is(err, account.ErrLocked):
		return "Your account is locked after too many attempts. Try again in 15 minutes, or ask an administrator to unlock it", true
	case errors.Is(err, account.ErrDisabled):
		return "Your account has been turned off. Ask an administrator if you need it", true
	}
	return "", false
}
