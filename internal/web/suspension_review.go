package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// suspensionReviewFields are the inputs of the review form; their ids start
// with "review-" so that they never clash with the decision form's.
var suspensionReviewFields = cwsFields{Prefix: "review-", Order: []string{"held_on", "decision", "next_review_on", "notes"},
	Dates: map[string]bool{"held_on": true, "next_review_on": true}, Fallback: "held_on-day"}

// suspensionReview records a review by the case's HR handler: the
// suspension continues to a next review no more than the limit away, or
// ends.
func (s *Server) suspensionReview(w http.ResponseWriter, r *http.Request) {
	sp, ok := s.loadSuspension(w, r)
	if !ok {
		return
	}
	fields := suspensionReviewFields
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("review-held_on-day", err.Error())
		s.renderSuspension(w, r, http.StatusBadRequest, sp, f)
		return
	}
	var pre validate.Errors
	in := casework.ReviewInput{HeldOn: fields.date(&pre, f, "held_on", "The date of the review"), Decision: f.Get("review-decision"),
		Notes: f.Get("review-notes")}
	if in.Decision == casework.ReviewContinue {
		in.NextReviewOn = fields.date(&pre, f, "next_review_on", "The date of the next review")
	}
	after, err := s.Cases.ReviewSuspension(r.Context(), authz.PrincipalFrom(r.Context()), sp.ID, in)
	if errs, ok := validate.As(err); ok {
		f.Errors = fields.errors(cwsMerge(errs, pre))
		s.renderSuspension(w, r, http.StatusUnprocessableEntity, sp, f)
		return
	}
	if msg, ok := cwsConflict(err); ok {
		if now, ok := s.loadSuspension(w, r); ok {
			s.renderSuspension(w, r, http.StatusConflict, now, &Form{Errors: validate.Errors{{Field: "review-heading", Message: msg}}})
		}
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	flash := "Review recorded. The next review is due by " + formatDate(after.ReviewOn)
	if after.Status == casework.SuspensionEnded {
		flash = "Review recorded. The " + suspensionWord(after.Kind) + " ended on " + formatDate(after.EndedOn)
	}
	s.redirect(w, r, suspensionHref(sp.ID), flash)
}
