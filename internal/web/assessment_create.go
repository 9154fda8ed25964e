package web

import (
	"net/http"
	"slices"
	"strings"

	"candour/internal/authz"
	"candour/internal/justculture"
	"candour/internal/validate"
)

// assessmentFields are the start form's inputs in page order.
var assessmentFields = []string{"guide", "action", "person", "participants", "report", "concern_confirmed"}

// assessmentCreate starts an assessment and asks its first question.
func (s *Server) assessmentCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("action", err.Error())
		s.renderAssessmentNew(w, r, http.StatusBadRequest, f)
		return
	}
	in := justculture.StartInput{
		DefinitionID:     f.Int64("guide"),
		Action:           f.Get("action"),
		EmployeeNumber:   f.Get("person"),
		Participants:     splitEmails(f.Get("participants")),
		ReportReference:  f.Get("report"),
		ConcernConfirmed: f.Get("concern_confirmed") == "yes",
	}
	a, err := s.Culture.Start(r.Context(), authz.PrincipalFrom(r.Context()), in)
	if errs, ok := validate.As(err); ok {
		order := func(field string) int {
			if i := slices.Index(assessmentFields, field); i >= 0 {
				return i
			}
			return len(assessmentFields)
		}
		slices.SortStableFunc(errs, func(a, b validate.FieldError) int { return order(a.Field) - order(b.Field) })
		f.Errors = errs
		s.renderAssessmentNew(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.assessmentFailed(w, r, err)
		return
	}
	s.redirect(w, r, assessmentHref(a.ID)+"/question", "The assessment has started. Answer each question together, with your reason")
}

// splitEmails splits the participants box into addresses: one a line, or
// separated by commas, semicolons or spaces.
func splitEmails(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == ' ' || r == '\t'
	})
}
