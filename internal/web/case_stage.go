package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/validate"
)

// caseStage moves a formal case on to a later stage from a given date. The
// domain refuses skipping a required stage and dates that go backwards.
func (s *Server) caseStage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f, ok := s.caseFormRead(w, r, c, caseStageFields)
	if !ok {
		return
	}
	var errs validate.Errors
	if f.Get("stage") == "" {
		errs.Add("stage", "Choose the stage the case is moving to")
	}
	on := caseFormDate(&errs, f, "started_on", "The date the stage started", true)
	if len(errs) > 0 {
		f.Errors = errs
		s.renderCase(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	err := s.Cases.AdvanceStage(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, f.Get("stage"), on)
	if s.caseFormFailed(w, r, c, f, caseStageFields, caseRenameFields(err, map[string]string{"stage_code": "stage", "code": "stage"})) {
		return
	}
	s.redirect(w, r, caseHref(c.ID)+"#stages", "The case has moved to the next stage")
}
