package web

import (
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseStagesType is one case type's stages as the pages show them.
type caseStagesType struct {
	Type        casework.Type
	Label, Href string
	Stages      []casework.StageDefinition
}

// caseStagesListView is the data of the page listing every type's stages.
type caseStagesListView struct {
	Types []caseStagesType
	Lead  bool
	// Leads names the employee-relations leads, who may change the stages.
	Leads string
}

// caseStagesList shows the stages each type of case goes through, with
// their targets.
func (s *Server) caseStagesList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	v := caseStagesListView{Lead: s.cwsHolds(r, p, casework.ERLead), Leads: s.caseStagesLeads(r)}
	for _, o := range casework.Types() {
		t := casework.Type(o.Value)
		defs, err := s.Cases.StageDefinitions(r.Context(), t)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Types = append(v.Types, caseStagesType{Type: t, Label: o.Label, Href: caseStagesHref(t), Stages: defs})
	}
	s.render(w, r, http.StatusOK, "case_stages", &Page{Title: "Stages of each type of case", Data: v, BackLink: "/cases"})
}

// caseStagesLeads names the employee-relations leads, for the sentence
// that says who may change the stages; "" when none is named.
func (s *Server) caseStagesLeads(r *http.Request) string {
	holders, err := s.Cases.Designations(r.Context())
	if err != nil {
		s.Logger.WarnContext(r.Context(), "read designations", "error", err)
		return ""
	}
	var names []string
	for _, h := range holders {
		if h.Designation == casework.ERLead {
			names = append(names, h.Name)
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
