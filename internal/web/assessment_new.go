package web

import (
	"net/http"
	"strconv"

	"candour/internal/justculture"
)

// assessmentNewView is the data of the page that starts an assessment.
type assessmentNewView struct {
	Guides []orgChoice
	// Chosen is the guide whose cautions are shown.
	Chosen *justculture.Definition
}

// assessmentNew shows the guide's cautions and the form that starts an
// assessment. ?report= fills in a linked patient safety event.
func (s *Server) assessmentNew(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string][]string{}}
	if ref := queryText(r.URL.Query().Get("report")); ref != "" {
		f.Values.Set("report", ref)
	}
	if g := r.URL.Query().Get("guide"); g != "" {
		f.Values.Set("guide", g)
	}
	s.renderAssessmentNew(w, r, http.StatusOK, f)
}

// renderAssessmentNew shows the start page with the form f.
func (s *Server) renderAssessmentNew(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	defs, err := s.Culture.Definitions(r.Context(), false)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var v assessmentNewView
	// The built-in guide, newest version, is chosen unless another is.
	chosen := -1
	for i, d := range defs {
		if d.Builtin && (chosen < 0 || !defs[chosen].Builtin) {
			chosen = i
		}
	}
	if chosen < 0 && len(defs) > 0 {
		chosen = 0
	}
	if f.Get("guide") == "" && chosen >= 0 {
		f.Values.Set("guide", idString(defs[chosen].ID))
	}
	for i, d := range defs {
		id := idString(d.ID)
		if id == f.Get("guide") {
			chosen = i
		}
		hint := "Version " + strconv.Itoa(d.Version)
		if d.Builtin {
			hint += ", built in"
		}
		v.Guides = append(v.Guides, orgChoice{Value: id, Label: d.Title, Hint: hint})
	}
	if chosen >= 0 {
		v.Chosen = &defs[chosen]
	}
	s.render(w, r, status, "assessment_new", &Page{Title: "Start a just culture assessment", Form: f, Data: v, BackLink: "/assessments"})
}
