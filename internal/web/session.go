package web

import (
	"net/http"
	"net/url"
	"strings"

	"candour/internal/account"
)

// sessionCookie names the web session cookie. It is HttpOnly and SameSite=Lax,
// and Secure whenever candour is served over https.
const sessionCookie = "candour_session"

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
}

// startSession signs u in: it starts a session and sets its cookie. On
// failure it has shown the error page and returns false.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u account.User) (token string, ok bool) {
	token, err := s.Accounts.StartSession(r.Context(), u)
	if err != nil {
		s.serverError(w, r, err)
		return "", false
	}
	s.setSessionCookie(w, token)
	return token, true
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
