package web

import (
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/org"
)

// organisationView is the data of the organisation page.
type organisationView struct {
	// CanChange is true for administrators, who may add and change sites
	// and departments; HR may only look.
	CanChange   bool
	Sites       []org.Site
	Departments []departmentRow
	StaffGroups []org.StaffGroup
}

// departmentRow is one line of the departments table.
type departmentRow struct {
	org.Department
	KindLabel string
}

// organisationShow lists the sites, the departments at each site and the
// national staff groups.
func (s *Server) organisationShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sites, err := s.Org.Sites(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	deps, err := s.Org.Departments(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	groups, err := s.Org.StaffGroups(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := organisationView{
		CanChange:   authz.PrincipalFrom(ctx).Has(authz.Admin),
		Sites:       sites,
		StaffGroups: groups,
	}
	for _, d := range deps {
		v.Departments = append(v.Departments, departmentRow{Department: d, KindLabel: orgOptionLabel(org.DepartmentKinds(), d.Kind)})
	}
	s.render(w, r, http.StatusOK, "organisation", &Page{Title: "Organisation", Data: v})
}

// orgOptionLabel returns the label of value among opts, or the value itself
// when it is not one of them.
func orgOptionLabel(opts []org.Option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// orgChoice is one radio or checkbox item.
type orgChoice struct {
	Value, Label, Hint string
}

// orgChoices turns options into radio items.
func orgChoices(opts []org.Option) []orgChoice {
	out := make([]orgChoice, len(opts))
	for i, o := range opts {
		out[i] = orgChoice{Value: o.Value, Label: o.Label}
	}
	return out
}

// idString formats a row id for a URL or a form value.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
