package web

import (
	"net/http"
	"strconv"
	"strings"

	"candour/internal/settings"
	"candour/internal/validate"
)

// settingsUpdate saves the organisation-wide settings.
func (s *Server) settingsUpdate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("organisation_name", err.Error())
		s.render(w, r, http.StatusBadRequest, "settings", &Page{Title: "Settings", Form: f})
		return
	}
	st := settings.Settings{OrganisationName: f.Get("organisation_name")}
	var errs validate.Errors
	switch n := strings.TrimSpace(f.Get("small_number_threshold")); {
	case n == "":
		errs.Add("small_number_threshold", "Enter the smallest count to show, like 5")
	default:
		v, err := strconv.Atoi(n)
		if err != nil {
			errs.Add("small_number_threshold", "The smallest count to show must be a whole number, like 5")
		}
		st.SmallNumberThreshold = v
	}
	for _, e := range st.Validate() {
		if !errs.Has(e.Field) {
			errs = append(errs, e)
		}
	}
	if len(errs) == 0 {
		err := settings.Save(r.Context(), s.DB, actor(r), s.Now(), st)
		if fe, ok := validate.As(err); ok {
			errs = fe
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		// Keep the order of the inputs on the page in the error summary.
		var ordered validate.Errors
		for _, field := range []string{"organisation_name", "small_number_threshold"} {
			for _, e := range errs {
				if e.Field == field {
					ordered = append(ordered, e)
				}
			}
		}
		f.Errors = ordered
		s.render(w, r, http.StatusUnprocessableEntity, "settings", &Page{Title: "Settings", Form: f})
		return
	}
	s.redirect(w, r, "/admin/settings", "Settings saved")
}
