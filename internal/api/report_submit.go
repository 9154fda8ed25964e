package api

import (
	"net/http"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/localtime"
	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/validate"
)

// submitRequest is the body of POST /api/v1/reports.
type submitRequest struct {
	Kind         string `json:"kind"`
	Mode         string `json:"mode"`
	Description  string `json:"description"`
	DepartmentID int64  `json:"department_id"`
	// OccurredAt is an RFC 3339 date and time; OccurredOn a date alone,
	// for when the time is not known. Send one or the other.
	OccurredAt        string           `json:"occurred_at"`
	OccurredOn        string           `json:"occurred_on"`
	ImmediateActions  string           `json:"immediate_actions"`
	EventType         string           `json:"event_type"`
	PhysicalHarm      string           `json:"physical_harm"`
	PsychologicalHarm string           `json:"psychological_harm"`
	People            []personInvolved `json:"people"`
	Elements          []string         `json:"elements"`
	DesiredOutcome    string           `json:"desired_outcome"`
	RaisedElsewhere   string           `json:"raised_elsewhere"`
	StaffGroup        string           `json:"staff_group"`
	IdempotencyKey    string           `json:"idempotency_key"`
	// Attachments are photos and documents, as base64 (attachments.go).
	Attachments []uploadJSON `json:"attachments"`
}

// receiptJSON is the answer to a submission. The access code is in it for
// an anonymous report, new or repeated within minutes (report.Submit); it
// is never stored.
type receiptJSON struct {
	ID            int64         `json:"id"`
	Reference     string        `json:"reference"`
	AccessCode    string        `json:"access_code,omitempty"`
	AcknowledgeBy string        `json:"acknowledge_by"`
	FeedbackBy    string        `json:"feedback_by"`
	Repeat        bool          `json:"repeat"`
	Warnings      []warningJSON `json:"warnings"`
	// FileNotes: files that were not what their names said, kept as what
	// they are (report.Receipt.FileNotes).
	FileNotes []string `json:"file_notes"`
}

// Values that make the domain reject a date with the right kind of
// message, so that every problem with a submission is reported at once and
// nothing is stored. The messages are then replaced with the API's own.
const (
	badDate    = "not-a-date"
	futureDate = "9999-12-31"
	badKey     = "!"
)

// clockSkew is how far in the future an occurred_at may be, to allow for a
// client's clock running a little fast.
const clockSkew = 5 * time.Minute

func london() *time.Location { return localtime.London() }

// reportSubmit takes a safety event or a speak-up concern. Anonymous reports
// need no token, and for them nothing about the sender is used: not the
// token's account, not the address, not the user agent. Open and
// confidential reports need the reporter's own token.
func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) {
	var req submitRequest
	if !s.decode(w, r, &req) {
		return
	}
	var p *authz.Principal
	switch report.Mode(req.Mode) {
	case report.Open, report.Confidential:
		if p = authz.PrincipalFrom(r.Context()); p == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="candour"`)
			problem(w, r, http.StatusUnauthorized, "Authentication required",
				"To raise this openly or confidentially, send your personal API token (Authorization: Bearer <token>), or choose mode \"anonymous\", which needs no token.", nil)
			return
		}
	}

	sub := report.Submission{Kind: report.Kind(req.Kind), Mode: report.Mode(req.Mode), DepartmentID: req.DepartmentID,
		Description: req.Description, ImmediateActions: req.ImmediateActions, EventType: req.EventType,
		PhysicalHarm: req.PhysicalHarm, PsychologicalHarm: req.PsychologicalHarm, Elements: req.Elements,
		DesiredOutcome: req.DesiredOutcome, RaisedElsewhere: req.RaisedElsewhere, StaffGroup: req.StaffGroup,
		Attachments: s.uploads(req.Attachments)}
	for _, pi := range req.People {
		sub.People = append(sub.People, report.Involved{Role: pi.Role, Description: pi.Description, Name: pi.Name})
	}
	messages := map[string]string{} // JSON field -> the API's own message
	occurred := "occurred_at"
	switch {
	case req.OccurredAt != "" && req.OccurredOn != "":
		sub.OccurredOn, messages[occurred] = badDate, "Send occurred_at or occurred_on, not both"
	case req.OccurredAt != "":
		sub.OccurredOn, sub.OccurredTime, messages[occurred] = s.occurredAt(req.OccurredAt)
	case req.OccurredOn != "":
		occurred, sub.OccurredOn = "occurred_on", req.OccurredOn
	}
	key, header := req.IdempotencyKey, idempotencyKey(r)
	switch {
	case key != "" && header != "" && key != header:
		key, messages["idempotency_key"] = badKey, "The Idempotency-Key header and idempotency_key differ; send one of them"
	case key == "":
		key = header
	}
	sub.SubmissionKey = key

	rec, err := s.Reports.Submit(r.Context(), sub, p)
	if fe, ok := validate.As(err); ok {
		fe = renameFields(fe, map[string]string{"occurred_on-day": occurred, "occurred_time": occurred, "submission_key": "idempotency_key"})
		for i := range fe {
			switch m := messages[fe[i].Field]; {
			case m != "":
				fe[i].Message = m
			case fe[i].Field == "idempotency_key":
				fe[i].Message = "Use 16 to 64 letters, digits, hyphens or underscores, such as a UUID"
			}
		}
		invalid(w, r, fe)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := receiptJSON{ID: rec.ID, Reference: rec.Reference, AccessCode: rec.AccessCode, AcknowledgeBy: rec.AckDueOn,
		FeedbackBy: rec.FeedbackDueOn, Repeat: rec.Repeat, Warnings: narrativeWarnings(sub), FileNotes: orEmpty(rec.FileNotes)}
	status := http.StatusCreated
	if rec.Repeat {
		// An anonymous report repeated within minutes carries its code
		// again (report.Submit); later, none.
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

// occurredAt splits an RFC 3339 time into the date and time on the clock in
// England, which is what the report records. A plain date is accepted too.
// A time that cannot be read, or is in the future, becomes a date the domain
// rejects, with the message to show instead of its own.
func (s *Server) occurredAt(v string) (date, clock, message string) {
	if d, err := time.Parse(store.DateLayout, v); err == nil {
		return d.Format(store.DateLayout), "", ""
	}
	// RFC 3339 allows a lower-case t and z, and (its section 5.6 note) a
	// space between date and time; Go's layout takes only "T" and "Z".
	if len(v) > 10 && (v[10] == 't' || v[10] == ' ') {
		v = v[:10] + "T" + v[11:]
	}
	if strings.HasSuffix(v, "z") {
		v = v[:len(v)-1] + "Z"
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return badDate, "", "Give the date and time it happened in RFC 3339 form, such as 2025-03-14T14:30:00Z, or the date alone as YYYY-MM-DD"
	}
	if t.After(s.Reports.Now().Add(clockSkew)) {
		return futureDate, "", "The time it happened must be now or in the past"
	}
	t = t.In(london())
	return t.Format(store.DateLayout), t.Format("15:04"), ""
}
