package web

import (
	"errors"
	"net/http"
	"net/url"

	"candour/internal/store"
)

// siteEdit shows the form to change a site.
func (s *Server) siteEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	site, err := s.Org.Site(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := &Form{Values: url.Values{"code": {site.Code}, "name": {site.Name}}}
	s.renderSiteForm(w, r, http.StatusOK, f, id)
}
