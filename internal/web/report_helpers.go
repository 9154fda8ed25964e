package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"candour/internal/attach"
	"candour/internal/authz"
	"candour/internal/httpx"
	"candour/internal/pii"
	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/validate"
)

// Shared helpers for the reporter's pages: the report forms, follow-up with
// an access code, "My reports" and notifications.

// reporterPeopleRows is how many "people involved" rows the event form has.
const reporterPeopleRows = 3

// Bounds on the text fields of an upload form: the longest narrative is
// 20,000 characters, at most 4 bytes each.
const (
	reporterMaxFieldBytes = 128 << 10
	reporterMaxTextBytes  = 1 << 20
	reporterMaxParts      = 200
)

// reporterForcedKey is a submission key the domain always refuses. A form
// the page itself found a problem with (a file too large, a privacy warning
// to confirm) is sent with it, so that the domain checks everything else
// and reports every problem at once, and cannot store the report.
const reporterForcedKey = "!"

// newSubmissionKey returns a random key that makes a double-submitted form
// idempotent: 24 random bytes, base64url.
func newSubmissionKey() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// readUploadForm reads a form that may carry files (multipart), bounded in
// total size and part by part, so that an oversized file leaves everything
// typed before it readable. problems are what the form itself found wrong
// with the files, on the field "attachments". A urlencoded form is read as
// any other.
func (s *Server) readUploadForm(w http.ResponseWriter, r *http.Request) (*Form, []report.Upload, validate.Errors, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		f, err := parseForm(w, r)
		return f, nil, nil, err
	}
	maxFile, maxFiles := s.Config.MaxUploadBytes, s.Config.MaxAttachments
	limit := maxFile*int64(maxFiles+1) + 1<<20
	if r.ContentLength <= limit {
		// Photos on a slow link need longer than the server's usual minute.
		httpx.TimeForBody(w, r)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	f := &Form{Values: url.Values{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return f, nil, nil, errBadForm
	}
	var files []report.Upload
	var problems validate.Errors
	tooLarge := func() {
		problems.Add("attachments", fmt.Sprintf("The files together are too large. Attach at most %d files of up to %s each", maxFiles, sizeText(maxFile)))
	}
	textBytes, parts, chosen := 0, 0, 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge()
			break
		}
		if err != nil {
			return f, files, problems, errBadForm
		}
		if parts++; parts > reporterMaxParts {
			return f, files, problems, errBadForm
		}
		name := part.FormName()
		if part.FileName() == "" {
			if name == "" || name == "attachments" {
				part.Close()
				continue
			}
			b, err := io.ReadAll(io.LimitReader(part, reporterMaxFieldBytes+1))
			part.Close()
			if errors.As(err, &mbe) {
				tooLarge()
				break
			}
			if err != nil || len(b) > reporterMaxFieldBytes {
				return f, files, problems, errBadForm
			}
			if textBytes += len(b); textBytes > reporterMaxTextBytes {
				return f, files, problems, errBadForm
			}
			f.Values.Add(name, string(b))
			continue
		}
		if name != "attachments" {
			part.Close()
			continue
		}
		chosen++
		shown := attach.CleanFilename(part.FileName())
		if shown == "" {
			shown = "A file"
		}
		if chosen > maxFiles {
			_, err := io.Copy(io.Discard, part)
			part.Close()
			if chosen == maxFiles+1 {
				problems.Add("attachments", fmt.Sprintf("Attach at most %d files", maxFiles))
			}
			if errors.As(err, &mbe) {
				tooLarge()
				break
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFile+1))
		if err == nil && int64(len(b)) > maxFile {
			_, err = io.Copy(io.Discard, part)
			problems.Add("attachments", fmt.Sprintf("%s is larger than the %s limit. Attach a smaller file, for example a photo taken at a lower resolution, or a document split into parts.", shown, sizeText(maxFile)))
			b = nil
		}
		part.Close()
		if errors.As(err, &mbe) {
			tooLarge()
			break
		}
		if err != nil {
			return f, files, problems, errBadForm
		}
		if b != nil {
			files = append(files, report.Upload{Filename: part.FileName(), Data: b})
		}
	}
	return f, files, problems, nil
}

// reportFieldOrder lists a report form's inputs in page order, for the
// error summary.
func reportFieldOrder(kind report.Kind) []string {
	if kind == report.Concern {
		return []string{"mode", "elements", "description", "desired_outcome", "raised_elsewhere", "department_id",
			"occurred_on-day", "occurred_on-month", "occurred_on-year", "occurred_time", "staff_group", "attachments", "submission_key"}
	}
	order := []string{"mode", "event_type", "occurred_on-day", "occurred_on-month", "occurred_on-year", "occurred_time", "department_id", "description",
		"physical_harm", "psychological_harm", "immediate_actions"}
	for i := 1; i <= reporterPeopleRows; i++ {
		order = append(order, fmt.Sprintf("people-%d-role", i), fmt.Sprintf("people-%d-description", i), fmt.Sprintf("people-%d-name", i))
	}
	return append(order, "attachments", "submission_key")
}

// formTime reads a time of day as people write it on the 24-hour clock:
// 14:30, 9:05, 14.30 or 1430 all mean what they say, and become HH:MM. Anything
// else is returned as typed (trimmed), for the domain to refuse by name.
func formTime(v string) string {
	v = strings.TrimSpace(v)
	var h, m string
	switch {
	case len(v) == 4 && !strings.ContainsAny(v, ":."):
		h, m = v[:2], v[2:]
	case len(v) == 4 || len(v) == 5:
		i := strings.IndexAny(v, ":.")
		if i < 1 || len(v)-i != 3 {
			return v
		}
		h, m = v[:i], v[i+1:]
	default:
		return v
	}
	for _, c := range h + m {
		if c < '0' || c > '9' {
			return v
		}
	}
	if len(h) == 1 {
		h = "0" + h
	}
	return h + ":" + m
}

// reportSubmission reads a report form into a submission. rows maps each
// person in the submission to the form row they came from; problems are
// what the form itself found wrong (a date that is not a date).
func reportSubmission(f *Form, kind report.Kind) (sub report.Submission, rows []int, problems validate.Errors) {
	sub = report.Submission{
		Kind:          kind,
		Mode:          report.Mode(f.Get("mode")),
		DepartmentID:  f.Int64("department_id"),
		OccurredTime:  formTime(f.Get("occurred_time")),
		Description:   f.Get("description"),
		SubmissionKey: f.Get("submission_key"),
	}
	date, problem, part := formDatePart(f, "occurred_on", "The date it happened")
	if problem != "" {
		// The part at fault is marked and linked to; a problem with the
		// date as a whole (the domain's too) stays on the day.
		problems.Add("occurred_on-"+part, problem)
		date = notADate
	}
	sub.OccurredOn = date
	switch kind {
	case report.SafetyEvent:
		sub.EventType = f.Get("event_type")
		sub.PhysicalHarm = f.Get("physical_harm")
		sub.PsychologicalHarm = f.Get("psychological_harm")
		sub.ImmediateActions = f.Get("immediate_actions")
		for i := 1; i <= reporterPeopleRows; i++ {
			p := report.Involved{
				Role:        f.Get(fmt.Sprintf("people-%d-role", i)),
				Description: f.Get(fmt.Sprintf("people-%d-description", i)),
				Name:        f.Get(fmt.Sprintf("people-%d-name", i)),
			}
			if strings.TrimSpace(p.Role+p.Description+p.Name) == "" {
				continue
			}
			sub.People = append(sub.People, p)
			rows = append(rows, i)
		}
	case report.Concern:
		sub.Elements = f.Values["elements"]
		sub.DesiredOutcome = f.Get("desired_outcome")
		sub.RaisedElsewhere = f.Get("raised_elsewhere")
		sub.StaffGroup = f.Get("staff_group")
	}
	return sub, rows, problems
}

// reportFormErrors merges the domain's errors with the form's own problems:
// people's fields renamed to their form rows, the form's message preferred
// for a field, the forced submission key dropped, in page order.
func reportFormErrors(kind report.Kind, errs, problems validate.Errors, rows []int, forced bool) validate.Errors {
	own := map[string]string{}
	for _, p := range problems {
		if p.Field != "attachments" {
			own[p.Field] = p.Message
		}
	}
	var out validate.Errors
	seen := map[string]bool{}
	add := func(field, msg string) {
		if !seen[field+"\x00"+msg] {
			seen[field+"\x00"+msg] = true
			out.Add(field, msg)
		}
	}
	for _, p := range problems {
		if p.Field == "attachments" {
			add(p.Field, p.Message)
		}
	}
	for _, e := range errs {
		field := e.Field
		if forced && field == "submission_key" {
			continue
		}
		var n int
		var rest string
		if _, err := fmt.Sscanf(field, "people-%d-%s", &n, &rest); err == nil && n >= 1 && n <= len(rows) {
			field = fmt.Sprintf("people-%d-%s", rows[n-1], rest)
		}
		if m, ok := own[field]; ok {
			add(field, m)
			continue
		}
		add(field, e.Message)
	}
	for _, p := range problems {
		add(p.Field, p.Message)
	}
	order := reportFieldOrder(kind)
	pos := func(field string) int {
		if i := slices.Index(order, field); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(out, func(a, b validate.FieldError) int { return pos(a.Field) - pos(b.Field) })
	return out
}

// privacyWarning scans what the reporter wrote for names, NHS numbers and
// contact details, and describes what it found.
func privacyWarning(sub report.Submission) string {
	var found []pii.Finding
	var where []string
	texts := []struct{ label, text string }{
		{map[bool]string{true: "what happened", false: "your concern"}[sub.Kind == report.SafetyEvent], sub.Description},
		{"what was done straight away", sub.ImmediateActions},
		{"what you would like to happen", sub.DesiredOutcome},
		{"where you have raised it before", sub.RaisedElsewhere},
	}
	// A person's description is kept as written, unlike the name box,
	// whose contents are sealed: a name typed there is the easiest to miss.
	for i, person := range sub.People {
		texts = append(texts, struct{ label, text string }{"how person " + strconv.Itoa(i+1) + " was involved", person.Description})
	}
	for _, t := range texts {
		if f := pii.Scan(t.text); len(f) > 0 {
			found = append(found, f...)
			where = append(where, t.label)
		}
	}
	if len(found) == 0 {
		return ""
	}
	return "In " + strings.Join(where, ", and in ") + ": " + pii.Describe(found)
}

// privacyError is the error summary's entry for a privacy warning: the
// report was not sent, and a screen reader must hear so first.
const privacyError = "Check what you wrote: it may say who someone is. Change it, or tick the box to send it as it is"

// fieldMessages joins every message for field, for an input that can have
// several problems (one per file).
func fieldMessages(errs validate.Errors, field string) string {
	var msgs []string
	for _, e := range errs {
		if e.Field == field {
			msgs = append(msgs, e.Message)
		}
	}
	return strings.Join(msgs, " ")
}

// clientHost is the caller's address, for rate-limiting access codes only:
// the report package hashes it and never stores it.
func clientHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// longDate formats a YYYY-MM-DD date as "9 March 2026"; "" stays "".
func longDate(d string) string {
	if d == "" {
		return ""
	}
	return formatDate(d)
}

// dayOf formats a time as the day only, in the organisation's time zone.
func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london()).Format("2 January 2006")
}

// paragraphs splits text into its non-blank lines, for showing what people
// wrote without losing their line breaks.
func paragraphs(s string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// statusColour is the tag colour for a report's status, the same for
// the reporter and the team handling it.
func statusColour(st report.Status) string {
	switch st {
	case report.New:
		return "blue"
	case report.Acknowledged:
		return "aqua-green"
	case report.InReview:
		return "purple"
	case report.LearningResponse:
		return "yellow"
	}
	return "grey"
}

// teamName is a team as the reporter reads it: the team that has the report
// now, which after it is passed on is not the one its kind first went to.
func teamName(t report.Team) string {
	if t == report.Guardians {
		return "the Freedom to Speak Up guardians"
	}
	return "the patient safety team"
}

// reporterFile is an attachment as the reporter sees it.
type reporterFile struct {
	ID   int64
	Name string
	Size string
	// Href downloads it (My reports); empty when it must be posted with a
	// follow-up token.
	Href string
}

// reporterMessage is one message in the reporter's thread.
type reporterMessage struct {
	FromReporter bool
	Who          string
	On           string
	Paragraphs   []string
	Files        []reporterFile
}

// reporterView is the reporter's view of their report, for both follow-up
// with an access code and My reports.
type reporterView struct {
	Reference                           string
	KindLabel, ModeLabel                string
	StatusLabel, StatusColour           string
	Team                                string
	Event                               bool
	EventType, PhysicalHarm, PsychHarm  string
	Elements                            []string
	Place                               string
	OccurredOn, OccurredTime            string
	Description, ImmediateActions       []string
	DesiredOutcome, RaisedElsewhere     []string
	ReceivedOn, AckDueOn, FeedbackDueOn string
	Acknowledged, Closed                bool
	AcknowledgedOn, ClosedOn            string
	Outcome                             []string
	Files                               []reporterFile
	Messages                            []reporterMessage
	CanGiveFeedback                     bool
	// Closing marks the closing the feedback form answers.
	Closing                 string
	SpeakUpAgain, Detriment string
	// TreatedWorse: the reporter told us they have suffered detriment
	// for speaking up.
	TreatedWorse bool
	// WithSafetyTeam: the patient safety team has the report now (the
	// reporter's own account, Event, may say it was a concern, or not).
	WithSafetyTeam bool
	// AckLate and FeedbackLate: the date has passed without it.
	AckLate, FeedbackLate bool
	// Redacted: the team has replaced words in what the reporter sees.
	Redacted                              bool
	SpeakUpAgainAnswers, DetrimentAnswers []report.Option
	// Token is the follow-up token the forms carry (access-code follow-up
	// only); Base is where the forms post.
	Token, Base              string
	Accept, Allowed, MaxSize string
	MaxFiles                 int
	AttachmentsError         string
	// FilesDropped: files were chosen with a message shown again.
	FilesDropped bool
	Anonymous    bool
}

// newReporterView builds the reporter's view. fileHref gives a download
// link for an attachment, or "" when downloads are posted with a token.
func (s *Server) newReporterView(rv report.ReporterView, token, base string, fileHref func(id int64) string) reporterView {
	files := func(as []report.Attachment) []reporterFile {
		var out []reporterFile
		for _, a := range as {
			out = append(out, reporterFile{ID: a.ID, Name: a.Filename, Size: sizeText(a.Size), Href: fileHref(a.ID)})
		}
		return out
	}
	v := reporterView{
		Reference: rv.Reference, KindLabel: report.KindLabel(rv.Kind), ModeLabel: report.ModeLabel(rv.Mode),
		StatusLabel: report.StatusLabel(rv.Status), StatusColour: statusColour(rv.Status), Team: teamName(rv.Team),
		Event: rv.Kind == report.SafetyEvent, WithSafetyTeam: rv.Team == report.SafetyTeam,
		OccurredOn: longDate(rv.OccurredOn), OccurredTime: rv.OccurredTime,
		Description: paragraphs(rv.Description), ImmediateActions: paragraphs(rv.ImmediateActions),
		DesiredOutcome: paragraphs(rv.DesiredOutcome), RaisedElsewhere: paragraphs(rv.RaisedElsewhere),
		ReceivedOn: longDate(rv.ReceivedOn), AckDueOn: longDate(rv.AckDueOn), FeedbackDueOn: longDate(rv.FeedbackDueOn),
		Acknowledged: !rv.AcknowledgedAt.IsZero(), AcknowledgedOn: dayOf(rv.AcknowledgedAt),
		Closed: rv.Status == report.Closed, ClosedOn: dayOf(rv.ClosedAt), Outcome: paragraphs(rv.OutcomeSummary),
		Files: files(rv.Attachments), CanGiveFeedback: rv.CanGiveFeedback, Closing: rv.Closing,
		SpeakUpAgainAnswers: report.SpeakUpAgainAnswers(), DetrimentAnswers: report.DetrimentAnswers(),
		Token: token, Base: base, Anonymous: rv.Mode == report.Anonymous,
		Accept: attach.Accept, Allowed: attach.Allowed, MaxSize: sizeText(s.Config.MaxUploadBytes), MaxFiles: s.Config.MaxAttachments,
	}
	if v.Event {
		v.EventType = report.EventTypeLabel(rv.EventType)
		v.PhysicalHarm = report.HarmLabel(rv.PhysicalHarm, false)
		v.PsychHarm = report.HarmLabel(rv.PsychHarm, true)
	}
	for _, e := range rv.Elements {
		v.Elements = append(v.Elements, report.ElementLabel(e))
	}
	if rv.DepartmentName != "" {
		v.Place = rv.DepartmentName
		if rv.SiteName != "" {
			v.Place += ", " + rv.SiteName
		}
	}
	if rv.SpeakUpAgain != "" {
		v.SpeakUpAgain = optionLabel(report.SpeakUpAgainAnswers(), rv.SpeakUpAgain)
		v.Detriment = optionLabel(report.DetrimentAnswers(), rv.Detriment)
		v.TreatedWorse = rv.Detriment == "yes"
	}
	if today := s.Now().In(london()).Format(store.DateLayout); !v.Closed {
		v.AckLate = !v.Acknowledged && rv.AckDueOn < today
		v.FeedbackLate = rv.FeedbackDueOn < today
	}
	v.Redacted = redacted(rv.Description) || redacted(rv.ImmediateActions) || redacted(rv.DesiredOutcome) || redacted(rv.RaisedElsewhere)
	for _, m := range rv.Messages {
		if m.Internal {
			continue
		}
		v.Redacted = v.Redacted || redacted(m.Body)
		who := "You"
		if !m.FromReporter {
			who = strings.ToUpper(v.Team[:1]) + v.Team[1:]
			if m.AuthorName != "" {
				who = m.AuthorName + ", for " + v.Team
			}
		}
		v.Messages = append(v.Messages, reporterMessage{FromReporter: m.FromReporter, Who: who, On: dayOf(m.CreatedAt),
			Paragraphs: paragraphs(m.Body), Files: files(m.Attachments)})
	}
	return v
}

func optionLabel(opts []report.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// reporterPrincipal is who to pass to the report package for a
// submission: nobody at all for an anonymous one.
func reporterPrincipal(ctx context.Context, mode report.Mode) *authz.Principal {
	if mode == report.Anonymous {
		return nil
	}
	return authz.PrincipalFrom(ctx)
}

// redacted reports whether a handler has redacted part of text.
func redacted(text string) bool { return strings.Contains(text, "[redacted]") }

// formSendKey is a message form's send key (the sendKey template function
// drew it), or none when it is not one: a hidden field nobody can correct
// is no reason to refuse a message, which is then just not checked for a
// repeat.
func formSendKey(f *Form) string {
	if k := f.Get("send_key"); report.ValidKey(k) {
		return k
	}
	return ""
}
