package api

import (
	"net/http"

	"candour/internal/authz"
)

// assessmentsList lists the assessments the caller may read, newest first:
// those they took part in, every one for the patient safety team, those
// linked to a case for HR, and those shared with the staff member concerned.
func (s *Server) assessmentsList(w http.ResponseWriter, r *http.Request) {
	sums, err := s.Culture.List(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[assessmentSummaryJSON]{Items: []assessmentSummaryJSON{}}
	for _, sm := range sums {
		out.Items = append(out.Items, assessmentSummaryJSON{ID: sm.ID, GuideTitle: sm.GuideTitle, Version: sm.Version,
			PersonName: sm.PersonName, Action: sm.Action, Status: sm.Status, Outcome: sm.Outcome, Latest: sm.Latest,
			CreatedAt: sm.CreatedAt.UTC(), CompletedAt: optTime(sm.CompletedAt)})
	}
	writeJSON(w, http.StatusOK, out)
}

// assessmentGet returns one assessment version in full, to those allowed to
// read it; the read is audited. Anyone else gets 404.
func (s *Server) assessmentGet(w http.ResponseWriter, r *http.Request) {
	id, ok := assessmentID(r)
	if !ok {
		notFound(w, r, "This assessment")
		return
	}
	a, err := s.Culture.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.assessmentError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAssessmentJSON(a))
}
