package api

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"candour/internal/report"
	"candour/internal/validate"
)

// followUpTokenPrefix starts every follow-up token. ServeHTTP leaves such
// tokens alone; the follow-up handlers verify them.
const followUpTokenPrefix = "fu1."

type sessionRequest struct {
	AccessCode string `json:"access_code"`
}

type sessionJSON struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Every wrong code gets exactly this answer, however close it was.
const badCodeDetail = "That access code does not match a report. Check it and try again; codes are not case-sensitive."

// followUpSession exchanges an access code for a short-lived follow-up
// token. Attempts are rate limited per client and overall; the client is
// identified by its address, which the domain hashes for counting and which
// is never logged or stored.
func (s *Server) followUpSession(w http.ResponseWriter, r *http.Request) {
	var req sessionRequest
	if !s.decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.AccessCode) == "" {
		invalid(w, r, validate.Errors{{Field: "access_code", Message: "Enter the access code you were given when you made your report"}})
		return
	}
	client, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		client = r.RemoteAddr
	}
	token, f, err := s.Reports.StartFollowUp(r.Context(), req.AccessCode, client)
	switch {
	case errors.Is(err, report.ErrBadCode):
		w.Header().Set("WWW-Authenticate", `Bearer realm="candour-followup"`)
		problem(w, r, http.StatusUnauthorized, "Access code not recognised", badCodeDetail, nil)
	case errors.Is(err, report.ErrRateLimited):
		wait := s.Reports.CodeRetryAfter()
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Round(time.Second).Seconds())))
		problem(w, r, http.StatusTooManyRequests, "Too many attempts", "Too many wrong access codes have been tried. Wait "+report.Minutes(wait)+" and try again.", nil)
	case err != nil:
		s.internal(w, r, err)
	default:
		writeJSON(w, http.StatusOK, sessionJSON{Token: token, ExpiresAt: f.Expires.UTC()})
	}
}

// followUp verifies the follow-up token sent as the bearer token, answering
// 401 itself when there is none or it has expired or been tampered with.
func (s *Server) followUp(w http.ResponseWriter, r *http.Request) (report.FollowUp, bool) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(token, followUpTokenPrefix) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="candour-followup"`)
		problem(w, r, http.StatusUnauthorized, "Follow-up token required",
			"Start a follow-up session with your access code (POST /api/v1/followup/session) and send its token: Authorization: Bearer <token>.", nil)
		return report.FollowUp{}, false
	}
	f, err := s.Reports.CheckFollowUp(token)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="candour-followup", error="invalid_token"`)
		problem(w, r, http.StatusUnauthorized, "Follow-up session has ended",
			"Your follow-up session has ended; start again with your access code.", nil)
		return report.FollowUp{}, false
	}
	return f, true
}
