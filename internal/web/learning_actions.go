package web

import (
	"context"
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/learning"
	"candour/internal/validate"
)

// learningRecordOrder is the record form's inputs in page order, for the
// error summary.
var learningRecordOrder = []string{"expected", "actual", "difference", "learning", "held_at", "held_at_time", "terms_of_reference",
	"timescale_agreed", "target_date", "person", "tasks", "tools_technology", "organisation", "internal_environment",
	"external_environment", "report", "themes", "analysis", "participants", "findings"}

// learningAction runs one of a response page's forms: it parses the form,
// calls do, and on success goes back to the response with a flash message.
// Blame prompts show the page again (200) with the prompts and a "save
// anyway" box; problems with what was typed show it with the error summary
// (422); a closed response refuses (409); a response the user may not see
// does not exist (404).
func (s *Server) learningAction(w http.ResponseWriter, r *http.Request, formName, first, anchor string, order []string,
	do func(ctx context.Context, p *authz.Principal, id int64, f *Form) (flash string, err error)) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add(first, err.Error())
		s.showLearning(w, r, http.StatusBadRequest, id, f, "", nil)
		return
	}
	flash, err := do(r.Context(), authz.PrincipalFrom(r.Context()), id, f)
	var pe *learning.PromptsError
	if errs, ok := validate.As(err); ok {
		f.Errors = learningSorted(learningErrors(errs), order)
		s.showLearning(w, r, http.StatusUnprocessableEntity, id, f, "", nil)
		return
	}
	switch {
	case asPrompts(err, &pe):
		s.showLearning(w, r, http.StatusOK, id, f, formName, pe.Prompts)
	case errors.Is(err, learning.ErrNotAllowed):
		s.notFound(w, r)
	case errors.Is(err, learning.ErrClosed):
		f.Errors = validate.Errors{{Field: first, Message: "This learning response is signed off and closed, so this cannot change"}}
		s.showLearning(w, r, http.StatusConflict, id, f, "", nil)
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.redirect(w, r, learningHref(id)+anchor, flash)
	}
}

// learningRecordSave saves the method's record.
func (s *Server) learningRecordSave(w http.ResponseWriter, r *http.Request) {
	s.learningAction(w, r, "record", "participants", "#record", learningRecordOrder,
		func(ctx context.Context, p *authz.Principal, id int64, f *Form) (string, error) {
			rec := learning.Record{Expected: f.Get("expected"), Actual: f.Get("actual"), Difference: f.Get("difference"), Learning: f.Get("learning"),
				HeldAt: learningHeldAt(f), Findings: f.Get("findings"), TermsOfReference: f.Get("terms_of_reference"),
				TimescaleAgreed: f.Get("timescale_agreed"), TargetDate: learningDate(f, "target_date"), Report: f.Get("report"),
				Themes: learningLines(f.Get("themes")), Analysis: f.Get("analysis"), Participants: learningParticipants(f.Get("participants"))}
			for _, fa := range learning.SEIPSFactors() {
				rec.Factors.Set(fa.Field, f.Get(fa.Field))
			}
			_, err := s.Learning.SaveRecord(ctx, p, id, learning.RecordInput{Record: rec, Confirmed: f.Get("record_confirm") == "yes"})
			return "The record has been saved", err
		})
}

// learningEngagementAdd adds to the engagement and involvement log.
func (s *Server) learningEngagementAdd(w http.ResponseWriter, r *http.Request) {
	s.learningAction(w, r, "engagement", "who", "#engagement", []string{"who", "name", "relationship", "contacted_on", "how", "questions", "told"},
		func(ctx context.Context, p *authz.Principal, id int64, f *Form) (string, error) {
			_, _, err := s.Learning.AddEngagement(ctx, p, id, learning.EngagementInput{Group: f.Get("who"), Name: f.Get("name"),
				Relationship: f.Get("relationship"), ContactedOn: learningDate(f, "contacted_on"), How: f.Get("how"),
				Questions: f.Get("questions"), Told: f.Get("told"), Confirmed: f.Get("engagement_confirm") == "yes"})
			return "The contact has been added to the engagement log", err
		})
}

// learningCandourSave records the duty of candour.
func (s *Server) learningCandourSave(w http.ResponseWriter, r *http.Request) {
	s.learningAction(w, r, "candour", "notifiable", "#candour", []string{"notifiable", "notified_on", "apology_given", "written_follow_up", "candour_notes"},
		func(ctx context.Context, p *authz.Principal, id int64, f *Form) (string, error) {
			in := learning.CandourInput{NotifiedOn: learningDate(f, "notified_on"), ApologyGiven: f.Get("apology_given") == "yes",
				WrittenFollowUp: learningDate(f, "written_follow_up"), Notes: f.Get("candour_notes")}
			switch f.Get("notifiable") {
			case "yes":
				t := true
				in.Notifiable = &t
			case "no":
				n := false
				in.Notifiable = &n
			}
			return "The duty of candour has been saved", s.Learning.SetDutyOfCandour(ctx, p, id, in)
		})
}

// learningStatusSave moves a response on.
func (s *Server) learningStatusSave(w http.ResponseWriter, r *http.Request) {
	s.learningAction(w, r, "status", "status", "", append([]string{"status"}, learningRecordOrder...),
		func(ctx context.Context, p *authz.Principal, id int64, f *Form) (string, error) {
			st := learning.Status(f.Get("status"))
			return "The status is now " + learning.StatusLabel(st), s.Learning.SetStatus(ctx, p, id, st)
		})
}

// learningSignOffSave signs a response off, which closes it.
func (s *Server) learningSignOffSave(w http.ResponseWriter, r *http.Request) {
	s.learningAction(w, r, "signoff", "note", "", []string{"note"},
		func(ctx context.Context, p *authz.Principal, id int64, f *Form) (string, error) {
			_, err := s.Learning.SignOff(ctx, p, id, f.Get("note"), f.Get("signoff_confirm") == "yes")
			return "The learning response has been signed off and closed", err
		})
}
