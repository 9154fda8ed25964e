package api

import (
	"errors"
	"net/http"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

// personGet returns one person, with their equality fields, by employee
// number. The read is audited, since it shows special-category data.
func (s *Server) personGet(w http.ResponseWriter, r *http.Request) {
	p, err := s.Org.PersonByEmployeeNumber(r.Context(), r.PathValue("employee_number"))
	if errors.Is(err, store.ErrNotFound) {
		notFound(w, r, "A person with this employee number")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	caller := authz.PrincipalFrom(r.Context())
	err = s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		return audit.Record(r.Context(), tx, s.Now(), audit.Actor{UserID: caller.UserID, Label: caller.Email},
			"person.read", "person", p.EmployeeNumber, "via API")
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	j := toPersonJSON(p)
	j.EthnicGroup, j.Disability = &p.EthnicGroup, &p.Disability
	if p.LineManagerID != 0 {
		if m, err := s.Org.Person(r.Context(), p.LineManagerID); err == nil {
			j.LineManager = m.EmployeeNumber
		}
	}
	writeJSON(w, http.StatusOK, j)
}
