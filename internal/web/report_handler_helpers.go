package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// This file holds what the handling pages share: the patient safety team's
// and the guardians' queue and report view. Reporter-facing pages live
// elsewhere and share nothing here, so that nothing meant for handlers can
// leak into a page a reporter sees.

// handlingOption is one choice in a select box.
type handlingOption struct {
	Value, Label, Hint string
}

// handlingFile is an attachment as the report view links to it.
type handlingFile struct {
	Href, Name, Size string
}

// handlingMessage is one entry in a report's conversation.
type handlingMessage struct {
	ID int64
	// Kind is "from" (the reporter), "to" (the reporter) or "note".
	Kind        string
	Author      string
	When        string
	Paragraphs  []string
	Attachments []handlingFile
}

// handlingLink is a related report, linked when it can be found.
type handlingLink struct {
	Reference, Href string
}

// handlingPerson is someone involved in an event.
type handlingPerson struct {
	Role, Description, Name string
}

// handlingView is the data of the report view.
type handlingView struct {
	R report.Report
	// ExampleReference is how the hints write a reference: one of this
	// team's kind, SE- for the safety team and SU- for the guardians.
	ExampleReference string
	Kind             string
	Mode             string
	Status           string
	StatusTag        string
	Team             string
	OtherTeam        string
	Open             bool
	Safety           bool
	EventType        string
	Physical         string
	Psych            string
	Elements         []string
	// ReporterGrading is what the reporter said the report was, when the
	// team has since graded it again or passed it on ("" otherwise).
	ReporterGrading string
	// ReporterGradingUnknown: the team changed the grading before candour
	// kept the reporter's own, so what they said is not known.
	ReporterGradingUnknown bool
	// Unclassified: the report lacks its kind's classification (it came
	// from the other team); ClassOptions and Class* fill the form to set it.
	Unclassified                              bool
	ClassOptions                              classOptions
	ClassEventType, ClassPhysical, ClassPsych string
	ClassElements                             map[string]bool
	Where                                     string
	Occurred                                  string
	Description                               []string
	Actions                                   []string
	Desired                                   []string
	Elsewhere                                 []string
	People                                    []handlingPerson
	Overdue                                   string
	Messages                                  []handlingMessage
	Files                                     []handlingFile
	Related                                   []handlingLink
	Duplicate                                 handlingLink
	Outcome                                   []string
	SpeakUp                                   string
	Detriment                                 string
	// FeedbackOn is the day the reporter answered the latest closing: the
	// day only, as an anonymous reporter's answer keeps no time.
	FeedbackOn string
	// EarlierFeedback is what the reporter answered after earlier
	// closings of a report since reopened, oldest first.
	EarlierFeedback []handlingFeedback
	// AssignedToMe is true when the viewer is the assigned handler.
	AssignedToMe bool
	// CanReveal is true when the viewer may ask to see a confidential
	// reporter's identity and has not just done so.
	CanReveal bool
	// Identity is set only on the page that answers a reveal.
	Identity *report.Identity

	Assignees        []handlingOption
	AssigneeSelected string
	Statuses         []handlingOption
	StatusSelected   string
	RedactTargets    []handlingOption
	MaxFiles         int
	MaxFileSize      string
}

// teamLabel names a handling team.
func handlingTeamLabel(t report.Team) string {
	if t == report.Guardians {
		return "Freedom to Speak Up guardians"
	}
	return "Patient safety team"
}

// paragraphs splits text typed in a textarea into paragraphs, so that line
// breaks survive without raw HTML.
func handlingParagraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// elementLabels names a concern's elements.
func handlingElementLabels(els []string) []string {
	out := make([]string, len(els))
	for i, e := range els {
		out[i] = report.ElementLabel(e)
	}
	return out
}

// placeText is "Ward 7, Northfield General Hospital".
func handlingPlace(dept, site string) string {
	switch {
	case dept == "":
		return ""
	case site == "":
		return dept
	}
	return dept + ", " + site
}

// whenText is "1 March 2026" or "1 March 2026 at 14:30".
func handlingWhen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london()).Format("2 January 2006 at 15:04")
}

// handlingFeedback is one earlier answer to the feedback questions. Only
// the day is shown: an anonymous reporter's answer keeps no time.
type handlingFeedback struct{ On, SpeakUp, Detriment string }

// personRoleLabel names how someone was involved.
func handlingRoleLabel(v string) string {
	for _, o := range report.PersonRoles() {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func handlingAnswer(opts []report.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// showReport renders the report view: status 200 for a plain view, or the
// status of a form that could not be saved with f holding what was typed.
// The domain audits the read. A report the viewer may not see is a page
// that does not exist.
func (s *Server) showHandlingReport(w http.ResponseWriter, r *http.Request, status int, id int64, f *Form, identity *report.Identity, flash string) {
	p := authz.PrincipalFrom(r.Context())
	rep, err := s.Reports.Get(r.Context(), p, id)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v, err := s.handlingViewOf(r.Context(), p, rep, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Identity = identity
	v.CanReveal = v.CanReveal && identity == nil
	if f == nil {
		f = &Form{}
	}
	s.render(w, r, status, "report_view", &Page{Title: "Report " + rep.Reference, Form: f, Data: v, BackLink: "/reports", Flash: flash})
}

// classOptions are the choices of the classification form.
type classOptions struct {
	EventTypes, Physical, Psych, Elements []report.Option
}

// handlingViewOf builds the report view's data.
func (s *Server) handlingViewOf(ctx context.Context, p *authz.Principal, rep report.Report, f *Form) (handlingView, error) {
	v := handlingView{
		R:                rep,
		ExampleReference: "SU-000123-4",
		Kind:             report.KindLabel(rep.Kind),
		Mode:             report.ModeLabel(rep.Mode),
		Status:           report.StatusLabel(rep.Status),
		StatusTag:        statusColour(rep.Status),
		Team:             handlingTeamLower(rep.Team),
		Open:             rep.IsOpen(),
		Safety:           rep.Kind == report.SafetyEvent,
		Where:            handlingPlace(rep.DepartmentName, rep.SiteName),
		Description:      handlingParagraphs(rep.Description),
		Actions:          handlingParagraphs(rep.ImmediateActions),
		Desired:          handlingParagraphs(rep.DesiredOutcome),
		Elsewhere:        handlingParagraphs(rep.RaisedElsewhere),
		Outcome:          handlingParagraphs(rep.OutcomeSummary),
		MaxFiles:         s.Config.MaxAttachments,
		MaxFileSize:      sizeText(s.Config.MaxUploadBytes),
	}
	v.OtherTeam = handlingTeamLower(report.SafetyTeam)
	if rep.Team == report.SafetyTeam {
		v.OtherTeam = handlingTeamLower(report.Guardians)
		v.ExampleReference = "SE-004512-5"
	}
	if v.Safety {
		v.EventType = report.EventTypeLabel(rep.EventType)
		if rep.PhysicalHarm != "" {
			v.Physical = report.HarmLabel(rep.PhysicalHarm, false)
		}
		if rep.PsychHarm != "" {
			v.Psych = report.HarmLabel(rep.PsychHarm, true)
		}
	}
	v.Elements = handlingElementLabels(rep.Elements)
	if g := rep.ReporterGrading; g != nil {
		v.ReporterGrading = g.Describe()
	}
	v.ReporterGradingUnknown = rep.ReporterGradingUnknown
	v.Unclassified = rep.Unclassified()
	v.ClassOptions = classOptions{EventTypes: report.EventTypes(), Physical: report.PhysicalHarms(), Psych: report.PsychologicalHarms(), Elements: report.Elements()}
	v.ClassEventType, v.ClassPhysical, v.ClassPsych = rep.EventType, rep.PhysicalHarm, rep.PsychHarm
	v.ClassElements = map[string]bool{}
	for _, e := range rep.Elements {
		v.ClassElements[e] = true
	}
	if f != nil && (f.Errors.Has("class_event_type") || f.Errors.Has("class_physical_harm") || f.Errors.Has("class_psychological_harm") || f.Errors.Has("class_elements")) {
		// Show what was chosen, not what is stored, after a refusal.
		v.ClassEventType, v.ClassPhysical, v.ClassPsych = f.Get("class_event_type"), f.Get("class_physical_harm"), f.Get("class_psychological_harm")
		v.ClassElements = f.Checked("class_elements")
	}
	if rep.OccurredOn != "" {
		v.Occurred = formatDate(rep.OccurredOn)
		if rep.OccurredTime != "" {
			v.Occurred += " at " + rep.OccurredTime
		}
	}
	for _, in := range rep.People {
		v.People = append(v.People, handlingPerson{Role: handlingRoleLabel(in.Role), Description: in.Description, Name: in.Name})
	}
	sm := report.Summary{Status: rep.Status, Acknowledged: !rep.AcknowledgedAt.IsZero(), AckDueOn: rep.AckDueOn, FeedbackDueOn: rep.FeedbackDueOn}
	v.Overdue = sm.Overdue(s.Reports.Today())
	if rep.SpeakUpAgain != "" {
		v.SpeakUp = handlingAnswer(report.SpeakUpAgainAnswers(), rep.SpeakUpAgain)
	}
	if rep.Detriment != "" {
		v.Detriment = handlingAnswer(report.DetrimentAnswers(), rep.Detriment)
	}
	v.FeedbackOn = dayOf(rep.FeedbackAt)
	for _, a := range rep.EarlierFeedback {
		v.EarlierFeedback = append(v.EarlierFeedback, handlingFeedback{
			On:      dayOf(a.GivenAt),
			SpeakUp: handlingAnswer(report.SpeakUpAgainAnswers(), a.SpeakUpAgain), Detriment: handlingAnswer(report.DetrimentAnswers(), a.Detriment)})
	}
	fileOf := func(a report.Attachment) handlingFile {
		return handlingFile{Href: fmt.Sprintf("/reports/%d/attachments/%d", rep.ID, a.ID), Name: a.Filename, Size: sizeText(a.Size)}
	}
	for _, a := range rep.Attachments {
		v.Files = append(v.Files, fileOf(a))
	}
	for _, field := range report.RedactableFields() {
		if field == "description" || rep.Text(field) != "" {
			v.RedactTargets = append(v.RedactTargets, handlingOption{Value: field, Label: report.FieldLabel(rep.Kind, field)})
		}
	}
	for _, m := range rep.Messages {
		hm := handlingMessage{ID: m.ID, Author: m.AuthorName, When: handlingWhen(m.CreatedAt), Paragraphs: handlingParagraphs(m.Body)}
		if m.FromReporter && rep.Mode != report.Open {
			// Only its day is kept (reporterTime): shown "at 00:00" it would
			// claim a time, and a misleading one.
			hm.When = dayOf(m.CreatedAt)
		}
		label := "Message to the person who raised this"
		switch {
		case m.FromReporter:
			hm.Kind, label = "from", "Message from the person who raised this"
		case m.Internal:
			hm.Kind, label = "note", "Internal note"
		default:
			hm.Kind = "to"
		}
		if m.AuthorName != "" && !m.FromReporter {
			label += " by " + m.AuthorName
		}
		for _, a := range m.Attachments {
			hm.Attachments = append(hm.Attachments, fileOf(a))
		}
		v.Messages = append(v.Messages, hm)
		v.RedactTargets = append(v.RedactTargets, handlingOption{Value: fmt.Sprintf("message:%d", m.ID), Label: label + ", " + hm.When})
	}
	links, err := s.handlingHrefs(ctx, append(append([]string(nil), rep.Related...), rep.DuplicateOf))
	if err != nil {
		return v, err
	}
	for _, ref := range rep.Related {
		v.Related = append(v.Related, handlingLink{Reference: ref, Href: links[ref]})
	}
	if rep.DuplicateOf != "" {
		v.Duplicate = handlingLink{Reference: rep.DuplicateOf, Href: links[rep.DuplicateOf]}
	}
	v.AssignedToMe = p != nil && rep.AssignedUserID != 0 && rep.AssignedUserID == p.UserID
	v.CanReveal = v.AssignedToMe && rep.Mode == report.Confidential

	hs, err := s.Reports.Handlers(ctx, rep.Team)
	if err != nil {
		return v, err
	}
	for _, h := range hs {
		label := h.Name
		if p != nil && h.ID == p.UserID {
			label += " (you)"
		}
		v.Assignees = append(v.Assignees, handlingOption{Value: idString(h.ID), Label: label})
	}
	v.AssigneeSelected = f.Get("assignee")
	if v.AssigneeSelected == "" && rep.AssignedUserID != 0 {
		v.AssigneeSelected = idString(rep.AssignedUserID)
	}
	for _, o := range report.Statuses() {
		if o.Value != string(report.Closed) && (o.Value != string(report.New) || rep.AcknowledgedAt.IsZero()) {
			v.Statuses = append(v.Statuses, handlingOption{Value: o.Value, Label: o.Label})
		}
	}
	v.StatusSelected = f.Get("status")
	if v.StatusSelected == "" {
		v.StatusSelected = string(rep.Status)
	}
	return v, nil
}

// reportHrefs finds the pages of reports named by reference, for links
// between related reports. It reveals only the id of a reference the
// viewer has already been shown; the linked page checks access itself.
func (s *Server) handlingHrefs(ctx context.Context, refs []string) (map[string]string, error) {
	out := map[string]string{}
	var args []any
	for _, ref := range refs {
		if ref != "" {
			args = append(args, ref)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, reference FROM reports WHERE reference IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("find related reports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, fmt.Errorf("find related reports: %w", err)
		}
		out[ref] = "/reports/" + idString(id)
	}
	return out, rows.Err()
}

// handlingForm describes one of the report view's forms: the domain's field
// names mapped to the form's input names, which are unique on the page so
// that the error summary links to the right input and what was typed in one
// form never appears in another.
type handlingForm struct {
	// fields maps a domain field name to the input's name and id.
	fields map[string]string
	// first is the input that problems without a known field point to.
	first string
	// files is the name of the file input, for forms that take files.
	files string
}

// input returns the input a domain field's problem belongs to.
func (hf handlingForm) input(field string) string {
	if in, ok := hf.fields[field]; ok {
		return in
	}
	return hf.first
}

// errors maps domain field errors onto the form's inputs.
func (hf handlingForm) errors(errs validate.Errors) validate.Errors {
	out := make(validate.Errors, len(errs))
	for i, e := range errs {
		out[i] = validate.FieldError{Field: hf.input(e.Field), Message: e.Message}
	}
	return out
}

// handlingFiles are files uploaded with a message or note.
type handlingFiles []report.Upload

// parseHandlingForm reads one of the report view's forms: urlencoded, or
// multipart when the form takes files. A problem reading it is reported
// against the form's first input, with the status to answer with.
func (s *Server) parseHandlingForm(w http.ResponseWriter, r *http.Request, hf handlingForm) (*Form, handlingFiles, int, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if hf.files == "" || ct != "multipart/form-data" {
		f, err := parseForm(w, r)
		if err != nil {
			f.Errors.Add(hf.first, err.Error())
			return f, nil, http.StatusBadRequest, err
		}
		return f, nil, 0, nil
	}
	n := int64(s.Config.MaxAttachments)
	if n < 1 {
		n = 1
	}
	r.Body = http.MaxBytesReader(w, r.Body, n*s.Config.MaxUploadBytes+maxFormBytes)
	f := &Form{Values: url.Values{}}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			f.Errors.Add(hf.files, fmt.Sprintf("The files must be smaller than %s each, and at most %d", sizeText(s.Config.MaxUploadBytes), n))
			return f, nil, http.StatusRequestEntityTooLarge, err
		}
		f.Errors.Add(hf.first, errBadForm.Error())
		return f, nil, http.StatusBadRequest, err
	}
	defer r.MultipartForm.RemoveAll()
	f.Values = url.Values(r.MultipartForm.Value)
	var files handlingFiles
	for _, fh := range r.MultipartForm.File[hf.files] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the empty part a browser sends when no file was chosen
		}
		file, err := fh.Open()
		if err != nil {
			f.Errors.Add(hf.files, "A file could not be uploaded. Choose it again and try once more")
			return f, nil, http.StatusBadRequest, err
		}
		// One byte over the limit is enough for the domain to say it is too large.
		data, err := io.ReadAll(io.LimitReader(file, s.Config.MaxUploadBytes+1))
		file.Close()
		if err != nil {
			f.Errors.Add(hf.files, "A file could not be uploaded. Choose it again and try once more")
			return f, nil, http.StatusBadRequest, err
		}
		files = append(files, report.Upload{Filename: fh.Filename, Data: data})
	}
	return f, files, 0, nil
}

// reportAction runs one of the report view's forms: it parses the form,
// calls do, and on success goes back to the report with a flash message. A
// problem with what was typed shows the report again with the error summary
// (422); a closed report that cannot take the change shows it with the
// reason (409); a report the user may not handle does not exist (404).
func (s *Server) handlingAction(w http.ResponseWriter, r *http.Request, hf handlingForm,
	do func(ctx context.Context, p *authz.Principal, id int64, f *Form, files handlingFiles) (flash, to string, err error)) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f, files, status, err := s.parseHandlingForm(w, r, hf)
	if err != nil {
		s.showHandlingReport(w, r, status, id, f, nil, "")
		return
	}
	flash, to, err := do(r.Context(), authz.PrincipalFrom(r.Context()), id, f, files)
	if errs, ok := validate.As(err); ok {
		f.Errors = hf.errors(errs)
		s.showHandlingReport(w, r, http.StatusUnprocessableEntity, id, f, nil, "")
		return
	}
	switch {
	case errors.Is(err, report.ErrNotAllowed):
		s.notFound(w, r)
	case errors.Is(err, report.ErrClosed):
		f.Errors.Add(hf.first, "This report is closed, so this cannot be done")
		s.showHandlingReport(w, r, http.StatusConflict, id, f, nil, "")
	case errors.Is(err, report.ErrNotClosed), errors.Is(err, report.ErrDuplicate):
		msg := "This report is open already"
		if errors.Is(err, report.ErrDuplicate) {
			msg = "This report was closed as a duplicate. Reopen the report it duplicates instead"
		}
		f.Errors.Add(hf.first, msg)
		s.showHandlingReport(w, r, http.StatusConflict, id, f, nil, "")
	case err != nil:
		s.serverError(w, r, err)
	default:
		if to == "" {
			to = "/reports/" + idString(id)
		}
		s.redirect(w, r, to, flash)
	}
}
