package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseUnmetErrors names every unmet precondition, each pointing at its line
// on the formal page.
func caseUnmetErrors(unmet *casework.UnmetError) validate.Errors {
	var errs validate.Errors
	for _, x := range unmet.Unmet {
		msg := x.Label
		if x.Detail != "" {
			msg += ": " + x.Detail
		}
		errs.Add("pre-"+x.Name, msg)
	}
	return errs
}

// caseFormalMove makes an early concern formal. When anything is missing,
// the page is shown again with every unmet precondition named in the error
// summary, each linking to its line on the page.
func (s *Server) caseFormalMove(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f := &Form{Values: map[string][]string{}}
	moved, err := s.Cases.MoveToFormal(r.Context(), authz.PrincipalFrom(r.Context()), c.ID)
	var unmet *casework.UnmetError
	if errors.As(err, &unmet) {
		f.Errors = caseUnmetErrors(unmet)
		s.renderCaseFormal(w, r, http.StatusConflict, c, f)
		return
	}
	if msg, ok := caseConflict(err); ok {
		f.Errors = validate.Errors{{Field: "move", Message: msg}}
		s.renderCaseFormal(w, r, http.StatusConflict, c, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	msg := "The case is now formal"
	if moved.Stage != nil {
		msg += ". " + moved.Stage.Name + " has started, with a target of " + formatDate(moved.Stage.TargetOn)
	}
	s.redirect(w, r, caseHref(c.ID), msg)
}
