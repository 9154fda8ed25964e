package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// suspensionDecisionRow is one executive's decision as the page shows it.
type suspensionDecisionRow struct {
	Name, Decision, Reason, At string
	Approve                    bool
}

// suspensionReviewRow is one review as the page shows it.
type suspensionReviewRow struct {
	HeldOn, Decision, Notes, Next, By string
}

// suspensionView is the data of a suspension's page.
type suspensionView struct {
	S                       casework.Suspension
	Kind, KindWord          string
	Status, Colour          string
	CaseType                string
	Starts, ReviewBy, Ended string
	Proposed                string
	Decisions               []suspensionDecisionRow
	Reviews                 []suspensionReviewRow
	Approvals               int
	Active, Waiting         bool
	// What the viewer is and may do.
	Handler, Executive, Reviewer bool
	MayDecide, MayReview         bool
	DecideNote                   string
	DecisionChoices              []orgChoice
	ReviewChoices                []orgChoice
	ReviewDays                   int
	Today                        string
}

// suspensionShow shows a suspension to the HR handlers of its case and to
// executives: never the case's summary or timeline, which executives do
// not see.
func (s *Server) suspensionShow(w http.ResponseWriter, r *http.Request) {
	sp, ok := s.loadSuspension(w, r)
	if !ok {
		return
	}
	s.renderSuspension(w, r, http.StatusOK, sp, &Form{})
}

// loadSuspension reads the suspension named by {sid} (the read is
// audited), answering the request itself when ok is false.
func (s *Server) loadSuspension(w http.ResponseWriter, r *http.Request) (casework.Suspension, bool) {
	sid, ok := pathID(r, "sid")
	if !ok {
		s.notFound(w, r)
		return casework.Suspension{}, false
	}
	sp, err := s.Cases.Suspension(r.Context(), authz.PrincipalFrom(r.Context()), sid)
	if err != nil {
		s.caseFailed(w, r, err)
		return sp, false
	}
	return sp, true
}

func (s *Server) renderSuspension(w http.ResponseWriter, r *http.Request, status int, sp casework.Suspension, f *Form) {
	p := authz.PrincipalFrom(r.Context())
	v := suspensionView{S: sp, Kind: casework.SuspensionKindLabel(sp.Kind), KindWord: suspensionWord(sp.Kind),
		CaseType: casework.TypeLabel(sp.CaseType), Starts: formatDate(sp.StartsOn), ReviewBy: formatDate(sp.ReviewOn),
		Ended: formatDate(sp.EndedOn), Proposed: sp.ProposedBy + " on " + shortDate(sp.CreatedAt),
		Active: sp.Status == casework.SuspensionActive, Waiting: sp.Status == casework.SuspensionProposed,
		Executive: p.Has(authz.Exec), ReviewDays: s.suspensionReviewDays(), Today: s.cwsToday()}
	v.Status, v.Colour = suspensionStatusTag(sp.Status)
	if p.Has(authz.HR) {
		// Suspension lets HR read only suspensions on cases they handle,
		// unless they are also an executive: ask, to be sure.
		handler, err := s.Cases.CanManage(r.Context(), p, sp.CaseID)
		if err != nil && !errors.Is(err, casework.ErrNotAllowed) {
			s.caseFailed(w, r, err)
			return
		}
		v.Handler = handler
	}
	if v.Executive {
		v.Reviewer = s.cwsHolds(r, p, casework.NonExecReviewer)
	}
	for _, ap := range sp.Approvals {
		row := suspensionDecisionRow{Name: ap.Name, Reason: ap.Reason, At: shortDate(ap.DecidedAt), Approve: ap.Decision == casework.DecisionApprove}
		row.Decision = "Declined"
		if row.Approve {
			row.Decision = "Agreed"
			v.Approvals++
		}
		v.Decisions = append(v.Decisions, row)
	}
	for _, rv := range sp.Reviews {
		row := suspensionReviewRow{HeldOn: formatDate(rv.HeldOn), Notes: rv.Notes, Next: formatDate(rv.NextReviewOn), By: rv.ReviewedBy}
		row.Decision = "Continues"
		if rv.Decision == casework.ReviewEnd {
			row.Decision = "Ended"
		}
		v.Reviews = append(v.Reviews, row)
	}
	v.MayDecide = suspensionWaitsFor(sp, p, v.Reviewer)
	if v.Executive && v.Waiting && !v.MayDecide {
		switch {
		case v.Reviewer:
			v.DecideNote = "You review every " + v.KindWord + " as the non-executive reviewer, so two other executives decide on it."
		case sp.ProposedByID == p.UserID:
			v.DecideNote = "You proposed this " + v.KindWord + ", so two other executives must decide on it."
		case suspensionDecidedBy(sp, p):
			v.DecideNote = "You have decided on this " + v.KindWord + ". A different executive must give the second decision."
		}
	}
	v.MayReview = v.Handler && v.Active
	v.DecisionChoices = []orgChoice{
		{Value: casework.DecisionApprove, Label: "I agree to the " + v.KindWord, Hint: "It takes effect once two executives agree."},
		{Value: casework.DecisionDecline, Label: "I decline it", Hint: "It will not take effect. Say why, so that HR can consider the alternatives again."}}
	v.ReviewChoices = []orgChoice{
		{Value: casework.ReviewContinue, Label: "It continues", Hint: "Set the date of the next review below."},
		{Value: casework.ReviewEnd, Label: "It ends", Hint: "The person returns to work, or to an alternative, from the review date."}}
	s.render(w, r, status, "suspension", &Page{Title: v.Kind + ": " + sp.PersonName, Form: f, Data: v, BackLink: "/suspensions"})
}
