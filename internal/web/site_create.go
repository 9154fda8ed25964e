package web

import (
	"net/http"

	"candour/internal/validate"
)

// siteCreate adds a site.
func (s *Server) siteCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("code", err.Error())
		s.renderSiteForm(w, r, http.StatusBadRequest, f, 0)
		return
	}
	site, err := s.Org.CreateSite(r.Context(), actor(r), siteFromForm(f, 0))
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderSiteForm(w, r, http.StatusUnprocessableEntity, f, 0)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/organisation", "The site "+site.Name+" has been added")
}
