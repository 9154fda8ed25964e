package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// Triage and messages. Each action answers 200 with the report as it now
// stands (the same document as GET /api/v1/reports/{id}), except a re-route
// to a team the caller does not work in, which answers 204: the report has
// left their view. A report the caller may not see answers 404, whether or
// not it exists; a closed report that cannot take the change answers 409.

type assignRequest struct {
	UserID int64 `json:"user_id"`
}

type statusRequest struct {
	Status string `json:"status"`
}

type referenceRequest struct {
	Reference string `json:"reference"`
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

type outcomeRequest struct {
	Outcome string `json:"outcome"`
}

// reportAction reads the id and, when req is not nil, the JSON body; runs do
// as the caller; and answers with the updated report or the problem.
func (s *Server) reportAction(w http.ResponseWriter, r *http.Request, req any, names map[string]string,
	do func(ctx context.Context, p *authz.Principal, id int64) error) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	if req != nil && !s.decode(w, r, req) {
		return
	}
	if err := do(r.Context(), authz.PrincipalFrom(r.Context()), id); err != nil {
		s.reportProblem(w, r, err, names)
		return
	}
	s.writeReport(w, r, id)
}

// reportMessage sends a message to the reporter, whatever their mode, with
// any files: an anonymous reporter reads it with their access code. Sent
// again with the same Idempotency-Key and content, it is stored once.
func (s *Server) reportMessage(w http.ResponseWriter, r *http.Request) {
	var req messageRequest
	s.reportAction(w, r, &req, map[string]string{"message": "body", "send_key": "idempotency_key"}, func(ctx context.Context, p *authz.Principal, id int64) error {
		repeat, err := s.Reports.MessageReporterOnce(ctx, p, id, idempotencyKey(r), req.Body, false, s.uploads(req.Attachments))
		markReplayed(w, repeat)
		return err
	})
}

// reportNote adds an internal note, with any files, which the reporter
// never sees; an Idempotency-Key works as for a message.
func (s *Server) reportNote(w http.ResponseWriter, r *http.Request) {
	var req messageRequest
	s.reportAction(w, r, &req, map[string]string{"note": "body", "send_key": "idempotency_key"}, func(ctx context.Context, p *authz.Principal, id int64) error {
		repeat, err := s.Reports.MessageReporterOnce(ctx, p, id, idempotencyKey(r), req.Body, true, s.uploads(req.Attachments))
		markReplayed(w, repeat)
		return err
	})
}

// reportAcknowledge records that the team has the report; it takes no body.
// Acknowledging twice is a conflict.
func (s *Server) reportAcknowledge(w http.ResponseWriter, r *http.Request) {
	s.reportAction(w, r, nil, nil, func(ctx context.Context, p *authz.Principal, id int64) error {
		err := s.Reports.Acknowledge(ctx, p, id)
		if fe, ok := validate.As(err); ok && len(fe) > 0 {
			return conflict(fe[0].Message)
		}
		return err
	})
}

func (s *Server) reportAssign(w http.ResponseWriter, r *http.Request) {
	var req assignRequest
	s.reportAction(w, r, &req, map[string]string{"assignee": "user_id"}, func(ctx context.Context, p *authz.Principal, id int64) error {
		return s.Reports.Assign(ctx, p, id, req.UserID)
	})
}

// reportStatus moves a report between the open statuses; closing is
// POST .../close, which needs the outcome for the reporter.
func (s *Server) reportStatus(w http.ResponseWriter, r *http.Request) {
	var req statusRequest
	s.reportAction(w, r, &req, nil, func(ctx context.Context, p *authz.Principal, id int64) error {
		return s.Reports.SetStatus(ctx, p, id, report.Status(req.Status))
	})
}

func (s *Server) reportLink(w http.ResponseWriter, r *http.Request) {
	var req referenceRequest
	s.reportAction(w, r, &req, map[string]string{"related": "reference"}, func(ctx context.Context, p *authz.Principal, id int64) error {
		return s.Reports.Link(ctx, p, id, req.Reference)
	})
}

// reportReopen takes a closed report back into review, with a reason that
// becomes an internal note; the reporter is told.
func (s *Server) reportReopen(w http.ResponseWriter, r *http.Request) {
	var req reasonRequest
	s.reportAction(w, r, &req, nil, func(ctx context.Context, p *authz.Principal, id int64) error {
		return s.Reports.Reopen(ctx, p, id, req.Reason)
	})
}

// redactRequest names a passage to redact: from the description, or from
// the message message_id.
type redactRequest struct {
	Field     string `json:"field"`
	MessageID int64  `json:"message_id"`
	Passage   string `json:"passage"`
	Reason    string `json:"reason"`
}

// reportRedact replaces a passage of the report's own text or of a message with
// "[redacted]", wherever it stands as whole words; the original is kept
// sealed and the reason is kept with the report.
func (s *Server) reportRedact(w http.ResponseWriter, r *http.Request) {
	var req redactRequest
	// A message the report does not hold is the message_id's fault.
	names := map[string]string{"field": "message_id"}
	s.reportAction(w, r, &req, names, func(ctx context.Context, p *authz.Principal, id int64) error {
		if req.Field != "message" {
			delete(names, "field")
		}
		switch {
		case slices.Contains(report.RedactableFields(), req.Field) && req.MessageID == 0:
		case req.Field == "message" && req.MessageID > 0:
		case req.Field == "message":
			return validate.Errors{{Field: "message_id", Message: "must be the id of a message on this report"}}
		default:
			return validate.Errors{{Field: "field", Message: `must be one of ` + strings.Join(report.RedactableFields(), ", ") + `, or "message" with a message_id`}}
		}
		return s.Reports.Redact(ctx, p, id, req.Field, req.MessageID, req.Passage, req.Reason)
	})
}

// reportDuplicate closes the report as a duplicate of the one named.
func (s *Server) reportDuplicate(w http.ResponseWriter, r *http.Request) {
	var req referenceRequest
	s.reportAction(w, r, &req, map[string]string{"related": "reference"}, func(ctx context.Context, p *authz.Principal, id int64) error {
		return s.Reports.MarkDuplicate(ctx, p, id, req.Reference)
	})
}

// reportReroute hands the report to the other team. The caller then sees
// it only if they work in that team too; otherwise the answer is 204.
func (s *Server) reportReroute(w http.ResponseWriter, r *http.Request) {
	id, ok := reportID(w, r)
	if !ok {
		return
	}
	var req reasonRequest
	if !s.decode(w, r, &req) {
		return
	}
	p := authz.PrincipalFrom(r.Context())
	if err := s.Reports.Reroute(r.Context(), p, id, req.Reason); err != nil {
		s.reportProblem(w, r, err, nil)
		return
	}
	rep, err := s.Reports.Get(r.Context(), p, id)
	if errors.Is(err, report.ErrNotAllowed) {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toReportJSON(rep))
}

// reportClose closes the report with the outcome for the reporter: what was
// found and what changed. The reporter is then asked for feedback.
func (s *Server) reportClose(w http.ResponseWriter, r *http.Request) {
	var req outcomeRequest
	s.reportAction(w, r, &req, nil, func(ctx context.Context, p *authz.Principal, id int64) error {
		return s.Reports.Close(ctx, p, id, req.Outcome)
	})
}

// conflictError is a change the report's state does not allow.
type conflictError string

func (e conflictError) Error() string { return string(e) }

func conflict(msg string) error { return conflictError(msg) }
