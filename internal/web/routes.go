package web

import (
	"net/http"

	"candour/internal/authz"
)

// routes registers every page with the policy that guards it. Per-record
// rules (whose case, which concern) live in the domain packages; this table
// says which roles may reach a page at all.
func (s *Server) routes() {
	m := s.mux
	public, signedIn := authz.Public(), authz.SignedIn()
	admin := authz.AnyOf(authz.Admin)
	directory := authz.AnyOf(authz.Admin, authz.HR)
	headcount := authz.AnyOf(authz.Admin, authz.HR, authz.Exec)

	m.Handle("GET /static/", public, s.assets.handler())
	m.HandleFunc("GET /{$}", public, s.home)
	m.HandleFunc("GET /accessibility", public, s.accessibility)
	m.HandleFunc("GET /privacy", public, s.privacy)
	m.HandleFunc("GET /sign-in", public, s.signInShow)
	m.HandleFunc("POST /sign-in", public, s.signInSubmit)
	m.HandleFunc("POST /sign-out", signedIn, s.signOut)

	m.HandleFunc("GET /account", signedIn, s.accountShow)
	m.HandleFunc("POST /account/password", signedIn, s.passwordChange)
	m.HandleFunc("POST /account/sign-out-everywhere", signedIn, s.signOutEverywhere)
	m.HandleFunc("POST /account/tokens", signedIn, s.tokenCreate)
	m.HandleFunc("POST /account/tokens/{id}/revoke", signedIn, s.tokenRevoke)

	m.HandleFunc("GET /admin/users", admin, s.usersList)
	m.HandleFunc("GET /admin/users/new", admin, s.userNew)
	m.HandleFunc("POST /admin/users", admin, s.userCreate)
	m.HandleFunc("GET /admin/users/{id}", admin, s.userEdit)
	m.HandleFunc("POST /admin/users/{id}", admin, s.userUpdate)
	m.HandleFunc("POST /admin/users/{id}/password", admin, s.userResetPassword)
	m.HandleFunc("POST /admin/users/{id}/unlock", admin, s.userUnlock)
	m.HandleFunc("POST /admin/users/{id}/sign-out", admin, s.userSignOut)
	m.HandleFunc("GET /admin/audit", admin, s.auditList)
	m.HandleFunc("POST /admin/audit/verify", admin, s.auditVerify)
	m.HandleFunc("GET /admin/settings", admin, s.settingsShow)
	m.HandleFunc("POST /admin/settings", admin, s.settingsUpdate)

	m.HandleFunc("GET /organisation", directory, s.organisationShow)
	m.HandleFunc("GET /organisation/sites/new", admin, s.siteNew)
	m.HandleFunc("POST /organisation/sites", admin, s.siteCreate)
	m.HandleFunc("GET /organisation/sites/{id}/edit", admin, s.siteEdit)
	m.HandleFunc("POST /organisation/sites/{id}", admin, s.siteUpdate)
	m.HandleFunc("GET /organisation/departments/new", admin, s.departmentNew)
	m.HandleFunc("POST /organisation/departments", admin, s.departmentCreate)
	m.HandleFunc("GET /organisation/departments/{id}/edit", admin, s.departmentEdit)
	m.HandleFunc("POST /organisation/departments/{id}", admin, s.departmentUpdate)

	m.HandleFunc("GET /people", directory, s.peopleList)
	m.HandleFunc("GET /people/new", directory, s.personNew)
	m.HandleFunc("POST /people", directory, s.personCreate)
	m.HandleFunc("GET /people/import", directory, s.peopleImportShow)
	m.HandleFunc("POST /people/import", directory, s.peopleImportSubmit)
	m.HandleFunc("GET /people/{id}", directory, s.personShow)
	m.HandleFunc("GET /people/{id}/edit", directory, s.personEdit)
	m.HandleFunc("POST /people/{id}", directory, s.personUpdate)
	m.HandleFunc("GET /headcount", headcount, s.headcountShow)

	// Anything else is a page that does not exist.
	m.HandleFunc("/", public, func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
}
