package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"candour/internal/casework"
	"candour/internal/httpx"
	"candour/internal/validate"
)

// This file holds the JSON shapes of employee-relations casework and the
// answers every casework route shares. The casework types carry no JSON
// tags, so that the domain stays free of wire concerns; these shapes are the
// contract documented in openapi.json.

// caseRefJSON names a case briefly (an appeal link).
type caseRefJSON struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
	Type      string `json:"type"`
	Status    string `json:"status"`
}

// stageJSON is one stage of a formal case.
type stageJSON struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	StartedOn string `json:"started_on"`
	TargetOn  string `json:"target_on"`
	EndedOn   string `json:"ended_on,omitempty"`
	Overdue   bool   `json:"overdue"`
	DaysOver  int    `json:"days_over"`
}

// caseJSON is one case as its readers see it.
type caseJSON struct {
	ID              int64          `json:"id"`
	Reference       string         `json:"reference"`
	Type            string         `json:"type"`
	TypeLabel       string         `json:"type_label"`
	EmployeeNumber  string         `json:"employee_number"`
	PersonName      string         `json:"person_name"`
	StaffGroup      string         `json:"staff_group,omitempty"`
	Department      string         `json:"department,omitempty"`
	Summary         string         `json:"summary"`
	ReportID        *int64         `json:"report_id"`
	ReportReference *string        `json:"report_reference"`
	AssessmentID    *int64         `json:"assessment_id"`
	AppealOf        *caseRefJSON   `json:"appeal_of"`
	Appeals         []caseRefJSON  `json:"appeals"`
	Status          string         `json:"status"`
	StatusLabel     string         `json:"status_label"`
	Stage           *stageJSON     `json:"stage"`
	HRUserID        *int64         `json:"hr_user_id"`
	HRName          string         `json:"hr_name,omitempty"`
	ManagerUserID   *int64         `json:"manager_user_id"`
	ManagerName     string         `json:"manager_name,omitempty"`
	RepUserID       *int64         `json:"rep_user_id"`
	RepName         string         `json:"rep_name,omitempty"`
	RepRequestedOn  string         `json:"rep_requested_on,omitempty"`
	EmployeeAccess  bool           `json:"employee_access"`
	OpenedOn        string         `json:"opened_on"`
	FormalOn        string         `json:"formal_on,omitempty"`
	ClosedOn        string         `json:"closed_on,omitempty"`
	Outcome         string         `json:"outcome,omitempty"`
	OutcomeDetail   string         `json:"outcome_detail,omitempty"`
	CreatedAt       *time.Time     `json:"created_at"`
	Suspension      *suspensionRef `json:"suspension"`
}

// suspensionRef is the case's current suspension in brief.
type suspensionRef struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Status   string `json:"status"`
	StartsOn string `json:"starts_on"`
	ReviewOn string `json:"review_on"`
	Days     int    `json:"days"`
}

func toCaseRefJSON(c casework.CaseRef) caseRefJSON {
	return caseRefJSON{ID: c.ID, Reference: c.Reference, Type: string(c.Type), Status: string(c.Status)}
}

func toStageJSON(st casework.Stage) stageJSON {
	return stageJSON{ID: st.ID, Code: st.Code, Name: st.Name, StartedOn: st.StartedOn, TargetOn: st.TargetOn,
		EndedOn: st.EndedOn, Overdue: st.Overdue, DaysOver: st.DaysOver}
}

func toCaseJSON(c casework.Case) caseJSON {
	j := caseJSON{ID: c.ID, Reference: c.Reference, Type: string(c.Type), TypeLabel: casework.TypeLabel(c.Type),
		EmployeeNumber: c.EmployeeNumber, PersonName: c.PersonName, StaffGroup: c.StaffGroup, Department: c.DepartmentName,
		Summary: c.Summary, ReportID: optID(c.ReportID), AssessmentID: optID(c.AssessmentID), Appeals: []caseRefJSON{},
		Status: string(c.Status), StatusLabel: casework.StatusLabel(c.Status),
		HRUserID: optID(c.HRUserID), HRName: c.HRName, ManagerUserID: optID(c.ManagerUserID), ManagerName: c.ManagerName,
		RepUserID: optID(c.RepUserID), RepName: c.RepName, RepRequestedOn: c.RepRequestedOn, EmployeeAccess: c.EmployeeAccess,
		OpenedOn: c.OpenedOn, FormalOn: c.FormalOn, ClosedOn: c.ClosedOn, Outcome: string(c.Outcome), OutcomeDetail: c.OutcomeDetail,
		CreatedAt: optTime(c.CreatedAt)}
	if c.ReportID != 0 {
		ref := c.ReportReference
		j.ReportReference = &ref
	}
	if c.AppealOf.ID != 0 {
		ref := toCaseRefJSON(c.AppealOf)
		j.AppealOf = &ref
	}
	for _, a := range c.Appeals {
		j.Appeals = append(j.Appeals, toCaseRefJSON(a))
	}
	if c.Stage != nil {
		st := toStageJSON(*c.Stage)
		j.Stage = &st
	}
	if sp := c.Suspension; sp != nil {
		j.Suspension = &suspensionRef{ID: sp.ID, Kind: sp.Kind, Status: sp.Status, StartsOn: sp.StartsOn, ReviewOn: sp.ReviewOn, Days: sp.Days}
	}
	return j
}

// caseSummaryJSON is a row in a list of cases.
type caseSummaryJSON struct {
	ID             int64  `json:"id"`
	Reference      string `json:"reference"`
	Type           string `json:"type"`
	PersonName     string `json:"person_name"`
	Status         string `json:"status"`
	StageName      string `json:"stage_name,omitempty"`
	StageTargetOn  string `json:"stage_target_on,omitempty"`
	Overdue        bool   `json:"overdue"`
	HRName         string `json:"hr_name,omitempty"`
	OpenedOn       string `json:"opened_on"`
	Suspended      bool   `json:"suspended"`
	WellbeingLapse bool   `json:"wellbeing_lapsed"`
}

func toCaseSummaryJSON(c casework.CaseSummary) caseSummaryJSON {
	return caseSummaryJSON{ID: c.ID, Reference: c.Reference, Type: string(c.Type), PersonName: c.PersonName, Status: string(c.Status),
		StageName: c.StageName, StageTargetOn: c.StageTargetOn, Overdue: c.Overdue, HRName: c.HRName, OpenedOn: c.OpenedOn,
		Suspended: c.Suspended, WellbeingLapse: c.WellbeingLapse}
}

// userRefJSON names a candour user.
type userRefJSON struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Email  string `json:"email,omitempty"`
}

// signoffJSON is the second senior person's sign-off of the checklist.
type signoffJSON struct {
	UserID int64      `json:"user_id"`
	Name   string     `json:"name"`
	At     *time.Time `json:"at"`
	Note   string     `json:"note"`
}

// checklistJSON is the pre-formal checklist. The same names, with
// wellbeing_contact as an email address, are what PUT accepts.
type checklistJSON struct {
	FactsGathered          bool         `json:"facts_gathered"`
	FactsSummary           string       `json:"facts_summary"`
	EmployeeAccountHeard   bool         `json:"employee_account_heard"`
	EmployeeAccountOn      string       `json:"employee_account_on"`
	Allegations            string       `json:"allegations"`
	AlternativesConsidered string       `json:"alternatives_considered"`
	InvestigatorConflicts  string       `json:"investigator_conflicts"`
	DecisionMakerConflicts string       `json:"decision_maker_conflicts"`
	ConflictsDeclared      bool         `json:"conflicts_declared"`
	WellbeingContact       *userRefJSON `json:"wellbeing_contact"`
	UnionRepOffered        bool         `json:"union_rep_offered"`
	UnionRepOfferedOn      string       `json:"union_rep_offered_on"`
	UpdatedAt              *time.Time   `json:"updated_at"`
	Signoff                *signoffJSON `json:"signoff"`
}

func toChecklistJSON(c casework.Checklist) checklistJSON {
	j := checklistJSON{FactsGathered: c.FactsGathered, FactsSummary: c.FactsSummary, EmployeeAccountHeard: c.EmployeeAccountHeard,
		EmployeeAccountOn: c.EmployeeAccountOn, Allegations: c.Allegations, AlternativesConsidered: c.AlternativesConsidered,
		InvestigatorConflicts: c.InvestigatorConflicts, DecisionMakerConflicts: c.DecisionMakerConflicts, ConflictsDeclared: c.ConflictsDeclared,
		UnionRepOffered: c.UnionRepOffered, UnionRepOfferedOn: c.UnionRepOfferedOn, UpdatedAt: optTime(c.UpdatedAt)}
	if c.WellbeingContactUserID != 0 {
		j.WellbeingContact = &userRefJSON{UserID: c.WellbeingContactUserID, Name: c.WellbeingContactName, Email: c.WellbeingContactEmail}
	}
	if c.SignoffBy != 0 {
		j.Signoff = &signoffJSON{UserID: c.SignoffBy, Name: c.SignoffName, At: optTime(c.SignoffAt), Note: c.SignoffNote}
	}
	return j
}

// preconditionJSON is one precondition of the move to formal.
type preconditionJSON struct {
	Name   string `json:"name"`
	Label  string `json:"label"`
	Met    bool   `json:"met"`
	Detail string `json:"detail,omitempty"`
}

func toPreconditionJSON(p casework.Precondition) preconditionJSON {
	return preconditionJSON{Name: p.Name, Label: p.Label, Met: p.Met, Detail: p.Detail}
}

// preconditionsJSON lists every precondition and whether all are met.
type preconditionsJSON struct {
	Ready bool               `json:"ready"`
	Items []preconditionJSON `json:"items"`
}

// partyJSON is someone in a case other than the employee.
type partyJSON struct {
	ID             int64      `json:"id"`
	Role           string     `json:"role"`
	Name           string     `json:"name"`
	EmployeeNumber string     `json:"employee_number,omitempty"`
	UserID         *int64     `json:"user_id"`
	AddedAt        *time.Time `json:"added_at"`
}

func toPartyJSON(p casework.Party) partyJSON {
	return partyJSON{ID: p.ID, Role: p.Role, Name: p.Name, EmployeeNumber: p.EmployeeNumber, UserID: optID(p.UserID), AddedAt: optTime(p.AddedAt)}
}

// documentJSON describes a file kept with a case (the file itself is read
// on the case's page).
type documentJSON struct {
	ID          int64      `json:"id"`
	Filename    string     `json:"filename"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	UploadedBy  string     `json:"uploaded_by"`
	CreatedAt   *time.Time `json:"created_at"`
}

// entryJSON is one item on a case's timeline.
type entryJSON struct {
	ID                int64          `json:"id"`
	Kind              string         `json:"kind"`
	KindLabel         string         `json:"kind_label"`
	OccurredOn        string         `json:"occurred_on"`
	Title             string         `json:"title"`
	Body              string         `json:"body"`
	VisibleToEmployee bool           `json:"visible_to_employee"`
	AuthorName        string         `json:"author_name"`
	CreatedAt         *time.Time     `json:"created_at"`
	Documents         []documentJSON `json:"documents"`
}

func toEntryJSON(e casework.Entry) entryJSON {
	j := entryJSON{ID: e.ID, Kind: e.Kind, KindLabel: casework.EntryKindLabel(e.Kind), OccurredOn: e.OccurredOn, Title: e.Title, Body: e.Body,
		VisibleToEmployee: e.VisibleToEmployee, AuthorName: e.AuthorName, CreatedAt: optTime(e.CreatedAt), Documents: []documentJSON{}}
	for _, d := range e.Documents {
		j.Documents = append(j.Documents, documentJSON{ID: d.ID, Filename: d.Filename, ContentType: d.ContentType, Size: d.Size,
			UploadedBy: d.UploadedBy, CreatedAt: optTime(d.CreatedAt)})
	}
	return j
}

// contactJSON is one logged wellbeing contact.
type contactJSON struct {
	ID          int64  `json:"id"`
	ContactedOn string `json:"contacted_on"`
	Method      string `json:"method"`
	Notes       string `json:"notes"`
	OHReferral  bool   `json:"oh_referral"`
	RecordedBy  string `json:"recorded_by"`
}

// wellbeingJSON is a named wellbeing contact with their log.
type wellbeingJSON struct {
	ID            int64         `json:"id"`
	PartyID       *int64        `json:"party_id"`
	ForName       string        `json:"for_name"`
	Contact       userRefJSON   `json:"contact"`
	FrequencyDays int           `json:"frequency_days"`
	StartedOn     string        `json:"started_on"`
	EndedOn       string        `json:"ended_on,omitempty"`
	LastContactOn string        `json:"last_contact_on,omitempty"`
	NextDueOn     string        `json:"next_due_on,omitempty"`
	Lapsed        bool          `json:"lapsed"`
	Contacts      []contactJSON `json:"contacts"`
}

func toWellbeingJSON(wb casework.Wellbeing) wellbeingJSON {
	j := wellbeingJSON{ID: wb.ID, PartyID: optID(wb.PartyID), ForName: wb.ForName, Contact: userRefJSON{UserID: wb.ContactUserID, Name: wb.ContactName},
		FrequencyDays: wb.FrequencyDays, StartedOn: wb.StartedOn, EndedOn: wb.EndedOn, LastContactOn: wb.LastContactOn, NextDueOn: wb.NextDueOn,
		Lapsed: wb.Lapsed, Contacts: []contactJSON{}}
	for _, c := range wb.Contacts {
		j.Contacts = append(j.Contacts, contactJSON{ID: c.ID, ContactedOn: c.ContactedOn, Method: c.Method, Notes: c.Notes, OHReferral: c.OHReferral, RecordedBy: c.RecordedBy})
	}
	return j
}

// alternativesJSON are the alternatives to suspension that were considered.
type alternativesJSON struct {
	Redeployment   string `json:"redeployment"`
	ModifiedDuties string `json:"modified_duties"`
	Supervision    string `json:"supervision"`
	Other          string `json:"other"`
}

// approvalJSON is one executive's decision.
type approvalJSON struct {
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name"`
	Decision  string     `json:"decision"`
	Reason    string     `json:"reason"`
	DecidedAt *time.Time `json:"decided_at"`
}

// reviewJSON is one review of an active suspension.
type reviewJSON struct {
	ID           int64  `json:"id"`
	HeldOn       string `json:"held_on"`
	Decision     string `json:"decision"`
	Notes        string `json:"notes"`
	NextReviewOn string `json:"next_review_on,omitempty"`
	ReviewedBy   string `json:"reviewed_by"`
}

// oversightJSON is the non-executive reviewer's note.
type oversightJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Comments   string     `json:"comments"`
	ReviewedAt *time.Time `json:"reviewed_at"`
}

// suspensionJSON is a suspension or exclusion with its decisions.
type suspensionJSON struct {
	ID            int64            `json:"id"`
	CaseID        int64            `json:"case_id"`
	CaseReference string           `json:"case_reference"`
	Kind          string           `json:"kind"`
	Reason        string           `json:"reason"`
	Alternatives  alternativesJSON `json:"alternatives"`
	Status        string           `json:"status"`
	StartsOn      string           `json:"starts_on"`
	ReviewOn      string           `json:"review_on"`
	EndedOn       string           `json:"ended_on,omitempty"`
	EndReason     string           `json:"end_reason,omitempty"`
	Days          int              `json:"days"`
	ReviewOverdue bool             `json:"review_overdue"`
	ProposedBy    string           `json:"proposed_by"`
	CreatedAt     *time.Time       `json:"created_at"`
	Approvals     []approvalJSON   `json:"approvals"`
	Reviews       []reviewJSON     `json:"reviews"`
	Oversight     []oversightJSON  `json:"oversight"`
}

func toSuspensionJSON(sp casework.Suspension) suspensionJSON {
	j := suspensionJSON{ID: sp.ID, CaseID: sp.CaseID, CaseReference: sp.CaseReference, Kind: sp.Kind, Reason: sp.Reason,
		Status: sp.Status, StartsOn: sp.StartsOn, ReviewOn: sp.ReviewOn, EndedOn: sp.EndedOn, EndReason: sp.EndReason, Days: sp.Days,
		ReviewOverdue: sp.ReviewOverdue, ProposedBy: sp.ProposedBy, CreatedAt: optTime(sp.CreatedAt),
		Approvals: []approvalJSON{}, Reviews: []reviewJSON{}, Oversight: []oversightJSON{}}
	j.Alternatives = alternativesJSON{Redeployment: sp.AltRedeployment, ModifiedDuties: sp.AltModifiedDuties, Supervision: sp.AltSupervision, Other: sp.AltOther}
	for _, a := range sp.Approvals {
		j.Approvals = append(j.Approvals, approvalJSON{UserID: a.UserID, Name: a.Name, Decision: a.Decision, Reason: a.Reason, DecidedAt: optTime(a.DecidedAt)})
	}
	for _, rv := range sp.Reviews {
		j.Reviews = append(j.Reviews, reviewJSON{ID: rv.ID, HeldOn: rv.HeldOn, Decision: rv.Decision, Notes: rv.Notes, NextReviewOn: rv.NextReviewOn, ReviewedBy: rv.ReviewedBy})
	}
	for _, o := range sp.Oversight {
		j.Oversight = append(j.Oversight, oversightJSON{ID: o.ID, Name: o.Name, Comments: o.Comments, ReviewedAt: optTime(o.ReviewedAt)})
	}
	return j
}

// learningLessonJSON is one anonymised lesson from a closed case.
type learningLessonJSON struct {
	ID          int64  `json:"id"`
	Type        string `json:"type"`
	Category    string `json:"category"`
	Lesson      string `json:"lesson"`
	ClosedMonth string `json:"closed_month"`
}

// flexText is a request value that may be sent as a JSON string or number
// (a report reference or its id, a party id, a number of days); it keeps
// the text as sent.
type flexText string

// UnmarshalJSON accepts a string, a number or null.
func (f *flexText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		// decode then answers "must be a string" naming the member.
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeOf("")}
	}
	*f = flexText(n.String())
	return nil
}

// caseFieldNames maps the domain's field names (the page's input ids) to
// the names of this API's request members where the two differ.
var caseFieldNames = map[string]string{
	"report":              "report_id",
	"rep":                 "representative",
	"alt_redeployment":    "alternatives.redeployment",
	"alt_modified_duties": "alternatives.modified_duties",
	"alt_supervision":     "alternatives.supervision",
	"alt_other":           "alternatives.other",
}

// caseFields renames field errors to this API's request members. A lesson
// on closing is learning-N-category on the page (N from 1) and
// learning[N-1].category here.
func caseFields(errs validate.Errors) validate.Errors {
	out := make(validate.Errors, len(errs))
	for i, fe := range errs {
		if name, ok := caseFieldNames[fe.Field]; ok {
			fe.Field = name
		} else if rest, ok := strings.CutPrefix(fe.Field, "learning-"); ok {
			num, member, _ := strings.Cut(rest, "-")
			if n, err := strconv.Atoi(num); err == nil && n > 0 && member != "" {
				fe.Field = "learning[" + strconv.Itoa(n-1) + "]." + member
			}
		}
		out[i] = fe
	}
	return out
}

// unmetProblem is the 409 answer to a move to formal with preconditions
// unmet: a problem document whose unmet member names every one.
type unmetProblem struct {
	Problem
	Unmet []preconditionJSON `json:"unmet"`
}

// preconditionsUnmetType is the problem type of a refused move to formal.
const preconditionsUnmetType = "https://candour.invalid/problems/preconditions-unmet"

func writeUnmet(w http.ResponseWriter, r *http.Request, ue *casework.UnmetError) {
	p := unmetProblem{Problem: Problem{Type: preconditionsUnmetType, Title: "The case cannot become formal yet", Status: http.StatusConflict,
		Instance: r.URL.Path, RequestID: httpx.RequestID(r.Context())}, Unmet: []preconditionJSON{}}
	labels := make([]string, 0, len(ue.Unmet))
	for _, pc := range ue.Unmet {
		p.Unmet = append(p.Unmet, toPreconditionJSON(pc))
		labels = append(labels, pc.Label)
	}
	p.Detail = "Still to do: " + strings.Join(labels, "; ") + ". Each is named and explained in unmet."
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusConflict)
	json.NewEncoder(w).Encode(p)
}

// caseError answers a casework error. what names the thing the request was
// about ("This case", "This suspension") for the 404.
func (s *Server) caseError(w http.ResponseWriter, r *http.Request, what string, err error) {
	if errs, ok := validate.As(err); ok {
		invalid(w, r, caseFields(errs))
		return
	}
	var ue *casework.UnmetError
	switch {
	case errors.As(err, &ue):
		writeUnmet(w, r, ue)
	case errors.Is(err, casework.ErrNotAllowed):
		notFound(w, r, what)
	case errors.Is(err, casework.ErrClosed):
		problem(w, r, http.StatusConflict, "Case closed", "This case is closed, so it cannot take this change.", nil)
	case errors.Is(err, casework.ErrNotFormal):
		problem(w, r, http.StatusConflict, "Case not formal yet", "This change needs a formal case. Move the case to formal first.", nil)
	case errors.Is(err, casework.ErrAlreadyFormal):
		problem(w, r, http.StatusConflict, "Case already formal", "This case is already formal.", nil)
	case errors.Is(err, casework.ErrSuspensionExists), errors.Is(err, casework.ErrNotWaiting), errors.Is(err, casework.ErrOwnSuspension),
		errors.Is(err, casework.ErrAlreadyDecided), errors.Is(err, casework.ErrNotActive):
		problem(w, r, http.StatusConflict, "Suspension cannot take this change", sentence(err.Error()), nil)
	case errors.Is(err, casework.ErrWellbeingEnded):
		problem(w, r, http.StatusConflict, "Wellbeing contact ended", sentence(err.Error()), nil)
	default:
		s.internal(w, r, err)
	}
}

// pathID reads a positive id path value.
func pathID(r *http.Request, name string) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n, err == nil && n > 0
}

// caseID reads the {id} of a case, answering 404 itself when it is not one.
func caseID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		notFound(w, r, "This case")
	}
	return id, ok
}

// sentence turns a domain error's message, written for people, into a
// sentence: capital first letter, full stop at the end.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
