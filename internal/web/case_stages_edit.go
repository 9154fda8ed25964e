package web

import (
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseStagesRow is one row of the stage editor. Its inputs are named
// stages-N-code, stages-N-name, stages-N-target_days, stages-N-required
// and stages-N-remove, the names the casework package reports problems
// against.
type caseStagesRow struct {
	N      int
	Prefix string
	// Fixed rows are stages that already exist: their code cannot change,
	// because case histories name it.
	Fixed bool
	Code  string
}

// caseStagesEditView is the data of the stage editor.
type caseStagesEditView struct {
	Type  caseStagesType
	Rows  []caseStagesRow
	Lead  bool
	Leads string
}

// caseStagesMaxRows bounds the rows the editor reads back, well above the
// number of stages the casework package allows.
const caseStagesMaxRows = 40

func caseStagesPrefix(n int) string { return "stages-" + strconv.Itoa(n) + "-" }

// caseStagesEdit shows a case type's stages in the editor: the existing
// ones, then a blank row to add one. People other than the employee
// relations lead see them without the form.
func (s *Server) caseStagesEdit(w http.ResponseWriter, r *http.Request, t casework.Type) {
	defs, err := s.Cases.StageDefinitions(r.Context(), t)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := &Form{Values: map[string][]string{"rows": {strconv.Itoa(len(defs) + 1)}}}
	for i, d := range defs {
		p := caseStagesPrefix(i + 1)
		f.Values.Set(p+"fixed", "yes")
		f.Values.Set(p+"code", d.Code)
		f.Values.Set(p+"name", d.Name)
		f.Values.Set(p+"target_days", strconv.Itoa(d.TargetDays))
		if d.Required {
			f.Values.Set(p+"required", "yes")
		}
	}
	// Stages are required unless said otherwise, as the defaults are.
	f.Values.Set(caseStagesPrefix(len(defs)+1)+"required", "yes")
	s.renderCaseStagesEdit(w, r, http.StatusOK, t, defs, f)
}

func (s *Server) renderCaseStagesEdit(w http.ResponseWriter, r *http.Request, status int, t casework.Type, defs []casework.StageDefinition, f *Form) {
	p := authz.PrincipalFrom(r.Context())
	label := casework.TypeLabel(t)
	v := caseStagesEditView{Type: caseStagesType{Type: t, Label: label, Href: caseStagesHref(t), Stages: defs},
		Lead: s.cwsHolds(r, p, casework.ERLead), Leads: s.caseStagesLeads(r)}
	n := caseStagesRowCount(f)
	for i := 1; i <= n; i++ {
		pre := caseStagesPrefix(i)
		v.Rows = append(v.Rows, caseStagesRow{N: i, Prefix: pre, Fixed: f.Get(pre+"fixed") == "yes", Code: f.Get(pre + "code")})
	}
	title := "Stages: " + label
	if v.Lead {
		title = "Change the stages: " + label
	}
	s.render(w, r, status, "case_stages_edit", &Page{Title: title, Form: f, Data: v, BackLink: "/cases/stages"})
}

// caseStagesRowCount is how many rows the editor has, bounded.
func caseStagesRowCount(f *Form) int {
	n, err := strconv.Atoi(f.Get("rows"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, caseStagesMaxRows)
}
