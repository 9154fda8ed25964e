package api

import (
	"net/http"
	"time"

	"candour/internal/report"
)

// followUpJSON is what the person who raised a report sees: its status,
// what they wrote, the messages between them and the team (never internal
// notes), the outcome, and whether they are asked for feedback.
type followUpJSON struct {
	Reference string `json:"reference"`
	// Kind is the kind as the reporter raised it; Team is who has the
	// report now, which differs once it has been passed on.
	Kind              report.Kind   `json:"kind"`
	KindLabel         string        `json:"kind_label"`
	Team              report.Team   `json:"team"`
	Mode              report.Mode   `json:"mode"`
	Status            report.Status `json:"status"`
	StatusLabel       string        `json:"status_label"`
	ReceivedOn        string        `json:"received_on"`
	AcknowledgeBy     string        `json:"acknowledge_by"`
	FeedbackBy        string        `json:"feedback_by"`
	AcknowledgedAt    *time.Time    `json:"acknowledged_at"`
	ClosedAt          *time.Time    `json:"closed_at"`
	OccurredOn        string        `json:"occurred_on"`
	OccurredTime      string        `json:"occurred_time"`
	Department        string        `json:"department"`
	Site              string        `json:"site"`
	Description       string        `json:"description"`
	ImmediateActions  string        `json:"immediate_actions"`
	EventType         string        `json:"event_type"`
	PhysicalHarm      string        `json:"physical_harm"`
	PsychologicalHarm string        `json:"psychological_harm"`
	Elements          []string      `json:"elements"`
	DesiredOutcome    string        `json:"desired_outcome"`
	RaisedElsewhere   string        `json:"raised_elsewhere"`
	// Attachments are the files sent with the report itself; a message's
	// files are listed with the message. Each can be fetched with
	// GET /api/v1/followup/attachments/{attachment_id} in a follow-up
	// session, or GET /api/v1/my-reports/{id}/attachments/{attachment_id}
	// signed in.
	Attachments     []attachmentJSON `json:"attachments"`
	Messages        []messageJSON    `json:"messages"`
	Outcome         string           `json:"outcome"`
	CanGiveFeedback bool             `json:"can_give_feedback"`
	Closing         string           `json:"closing,omitempty"`
	Feedback        *feedbackJSON    `json:"feedback"`
	// SessionExpiresAt is when a follow-up token ends; absent for a
	// signed-in reporter reading their own report (GET /api/v1/my-reports/{id}).
	SessionExpiresAt *time.Time `json:"session_expires_at,omitempty"`
}

// toFollowUpJSON is the reporter's view of their report; expires is when
// their follow-up token ends, or zero for a signed-in reporter.
func toFollowUpJSON(v report.ReporterView, expires time.Time) followUpJSON {
	var shown []report.Message
	for _, m := range v.Messages {
		if !m.Internal { // the domain leaves notes out; this is a second lock
			shown = append(shown, m)
		}
	}
	return followUpJSON{Reference: v.Reference, Kind: v.Kind, KindLabel: report.KindLabel(v.Kind), Team: v.Team, Mode: v.Mode,
		Status: v.Status, StatusLabel: report.StatusLabel(v.Status), ReceivedOn: v.ReceivedOn, AcknowledgeBy: v.AckDueOn,
		FeedbackBy: v.FeedbackDueOn, AcknowledgedAt: timePtr(v.AcknowledgedAt), ClosedAt: timePtr(v.ClosedAt),
		OccurredOn: v.OccurredOn, OccurredTime: v.OccurredTime, Department: v.DepartmentName, Site: v.SiteName,
		Description: v.Description, ImmediateActions: v.ImmediateActions, EventType: v.EventType, PhysicalHarm: v.PhysicalHarm,
		PsychologicalHarm: v.PsychHarm, Elements: orEmpty(v.Elements), DesiredOutcome: v.DesiredOutcome,
		RaisedElsewhere: v.RaisedElsewhere, Attachments: toAttachmentsJSON(v.Attachments), Messages: toMessagesJSON(shown), Outcome: v.OutcomeSummary,
		CanGiveFeedback: v.CanGiveFeedback, Closing: v.Closing, Feedback: toFeedbackJSON(v.Report), SessionExpiresAt: timePtr(expires)}
}

// followUpGet shows the reporter their report.
func (s *Server) followUpGet(w http.ResponseWriter, r *http.Request) {
	f, ok := s.followUp(w, r)
	if !ok {
		return
	}
	s.writeFollowUp(w, r, f)
}

// writeFollowUp answers 200 with the reporter's view of their report.
func (s *Server) writeFollowUp(w http.ResponseWriter, r *http.Request, f report.FollowUp) {
	v, err := s.Reports.ForReporter(r.Context(), nil, &f, f.ReportID)
	if err != nil {
		s.reportProblem(w, r, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, toFollowUpJSON(v, f.Expires))
}
