package api

import "net/http"

// siteJSON is a site in the API.
type siteJSON struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// departmentJSON is a department in the API.
type departmentJSON struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	SiteID int64  `json:"site_id"`
	Site   string `json:"site"`
}

// staffGroupJSON is a national staff group in the API.
type staffGroupJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// sitesList lists the organisation's sites.
func (s *Server) sitesList(w http.ResponseWriter, r *http.Request) {
	sites, err := s.Org.Sites(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[siteJSON]{Items: []siteJSON{}}
	for _, x := range sites {
		out.Items = append(out.Items, siteJSON{x.ID, x.Code, x.Name})
	}
	writeJSON(w, http.StatusOK, out)
}

// departmentsList lists departments, wards and teams.
func (s *Server) departmentsList(w http.ResponseWriter, r *http.Request) {
	deps, err := s.Org.Departments(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[departmentJSON]{Items: []departmentJSON{}}
	for _, d := range deps {
		out.Items = append(out.Items, departmentJSON{d.ID, d.Code, d.Name, d.Kind, d.SiteID, d.SiteName})
	}
	writeJSON(w, http.StatusOK, out)
}

// staffGroupsList lists the national NHS staff groups.
func (s *Server) staffGroupsList(w http.ResponseWriter, r *http.Request) {
	groups, err := s.Org.StaffGroups(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[staffGroupJSON]{Items: []staffGroupJSON{}}
	for _, g := range groups {
		out.Items = append(out.Items, staffGroupJSON{g.Code, g.Name})
	}
	writeJSON(w, http.StatusOK, out)
}
