package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"candour/internal/learning"
	"candour/internal/validate"
)

// learningParticipantJSON is someone who took part. Email links a candour
// user, who may then read the response.
type learningParticipantJSON struct {
	Name   string `json:"name"`
	Role   string `json:"role,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
	Email  string `json:"email,omitempty"`
}

// The method records as they appear in requests and responses.
type (
	aarRecordJSON struct {
		Expected     string                     `json:"expected"`
		Actual       string                     `json:"actual"`
		Difference   string                     `json:"difference"`
		Learning     string                     `json:"learning"`
		Participants *[]learningParticipantJSON `json:"participants,omitempty"`
	}
	swarmRecordJSON struct {
		HeldAt      string                     `json:"held_at"`
		WithinHours *int                       `json:"within_hours"`
		Attendees   *[]learningParticipantJSON `json:"attendees,omitempty"`
		Findings    string                     `json:"findings"`
	}
	psiiRecordJSON struct {
		TermsOfReference string                     `json:"terms_of_reference"`
		TimescaleAgreed  string                     `json:"timescale_agreed"`
		TargetDate       string                     `json:"target_date"`
		Findings         learning.Factors           `json:"findings"`
		Report           string                     `json:"report"`
		Participants     *[]learningParticipantJSON `json:"participants,omitempty"`
	}
	thematicRecordJSON struct {
		Themes       []string                   `json:"themes"`
		Analysis     string                     `json:"analysis"`
		Participants *[]learningParticipantJSON `json:"participants,omitempty"`
	}
	mdtRecordJSON struct {
		Participants *[]learningParticipantJSON `json:"participants,omitempty"`
		Findings     string                     `json:"findings"`
	}
)

func participantsJSON(ps []learning.Participant) *[]learningParticipantJSON {
	out := make([]learningParticipantJSON, len(ps))
	for i, p := range ps {
		out[i] = learningParticipantJSON{Name: p.Name, Role: p.Role, UserID: p.UserID, Email: p.Email}
	}
	return &out
}

func participantsOf(ps *[]learningParticipantJSON) []learning.Participant {
	if ps == nil {
		return nil
	}
	out := make([]learning.Participant, len(*ps))
	for i, p := range *ps {
		out[i] = learning.Participant{Name: p.Name, Role: p.Role, UserID: p.UserID, Email: p.Email}
	}
	return out
}

// learningRecordJSON shapes a record for its method.
func learningRecordJSON(m learning.Method, r learning.Record, ps []learning.Participant) any {
	switch m {
	case learning.AAR:
		return aarRecordJSON{r.Expected, r.Actual, r.Difference, r.Learning, participantsJSON(ps)}
	case learning.SWARM:
		return swarmRecordJSON{r.HeldAt, r.WithinHours, participantsJSON(ps), r.Findings}
	case learning.PSII:
		return psiiRecordJSON{r.TermsOfReference, r.TimescaleAgreed, r.TargetDate, r.Factors, r.Report, participantsJSON(ps)}
	case learning.Thematic:
		themes := r.Themes
		if themes == nil {
			themes = []string{}
		}
		return thematicRecordJSON{themes, r.Analysis, participantsJSON(ps)}
	}
	return mdtRecordJSON{participantsJSON(ps), r.Findings}
}

// parseLearningRecord reads a request's record for method m. Unknown
// fields and wrong types are named as record.<field>, and so are keys in
// other capitals or given twice (checkShape), as in the rest of a body.
func parseLearningRecord(m learning.Method, raw json.RawMessage, sh *shapes, errs *validate.Errors) learning.Record {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return learning.Record{}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var rec learning.Record
	var err error
	var target any
	switch m {
	case learning.AAR:
		var v aarRecordJSON
		target = &v
		err = dec.Decode(&v)
		rec = learning.Record{Expected: v.Expected, Actual: v.Actual, Difference: v.Difference, Learning: v.Learning, Participants: participantsOf(v.Participants)}
	case learning.SWARM:
		var v swarmRecordJSON
		target = &v
		err = dec.Decode(&v)
		rec = learning.Record{HeldAt: v.HeldAt, Findings: v.Findings, Participants: participantsOf(v.Attendees)}
	case learning.PSII:
		var v psiiRecordJSON
		target = &v
		err = dec.Decode(&v)
		rec = learning.Record{TermsOfReference: v.TermsOfReference, TimescaleAgreed: v.TimescaleAgreed, TargetDate: v.TargetDate,
			Factors: v.Findings, Report: v.Report, Participants: participantsOf(v.Participants)}
	case learning.Thematic:
		var v thematicRecordJSON
		target = &v
		err = dec.Decode(&v)
		rec = learning.Record{Themes: v.Themes, Analysis: v.Analysis, Participants: participantsOf(v.Participants)}
	case learning.MDT:
		var v mdtRecordJSON
		target = &v
		err = dec.Decode(&v)
		rec = learning.Record{Findings: v.Findings, Participants: participantsOf(v.Participants)}
	default:
		return learning.Record{}
	}
	if err == nil {
		if ferr := checkShape(raw, sh.of(target)); ferr != nil {
			errs.Add("record."+ferr.path, ferr.message)
		}
		return rec
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		errs.Add("record."+f, "is not a field of a "+learning.MethodLabel(m)+" record")
	case asTypeError(err, &typeErr):
		errs.Add("record."+typeErr.Field, "must be "+jsonKind(typeErr.Type.Kind().String()))
	default:
		errs.Add("record", "must be a JSON object with the fields of a "+learning.MethodLabel(m)+" record")
	}
	return rec
}

func asTypeError(err error, target **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}

// learningField names a domain field as the API request names it.
func learningField(m learning.Method, field string) string {
	switch field {
	case "reports":
		return "report_ids"
	case "owner":
		return "owner_user_id"
	case "candour_notes":
		return "notes"
	case "participants":
		if m == learning.SWARM {
			return "record.attendees"
		}
		return "record.participants"
	case "expected", "actual", "difference", "learning", "held_at", "findings", "terms_of_reference", "timescale_agreed",
		"target_date", "report", "themes", "analysis":
		return "record." + field
	}
	for _, f := range learning.SEIPSFactors() {
		if f.Field == field {
			return "record.findings." + field
		}
	}
	return field
}

// learningErrors renames domain fields to request fields.
func learningErrors(m learning.Method, errs validate.Errors) validate.Errors {
	out := make(validate.Errors, len(errs))
	for i, e := range errs {
		out[i] = validate.FieldError{Field: learningField(m, e.Field), Message: e.Message}
	}
	return out
}

type learningEventJSON struct {
	ReportID     int64  `json:"report_id"`
	Reference    string `json:"reference"`
	OccurredOn   string `json:"occurred_on"`
	OccurredTime string `json:"occurred_time"`
	Department   string `json:"department"`
	EventType    string `json:"event_type"`
}

type learningEngagementJSON struct {
	ID           int64     `json:"id"`
	Who          string    `json:"who"`
	Name         string    `json:"name"`
	Relationship string    `json:"relationship"`
	ContactedOn  string    `json:"contacted_on"`
	How          string    `json:"how"`
	Questions    string    `json:"questions"`
	Told         string    `json:"told"`
	RecordedBy   string    `json:"recorded_by"`
	CreatedAt    time.Time `json:"created_at"`
}

type learningCandourJSON struct {
	Notifiable      bool      `json:"notifiable"`
	NotifiedOn      *string   `json:"notified_on"`
	ApologyGiven    bool      `json:"apology_given"`
	WrittenFollowUp *string   `json:"written_follow_up"`
	Notes           string    `json:"notes"`
	UpdatedBy       string    `json:"updated_by"`
	UpdatedAt       time.Time `json:"updated_at"`
}

type learningSignOffJSON struct {
	UserID int64     `json:"user_id"`
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
	Note   string    `json:"note"`
}

type learningOwnerJSON struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

type learningTimelineJSON struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Detail string    `json:"detail"`
}

// learningResponseJSON is a learning response. Engagements, duty of candour
// and timeline are present when one response is fetched.
type learningResponseJSON struct {
	ID            int64                     `json:"id"`
	Reference     string                    `json:"reference"`
	Method        string                    `json:"method"`
	MethodLabel   string                    `json:"method_label"`
	Title         string                    `json:"title"`
	Status        string                    `json:"status"`
	Owner         learningOwnerJSON         `json:"owner"`
	ReportIDs     []int64                   `json:"report_ids"`
	Events        []learningEventJSON       `json:"events"`
	Record        any                       `json:"record"`
	TargetDate    *string                   `json:"target_date"`
	AlertDate     *string                   `json:"alert_date"`
	Overdue       string                    `json:"overdue"`
	SignOff       *learningSignOffJSON      `json:"sign_off"`
	CreatedAt     time.Time                 `json:"created_at"`
	UpdatedAt     time.Time                 `json:"updated_at"`
	ClosedAt      *time.Time                `json:"closed_at"`
	Engagements   *[]learningEngagementJSON `json:"engagements,omitempty"`
	DutyOfCandour *learningCandourJSON      `json:"duty_of_candour,omitempty"`
	Timeline      *[]learningTimelineJSON   `json:"timeline,omitempty"`
	// Prompts are the blame-language prompts in the text just saved.
	Prompts *[]learning.Prompt `json:"prompts,omitempty"`
}

func optDate(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// toLearningJSON shapes a response; full adds the engagement log, the duty
// of candour and the timeline.
func toLearningJSON(r learning.Response, today string, full bool) learningResponseJSON {
	j := learningResponseJSON{ID: r.ID, Reference: r.Reference, Method: string(r.Method), MethodLabel: learning.MethodLabel(r.Method),
		Title: r.Title, Status: string(r.Status), Owner: learningOwnerJSON{r.OwnerUserID, r.OwnerName},
		ReportIDs: []int64{}, Events: []learningEventJSON{}, Record: learningRecordJSON(r.Method, r.Record, r.Participants),
		TargetDate: optDate(r.TargetDate), AlertDate: optDate(r.AlertDate), Overdue: r.Overdue(today),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, e := range r.Events {
		j.ReportIDs = append(j.ReportIDs, e.ID)
		j.Events = append(j.Events, learningEventJSON{e.ID, e.Reference, e.OccurredOn, e.OccurredTime, e.Department, e.EventType})
	}
	if !r.ClosedAt.IsZero() {
		t := r.ClosedAt
		j.ClosedAt = &t
	}
	if r.SignedOffBy != 0 {
		j.SignOff = &learningSignOffJSON{r.SignedOffBy, r.SignedOffName, r.SignedOffAt, r.SignOffNote}
	}
	if full {
		es := []learningEngagementJSON{}
		for _, e := range r.Engagements {
			es = append(es, learningEngagementJSON{e.ID, e.Group, e.Name, e.Relationship, e.ContactedOn, e.How, e.Questions, e.Told, e.RecordedByName, e.CreatedAt})
		}
		j.Engagements = &es
		if c := r.Candour; c != nil {
			j.DutyOfCandour = &learningCandourJSON{c.Notifiable, optDate(c.NotifiedOn), c.ApologyGiven, optDate(c.WrittenFollowUp), c.Notes, c.UpdatedByName, c.UpdatedAt}
		}
		tl := []learningTimelineJSON{}
		for _, t := range r.Timeline {
			tl = append(tl, learningTimelineJSON{t.At, t.Actor, t.Action, t.Detail})
		}
		j.Timeline = &tl
	}
	return j
}
