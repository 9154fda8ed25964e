package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// reportEventSubmit receives a patient safety event.
func (s *Server) reportEventSubmit(w http.ResponseWriter, r *http.Request) {
	s.submitReport(w, r, report.SafetyEvent)
}

// reportReceivedView is the data of the page that confirms a report.
type reportReceivedView struct {
	Reference string
	// AccessCode is shown this once and never stored.
	AccessCode  string
	Anonymous   bool
	Repeat      bool
	Team        string
	AckDue      string
	FeedbackDue string
	// MyReport links to the report under My reports (signed-in reporters).
	MyReport string
	// Emailing: a confirmation email is in the outbox and email is on.
	Emailing bool
	// FileNotes: files that were not what their names said.
	FileNotes []string
	// Confidential: the email names no report (report.thankYou).
	Confidential bool
	// GoodCare: nothing went wrong, so there is no "what was found".
	GoodCare bool
}

// submitReport reads a report form and sends it. It shows the form again,
// with everything typed, for any problem or privacy warning; otherwise it
// shows the confirmation directly (not a redirect): an anonymous reporter's
// access code is in that page and nowhere else.
//
// For an anonymous report nothing about the client reaches the report
// package: no principal, no address, no user agent, no cookie; and no
// cookie is set.
func (s *Server) submitReport(w http.ResponseWriter, r *http.Request, kind report.Kind) {
	f, uploads, problems, err := s.readUploadForm(w, r)
	if err != nil {
		f.Errors = validate.Errors{{Field: "description", Message: err.Error()}}
		s.renderReportForm(w, r, http.StatusBadRequest, kind, f, reportFormExtras{})
		return
	}
	sub, rows, own := reportSubmission(f, kind)
	if authz.PrincipalFrom(r.Context()) == nil && (sub.Mode == report.Open || sub.Mode == report.Confidential) {
		s.reportSignIn(w, r, kind, f, sub.Mode, len(uploads) > 0)
		return
	}
	problems = append(problems, own...)
	sub.Attachments = uploads
	p := reporterPrincipal(r.Context(), sub.Mode)

	privacy := ""
	if f.Get("confirm_privacy") != "yes" {
		privacy = privacyWarning(sub)
	}
	forced := len(problems) > 0 || privacy != ""
	if forced {
		// The domain checks everything else and, refusing this key,
		// cannot store the report.
		sub.SubmissionKey = reporterForcedKey
	}
	rec, err := s.Reports.Submit(r.Context(), sub, p)
	errs, invalid := validate.As(err)
	if err != nil && !invalid {
		s.serverError(w, r, err)
		return
	}
	if invalid {
		// Files are never kept with a form shown again. When nothing is
		// wrong with them, the summary says so (at the foot of a long form
		// the hint was missed, and the report went without the photo); when
		// something is, the hint adds it to that error.
		f.FilesDropped = problems.Has("attachments") || errs.Has("attachments")
		if len(uploads) > 0 && !f.FilesDropped {
			problems.Add("attachments", "Choose your files again: for your safety, files are not kept until the report is sent")
		}
		f.Errors = reportFormErrors(kind, errs, problems, rows, forced)
		if privacy != "" {
			f.Errors = append(validate.Errors{{Field: "confirm_privacy", Message: privacyError}}, f.Errors...)
		}
		s.renderReportForm(w, r, http.StatusUnprocessableEntity, kind, f, reportFormExtras{privacy: privacy})
		return
	}
	// Stored. (A forced key is always refused, so a form with problems
	// never gets here; were it to, the reporter must still see the code.)
	v := reportReceivedView{
		Reference:    rec.Reference,
		AccessCode:   rec.AccessCode,
		Anonymous:    sub.Mode == report.Anonymous,
		Repeat:       rec.Repeat,
		Team:         teamName(report.TeamFor(kind)),
		AckDue:       longDate(rec.AckDueOn),
		FeedbackDue:  longDate(rec.FeedbackDueOn),
		Confidential: sub.Mode == report.Confidential,
		GoodCare:     sub.EventType == "good_care",
		FileNotes:    rec.FileNotes,
	}
	if p != nil && sub.Mode != report.Anonymous {
		v.MyReport = "/my-reports/" + idString(rec.ID)
		// With email off the confirmation waits in the outbox, perhaps
		// for ever: the page promises only what will be sent.
		v.Emailing = p.Email != "" && !rec.Repeat && s.Config != nil && s.Config.SMTPHost != ""
	}
	title := "Thank you for speaking up"
	if rec.Repeat {
		title = "We already have this report"
	}
	s.render(w, r, http.StatusOK, "report_received", &Page{Title: title, Data: v})
}
