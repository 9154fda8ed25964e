package web

import (
	"net/http"
	"strings"

	"candour/internal/org"
)

// departmentFormView is the data of the department form.
type departmentFormView struct {
	// ID is the department being changed, or zero for a new one.
	ID    int64
	Sites []org.Option
	Kinds []orgChoice
}

// departmentNew shows the form to add a department.
func (s *Server) departmentNew(w http.ResponseWriter, r *http.Request) {
	s.renderDepartmentForm(w, r, http.StatusOK, &Form{}, 0)
}

func (s *Server) renderDepartmentForm(w http.ResponseWriter, r *http.Request, status int, f *Form, id int64) {
	sites, err := s.Org.Sites(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := departmentFormView{ID: id, Kinds: orgChoices(org.DepartmentKinds())}
	for _, site := range sites {
		v.Sites = append(v.Sites, org.Option{Value: idString(site.ID), Label: site.Name})
	}
	title := "Add a department"
	if id != 0 {
		title = "Change a department"
	}
	s.render(w, r, status, "department_form", &Page{Title: title, Form: f, Data: v, BackLink: "/organisation"})
}

// departmentFromForm reads the department typed into the form.
func departmentFromForm(f *Form, id int64) org.Department {
	return org.Department{
		ID:     id,
		SiteID: f.Int64("site_id"),
		Code:   strings.TrimSpace(f.Get("code")),
		Name:   strings.TrimSpace(f.Get("name")),
		Kind:   f.Get("kind"),
	}
}
