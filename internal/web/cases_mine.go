package web

import (
	"net/http"

	"candour/internal/authz"
)

// caseMine lists the signed-in person's own cases that HR has given them
// access to. Cases they have not been given access to are not listed.
func (s *Server) caseMine(w http.ResponseWriter, r *http.Request) {
	cases, err := s.Cases.MyCases(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	var rows []caseRow
	for _, cs := range cases {
		rows = append(rows, caseRowOf(cs))
	}
	s.render(w, r, http.StatusOK, "cases_mine", &Page{Title: "Your cases", Data: rows})
}
