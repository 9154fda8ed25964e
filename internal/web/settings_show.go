package web

import (
	"net/http"
	"net/url"
	"strconv"

	"candour/internal/settings"
)

// settingsShow shows the organisation-wide settings.
func (s *Server) settingsShow(w http.ResponseWriter, r *http.Request) {
	st, err := settings.Load(r.Context(), s.DB)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := &Form{Values: url.Values{
		"organisation_name":      {st.OrganisationName},
		"small_number_threshold": {strconv.Itoa(st.SmallNumberThreshold)},
	}}
	s.render(w, r, http.StatusOK, "settings", &Page{Title: "Settings", Form: f})
}
