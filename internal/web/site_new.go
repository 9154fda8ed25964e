package web

import (
	"net/http"
	"strings"

	"candour/internal/org"
)

// siteFormView is the data of the site form.
type siteFormView struct {
	// ID is the site being changed, or zero for a new one.
	ID int64
}

// siteNew shows the form to add a site.
func (s *Server) siteNew(w http.ResponseWriter, r *http.Request) {
	s.renderSiteForm(w, r, http.StatusOK, &Form{}, 0)
}

func (s *Server) renderSiteForm(w http.ResponseWriter, r *http.Request, status int, f *Form, id int64) {
	title := "Add a site"
	if id != 0 {
		title = "Change a site"
	}
	s.render(w, r, status, "site_form", &Page{Title: title, Form: f, Data: siteFormView{ID: id}, BackLink: "/organisation"})
}

// siteFromForm reads the site typed into the form.
func siteFromForm(f *Form, id int64) org.Site {
	return org.Site{ID: id, Code: strings.TrimSpace(f.Get("code")), Name: strings.TrimSpace(f.Get("name"))}
}
