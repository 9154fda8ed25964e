package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseSuspensionView is the data of the form that proposes a suspension or
// exclusion.
type caseSuspensionView struct {
	Case       casework.Case
	Kinds      []orgChoice
	ReviewDays int
	Today      string
	// Existing is the suspension already proposed or in place, if any: a
	// case has one at a time.
	Existing *casework.Suspension
	Closed   bool
}

// caseSuspensionNew shows the form that proposes a suspension or exclusion,
// with the alternatives that must be weighed first.
func (s *Server) caseSuspensionNew(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadSuspensionCase(w, r)
	if !ok {
		return
	}
	s.renderCaseSuspensionNew(w, r, http.StatusOK, c, &Form{})
}

// loadSuspensionCase reads the case named by {id} for one of its HR
// handlers, answering the request itself when ok is false: anyone else is
// told the page does not exist.
func (s *Server) loadSuspensionCase(w http.ResponseWriter, r *http.Request) (casework.Case, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return casework.Case{}, false
	}
	p := authz.PrincipalFrom(r.Context())
	handler, err := s.Cases.CanManage(r.Context(), p, id)
	if err != nil {
		s.caseFailed(w, r, err)
		return casework.Case{}, false
	}
	if !handler {
		s.notFound(w, r)
		return casework.Case{}, false
	}
	c, err := s.Cases.Get(r.Context(), p, id)
	if err != nil {
		s.caseFailed(w, r, err)
		return c, false
	}
	return c, true
}

// suspensionReviewDays is the furthest a review may be set ahead.
func (s *Server) suspensionReviewDays() int {
	if s.Cases.SuspensionReviewDays > 0 {
		return s.Cases.SuspensionReviewDays
	}
	return casework.DefaultSuspensionReviewDays
}

func (s *Server) renderCaseSuspensionNew(w http.ResponseWriter, r *http.Request, status int, c casework.Case, f *Form) {
	v := caseSuspensionView{Case: c, Kinds: caseChoices(casework.SuspensionKinds()), ReviewDays: s.suspensionReviewDays(),
		Today: s.cwsToday(), Closed: c.Status == casework.Closed}
	if c.Suspension != nil && (c.Suspension.Status == casework.SuspensionProposed || c.Suspension.Status == casework.SuspensionActive) {
		v.Existing = c.Suspension
	}
	s.render(w, r, status, "case_suspension_new", &Page{Title: "Propose a suspension or exclusion", Form: f, Data: v, BackLink: caseHref(c.ID)})
}
