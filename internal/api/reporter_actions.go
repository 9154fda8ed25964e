package api

import (
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// The reporter's side of a report, whether they follow it up with an
// access code (a follow-up session) or signed in (their own report).

// reporterMessage reads and stores a reporter's message, from a follow-up
// session or a signed-in reporter (once for each Idempotency-Key and
// content), answering the problem itself and
// returning false when it is refused.
func (s *Server) reporterMessage(w http.ResponseWriter, r *http.Request, p *authz.Principal, f *report.FollowUp, reportID int64) bool {
	var req messageRequest
	if !s.decode(w, r, &req) {
		return false
	}
	repeat, err := s.Reports.ReporterMessageOnce(r.Context(), p, f, reportID, idempotencyKey(r), req.Body, s.uploads(req.Attachments))
	markReplayed(w, repeat)
	if err != nil {
		s.reportProblem(w, r, err, map[string]string{"message": "body", "send_key": "idempotency_key"})
		return false
	}
	return true
}

// reporterFeedback reads and records a reporter's feedback, from a
// follow-up session or a signed-in reporter, answering the problem itself
// and returning false when it is refused. Answers that are not among the
// choices are 422; feedback before the report is closed, a second time for
// one closing, or for a closing that has since been undone, is 409.
func (s *Server) reporterFeedback(w http.ResponseWriter, r *http.Request, p *authz.Principal, f *report.FollowUp, reportID int64) bool {
	var req feedbackRequest
	if !s.decode(w, r, &req) {
		return false
	}
	err := s.Reports.FeedbackFor(r.Context(), p, f, reportID, req.Closing, req.SpeakUpAgain, req.Detriment)
	if fe, ok := validate.As(err); ok && len(fe) > 0 && fe[0].Field != "closing" && isChoice(report.SpeakUpAgainAnswers(), req.SpeakUpAgain) &&
		isChoice(report.DetrimentAnswers(), req.Detriment) {
		// The answers are fine; the report's state is not.
		err = conflict(fe[0].Message)
	}
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return false
	}
	return true
}

// idempotencyKey is the request's Idempotency-Key header, trimmed, and
// without the double quotes of the Structured Field string form that the
// IETF draft writes it in ("8e03978e-..."): with it, a report or message
// sent again with the same content is stored once.
func idempotencyKey(r *http.Request) string {
	k := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if len(k) >= 2 && k[0] == '"' && k[len(k)-1] == '"' {
		k = k[1 : len(k)-1]
	}
	return k
}

// markReplayed says, in the Idempotent-Replayed header, that a request was
// a repeat of one already done: the message was stored the first time.
func markReplayed(w http.ResponseWriter, repeat bool) {
	if repeat {
		w.Header().Set("Idempotent-Replayed", "true")
	}
}
