package web

import (
	"errors"
	"net/http"

	"candour/internal/store"
)

// guideRetire closes a guide version to new assessments. Assessments that
// used it keep reading it.
func (s *Server) guideRetire(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	def, err := s.Culture.Definition(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	to := "/guides/" + idString(id)
	if def.Retired() {
		s.redirect(w, r, to, def.Title+", "+versionText(def.Version)+", was already retired")
		return
	}
	if err := s.Culture.Retire(r.Context(), actor(r), id); err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, to, def.Title+", "+versionText(def.Version)+", has been retired: new assessments cannot use it")
}
