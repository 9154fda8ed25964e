package web

import (
	"net/http"

	"candour/internal/authz"
)

// assessmentRow is one assessment in the list.
type assessmentRow struct {
	ID                   int64
	Person, Action       string
	Guide                string
	Version              int
	Latest               bool
	Status, StatusColour string
	EndPoint             string
	Started              string
}

// assessmentsView is the data of the assessments list.
type assessmentsView struct {
	Rows       []assessmentRow
	MayStart   bool
	MayInsight bool
}

// assessmentsList lists the assessments the signed-in user may read.
func (s *Server) assessmentsList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	list, err := s.Culture.List(r.Context(), p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// End point titles, by guide title, from every stored version.
	defs, err := s.Culture.Definitions(r.Context(), true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	endPoint := func(guideTitle, id string) string {
		for _, d := range defs {
			if d.Title != guideTitle {
				continue
			}
			if ep, ok := d.Guide.EndPoint(id); ok {
				return ep.ID + ": " + ep.Title
			}
		}
		return id
	}
	v := assessmentsView{
		MayStart:   p.HasAny(authz.Manager, authz.Safety, authz.HR),
		MayInsight: p.HasAny(authz.Safety, authz.HR),
	}
	for _, sm := range list {
		row := assessmentRow{ID: sm.ID, Person: sm.PersonName, Action: shorten(sm.Action, 120), Guide: sm.GuideTitle,
			Version: sm.Version, Latest: sm.Latest, Started: shortDate(sm.CreatedAt)}
		row.Status, row.StatusColour = assessmentStatus(sm.Status)
		if sm.Outcome != "" {
			row.EndPoint = endPoint(sm.GuideTitle, sm.Outcome)
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, "assessments", &Page{Title: "Just culture assessments", Data: v})
}

// shorten cuts s to at most n characters, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
