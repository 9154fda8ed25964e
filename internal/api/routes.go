package api

import (
	"net/http"

	"candour/internal/authz"
)

// routes registers every API route with its policy. openapi.json documents
// each one; TestOpenAPICoversEveryRoute keeps the two in step.
func (s *Server) routes() {
	m := s.mux
	public, signedIn := authz.Public(), authz.SignedIn()
	directory := authz.AnyOf(authz.Admin, authz.HR)
	headcount := authz.AnyOf(authz.Admin, authz.HR, authz.Exec)

	m.HandleFunc("GET /api/v1/openapi.json", public, s.openAPI)
	m.HandleFunc("GET /api/v1/me", signedIn, s.me)
	m.HandleFunc("GET /api/v1/tokens", signedIn, s.tokensList)
	m.HandleFunc("DELETE /api/v1/tokens/{id}", signedIn, s.tokenRevoke)
	m.HandleFunc("GET /api/v1/sites", signedIn, s.sitesList)
	m.HandleFunc("GET /api/v1/departments", signedIn, s.departmentsList)
	m.HandleFunc("GET /api/v1/staff-groups", signedIn, s.staffGroupsList)
	m.HandleFunc("GET /api/v1/people", directory, s.peopleList)
	m.HandleFunc("POST /api/v1/people/import", directory, s.peopleImport)
	m.HandleFunc("GET /api/v1/people/{employee_number}", directory, s.personGet)
	m.HandleFunc("GET /api/v1/headcount", headcount, s.headcount)
	m.HandleFunc("GET /api/v1/audit", authz.AnyOf(authz.Admin), s.auditList)

	m.HandleFunc("/api/", public, func(w http.ResponseWriter, r *http.Request) {
		notFound(w, r, "This API path")
	})
}
