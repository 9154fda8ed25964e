package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"candour/internal/authz"
	"candour/internal/learning"
)

// learningInput is one input of the record form.
type learningInput struct {
	// Kind is "textarea", "date" or "time".
	Kind, ID, Label, Hint, Value, Error, Rows string
	Day, Month, Year                          string
}

// learningRecordRow is one part of the record shown to read.
type learningRecordRow struct {
	Key        string
	Paragraphs []string
}

// learningEventView is an event the response covers.
type learningEventView struct {
	Reference, Href, When, Where, Type string
}

// learningEngagementView is one entry in the engagement log.
type learningEngagementView struct {
	Who, How, When, RecordedBy string
	Questions, Told            []string
}

// learningTimelineView is one change in the history.
type learningTimelineView struct {
	When, Actor, Action, Detail string
}

// learningShowView is the data of a response's page.
type learningShowView struct {
	R            learning.Response
	Method       string
	MethodLabel  string
	Status       string
	StatusTag    string
	Overdue      string
	Opened       string
	Target       string
	Alert        string
	SignedOffAt  string
	SignOffNote  []string
	CanChange    bool
	Closed       bool
	IsOwner      bool
	AwaitingSign bool
	JustCulture  string
	Events       []learningEventView
	Record       []learningRecordRow
	Inputs       []learningInput
	Participants []learning.Participant
	Engagements  []learningEngagementView
	Candour      *learning.DutyOfCandour
	CandourNotes []string
	Timeline     []learningTimelineView
	Groups       []orgChoice
	Contacts     []orgChoice
	YesNo        []orgChoice
	Statuses     []orgChoice
	// PromptsFor names the form whose blame prompts are shown.
	PromptsFor string
	Prompts    []learningPromptView
}

// asPrompts reports whether err is the domain asking to confirm blame
// prompts.
func asPrompts(err error, pe **learning.PromptsError) bool { return errors.As(err, pe) }

// learningFailed answers a domain error that is not about what was typed:
// a response the user may not see does not exist.
func (s *Server) learningFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, learning.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	s.serverError(w, r, err)
}

// learningShow shows a response.
func (s *Server) learningShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showLearning(w, r, http.StatusOK, id, nil, "", nil)
}

// showLearning renders a response's page. f holds what was typed into the
// form that was posted, if any; formName and prompts show that form's blame
// prompts. The domain audits the read.
func (s *Server) showLearning(w http.ResponseWriter, r *http.Request, status int, id int64, f *Form, formName string, prompts []learning.Prompt) {
	p := authz.PrincipalFrom(r.Context())
	resp, err := s.Learning.Get(r.Context(), p, id)
	if err != nil {
		s.learningFailed(w, r, err)
		return
	}
	// Saved values first, then what was typed on top.
	vals := learningSavedValues(resp)
	page := &Form{Values: vals}
	if f != nil {
		for k, v := range f.Values {
			vals[k] = v
		}
		page.Errors = f.Errors
	}
	v := learningViewOf(resp, page, p, s.Learning.Today())
	v.PromptsFor, v.Prompts = formName, learningPrompts(prompts)
	s.render(w, r, status, "learning_show", &Page{Title: resp.Title, Form: page, Data: v, BackLink: "/learning"})
}

// learningSavedValues are the forms' values from what is saved.
func learningSavedValues(resp learning.Response) url.Values {
	v := url.Values{}
	rec := resp.Record
	for k, s := range map[string]string{"expected": rec.Expected, "actual": rec.Actual, "difference": rec.Difference, "learning": rec.Learning,
		"findings": rec.Findings, "terms_of_reference": rec.TermsOfReference, "timescale_agreed": rec.TimescaleAgreed,
		"report": rec.Report, "analysis": rec.Analysis} {
		if s != "" {
			v.Set(k, s)
		}
	}
	for _, f := range learning.SEIPSFactors() {
		if s := rec.Factors.Get(f.Field); s != "" {
			v.Set(f.Field, s)
		}
	}
	v.Set("themes", strings.Join(rec.Themes, "\n"))
	v.Set("participants", learningParticipantsText(resp.Participants))
	if d, t, ok := strings.Cut(rec.HeldAt, "T"); ok {
		setLearningDate(v, "held_at", d)
		v.Set("held_at_time", t)
	}
	if resp.Method == learning.PSII {
		setLearningDate(v, "target_date", resp.TargetDate)
	}
	if c := resp.Candour; c != nil {
		v.Set("notifiable", learningYesNo(c.Notifiable))
		v.Set("apology_given", learningYesNo(c.ApologyGiven))
		setLearningDate(v, "notified_on", c.NotifiedOn)
		setLearningDate(v, "written_follow_up", c.WrittenFollowUp)
		v.Set("candour_notes", c.Notes)
	}
	v.Set("status", string(resp.Status))
	return v
}

func learningYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// learningViewOf builds a response page's data.
func learningViewOf(resp learning.Response, f *Form, p *authz.Principal, today string) learningShowView {
	v := learningShowView{R: resp, Method: string(resp.Method), MethodLabel: learning.MethodLabel(resp.Method),
		Status: learning.StatusLabel(resp.Status), StatusTag: learningStatusTag(resp.Status), Overdue: resp.Overdue(today),
		Opened: handlingWhen(resp.CreatedAt), CanChange: p.Has(authz.Safety), Closed: resp.Status == learning.Closed,
		IsOwner: p != nil && p.UserID == resp.OwnerUserID, AwaitingSign: resp.Status == learning.AwaitingSignOff,
		JustCulture: learning.JustCultureHref(resp.FirstReference()), Participants: resp.Participants, Candour: resp.Candour,
		SignedOffAt: handlingWhen(resp.SignedOffAt), SignOffNote: handlingParagraphs(resp.SignOffNote),
		Groups: learningOptions(learning.Relationships(), false), Contacts: learningOptions(learning.ContactMethods(), false),
		YesNo: []orgChoice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}}
	if resp.TargetDate != "" {
		v.Target = formatDate(resp.TargetDate)
	}
	if resp.AlertDate != "" {
		v.Alert = formatDate(resp.AlertDate)
	}
	for _, o := range learning.Statuses() {
		if o.Value != string(learning.Closed) {
			v.Statuses = append(v.Statuses, orgChoice{Value: o.Value, Label: o.Label})
		}
	}
	for _, e := range resp.Events {
		ev := learningEventView{Reference: e.Reference, Where: e.Department, Type: learningEventType(e.EventType)}
		if v.CanChange {
			ev.Href = learningReportHref(e.ID)
		}
		if e.OccurredOn != "" {
			ev.When = formatDate(e.OccurredOn)
			if e.OccurredTime != "" {
				ev.When += " at " + e.OccurredTime
			}
		}
		v.Events = append(v.Events, ev)
	}
	for _, e := range resp.Engagements {
		who := learning.GroupLabel(e.Group) + ": " + e.Name
		if e.Relationship != "" {
			who += " (" + e.Relationship + ")"
		}
		v.Engagements = append(v.Engagements, learningEngagementView{Who: who, How: learning.ContactLabel(e.How), When: formatDate(e.ContactedOn),
			RecordedBy: e.RecordedByName, Questions: handlingParagraphs(e.Questions), Told: handlingParagraphs(e.Told)})
	}
	if resp.Candour != nil {
		v.CandourNotes = handlingParagraphs(resp.Candour.Notes)
	}
	for _, t := range resp.Timeline {
		v.Timeline = append(v.Timeline, learningTimelineView{When: handlingWhen(t.At), Actor: t.Actor, Action: t.Action, Detail: t.Detail})
	}
	v.Record, v.Inputs = learningRecordParts(resp, f)
	return v
}

// learningReportHref is the handling page of a report.
func learningReportHref(id int64) string { return "/reports/" + idString(id) }

// learningEventType names an LFPSE event type.
func learningEventType(v string) string {
	switch v {
	case "incident":
		return "Patient safety incident"
	case "poor_outcome":
		return "Poor patient outcome"
	case "risk":
		return "Risk"
	case "good_care":
		return "Good care"
	}
	return v
}

// learningRecordParts lists the method's record to read and as inputs.
func learningRecordParts(resp learning.Response, f *Form) ([]learningRecordRow, []learningInput) {
	var rows []learningRecordRow
	var inputs []learningInput
	area := func(id, label, hint, saved, rowsN string) {
		rows = append(rows, learningRecordRow{Key: label, Paragraphs: handlingParagraphs(saved)})
		inputs = append(inputs, learningInput{Kind: "textarea", ID: id, Label: label, Hint: hint, Value: f.Get(id), Error: f.Err(id), Rows: rowsN})
	}
	date := func(id, label, hint string) {
		inputs = append(inputs, learningInput{Kind: "date", ID: id, Label: label, Hint: hint, Error: f.Err(id + "-day"),
			Day: f.Get(id + "-day"), Month: f.Get(id + "-month"), Year: f.Get(id + "-year")})
	}
	rec := resp.Record
	people := func(label, hint string) {
		inputs = append(inputs, learningInput{Kind: "textarea", ID: "participants", Label: label, Hint: hint + " One person a line: name, role, and the email address of anyone with a candour account, who can then read this response.",
			Value: f.Get("participants"), Error: f.Err("participants"), Rows: "4"})
	}
	switch resp.Method {
	case learning.AAR:
		area("expected", "What was expected to happen", "", rec.Expected, "4")
		area("actual", "What actually happened", "Describe events and conditions, not people's character.", rec.Actual, "5")
		area("difference", "Why there was a difference", "Look at the work system: the task, the tools, the environment, the organisation.", rec.Difference, "5")
		area("learning", "What we can learn", "", rec.Learning, "4")
		people("Who took part", "")
	case learning.SWARM:
		held := ""
		if d, t, ok := strings.Cut(rec.HeldAt, "T"); ok {
			held = formatDate(d) + " at " + t
			if rec.WithinHours != nil {
				held += " (" + learningHours(*rec.WithinHours) + " after the event)"
			}
		}
		rows = append(rows, learningRecordRow{Key: "When the huddle was held", Paragraphs: learningNonEmpty(held)})
		date("held_at", "When the huddle was held", "A SWARM huddle happens within hours of the event. For example, 9 4 2026")
		inputs = append(inputs, learningInput{Kind: "time", ID: "held_at_time", Label: "Time the huddle started", Hint: "Use the 24-hour clock, for example 14:30",
			Value: f.Get("held_at_time"), Error: f.Err("held_at_time")})
		people("Who attended", "")
		area("findings", "Immediate findings", "What the team found and what was done straight away.", rec.Findings, "6")
	case learning.PSII:
		area("terms_of_reference", "Terms of reference", "What the investigation will look at, and what it will not.", rec.TermsOfReference, "5")
		area("timescale_agreed", "Timescale agreed with those affected", "Who agreed it and when. The usual target is three months; no more than six.", rec.TimescaleAgreed, "3")
		date("target_date", "Target date", "Defaults to three months from opening; it cannot be after the six-month alert date.")
		for _, fa := range learning.SEIPSFactors() {
			area(fa.Field, fa.Label, fa.Hint, rec.Factors.Get(fa.Field), "4")
		}
		area("report", "Investigation report", "The findings in plain words, and the areas for improvement they point to.", rec.Report, "10")
		people("Investigation team and others involved", "")
	case learning.Thematic:
		area("themes", "Themes", "One theme a line, for example: alarm fatigue.", strings.Join(rec.Themes, "\n"), "4")
		area("analysis", "Analysis across the events", "What the events have in common and what the system makes likely.", rec.Analysis, "8")
		people("Who took part", "")
	case learning.MDT:
		people("Participants", "The disciplines involved: at least two.")
		area("findings", "Findings", "", rec.Findings, "8")
	}
	return rows, inputs
}

func learningNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func learningHours(h int) string {
	if h == 1 {
		return "1 hour"
	}
	return idString(int64(h)) + " hours"
}
