package web

import (
	"errors"
	"net/http"

	"candour/internal/store"
	"candour/internal/validate"
)

// siteUpdate changes a site's code and name.
func (s *Server) siteUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("code", err.Error())
		s.renderSiteForm(w, r, http.StatusBadRequest, f, id)
		return
	}
	site := siteFromForm(f, id)
	err = s.Org.UpdateSite(r.Context(), actor(r), site)
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderSiteForm(w, r, http.StatusUnprocessableEntity, f, id)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/organisation", "The site "+site.Name+" has been changed")
}
