package web

import (
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseStagesSave replaces a case type's stages with the editor's rows, in
// order. Only the employee relations lead may; for anyone else the editor
// does not exist. A row marked for removal is sent as an empty row, which
// keeps the numbering of the rest (problems are reported by row number)
// and leaves the stage out, so that it is retired.
func (s *Server) caseStagesSave(w http.ResponseWriter, r *http.Request, t casework.Type) {
	p := authz.PrincipalFrom(r.Context())
	if !s.cwsHolds(r, p, casework.ERLead) {
		s.notFound(w, r)
		return
	}
	defs, err := s.Cases.StageDefinitions(r.Context(), t)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("stages", err.Error())
		s.renderCaseStagesEdit(w, r, http.StatusBadRequest, t, defs, f)
		return
	}
	// Existing stages keep their codes whatever was posted.
	fixed := map[string]bool{}
	for _, d := range defs {
		fixed[d.Code] = true
	}
	n := caseStagesRowCount(f)
	in := make([]casework.StageDefinitionInput, 0, n)
	for i := 1; i <= n; i++ {
		pre := caseStagesPrefix(i)
		if f.Get(pre+"fixed") == "yes" && !fixed[f.Get(pre+"code")] {
			f.Values.Del(pre + "fixed")
		}
		if f.Has(pre+"remove", "yes") {
			in = append(in, casework.StageDefinitionInput{})
			continue
		}
		in = append(in, casework.StageDefinitionInput{Code: f.Get(pre + "code"), Name: f.Get(pre + "name"),
			TargetDays: f.Get(pre + "target_days"), Required: f.Has(pre+"required", "yes")})
	}
	err = s.Cases.SaveStageDefinitions(r.Context(), p, t, in)
	if errs, ok := validate.As(err); ok {
		for i := range errs {
			if !strings.HasPrefix(errs[i].Field, "stages-") {
				errs[i].Field = "stages"
			}
		}
		f.Errors = errs
		s.renderCaseStagesEdit(w, r, http.StatusUnprocessableEntity, t, defs, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, "/cases/stages#"+string(t), "The stages of "+strings.ToLower(casework.TypeLabel(t))+" cases have been saved")
}
