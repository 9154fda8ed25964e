package web

import (
	"net/http"

	"candour/internal/authz"
)

// caseSignOffs lists the early concerns waiting for a second senior
// person's sign-off that the caller may give: the ER lead and executives.
// Without it an executive would have no way to find a case to sign, since
// they cannot list cases.
func (s *Server) caseSignOffs(w http.ResponseWriter, r *http.Request) {
	cases, err := s.Cases.AwaitingSignOff(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	var rows []caseRow
	for _, cs := range cases {
		rows = append(rows, caseRowOf(cs))
	}
	s.render(w, r, http.StatusOK, "cases_signoff", &Page{Title: "Cases waiting for your sign-off", Data: rows})
}
