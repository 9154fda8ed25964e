package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"candour/internal/report"
	"candour/internal/validate"
)

// reportJSON is a report as its handlers see it: the whole record, with
// messages and internal notes. The reporter's name and email appear for
// open reports only; a confidential reporter's identity is never here.
type reportJSON struct {
	ID                int64         `json:"id"`
	Reference         string        `json:"reference"`
	Kind              report.Kind   `json:"kind"`
	KindLabel         string        `json:"kind_label"`
	Mode              report.Mode   `json:"mode"`
	Team              report.Team   `json:"team"`
	Status            report.Status `json:"status"`
	StatusLabel       string        `json:"status_label"`
	DepartmentID      int64         `json:"department_id,omitempty"`
	Department        string        `json:"department"`
	Site              string        `json:"site"`
	OccurredOn        string        `json:"occurred_on"`
	OccurredTime      string        `json:"occurred_time"`
	Description       string        `json:"description"`
	ImmediateActions  string        `json:"immediate_actions"`
	EventType         string        `json:"event_type"`
	PhysicalHarm      string        `json:"physical_harm"`
	PsychologicalHarm string        `json:"psychological_harm"`
	Elements          []string      `json:"elements"`
	// ReporterGrading is what the reporter said the report was, once the
	// team has graded it again or passed it on (null until then, and when
	// that happened before it was recorded).
	ReporterGrading *gradingJSON `json:"reporter_grading"`
	// ReporterGradingUnknown is true when the team graded the report again
	// or passed it on before what the reporter said was kept, so
	// reporter_grading is null for want of it, not because nothing changed.
	ReporterGradingUnknown bool             `json:"reporter_grading_unknown"`
	Unclassified           bool             `json:"unclassified"`
	DesiredOutcome         string           `json:"desired_outcome"`
	RaisedElsewhere        string           `json:"raised_elsewhere"`
	People                 []personInvolved `json:"people"`
	Reporter               *reporterJSON    `json:"reporter"`
	AssignedUserID         int64            `json:"assigned_user_id,omitempty"`
	AssignedName           string           `json:"assigned_name"`
	DuplicateOf            string           `json:"duplicate_of"`
	Related                []string         `json:"related"`
	ReceivedOn             string           `json:"received_on"`
	AcknowledgeBy          string           `json:"acknowledge_by"`
	FeedbackBy             string           `json:"feedback_by"`
	AcknowledgedAt         *time.Time       `json:"acknowledged_at"`
	ClosedAt               *time.Time       `json:"closed_at"`
	Outcome                string           `json:"outcome"`
	Feedback               *feedbackJSON    `json:"feedback"`
	EarlierFeedback        []feedbackJSON   `json:"earlier_feedback"`
	Messages               []messageJSON    `json:"messages"`
	// AwaitingReply: the last message the reporter can see is theirs.
	AwaitingReply bool             `json:"awaiting_reply"`
	Attachments   []attachmentJSON `json:"attachments"`
	Redactions    int              `json:"redactions"`
	RedactionLog  []redactionJSON  `json:"redaction_log"`
}

// redactionJSON is one redacted passage: where, by whom, when and why.
type redactionJSON struct {
	Field     string    `json:"field"`
	MessageID int64     `json:"message_id,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	Reason    string    `json:"reason"`
	OtherTeam bool      `json:"other_team"`
}

// personInvolved is someone involved in an event, by role, named only if
// the reporter chose to.
type personInvolved struct {
	Role        string `json:"role"`
	Description string `json:"description"`
	Name        string `json:"name"`
}

type reporterJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// feedbackJSON is what the reporter said after closure.
type feedbackJSON struct {
	SpeakUpAgain string     `json:"speak_up_again"`
	Detriment    string     `json:"detriment"`
	GivenAt      *time.Time `json:"given_at"`
}

// messageJSON is one message: from the reporter, to the reporter, or (for
// handlers only) an internal note.
type messageJSON struct {
	ID          int64            `json:"id"`
	From        string           `json:"from"`
	Internal    bool             `json:"internal"`
	Author      string           `json:"author"`
	Body        string           `json:"body"`
	CreatedAt   time.Time        `json:"created_at"`
	Attachments []attachmentJSON `json:"attachments"`
}

type attachmentJSON struct {
	ID          int64     `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func toAttachmentsJSON(as []report.Attachment) []attachmentJSON {
	out := []attachmentJSON{}
	for _, a := range as {
		out = append(out, attachmentJSON{ID: a.ID, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, CreatedAt: a.CreatedAt.UTC()})
	}
	return out
}

func toMessagesJSON(ms []report.Message) []messageJSON {
	out := []messageJSON{}
	for _, m := range ms {
		j := messageJSON{ID: m.ID, From: "handler", Internal: m.Internal, Author: m.AuthorName, Body: m.Body,
			CreatedAt: m.CreatedAt.UTC(), Attachments: toAttachmentsJSON(m.Attachments)}
		if m.FromReporter {
			j.From, j.Author = "reporter", ""
		}
		out = append(out, j)
	}
	return out
}

func toFeedbackJSON(r report.Report) *feedbackJSON {
	if r.FeedbackAt.IsZero() {
		return nil
	}
	return &feedbackJSON{SpeakUpAgain: r.SpeakUpAgain, Detriment: r.Detriment, GivenAt: timePtr(r.FeedbackAt)}
}

// toRedactionsJSON lists what was redacted; never null.
func toRedactionsJSON(r report.Report) []redactionJSON {
	out := make([]redactionJSON, 0, len(r.RedactionLog))
	for _, x := range r.RedactionLog {
		out = append(out, redactionJSON{Field: x.Field, MessageID: x.MessageID, By: x.By, At: x.At.UTC(), Reason: x.Reason, OtherTeam: x.OtherTeam})
	}
	return out
}

// toEarlierFeedbackJSON lists the answers to earlier closings; never null.
func toEarlierFeedbackJSON(r report.Report) []feedbackJSON {
	out := make([]feedbackJSON, 0, len(r.EarlierFeedback))
	for _, a := range r.EarlierFeedback {
		out = append(out, feedbackJSON{SpeakUpAgain: a.SpeakUpAgain, Detriment: a.Detriment, GivenAt: timePtr(a.GivenAt)})
	}
	return out
}

func toReportJSON(r report.Report) reportJSON {
	j := reportJSON{ID: r.ID, Reference: r.Reference, Kind: r.Kind, KindLabel: report.KindLabel(r.Kind), Mode: r.Mode, Team: r.Team,
		Status: r.Status, StatusLabel: report.StatusLabel(r.Status), DepartmentID: r.DepartmentID, Department: r.DepartmentName,
		Site: r.SiteName, OccurredOn: r.OccurredOn, OccurredTime: r.OccurredTime, Description: r.Description,
		ImmediateActions: r.ImmediateActions, EventType: r.EventType, PhysicalHarm: r.PhysicalHarm, PsychologicalHarm: r.PsychHarm,
		Elements: orEmpty(r.Elements), ReporterGrading: gradingOf(r.ReporterGrading), ReporterGradingUnknown: r.ReporterGradingUnknown, Unclassified: r.Unclassified(), DesiredOutcome: r.DesiredOutcome, RaisedElsewhere: r.RaisedElsewhere, People: []personInvolved{},
		AssignedUserID: r.AssignedUserID, AssignedName: r.AssignedName, DuplicateOf: r.DuplicateOf, Related: orEmpty(r.Related),
		ReceivedOn: r.ReceivedOn, AcknowledgeBy: r.AckDueOn, FeedbackBy: r.FeedbackDueOn, AcknowledgedAt: timePtr(r.AcknowledgedAt),
		ClosedAt: timePtr(r.ClosedAt), Outcome: r.OutcomeSummary, Feedback: toFeedbackJSON(r), EarlierFeedback: toEarlierFeedbackJSON(r), Messages: toMessagesJSON(r.Messages),
		AwaitingReply: r.AwaitingReply(), Attachments: toAttachmentsJSON(r.Attachments), Redactions: r.Redactions, RedactionLog: toRedactionsJSON(r)}
	for _, p := range r.People {
		j.People = append(j.People, personInvolved{Role: p.Role, Description: p.Description, Name: p.Name})
	}
	// The domain fills these for open reports only; the mode check is a
	// second lock on the same door.
	if r.Mode == report.Open && (r.ReporterName != "" || r.ReporterEmail != "") {
		j.Reporter = &reporterJSON{Name: r.ReporterName, Email: r.ReporterEmail}
	}
	return j
}

// summaryJSON is a report in a handler's queue.
type summaryJSON struct {
	ID                int64         `json:"id"`
	Reference         string        `json:"reference"`
	Kind              report.Kind   `json:"kind"`
	Mode              report.Mode   `json:"mode"`
	Team              report.Team   `json:"team"`
	Status            report.Status `json:"status"`
	StatusLabel       string        `json:"status_label"`
	EventType         string        `json:"event_type"`
	PhysicalHarm      string        `json:"physical_harm"`
	PsychologicalHarm string        `json:"psychological_harm"`
	Elements          []string      `json:"elements"`
	Department        string        `json:"department"`
	Site              string        `json:"site"`
	ReceivedOn        string        `json:"received_on"`
	AcknowledgeBy     string        `json:"acknowledge_by"`
	FeedbackBy        string        `json:"feedback_by"`
	Acknowledged      bool          `json:"acknowledged"`
	Overdue           string        `json:"overdue"`
	AssignedName      string        `json:"assigned_name"`
	Snippet           string        `json:"snippet"`
	// AwaitingReply: the person who raised it sent the last message.
	AwaitingReply bool `json:"awaiting_reply"`
}

func toSummaryJSON(s report.Summary, today string) summaryJSON {
	return summaryJSON{ID: s.ID, Reference: s.Reference, Kind: s.Kind, Mode: s.Mode, Team: s.Team, Status: s.Status,
		StatusLabel: report.StatusLabel(s.Status), EventType: s.EventType, PhysicalHarm: s.PhysicalHarm, PsychologicalHarm: s.PsychHarm,
		Elements: orEmpty(s.Elements), Department: s.DepartmentName, Site: s.SiteName, ReceivedOn: s.ReceivedOn,
		AcknowledgeBy: s.AckDueOn, FeedbackBy: s.FeedbackDueOn, Acknowledged: s.Acknowledged, Overdue: s.Overdue(today),
		AssignedName: s.AssignedName, Snippet: s.Snippet, AwaitingReply: s.AwaitingReply}
}

// reportID reads the {id} path value; anything that is not a positive
// number is answered as a report that does not exist.
func reportID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		notFound(w, r, "A report with this id")
		return 0, false
	}
	return n, true
}

// renameFields maps the domain's field names (which match the web form's
// inputs) to the names in the JSON request.
func renameFields(errs validate.Errors, names map[string]string) validate.Errors {
	out := make(validate.Errors, 0, len(errs))
	for _, fe := range errs {
		if n, ok := names[fe.Field]; ok {
			fe.Field = n
		} else if rest, ok := strings.CutPrefix(fe.Field, "people-"); ok {
			// people-1-role is the first person's role: people[0].role.
			num, sub, _ := strings.Cut(rest, "-")
			if i, err := strconv.Atoi(num); err == nil && i > 0 && sub != "" {
				fe.Field = fmt.Sprintf("people[%d].%s", i-1, sub)
			}
		}
		out = append(out, fe)
	}
	return out
}

// reportProblem answers a domain error from a report action: a report the
// caller may not see is one that does not exist, a closed report is a
// conflict, and field errors name the request's fields.
func (s *Server) reportProblem(w http.ResponseWriter, r *http.Request, err error, names map[string]string) {
	if fe, ok := validate.As(err); ok {
		invalid(w, r, renameFields(fe, names))
		return
	}
	var ce conflictError
	switch {
	case errors.As(err, &ce):
		problem(w, r, http.StatusConflict, "Not possible now", ce.Error(), nil)
	case errors.Is(err, report.ErrNotAllowed):
		notFound(w, r, "A report with this id")
	case errors.Is(err, report.ErrClosed):
		problem(w, r, http.StatusConflict, "Report is closed", "This report is closed and cannot take this change.", nil)
	case errors.Is(err, report.ErrNotClosed):
		problem(w, r, http.StatusConflict, "Report is open", "This report is open already, so there is nothing to reopen.", nil)
	case errors.Is(err, report.ErrDuplicate):
		problem(w, r, http.StatusConflict, "Report is a duplicate", "This report was closed as a duplicate of another. Reopen the report it duplicates instead.", nil)
	default:
		s.internal(w, r, err)
	}
}

// gradingJSON is a report's kind and grading as the reporter gave them.
type gradingJSON struct {
	Kind              report.Kind `json:"kind"`
	EventType         string      `json:"event_type"`
	PhysicalHarm      string      `json:"physical_harm"`
	PsychologicalHarm string      `json:"psychological_harm"`
	Elements          []string    `json:"elements"`
	Description       string      `json:"description"`
}

func gradingOf(g *report.Grading) *gradingJSON {
	if g == nil {
		return nil
	}
	return &gradingJSON{Kind: g.Kind, EventType: g.EventType, PhysicalHarm: g.PhysicalHarm, PsychologicalHarm: g.PsychologicalHarm,
		Elements: orEmpty(g.Elements), Description: g.Describe()}
}
