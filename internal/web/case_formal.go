package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseFormalView is the data of the "Move to formal" page.
type caseFormalView struct {
	C             casework.Case
	Preconditions []casePrecondition
	Unmet         int
	UnmetText     string
	// The checklist the second person signs, so that they sign what they
	// have read.
	Checklist                       []caseFact
	SignedOff                       bool
	SignoffName, SignedAt, SignNote string
	MaySignOff, MayMove, Early      bool
}

// caseFormal shows every precondition of the move to formal with its
// status, the sign-off for a second senior person, and the move itself for
// the case's handler.
func (s *Server) caseFormal(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCaseForSigner(w, r)
	if !ok {
		return
	}
	s.renderCaseFormal(w, r, http.StatusOK, c, &Form{Values: map[string][]string{}})
}

// loadCaseForSigner reads the case named by {id} for the formal page. An
// executive asked for the second sign-off does not otherwise see the case:
// for them only its number is known here, and the casework package decides
// whether they may read its checklist and preconditions.
func (s *Server) loadCaseForSigner(w http.ResponseWriter, r *http.Request) (casework.Case, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return casework.Case{}, false
	}
	p := authz.PrincipalFrom(r.Context())
	c, err := s.Cases.Get(r.Context(), p, id)
	if errors.Is(err, casework.ErrNotAllowed) && p.Has(authz.Exec) {
		// The list of cases waiting for this executive's sign-off names
		// the case by its reference; otherwise only its number is known.
		c := casework.Case{ID: id, Reference: "Case " + idString(id), Status: casework.EarlyConcern}
		waiting, werr := s.Cases.AwaitingSignOff(r.Context(), p)
		if werr != nil {
			s.caseFailed(w, r, werr)
			return c, false
		}
		for _, cs := range waiting {
			if cs.ID == id {
				c.Reference, c.Type = cs.Reference, cs.Type
			}
		}
		return c, true
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return c, false
	}
	return c, true
}

func (s *Server) renderCaseFormal(w http.ResponseWriter, r *http.Request, status int, c casework.Case, f *Form) {
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	v := caseFormalView{C: c, Early: c.Status == casework.EarlyConcern}
	if v.Early {
		pre, err := s.Cases.Preconditions(ctx, p, c.ID)
		if err != nil {
			s.caseFailed(w, r, err)
			return
		}
		v.Preconditions = casePreconditionsOf(c, pre)
		for _, x := range pre {
			if !x.Met {
				v.Unmet++
			}
		}
		v.UnmetText = plural(v.Unmet, "thing is", "things are")
	}
	k, err := s.Cases.Checklist(ctx, p, c.ID)
	if err != nil && !errors.Is(err, casework.ErrNotAllowed) {
		s.caseFailed(w, r, err)
		return
	}
	if err == nil {
		v.Checklist = caseChecklistRows(k)
		v.SignedOff, v.SignoffName, v.SignedAt, v.SignNote = k.SignoffBy != 0, k.SignoffName, caseDatetime(k.SignoffAt), k.SignoffNote
	}
	handler, err := s.Cases.CanManage(ctx, p, c.ID)
	if err != nil && !errors.Is(err, casework.ErrNotAllowed) {
		s.caseFailed(w, r, err)
		return
	}
	v.MayMove = v.Early && handler
	// The second person is the employee-relations lead or an executive, and
	// not the case's own HR adviser; the casework package has the final say
	// (it also refuses whoever last changed the checklist).
	lead := false
	if p.Has(authz.HR) {
		if lead, err = s.Cases.HasDesignation(ctx, p.UserID, casework.ERLead); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	v.MaySignOff = v.Early && !v.SignedOff && c.HRUserID != p.UserID && (lead || p.Has(authz.Exec))
	s.render(w, r, status, "case_formal", &Page{Title: "Move to formal", Form: f, Data: v, BackLink: caseHref(c.ID)})
}
