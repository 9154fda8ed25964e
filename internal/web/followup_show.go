package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"candour/internal/report"
)

// Messages of the follow-up pages. A wrong code gets the same answer
// however close it was.
const (
	msgBadCode      = "That access code does not match a report. Check it and try again"
	msgTokenExpired = "For your safety, follow-up ends after 30 minutes. Enter your access code again to carry on"
)

// followUpShow checks an access code and shows the report it opens. There
// is no redirect and no cookie: the short-lived follow-up token travels
// in the page's forms only.
func (s *Server) followUpShow(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderFollowUpStart(w, r, http.StatusBadRequest, nil, err.Error())
		return
	}
	code := f.Get("code")
	if strings.TrimSpace(code) == "" {
		s.renderFollowUpStart(w, r, http.StatusUnprocessableEntity, f.Values, "Enter your access code")
		return
	}
	token, fu, err := s.Reports.StartFollowUp(r.Context(), code, clientHost(r))
	switch {
	case errors.Is(err, report.ErrBadCode):
		s.renderFollowUpStart(w, r, http.StatusUnauthorized, f.Values, msgBadCode)
		return
	case errors.Is(err, report.ErrRateLimited):
		wait := s.Reports.CodeRetryAfter()
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Round(time.Second).Seconds())))
		s.renderFollowUpStart(w, r, http.StatusTooManyRequests, f.Values, "Too many wrong access codes have been tried. Wait "+report.Minutes(wait)+" and try again")
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	// What was being sent when the last session ended is back in its form,
	// waiting to be sent.
	s.renderFollowUp(w, r, http.StatusOK, fu, token, &Form{Values: keptForFollowUp(f.Values)}, "")
}

// renderFollowUp shows the report a follow-up session opened, its forms
// carrying the token.
func (s *Server) renderFollowUp(w http.ResponseWriter, r *http.Request, status int, fu report.FollowUp, token string, f *Form, flash string) {
	rv, err := s.Reports.ForReporter(r.Context(), nil, &fu, fu.ReportID)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := s.newReporterView(rv, token, "/follow-up", func(int64) string { return "" })
	v.AttachmentsError = fieldMessages(f.Errors, "attachments")
	v.FilesDropped = f.FilesDropped
	s.render(w, r, status, "followup_report", &Page{Title: "Your report " + rv.Reference, Form: f, Data: v, Flash: flash})
}

// followUpSession checks the token a follow-up form carries; when it has
// ended it shows the access-code form (401), keeping any message typed or
// feedback chosen.
func (s *Server) followUpSession(w http.ResponseWriter, r *http.Request, f *Form) (report.FollowUp, bool) {
	fu, err := s.Reports.CheckFollowUp(f.Get("token"))
	if err != nil {
		s.renderFollowUpStart(w, r, http.StatusUnauthorized, f.Values, msgTokenExpired)
		return fu, false
	}
	return fu, true
}
