package api

import (
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/casework"
)

// suspensionRequest proposes a suspension or exclusion. The alternatives
// considered come first: the casework package refuses a proposal without
// them.
type suspensionRequest struct {
	Kind         string           `json:"kind"`
	Reason       string           `json:"reason"`
	Alternatives alternativesJSON `json:"alternatives"`
	StartsOn     string           `json:"starts_on"`
	ReviewOn     string           `json:"review_on"`
}

// approvalRequest is one executive's decision on a proposed suspension.
type approvalRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// reviewRequest records a review of an active suspension.
type reviewRequest struct {
	HeldOn       string `json:"held_on"`
	Decision     string `json:"decision"`
	Notes        string `json:"notes"`
	NextReviewOn string `json:"next_review_on"`
}

// oversightRequest is the non-executive reviewer's comments.
type oversightRequest struct {
	Comments string `json:"comments"`
}

// suspensionID reads {sid}, answering 404 itself when it is not an id.
func suspensionID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r, "sid")
	if !ok {
		notFound(w, r, "This suspension")
	}
	return id, ok
}

// suspensionPropose proposes a suspension or exclusion on a case; it stays
// proposed until two different executives approve it.
func (s *Server) suspensionPropose(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req suspensionRequest
	if !s.decode(w, r, &req) {
		return
	}
	a := req.Alternatives
	sp, err := s.Cases.ProposeSuspension(r.Context(), authz.PrincipalFrom(r.Context()), id, casework.SuspensionInput{Kind: req.Kind, Reason: req.Reason,
		AltRedeployment: a.Redeployment, AltModifiedDuties: a.ModifiedDuties, AltSupervision: a.Supervision, AltOther: a.Other,
		StartsOn: req.StartsOn, ReviewOn: req.ReviewOn})
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	w.Header().Set("Location", "/api/v1/suspensions/"+strconv.FormatInt(sp.ID, 10))
	writeJSON(w, http.StatusCreated, toSuspensionJSON(sp))
}

// suspensionsList lists the suspensions the caller may see: for an
// executive those waiting for them and those they decided, for the
// non-executive reviewer every one, for HR those on cases they handle.
func (s *Server) suspensionsList(w http.ResponseWriter, r *http.Request) {
	sps, err := s.Cases.Suspensions(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.caseError(w, r, "This list", err)
		return
	}
	out := List[suspensionJSON]{Items: []suspensionJSON{}}
	for _, sp := range sps {
		out.Items = append(out.Items, toSuspensionJSON(sp))
	}
	writeJSON(w, http.StatusOK, out)
}

// suspensionGet reads one suspension (audited); 404 for anyone who may not.
func (s *Server) suspensionGet(w http.ResponseWriter, r *http.Request) {
	sid, ok := suspensionID(w, r)
	if !ok {
		return
	}
	s.writeSuspension(w, r, sid)
}

func (s *Server) writeSuspension(w http.ResponseWriter, r *http.Request, sid int64) {
	sp, err := s.Cases.Suspension(r.Context(), authz.PrincipalFrom(r.Context()), sid)
	if err != nil {
		s.caseError(w, r, "This suspension", err)
		return
	}
	writeJSON(w, http.StatusOK, toSuspensionJSON(sp))
}

// suspensionDecide records an executive's approval or decline. The first
// approval leaves the suspension proposed; a second, by a different
// executive, makes it active.
func (s *Server) suspensionDecide(w http.ResponseWriter, r *http.Request) {
	sid, ok := suspensionID(w, r)
	if !ok {
		return
	}
	var req approvalRequest
	if !s.decode(w, r, &req) {
		return
	}
	sp, err := s.Cases.DecideSuspension(r.Context(), authz.PrincipalFrom(r.Context()), sid, req.Decision, req.Reason)
	if err != nil {
		s.caseError(w, r, "This suspension", err)
		return
	}
	writeJSON(w, http.StatusOK, toSuspensionJSON(sp))
}

// suspensionReview records a review: continue, with the next review date
// within the limit, or end.
func (s *Server) suspensionReview(w http.ResponseWriter, r *http.Request) {
	sid, ok := suspensionID(w, r)
	if !ok {
		return
	}
	var req reviewRequest
	if !s.decode(w, r, &req) {
		return
	}
	sp, err := s.Cases.ReviewSuspension(r.Context(), authz.PrincipalFrom(r.Context()), sid, casework.ReviewInput{HeldOn: req.HeldOn,
		Decision: req.Decision, Notes: req.Notes, NextReviewOn: req.NextReviewOn})
	if err != nil {
		s.caseError(w, r, "This suspension", err)
		return
	}
	writeJSON(w, http.StatusOK, toSuspensionJSON(sp))
}

// suspensionOversight records the nominated non-executive reviewer's review.
func (s *Server) suspensionOversight(w http.ResponseWriter, r *http.Request) {
	sid, ok := suspensionID(w, r)
	if !ok {
		return
	}
	var req oversightRequest
	if !s.decode(w, r, &req) {
		return
	}
	if err := s.Cases.RecordOversight(r.Context(), authz.PrincipalFrom(r.Context()), sid, req.Comments); err != nil {
		s.caseError(w, r, "This suspension", err)
		return
	}
	s.writeSuspension(w, r, sid)
}
