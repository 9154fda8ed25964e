package web

import (
	"errors"
	"net/http"

	"candour/internal/audit"
	"candour/internal/org"
	"candour/internal/store"
)

// personView is the data of a person's page.
type personView struct {
	org.Person
	Leaver      bool
	EthnicGroup string // label
	Disability  string // label
}

// personShow shows everything held about a person. It includes their
// equality monitoring data, special category data, so every view is
// recorded in the audit log.
func (s *Server) personShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p, err := s.Org.Person(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.recordPersonRead(r, p.ID, "viewed the person's details"); err != nil {
		s.serverError(w, r, err)
		return
	}
	v := personView{
		Person:      p,
		Leaver:      isLeaver(p, s.today()),
		EthnicGroup: org.NotKnown,
		Disability:  org.NotKnown,
	}
	if p.EthnicGroup != "" {
		v.EthnicGroup = orgOptionLabel(org.EthnicGroups(), p.EthnicGroup)
	}
	if p.Disability != "" {
		v.Disability = orgOptionLabel(org.DisabilityOptions(), p.Disability)
	}
	s.render(w, r, http.StatusOK, "person", &Page{Title: p.Name, Data: v, BackLink: "/people"})
}

// recordPersonRead writes a person.read audit entry: the person's record
// holds special category data.
func (s *Server) recordPersonRead(r *http.Request, id int64, detail string) error {
	return s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		return audit.Record(r.Context(), tx, s.Now(), actor(r), "person.read", "person", idString(id), detail)
	})
}

// today is the date in the UK, as YYYY-MM-DD.
func (s *Server) today() string {
	return s.Now().In(london()).Format(store.DateLayout)
}

// isLeaver reports whether p had left by today (YYYY-MM-DD): the leave date
// is their last working day, as in ESR.
func isLeaver(p org.Person, today string) bool {
	return p.LeaveDate != "" && p.LeaveDate < today
}
